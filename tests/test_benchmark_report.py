"""benchmarks/run.py's report: the scripts' tables read, each target judged, the README."""

from __future__ import annotations

from pathlib import Path

import report  # benchmarks/, on the path through pytest's pythonpath
import run
import standalone

VALIDATE_CLI = """\
`storyfacts validate FILE` (whole process, best of 3) against plain jsonschema

| statements | file | storyfacts | plain jsonschema | speed-up | verdicts | peak memory \
| of file | interpreter alone | beyond it | beyond it, of file | met (20x, 3x) |
|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---|
| 10,000 | 10 MiB | 2.21 s | 56.3 s | 25.5x | agree | 77.0 MiB | 7.73x | 9.4 MiB \
| 67.6 MiB | 6.79x | **not met** |
| 100,000 | 100 MiB | 4.10 s | 487.5 s | 118.9x | agree | 250.0 MiB | 2.50x | 9.4 MiB \
| 240.6 MiB | 2.41x | met |
"""

STARTUP = """\
Start-up, median of 20 runs each

| command | wall | ratio | CPU | ratio | target | met |
|---|---:|---:|---:|---:|---:|---|
| `python -c 'import json'` | 110 ms | 1.00x | 26 ms | 1.00x | | |
| `storyfacts --version` | 198 ms | 1.80x | 48 ms | 1.86x | 3x | met |
| `storyfacts formats` | 560 ms | 5.11x | 140 ms | 5.45x | 5x | **not met** |

Ratio = the command's median over the baseline's; the target is on wall time.
"""

CHECKED_ONCE = """\
16,000 statements (17 MB), format csv, best of 3; load average 2.0

| export | time | vs check=False |
|---|---:|---:|
| after load, unchanged (default call) | 1.520 s | 1.99x |
| check=False | 0.764 s | 1.00x |
| after a change (validates again) | 3.014 s | 3.95x |
"""


def _script(name: str, text: str) -> standalone.Script:
    return standalone.Script(
        name, [name], 0, 1.0, text.strip(), rows=standalone.markdown_table(text)
    )


def _results() -> run.Results:
    results = run.Results(run.STANDARD)
    for name, text in (
        ("startup.py", STARTUP),
        ("validate_cli.py", VALIDATE_CLI),
        ("checked_once.py", CHECKED_ONCE),
    ):
        results.scripts[name] = _script(name, text)
    results.cli["export"] = {
        "time": 31.5,
        "exit": 0,
        "peak_mib": 480.0,
        "n": 100_000,
        "command": "storyfacts export DATASET.json",
    }
    results.reading[10_000] = {"storyfacts": 1.2, "openpyxl": 1.0, "rounds": 3}
    results.exports[("json", 10_000)] = {
        "storyfacts": 0.5,
        "rounds": 3,
        "contenders": {
            "json.dumps": {"role": "floor", "time": 1.0, "rounds": 3, "same_bytes": True}
        },
    }
    results.exports[("xlsx", 10_000)] = {
        "storyfacts": 6.0,
        "rounds": 2,
        "contenders": {
            "openpyxl write-only": {"role": "floor", "time": 4.0, "rounds": 2},
            "tablib": {"role": "peer", "time": 12.0, "rounds": 1},
        },
    }
    results.formats, results.streaming = ["ics", "json"], ["json"]
    for (name, n), extra in {
        ("ics", 10_000): 2,
        ("ics", 1_000_000): 117,
        ("json", 10_000): 2,
        ("json", 1_000_000): 1,
    }.items():
        results.memory[(name, n)] = {
            "loaded_mib": 100.0,
            "export_peak_mib": 100.0 + extra,
            "method": "VmHWM reset before the export",
        }
    return results


def test_a_table_is_read_by_its_column_titles() -> None:
    rows = standalone.markdown_table(VALIDATE_CLI)
    assert [row["statements"] for row in rows] == ["10,000", "100,000"]
    assert rows[1]["speed-up"] == "118.9x"
    assert rows[0]["of file"] == "7.73x"
    assert standalone.markdown_table("no table here\n") == []


def test_each_target_has_its_measure_and_verdict() -> None:
    verdicts = {target.name: (target.detail, target.met) for target in report.targets(_results())}
    version = next(v for k, v in verdicts.items() if k.startswith("`storyfacts --version`"))
    formats = next(v for k, v in verdicts.items() if k.startswith("`storyfacts formats`"))
    assert version == ("1.80x (198 ms)", True)
    assert formats == ("5.11x (560 ms)", False)
    speed = [v for k, v in verdicts.items() if k.startswith("`storyfacts validate` (whole")]
    assert [met for _, met in speed] == [True, True]
    memory = [v for k, v in verdicts.items() if k.startswith("peak memory")]
    assert [met for _, met in memory] == [False, True]
    once = next(v for k, v in verdicts.items() if k.startswith("a dataset loaded"))
    assert once[1] is True
    export = next(v for k, v in verdicts.items() if k.startswith("`storyfacts export`"))
    assert export[1] is False and "1.05x of the limit" in export[0]
    reading = next(v for k, v in verdicts.items() if k.startswith("reading a workbook"))
    assert reading == ("1.20x at 10,000 (best of 3)", True)
    validate = next(v for k, v in verdicts.items() if k.startswith("`storyfacts validate` (a"))
    assert validate == ("not measured", None)
    # Memory flat in N is judged for the exporters that stream, and only those.
    flat = {k.split()[0]: v for k, v in verdicts.items() if "memory flat in N" in k}
    assert flat == {"json": ("extra 2 -> 1 MiB", True)}


def test_the_readme_table_is_replaced_between_its_markers(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(
        f"# Title\n\n{report.README_START}\nold table\n{report.README_END}\n\nAfter.\n",
        encoding="utf-8",
    )
    report.update_readme(readme, _results())
    text = readme.read_text(encoding="utf-8")
    assert "old table" not in text
    assert text.startswith("# Title\n") and text.endswith(f"{report.README_END}\n\nAfter.\n")
    assert (
        "| `storyfacts --version` within 3x of `python -c 'import json'` (wall, median) |" in text
    )
    assert "| **not met** |" in text


def test_each_ratio_says_how_many_runs_it_is_the_best_of() -> None:
    results = _results()
    results.formats.append("xlsx")
    verdicts = {target.name: (target.detail, target.met) for target in report.targets(results)}
    assert verdicts["json within 1.25x of its floor"] == (
        "0.500x json.dumps at 10,000 (best of 3)",
        True,
    )
    assert verdicts["xlsx within 1.25x of its floor"] == (
        "1.500x openpyxl write-only at 10,000 (best of 2)",
        False,
    )
    assert verdicts["xlsx faster than tablib and pandas"] == (
        "0.500x tablib at 10,000 (best of 2 / 1)",
        True,
    )
    text = report.render(results)
    assert "| best of |" in text
    assert "| xlsx | 10,000 | 6.000 s | tablib (peer) | 12.0 s | 0.50x | 2 / 1 | no |" in text
    assert "3 rounds where the slower of the export and its floor took under 15 s, 2 above" in text
