"""Exports in the fresh process this script runs in: their times and peak memory.

``python benchmarks/fresh_export.py DATASET OUTDIR FORMAT [FORMAT ...]`` loads
the dataset once (a pickled :class:`storyfacts.Dataset`, which the benchmark
writes because it loads quickly and holds the same objects ``storyfacts.load``
builds, or a JSON file through ``storyfacts.load``), then exports it to each
format in turn, as ``OUTDIR/FORMAT-storyfacts.EXT``, with
``storyfacts.export(dataset, FORMAT, path, check=False)``: the dataset was
validated when it was loaded, and validation is measured on its own. Before each export it
collects garbage, hands freed memory back to the system, notes the resident
size and resets the peak, so each export's peak is its own. An export under a
second runs twice more (to paths removed afterwards) and the fastest counts.

It prints one JSON object with an entry per format:

``seconds``
    the fastest export;
``loaded_mib``
    resident size just before the export: the dataset's own footprint, plus
    whatever the exports before it left behind (nothing much, once trimmed);
``export_peak_mib``
    the highest resident size while exporting;
``output``
    the path written;
``method``
    how the export peak was isolated;
``error``
    instead of all the above, why the export failed.

On Linux, writing ``5`` to ``/proc/self/clear_refs`` resets the peak
(``VmHWM``) to the current size. Where that is refused, the peak falls back to
``ru_maxrss``, which also covers loading and the earlier exports (and, in a
process forked from a large parent, may count the parent's size); ``method``
then says so.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import gc
import inspect
import json
import pickle
import re
import resource
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

__all__ = ["main"]

_STATUS = Path("/proc/self/status")


def _status_kib(field: str) -> int | None:
    try:
        text = _STATUS.read_text(encoding="ascii")
    except OSError:
        return None
    match = re.search(rf"^{field}:\s+(\d+) kB$", text, re.M)
    return int(match.group(1)) if match else None


def _maxrss_kib() -> int:
    # Linux reports ru_maxrss in KiB, macOS in bytes.
    value = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return value // 1024 if sys.platform == "darwin" else value


def _give_back_freed_memory() -> None:
    gc.collect()
    name = ctypes.util.find_library("c")
    trim = getattr(ctypes.CDLL(name), "malloc_trim", None) if name else None
    if trim is not None:
        trim(0)


def _reset_peak() -> bool:
    try:
        Path("/proc/self/clear_refs").write_text("5", encoding="ascii")
    except OSError:
        return False
    return _status_kib("VmHWM") is not None


def _load(source: Path) -> Any:
    import storyfacts

    if source.suffix != ".pickle":
        return storyfacts.load(source)
    # Unpickling makes millions of objects and no cycles; the collector
    # would only slow it down.
    gc.disable()
    try:
        with source.open("rb") as f:
            dataset = pickle.load(f)
    finally:
        gc.enable()
    if not isinstance(dataset, storyfacts.Dataset):
        raise TypeError(f"{source} does not hold a storyfacts.Dataset")
    return dataset


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def _exporter(format_name: str) -> Callable[[Any, Path], object]:
    """``storyfacts.export`` for one format, told not to validate the dataset again.

    The dataset was validated when it was loaded, and validation is measured
    on its own; ``check=False`` is how the API says so (where it has it).
    """
    import storyfacts

    if "check" in inspect.signature(storyfacts.export).parameters:
        return lambda dataset, path: storyfacts.export(dataset, format_name, path, check=False)
    return lambda dataset, path: storyfacts.export(dataset, format_name, path)


def measure(dataset: Any, format_name: str, output: Path) -> dict[str, Any]:
    """Export ``dataset`` to ``output``; its time and the memory it took."""
    import storyfacts

    export = _exporter(format_name)

    _give_back_freed_memory()
    loaded = _status_kib("VmRSS") or _maxrss_kib()
    isolated = _reset_peak()
    started = time.perf_counter()
    try:
        export(dataset, output)
    except storyfacts.StoryfactsError as error:
        return {"error": str(error)}
    seconds = time.perf_counter() - started
    peak = _status_kib("VmHWM") if isolated else None
    if seconds < 1.0:
        for run in (2, 3):
            again = output.with_name(f"{output.stem}-run{run}{output.suffix}")
            started = time.perf_counter()
            export(dataset, again)
            seconds = min(seconds, time.perf_counter() - started)
            _remove(again)
    return {
        "seconds": seconds,
        "loaded_mib": loaded / 1024,
        "export_peak_mib": (peak if peak is not None else _maxrss_kib()) / 1024,
        "output": str(output),
        "method": "VmHWM reset before the export" if isolated else "ru_maxrss (covers loading)",
    }


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) < 3:
        print("usage: fresh_export.py DATASET OUTDIR FORMAT [FORMAT ...]", file=sys.stderr)
        return 2
    source, outdir, names = Path(args[0]), Path(args[1]), args[2:]

    import storyfacts

    # Importing the exporters is a fixed cost; paying it first keeps it out
    # of every export's time and peak.
    extensions = {e.name: e.extension for e in storyfacts.formats()}
    dataset = _load(source)
    outdir.mkdir(parents=True, exist_ok=True)
    results = {
        name: measure(dataset, name, outdir / f"{name}-storyfacts{extensions[name]}")
        for name in names
    }
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
