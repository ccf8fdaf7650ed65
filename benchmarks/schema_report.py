"""Benchmark: the detailed schema report when a few records break the schema.

A reference typo that breaks the id pattern (``a--b``) fails the schema, and
the detailed report (jsonschema, in Python) used to read the whole dataset:
minutes at 100,000 statements. It now reads only the records the fast
validator (jsonschema-rs) found wrong.

For each size this measures, in one run and on one machine:

* ``valid``: ``storyfacts.validate(data)`` on the generated dataset, the baseline;
* ``broken``: the same dataset with N actor references given a ``--`` (which
  breaks the id pattern, so the schema and the reference check both report
  each), all reported;
* the ratio broken / valid, which is what the bound is about;
* the old way: jsonschema's errors over the whole dataset, described the
  same way (``--old`` at every size; by default only at 10,000 statements,
  since it takes minutes at 100,000), and whether its report is the same.

``python benchmarks/schema_report.py`` measures 10,000 and 100,000 statements
with 100 broken references; ``--quick`` only 10,000. The Markdown table is
printed and written to ``results/schema-report.md``.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from pathlib import Path
from typing import Any

import attrs

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import generate  # noqa: E402

import storyfacts  # noqa: E402
from storyfacts import schema, schema_words, validation  # noqa: E402
from storyfacts.errors import Problem, sort_problems  # noqa: E402

SIZES = (10_000, 100_000)
BROKEN = 100
#: The old way is timed at these sizes unless --old asks for every size.
OLD_AT = (10_000,)
FIELDS = ("speaker", "attributed_to", "decided_by", "subject")


def break_pattern(data: dict[str, Any], count: int) -> None:
    """Put ``--`` into the actor reference of ``count`` statements spread over the dataset."""
    candidates = [s for s in data["statements"] if any(f in s for f in FIELDS)]
    step = max(len(candidates) // count, 1)
    for statement in candidates[::step][:count]:
        field = next(f for f in FIELDS if f in statement)
        statement[field] = statement[field].replace("-", "--", 1)


def whole_report(data: Any) -> list[Problem]:
    """The report as it was built before: jsonschema over the whole dataset."""
    return sort_problems(
        attrs.evolve(p, message=p.message[:1].upper() + p.message[1:])
        for error in schema.validator().iter_errors(data)
        for p in schema_words.describe_error(error)
    )


def timed(function: Any, *args: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = function(*args)
    return time.perf_counter() - start, result


def measure(statements: int, old: bool) -> dict[str, Any]:
    data = generate.generate(statements)
    valid_time, problems = timed(storyfacts.validate, data)
    assert problems == [], problems[:3]
    break_pattern(data, BROKEN)
    broken_time, problems = timed(storyfacts.validate, data)
    pattern = [p for p in problems if p.code == "bad-form"]
    assert len(pattern) == BROKEN, len(pattern)
    report_time, report = timed(validation.schema_problems, data)
    row: dict[str, Any] = {
        "statements": statements,
        "valid": valid_time,
        "broken": broken_time,
        "report": report_time,
        "problems": len(problems),
        "old": None,
        "same": None,
    }
    if old:
        old_time, old_report = timed(whole_report, data)
        row["old"] = old_time
        row["same"] = sort_problems(report) == old_report
    return row


def report(rows: list[dict[str, Any]]) -> str:
    lines = [
        "### Schema report with broken records: storyfacts.validate",
        "",
        f"- Machine: {platform.machine()}, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}",
        f"- {BROKEN} actor references given a `--`, spread over the dataset",
        "",
        "| statements | valid | broken | ratio | schema report | problems "
        "| old schema report | same report |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        old = "not run" if r["old"] is None else f"{r['old']:.2f} s"
        same = "" if r["same"] is None else ("yes" if r["same"] else "NO")
        lines.append(
            f"| {r['statements']:,} | {r['valid']:.2f} s | {r['broken']:.2f} s "
            f"| {r['broken'] / r['valid']:.2f}x | {r['report']:.2f} s | {r['problems']:,} "
            f"| {old} | {same} |"
        )
    lines += [
        "",
        "Ratio = time of validate with the broken references / time of the same dataset "
        "when valid, both measured in this run. Schema report = validation.schema_problems "
        "alone; old = jsonschema over the whole dataset, described the same way; same report "
        "= whether the two list the very same problems.",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only 10,000 statements")
    parser.add_argument("--old", action="store_true", help="time the old way at every size")
    args = parser.parse_args(argv)
    sizes = SIZES[:1] if args.quick else SIZES
    rows = [measure(n, args.old or n in OLD_AT) for n in sizes]
    text = report(rows)
    print(text)
    (HERE / "results" / "schema-report.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
