"""A dataset is checked once: the cost of `storyfacts.export` on a dataset just loaded.

``storyfacts.load`` validates; ``storyfacts.export(dataset, "csv", path)``
then validates again only if the dataset changed since. Every assignment to
a field and every change to a list that ``load`` made moves one count of
edits (storyfacts/edits.py), so "unchanged" is one comparison, whatever the
size of the dataset (storyfacts/validity.py). This measures, on one dataset:

* ``export`` in a user's default call, after ``load``;
* ``export(..., check=False)``, which validates nothing (the floor);
* ``export`` after a change, which must validate again (what was paid before).

    python benchmarks/checked_once.py              # 16,000 statements
    python benchmarks/checked_once.py --statements 100000 --format json

The dataset comes from generate.py, written the way storyfacts writes a
dataset (``storyfacts.dumps``). The order of its keys no longer matters: the
count, unlike the fingerprint used before, does not read the data. A dataset
holding a plain ``list`` (records built in Python) is still proved by a
fingerprint of its dump, which this does not measure.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import generate  # noqa: E402

import storyfacts  # noqa: E402


def best_of(runs: int, work: Callable[[], object]) -> float:
    """The fastest of ``runs`` runs of ``work``, in seconds."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=16_000)
    parser.add_argument("--format", default="csv")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="storyfacts-once-") as temp:
        folder = Path(temp)
        source = folder / "dataset.json"
        data = generate.generate(args.statements)
        source.write_text(storyfacts.dumps(storyfacts.load(data)), encoding="utf-8")
        del data
        size = source.stat().st_size

        loaded = storyfacts.load(source)
        target = folder / "out"

        def export(dataset: storyfacts.Dataset, check: bool = True) -> None:
            storyfacts.export(dataset, args.format, target, check=check)
            if target.is_dir():
                shutil.rmtree(target)
            else:
                target.unlink()

        def changed() -> None:
            dataset = storyfacts.load(source)
            dataset.title += " (edited)"  # a change: the export must validate
            export(dataset)

        default = best_of(args.runs, lambda: export(loaded))
        floor = best_of(args.runs, lambda: export(loaded, check=False))
        load_time = best_of(1, lambda: storyfacts.load(source))
        start = time.perf_counter()
        changed()
        revalidated = time.perf_counter() - start - load_time

    load = os.getloadavg()
    print(
        f"{args.statements:,} statements ({size / 1e6:.0f} MB), format {args.format}, "
        f"best of {args.runs}; load average {load[0]:.1f}"
    )
    print()
    print("| export | time | vs check=False |")
    print("|---|---:|---:|")
    print(f"| after load, unchanged (default call) | {default:.3f} s | {default / floor:.2f}x |")
    print(f"| check=False | {floor:.3f} s | 1.00x |")
    again = revalidated / floor
    print(f"| after a change (validates again) | {revalidated:.3f} s | {again:.2f}x |")
    print()
    print(f"storyfacts.load itself: {load_time:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
