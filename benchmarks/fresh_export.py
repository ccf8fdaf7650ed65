"""Exports in a fresh process: their times and peak memory, in a user's default call.

The process loads the dataset once (a pickled :class:`storyfacts.Dataset`,
which the benchmark writes because it loads quickly and holds the same
objects ``storyfacts.load`` builds, or a JSON file through
``storyfacts.load``), and then exports it, each time timing
``storyfacts.export(dataset, FORMAT, path)``: the call a user makes after
``storyfacts.load``, which does not validate a dataset found valid and not
changed since (``storyfacts.validity``). An unpickled dataset was never
checked in this process, so it is validated once first, untimed (validation
is measured on its own), and then it is known valid as after ``load``; if it
were not (``validity.is_known_valid``), the exports would be timed with
``check=False`` instead, and each entry's ``call`` says so. Before a
format's first timed export the process exports the bundled dataset to it
once, untimed (:func:`warm_up`): the libraries the exporter imports lazily
are then imported before the clock starts, as the floor's are.

Two ways to run it:

``python benchmarks/fresh_export.py DATASET OUTDIR FORMAT [FORMAT ...]``
    exports to each format once, as ``OUTDIR/FORMAT-storyfacts.EXT``, and
    prints one JSON object with an entry per format (below).

``python benchmarks/fresh_export.py --serve DATASET``
    what ``run.py`` uses (through :class:`ExportProcess`): it loads the
    dataset, prints one JSON line (``known_valid``, ``call``,
    ``load_seconds``, ``validate_seconds``, or ``error``), then for each
    request line ``{"format": NAME, "output": PATH}`` read from its input
    exports once and prints the entry for it as one JSON line, until its
    input ends. So the parent can time the floors between this process's
    exports, in interleaved rounds (``rounds.py``); it starts one such
    process a round, so that each export timed is the first of its format
    in its process (``export_race.RoundProcesses``).
    Its output carries only these lines (anything an export printed goes to
    standard error).

An entry:

``seconds``
    the export's time;
``loaded_mib``
    resident size just before the export: the dataset's own footprint, plus
    whatever the exports before it left behind (nothing much, once trimmed);
``export_peak_mib``
    the highest resident size while exporting;
``output``
    the path written;
``method``
    how the export peak was isolated;
``call``
    the call timed (a user's default call, or ``check=False``);
``error``
    instead of all the above, why the export failed.

Before each export the process collects garbage, hands freed memory back to
the system, notes the resident size and resets the peak, so each export's
peak is its own. On Linux, writing ``5`` to ``/proc/self/clear_refs`` resets
the peak (``VmHWM``) to the current size. Where that is refused, the peak
falls back to ``ru_maxrss``, which also covers loading and the earlier
exports (and, in a process forked from a large parent, may count the
parent's size); ``method`` then says so.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import gc
import json
import os
import pickle
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import IO, Any

__all__ = ["ExportProcess", "main"]

HERE = Path(__file__).resolve().parent
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


def _known_valid(dataset: Any, source: Path) -> tuple[bool, float]:
    """Make ``dataset`` known valid as ``storyfacts.load`` leaves it; whether it is, and the cost.

    ``storyfacts.load`` remembers what it found valid; an unpickled dataset
    was never checked in this process, so it is validated here (untimed by
    the caller), which remembers it too.
    """
    import storyfacts
    from storyfacts import validity

    started = time.perf_counter()
    if not validity.is_known_valid(dataset):
        problems = storyfacts.validate(dataset)
        if problems:
            raise ValueError(f"{source} is not valid: {problems[0].path}: {problems[0].message}")
    return validity.is_known_valid(dataset), time.perf_counter() - started


@functools.cache
def _bundled() -> Any:
    """The bundled dataset, loaded once in this process for every warm-up."""
    import storyfacts

    return storyfacts.load()


def warm_up(format_name: str) -> None:
    """Export the bundled dataset (a few dozen records) to ``format_name`` once, untimed.

    An export's first run in a process imports its libraries (openpyxl and
    XlsxWriter for the workbook, some 0.27 s; icalendar, 0.1 s) and compiles
    its generated row makers; the floor's library was imported before its
    clock starts too. What the export works out from the dataset it is
    given (such as the first and last day of each of its dates) stays in
    the timed export: the bundled dataset shares none of it.
    """
    import storyfacts

    # A format that fails here fails in the timed export too, and says why there.
    with (
        tempfile.TemporaryDirectory(prefix="storyfacts-warm-up-") as scratch,
        contextlib.suppress(storyfacts.StoryfactsError),
    ):
        storyfacts.export(_bundled(), format_name, Path(scratch) / "warm-up")


def measure(dataset: Any, format_name: str, output: Path, *, check: bool = True) -> dict[str, Any]:
    """Export ``dataset`` to ``output`` once, after a warm-up; its time and the memory it took.

    ``check=True`` is a user's default call, on a dataset known valid (if
    the proof was lost since, the dataset is validated again first,
    untimed); ``False`` only where it could not be made known valid.
    """
    import storyfacts

    warm_up(format_name)
    if check:
        check, _ = _known_valid(dataset, output)
    _give_back_freed_memory()
    loaded = _status_kib("VmRSS") or _maxrss_kib()
    isolated = _reset_peak()
    started = time.perf_counter()
    try:
        if check:
            storyfacts.export(dataset, format_name, output)
        else:
            storyfacts.export(dataset, format_name, output, check=False)
    except storyfacts.StoryfactsError as error:
        return {"error": str(error)}
    seconds = time.perf_counter() - started
    peak = _status_kib("VmHWM") if isolated else None
    return {
        "seconds": seconds,
        "loaded_mib": loaded / 1024,
        "export_peak_mib": (peak if peak is not None else _maxrss_kib()) / 1024,
        "output": str(output),
        "method": "VmHWM reset before the export" if isolated else "ru_maxrss (covers loading)",
        "call": _call(check),
    }


def _call(known_valid: bool) -> str:
    if known_valid:
        return "storyfacts.export(dataset, name, path)"
    return "storyfacts.export(dataset, name, path, check=False)"


def serve(source: Path, requests: IO[str], replies: IO[str]) -> int:
    """Load ``source``, then answer each export request on ``requests`` with one line."""

    def reply(message: dict[str, Any]) -> None:
        replies.write(json.dumps(message) + "\n")
        replies.flush()

    import storyfacts

    # Importing the exporters is a fixed cost; paying it first keeps it out
    # of every export's time and peak.
    storyfacts.formats()
    started = time.perf_counter()
    try:
        dataset = _load(source)
        loaded = time.perf_counter() - started
        known_valid, validating = _known_valid(dataset, source)
    except Exception as error:
        reply({"error": f"{type(error).__name__}: {error}"})
        return 1
    reply(
        {
            "known_valid": known_valid,
            "call": _call(known_valid),
            "load_seconds": loaded,
            "validate_seconds": validating,
        }
    )
    for line in requests:
        request = json.loads(line)
        reply(measure(dataset, request["format"], Path(request["output"]), check=known_valid))
    return 0


class ExportProcess:
    """A fresh ``fresh_export.py --serve`` process, asked for one export at a time.

    ``with ExportProcess(source) as process: process.export("csv", path)``;
    ``process.ready`` is its first line (``known_valid``, ``call``...).
    Raises ``RuntimeError`` with the last line it wrote to standard error if
    it fails to answer.
    """

    def __init__(self, source: Path) -> None:
        # Kept open while the process lives, closed by close().
        self._errors = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115
        self._process = subprocess.Popen(
            [sys.executable, str(HERE / "fresh_export.py"), "--serve", str(source)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._errors,
            text=True,
            encoding="utf-8",
        )
        self.ready = self._answer()
        if "error" in self.ready:
            self.close()
            raise RuntimeError(self.ready["error"])

    def export(self, format_name: str, output: Path) -> dict[str, Any]:
        """One export to ``output`` (a path not used before), timed in the process."""
        assert self._process.stdin is not None
        request = {"format": format_name, "output": str(output)}
        try:
            self._process.stdin.write(json.dumps(request) + "\n")
            self._process.stdin.flush()
        except BrokenPipeError:
            raise RuntimeError(self._last_error()) from None
        return self._answer()

    def _answer(self) -> dict[str, Any]:
        assert self._process.stdout is not None
        line = self._process.stdout.readline()
        if not line:
            self._process.wait()
            raise RuntimeError(self._last_error())
        answer: dict[str, Any] = json.loads(line)
        return answer

    def _last_error(self) -> str:
        self._errors.seek(0)
        lines = self._errors.read().strip().splitlines()
        code = self._process.poll()
        return lines[-1] if lines else f"the export process ended (exit {code}) with no message"

    def close(self) -> None:
        if self._process.stdin is not None and not self._process.stdin.closed:
            with contextlib.suppress(BrokenPipeError):
                self._process.stdin.close()
        self._process.wait()
        if self._process.stdout is not None:
            self._process.stdout.close()
        self._errors.close()

    def __enter__(self) -> ExportProcess:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) == 2 and args[0] == "--serve":
        # The replies get a copy of standard output of their own; anything
        # else written there (a warning printed by an export) goes to
        # standard error, so that it cannot be taken for a reply.
        replies = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8")
        os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
        return serve(Path(args[1]), sys.stdin, replies)
    if len(args) < 3:
        print(
            "usage: fresh_export.py DATASET OUTDIR FORMAT [FORMAT ...]\n"
            "       fresh_export.py --serve DATASET",
            file=sys.stderr,
        )
        return 2
    source, outdir, names = Path(args[0]), Path(args[1]), args[2:]

    import storyfacts

    # Importing the exporters is a fixed cost; paying it first keeps it out
    # of every export's time and peak.
    extensions = {e.name: e.extension for e in storyfacts.formats()}
    dataset = _load(source)
    known_valid, _ = _known_valid(dataset, source)
    outdir.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {
        name: measure(
            dataset, name, outdir / f"{name}-storyfacts{extensions[name]}", check=known_valid
        )
        for name in names
    }
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
