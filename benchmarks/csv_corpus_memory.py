"""Peak memory of the csv export of a JSON Lines corpus at two sizes: flat in the records.

For each size it writes a generated corpus (``benchmarks/generate.py``, as
``storyfacts.corpus.lines.dump_lines`` lays it out), then, each in a fresh
process, measures the peak resident size (``VmHWM``, Linux) of:

* **stream**: ``storyfacts.export(corpus, "csv", out)``, a user's call: the
  streaming validation pass, then the streaming export;
* **export only**: the export alone, from a ``CorpusReader``, not validated;
* **whole**: ``storyfacts.load`` of the corpus and ``storyfacts.export`` to
  csv, which holds the whole dataset in memory (what the stream avoids).

    python benchmarks/csv_corpus_memory.py                     # 10,000 and 100,000 statements
    python benchmarks/csv_corpus_memory.py --sizes 20000,200000 --no-whole

The output of the stream and of the whole export are compared byte for byte.
"""

from __future__ import annotations

import argparse
import filecmp
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

#: What each child process runs, given the corpus and the output directory.
_CHILD = {
    "stream": "storyfacts.export(corpus, 'csv', out)\n",
    "export only": (
        "from storyfacts.contract import ExportContext\n"
        "from storyfacts.exporters.csv import write_corpus\n"
        "from storyfacts.streaming import CorpusReader\n"
        "out.mkdir()\n"
        "write_corpus(CorpusReader(corpus), out, ExportContext())\n"
    ),
    "whole": "storyfacts.export(storyfacts.load(corpus), 'csv', out)\n",
}


def _measure(how: str, corpus: Path, out: Path) -> dict[str, float]:
    """Run one export in a fresh process: its peak resident size in MiB and its time in seconds."""
    script = (
        "import time\n"
        "from pathlib import Path\n"
        f"corpus, out = Path({str(corpus)!r}), Path({str(out)!r})\n"
        "import storyfacts\n"
        "started = time.perf_counter()\n"
        + _CHILD[how]
        + "seconds = time.perf_counter() - started\n"
        # VmHWM, this process's own peak: ru_maxrss would count the parent's
        # size, which a child forked from it inherits (Linux).
        "status = Path('/proc/self/status').read_text()\n"
        "peak = int(status.split('VmHWM:')[1].split()[0]) / 1024\n"
        "print(peak, seconds)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    peak, seconds = map(float, done.stdout.split())
    return {"peak_mib": peak, "seconds": seconds}


def _corpus(statements: int, folder: Path) -> tuple[Path, dict[str, int]]:
    import generate

    from storyfacts import kinds, load
    from storyfacts.corpus.lines import dump_lines

    directory = folder / f"corpus-{statements}"
    dataset = load(generate.generate(statements, seed=0))
    counts = {s.name: len(getattr(dataset, s.name)) for s in kinds.SECTIONS}
    dump_lines(dataset, directory)
    return directory, counts


def _same_files(one: Path, other: Path) -> bool:
    names = sorted(p.name for p in one.iterdir())
    if names != sorted(p.name for p in other.iterdir()):
        return False
    _, mismatch, errors = filecmp.cmpfiles(one, other, names, shallow=False)
    return not mismatch and not errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        type=lambda text: [int(n) for n in text.split(",")],
        default=[10_000, 100_000],
        help="statements in each corpus, comma-separated",
    )
    parser.add_argument("--no-whole", action="store_true", help="skip the whole-dataset export")
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory(prefix="storyfacts-csv-corpus-") as temp:
        folder = Path(temp)
        for size in args.sizes:
            started = time.perf_counter()
            corpus, counts = _corpus(size, folder)
            megabytes = sum(p.stat().st_size for p in corpus.iterdir()) / 2**20
            print(
                f"{size:,} statements: corpus of {sum(counts.values()):,} records, "
                f"{megabytes:.0f} MiB, made in {time.perf_counter() - started:.0f} s",
                file=sys.stderr,
            )
            found = {}
            for how in _CHILD:
                if how == "whole" and args.no_whole:
                    continue
                out = folder / f"out-{size}-{how.replace(' ', '-')}"
                found[how] = _measure(how, corpus, out)
                print(f"  {how}: {json.dumps(found[how])}", file=sys.stderr)
            same = None
            if not args.no_whole:
                same = _same_files(folder / f"out-{size}-stream", folder / f"out-{size}-whole")
            rows.append((size, sum(counts.values()), megabytes, found, same))
    print(
        "| statements | records | corpus | stream (validate + export) | export only | whole "
        "dataset | same bytes |"
    )
    print("|---:|---:|---:|---:|---:|---:|---|")
    for size, records, megabytes, found, same in rows:
        cells = [
            f"{found[how]['peak_mib']:.0f} MiB, {found[how]['seconds']:.1f} s"
            if how in found
            else "-"
            for how in _CHILD
        ]
        print(
            f"| {size:,} | {records:,} | {megabytes:.0f} MiB | {' | '.join(cells)} | "
            f"{'-' if same is None else 'yes' if same else 'NO'} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
