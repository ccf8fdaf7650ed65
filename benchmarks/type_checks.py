"""What the model's type checks cost when a big dataset is loaded, and finding a late one.

Every model record checks the types of all its fields in one generated
``__attrs_post_init__`` (storyfacts/fieldtypes.py). This measures, on one
generated dataset, in one process:

* building the records (``converter.structure``, the part of ``load`` that
  makes objects) with the checks, and with each class's check replaced by an
  empty function: what the tests themselves cost, beyond the one call per
  record that attrs makes to ``__attrs_post_init__``;
* ``storyfacts.load`` of the same file (reading, validation and building);
* ``type_problems``, the walk ``validate()`` makes over a live dataset to find
  a wrong type assigned after building, against ``storyfacts.dump``.

    python benchmarks/type_checks.py                # 20,000 statements
    python benchmarks/type_checks.py --statements 100000

Times are CPU seconds (``time.process_time``), best of the runs: the machine
is shared, and wall-clock time there measures the neighbours too.

Measured when the checks were chosen (20,000 statements, against the commit
before them): building took 0.31 s with no checks at all, 0.43 s with one
attrs validator per field, 0.33-0.35 s with one generated check per record;
``load`` as a whole 1.26-1.28 s before and 1.29-1.30 s after (+2%).
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import attrs  # noqa: E402
import generate  # noqa: E402

import storyfacts  # noqa: E402
from storyfacts import model  # noqa: E402
from storyfacts.convert import converter  # noqa: E402
from storyfacts.fieldtypes import type_problems  # noqa: E402


def best_of(runs: int, work: Callable[[], object]) -> float:
    """The least CPU time of ``runs`` calls, with a collection before each."""
    best = float("inf")
    for _ in range(runs):
        gc.collect()
        start = time.process_time()
        work()
        best = min(best, time.process_time() - start)
    return best


def _empty(self: object) -> None:
    """Stands in for a class's type check: the call without the tests."""


def checked_classes() -> list[type]:
    """Every model class that carries a type check."""
    return [
        value
        for value in vars(model).values()
        if isinstance(value, type) and attrs.has(value) and "__attrs_post_init__" in vars(value)
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)

    data = generate.generate(args.statements)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "big.json"
        path.write_text(storyfacts.dumps(storyfacts.load(data)), encoding="utf-8")
        loading = best_of(args.runs, lambda: storyfacts.load(path))

    classes = checked_classes()
    checks = {cls: vars(cls)["__attrs_post_init__"] for cls in classes}

    def build(with_checks: bool) -> object:
        for cls, check in checks.items():
            cls.__attrs_post_init__ = check if with_checks else _empty  # type: ignore[attr-defined]
        try:
            return converter.structure(data, storyfacts.Dataset)
        finally:
            for cls, check in checks.items():
                cls.__attrs_post_init__ = check  # type: ignore[attr-defined]

    # Interleaved, so that both see the same neighbours on a shared machine.
    checked = floor = float("inf")
    for _ in range(args.runs):
        checked = min(checked, best_of(1, lambda: build(True)))
        floor = min(floor, best_of(1, lambda: build(False)))

    dataset = converter.structure(data, storyfacts.Dataset)
    walk = best_of(args.runs, lambda: type_problems(dataset))
    dumping = best_of(args.runs, lambda: storyfacts.dump(dataset))

    print(f"{args.statements:,} statements, {len(classes)} checked classes")
    print(f"CPU seconds, best of {args.runs}:")
    print(f"  building records, empty checks   {floor:8.3f}")
    print(
        f"  building records, checked        {checked:8.3f}  "
        f"(+{checked - floor:.3f} s, {checked / floor:.2f}x)"
    )
    print(
        f"  storyfacts.load of the file      {loading:8.3f}  "
        f"(the checks are {(checked - floor) / loading:.1%} of it)"
    )
    print(f"  type_problems over the dataset   {walk:8.3f}")
    print(f"  storyfacts.dump of the dataset   {dumping:8.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
