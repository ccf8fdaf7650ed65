"""`storyfacts validate CORPUS_DIR` on JSON Lines corpora: peak memory flat in the records.

For each size, generate.py writes a dataset and ``dump_lines`` turns it into
a JSON Lines corpus (header.json and one .jsonl file a section). Then, each
in a fresh process as a user runs it, with its peak resident memory read
from the kernel (``wait4``):

* ``storyfacts validate CORPUS_DIR``: the streaming pass (issue 14);
* ``storyfacts export CORPUS_DIR -f json``: validated in the same pass, then
  read and written as a stream (the json exporter's ``write_corpus``);
* ``storyfacts.load(CORPUS_DIR)``: the whole corpus as one ``Dataset``, for
  the memory a single ``Dataset`` of it takes.

The table gives each peak, the ratio of the largest size's peak to the
smallest's (flat: near 1, while the records grow tenfold), and the size of
the index of ids the streaming pass keeps (one int per id; its peak while
it is built, measured here with ``tracemalloc``), which is all that grows. Target: the streaming
peak at the largest size is below the memory of a ``Dataset`` of it, and
beyond the index its growth is under 10% of the smallest size's peak.

Last, both run again on the largest corpus with their address space capped
(``RLIMIT_AS``, as ``ulimit -v``) at half the peak of loading it whole:
the corpus is then bigger than the memory a ``Dataset`` of it would take,
and validating it must still succeed, while loading it must not.

    python benchmarks/validate_corpus.py                  # 10,000 and 100,000 statements
    python benchmarks/validate_corpus.py --sizes 10000,300000
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent

_MAKE = """
import sys
from storyfacts.corpus.lines import dump_lines
from storyfacts.jsonfile import read
dump_lines(read(sys.argv[1]), sys.argv[2])
"""

_LOAD = "import sys, storyfacts; storyfacts.load(sys.argv[1])"


def measured(command: list[str], cap: int | None = None) -> tuple[float, int, int]:
    """Wall seconds, exit code and peak resident KiB of one process (``cap``: its address
    space limited to so many bytes, as ``ulimit -v`` does)."""

    def limit() -> None:
        if cap is not None:
            resource.setrlimit(resource.RLIMIT_AS, (cap, cap))

    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, preexec_fn=limit
    )
    _, status, usage = os.wait4(process.pid, 0)
    return time.perf_counter() - start, os.waitstatus_to_exitcode(status), usage.ru_maxrss


def index_mib(corpus: Path) -> float:
    """The memory an index like the streaming pass's takes at its peak: each id and one int.

    Measured with tracemalloc while the index is built one id at a time, as
    the pass builds it, so that the moment a growing dict holds both its old
    and its new table counts too.
    """
    ids: list[str] = []
    for section in ("articles", "entities", "statements", "sources"):
        with (corpus / f"{section}.jsonl").open(encoding="utf-8") as lines:
            ids.extend(json.loads(line)["id"] for line in lines)
    tracemalloc.start()
    index: dict[str, int] = {}
    for number, rid in enumerate(ids):
        # A fresh str, as each parsed line gives one; the int as the pass packs it.
        index["".join(rid)] = (number << 12) | 5
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="statement counts")
    parser.add_argument(
        "--storyfacts",
        default=str(Path(sys.executable).with_name("storyfacts")),
        help="the console script to run (default: beside this Python)",
    )
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    peaks: dict[int, float] = {}
    indexes: dict[int, float] = {}
    loads: dict[int, float] = {}
    exports: dict[int, float] = {}
    with tempfile.TemporaryDirectory(prefix="storyfacts-corpus-") as temp:
        for size in sizes:
            dataset = Path(temp) / f"dataset-{size}.json"
            corpus = Path(temp) / f"corpus-{size}"
            subprocess.run(
                [sys.executable, str(HERE / "generate.py"), str(size), "-o", str(dataset)],
                check=True,
            )
            subprocess.run([sys.executable, "-c", _MAKE, str(dataset), str(corpus)], check=True)
            dataset.unlink()
            megabytes = sum(p.stat().st_size for p in corpus.iterdir()) / 2**20
            wall, code, peak = measured([args.storyfacts, "validate", str(corpus)])
            out = Path(temp) / f"out-{size}.json"
            export_wall, export_code, export_peak = measured(
                [args.storyfacts, "export", str(corpus), "-f", "json", "-o", str(out), "-q"]
            )
            out.unlink(missing_ok=True)
            exports[size] = export_peak / 1024
            _, load_code, load_peak = measured([sys.executable, "-c", _LOAD, str(corpus)])
            peaks[size], loads[size] = peak / 1024, load_peak / 1024
            indexes[size] = index_mib(corpus)
            rows.append(
                f"| {size:,} | {megabytes:.0f} MiB | {wall:.2f} s | "
                f"{'valid' if code == 0 else f'exit {code}'} | {peaks[size]:.0f} MiB | "
                f"{indexes[size]:.1f} MiB | {export_wall:.2f} s | {exports[size]:.0f} MiB"
                f"{'' if export_code == 0 else f' (exit {export_code})'} | {loads[size]:.0f} MiB"
                f"{'' if load_code == 0 else f' (exit {load_code})'} |"
            )
            print(rows[-1], file=sys.stderr)
        small, large = min(sizes), max(sizes)
        largest = Path(temp) / f"corpus-{large}"
        cap = int(loads[large] / 2 * 2**20)
        _, capped_code, _ = measured([args.storyfacts, "validate", str(largest)], cap)
        _, capped_load, _ = measured([sys.executable, "-c", _LOAD, str(largest)], cap)
    growth = peaks[large] / peaks[small]
    beyond_index = (peaks[large] - indexes[large]) / (peaks[small] - indexes[small])
    below_dataset = peaks[large] < loads[large]
    capped = capped_code == 0 and capped_load != 0
    export_beyond = (exports[large] - indexes[large]) / (exports[small] - indexes[small])
    met = below_dataset and beyond_index < 1.10 and capped and export_beyond < 1.10
    load = os.getloadavg()
    print(
        f"`storyfacts validate CORPUS_DIR` (streaming) and `storyfacts.load(CORPUS_DIR)` "
        f"(whole), each a fresh process; {os.cpu_count()} cores, load average {load[0]:.1f}\n"
    )
    print(
        "| statements | corpus | validate | verdict | validate peak | index of ids "
        "| export -f json | export peak | load peak (one Dataset) |"
    )
    print("|---:|---:|---:|---|---:|---:|---:|---:|---:|")
    print("\n".join(rows))
    print(
        f"\npeak {large:,} / {small:,} statements: {growth:.2f}x; without the index of ids: "
        f"{beyond_index:.2f}x; streaming peak below one Dataset's at {large:,}: "
        f"{'yes' if below_dataset else 'no'} ({peaks[large]:.0f} vs {loads[large]:.0f} MiB): "
        f"{'met' if met else 'not met'}"
    )
    print(
        f"export -f json peak {large:,} / {small:,}: {exports[large] / exports[small]:.2f}x; "
        f"without the index of ids: {export_beyond:.2f}x"
    )
    print(
        f"address space capped at {cap / 2**20:.0f} MiB (half of loading it whole): "
        f"validate {'valid' if capped_code == 0 else f'exit {capped_code}'}, "
        f"load {'fails' if capped_load else 'succeeds'} ({'met' if capped else 'not met'})"
    )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
