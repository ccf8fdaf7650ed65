"""The benchmark's tables and its targets, as Markdown."""

from __future__ import annotations

import datetime as dt
import os
import platform
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from process_tree import INTERVAL as SAMPLING_INTERVAL
from rounds import SHORT_RUN, rounds_for

if TYPE_CHECKING:
    from run import Results

__all__ = ["Target", "machine", "readme_table", "render", "targets", "update_readme"]

VALIDATION_SPEEDUP = 20.0
VALIDATION_MEMORY_OF_FILE = 3.0
FLOOR_RATIO = 1.25
READING_RATIO = 1.25
MEMORY_CONSTANT_MIB = 32.0
#: Seconds for `storyfacts validate` at TARGET_SIZE (issue 6) and `storyfacts export` of
#: every format (issue 11).
CLI_SECONDS = {"validate": 60.0, "export": 30.0}
TARGET_SIZE = 100_000
FULL_MODE_SIZE = 1_000_000
FULL_MODE_SECONDS = 3600.0
#: Where the README's table of targets starts and ends.
README_START = "<!-- benchmark targets -->"
README_END = "<!-- /benchmark targets -->"

_LIBRARIES = (
    "storyfacts",
    "jsonschema",
    "jsonschema-rs",
    "openpyxl",
    "icalendar",
    "tablib",
    "pandas",
    "xlsxwriter",
    "lxml",
)


@dataclass(frozen=True)
class Target:
    """One of the issue's targets and whether this run met it (None: not measured)."""

    name: str
    detail: str
    met: bool | None


def seconds(value: float) -> str:
    return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"


def ratio(value: float) -> str:
    return f"{value:.2f}x"


def machine() -> list[str]:
    """The machine, Python and library versions, one Markdown bullet each."""
    cpu = platform.processor() or platform.machine()
    memory = ""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.partition(":")[2].strip()
                break
        for line in Path("/proc/meminfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("MemTotal"):
                memory = f", {int(line.split()[1]) / 1024 / 1024:.0f} GiB of memory"
                break
    except OSError:
        pass
    versions = []
    for name in _LIBRARIES:
        try:
            versions.append(f"{name} {metadata.version(name)}")
        except metadata.PackageNotFoundError:
            versions.append(f"{name} (not installed)")
    try:
        load = ", load average {:.1f} / {:.1f} / {:.1f} at the end".format(*os.getloadavg())
    except OSError:
        load = ""
    return [
        f"- Machine: {cpu}, {os.cpu_count()} cores{memory}; {platform.system()} "
        f"{platform.release()}{load}",
        f"- Python {platform.python_version()} ({sys.implementation.name})",
        f"- Libraries: {', '.join(versions)}",
    ]


def targets(results: Results) -> list[Target]:
    """Each target of issues 6 and 11, checked against what this run measured."""
    out: list[Target] = [*_script_targets(results)]
    # At 100,000 statements, or the largest size a shorter run measured.
    at = TARGET_SIZE if TARGET_SIZE in results.validation else max(results.validation, default=0)
    check = results.validation.get(at)
    if check and "plain" in check:
        speedup = check["plain"] / check["storyfacts"]
        agree = check["storyfacts_valid"] == check["plain_valid"] == check["fast_path_valid"]
        scaled = "" if check["plain_measured_at"] == at else " (plain jsonschema scaled)"
        out.append(
            Target(
                f"`storyfacts.validate(data)` in process >= {VALIDATION_SPEEDUP:.0f}x plain "
                f"jsonschema at {at:,}, same verdicts",
                f"{ratio(speedup)}{scaled}; verdicts {'agree' if agree else 'DISAGREE'}",
                speedup >= VALIDATION_SPEEDUP and agree,
            )
        )
    else:
        out.append(Target("validation speed-up", "not measured", None))
    for name in results.formats:
        out.append(_ratio_target(results, name, "floor"))
    for name in ("xlsx", "csv"):
        if name in results.formats:
            out.append(_ratio_target(results, name, "peer"))
    out.append(_reading_target(results))
    out.extend(_memory_targets(results))
    for label, limit in CLI_SECONDS.items():
        run = results.cli.get(label)
        what = "every format" if label == "export" else "a dataset"
        at = run["n"] if run else TARGET_SIZE
        name = f"`storyfacts {label}` ({what}) at {at:,} under {limit:.0f} s"
        if run is None:
            out.append(Target(name, "not measured", None))
            continue
        out.append(
            Target(
                name,
                f"{seconds(run['time'])} ({ratio(run['time'] / limit)} of the limit), "
                f"peak {run['peak_mib']:.0f} MiB, exit {run['exit']}",
                run["time"] < limit and run["exit"] == 0,
            )
        )
    if FULL_MODE_SIZE in results.plan.sizes:
        out.append(
            Target(
                f"the full mode, with {FULL_MODE_SIZE:,} statements, under an hour",
                f"{results.elapsed / 60:.0f} min ({ratio(results.elapsed / FULL_MODE_SECONDS)} "
                "of the hour)",
                results.elapsed < FULL_MODE_SECONDS,
            )
        )
    return out


def _script_targets(results: Results) -> list[Target]:
    """The targets startup.py, validate_cli.py and checked_once.py measure, from their tables."""
    out: list[Target] = []
    startup = results.scripts.get("startup.py")
    if startup is not None:
        for row in startup.rows[1:]:  # the first row is the baseline
            out.append(
                Target(
                    f"{row.get('command', '?')} within {row.get('target', '?')} of "
                    "`python -c 'import json'` (wall, median)",
                    f"{row.get('ratio', '?')} ({row.get('wall', '?')})",
                    _verdict(row),
                )
            )
    validate = results.scripts.get("validate_cli.py")
    if validate is not None:
        for row in validate.rows:
            n = row.get("statements", "?")
            speedup, agree = _number(row.get("speed-up")), row.get("verdicts") == "agree"
            out.append(
                Target(
                    f"`storyfacts validate` (whole process) >= {VALIDATION_SPEEDUP:.0f}x plain "
                    f"jsonschema at {n}, same verdicts",
                    f"{row.get('speed-up', '?')} ({row.get('storyfacts', '?')} against "
                    f"{row.get('plain jsonschema', '?')}); verdicts {row.get('verdicts', '?')}",
                    None if speedup is None else speedup >= VALIDATION_SPEEDUP and agree,
                )
            )
            memory = _number(row.get("of file"))
            out.append(
                Target(
                    f"peak memory of `storyfacts validate` <= {VALIDATION_MEMORY_OF_FILE:.0f}x "
                    f"the file at {n}",
                    f"{row.get('of file', '?')} ({row.get('peak memory', '?')} for "
                    f"{row.get('file', '?')})",
                    None if memory is None else memory <= VALIDATION_MEMORY_OF_FILE,
                )
            )
    once = results.scripts.get("checked_once.py")
    if once is not None:
        rows = {row.get("export", ""): row for row in once.rows}
        default = next((r for k, r in rows.items() if k.startswith("after load")), None)
        changed = next((r for k, r in rows.items() if k.startswith("after a change")), None)
        if default and changed:
            ours, again = (
                _number(default.get("vs check=False")),
                _number(changed.get("vs check=False")),
            )
            out.append(
                Target(
                    "a dataset loaded and unchanged is not validated again by `export` "
                    "(cheaper than validating)",
                    f"{default.get('vs check=False')} of `check=False`, against "
                    f"{changed.get('vs check=False')} after a change",
                    None if ours is None or again is None else ours < again,
                )
            )
    for script in results.scripts.values():
        if script.error:
            out.append(Target(f"`benchmarks/{script.name}`", script.error, None))
    return out


def _number(text: str | None) -> float | None:
    """The number a cell such as ``21.6x`` or ``4.74x`` starts with."""
    if not text:
        return None
    digits = text.strip().lstrip("~").rstrip("x").replace(",", "")
    try:
        return float(digits.split()[0])
    except (ValueError, IndexError):
        return None


def _verdict(row: dict[str, str]) -> bool | None:
    said = row.get("met", "").strip("* ")
    return {"met": True, "not met": False}.get(said)


def _reading_target(results: Results) -> Target:
    name = f"reading a workbook back within {READING_RATIO}x of openpyxl read-only iteration"
    if not results.reading:
        return Target(name, "not measured", None)
    ratios = {n: row["storyfacts"] / row["openpyxl"] for n, row in sorted(results.reading.items())}
    return Target(
        name,
        "; ".join(
            f"{ratio(value)} at {n:,} (best of {results.reading[n].get('rounds', 1)})"
            for n, value in ratios.items()
        ),
        all(value <= READING_RATIO for value in ratios.values()),
    )


def _ratio_target(results: Results, name: str, role: str) -> Target:
    """Each exporter against its floor (within 1.25x), or xlsx and csv against the peers."""
    ratios = [
        (n, contender, entry["storyfacts"] / measured["time"], best_of(entry, measured))
        for (fmt, n), entry in sorted(results.exports.items())
        if fmt == name
        for contender, measured in entry["contenders"].items()
        if measured["role"] == role
    ]
    if role == "floor":
        title, limit = f"{name} within {FLOOR_RATIO}x of its floor", FLOOR_RATIO
    else:
        title, limit = f"{name} faster than tablib and pandas", 1.0
    if not ratios:
        return Target(title, "not measured", None)
    detail = "; ".join(
        f"{value:.3f}x {contender} at {n:,} (best of {runs})"
        for n, contender, value, runs in ratios
    )
    met = all(value <= limit if role == "floor" else value < limit for _, _, value, _ in ratios)
    return Target(title, detail, met)


def _memory_targets(results: Results) -> list[Target]:
    out: list[Target] = []
    # The target is for exporters that stream; one that does not (ics sorts
    # the events it holds) has its memory in the table, and no target.
    for name in results.streaming:
        extras = {
            n: m["export_peak_mib"] - m["loaded_mib"]
            for (fmt, n), m in results.memory.items()
            if fmt == name and "export_peak_mib" in m
        }
        if len(extras) < 2:
            out.append(Target(f"{name} export memory flat in N", "too few sizes", None))
            continue
        low, high = min(extras), max(extras)
        growth = extras[high] - extras[low]
        out.append(
            Target(
                f"{name} export memory flat in N (extra at {high:,} <= extra at {low:,} "
                f"+ {MEMORY_CONSTANT_MIB:.0f} MiB)",
                f"extra {extras[low]:.0f} -> {extras[high]:.0f} MiB",
                growth <= MEMORY_CONSTANT_MIB,
            )
        )
    return out


def render(results: Results) -> str:
    """The whole report: machine, tables, targets and notes."""
    plan = results.plan
    lines = [
        f"# storyfacts benchmark ({plan.mode} mode)",
        "",
        *machine(),
        f"- Sizes: {', '.join(f'{n:,}' for n in plan.sizes)} statements; "
        f"run took {results.elapsed:.0f} s",
        "",
        "## Datasets",
        "",
        "| statements | generate | JSON size | build the model (after validation) |",
        "|---:|---:|---:|---:|",
    ]
    for n, row in sorted(results.setup.items()):
        lines.append(
            f"| {n:,} | {seconds(row['generate'])} | {row['megabytes']:.0f} MB | "
            f"{seconds(row['structure']) if 'structure' in row else 'not measured'} |"
        )
    lines += _script_sections(results)
    lines += _validation_table(results)
    lines += _export_table(results)
    lines += _reading_table(results)
    lines += _memory_table(results)
    lines += _cli_table(results)
    lines += ["", "## Targets", "", *_targets_table(results)]
    if results.notes:
        lines += ["", "## Notes", ""]
        lines += [f"- {note}" for note in dict.fromkeys(results.notes)]
    return "\n".join(lines) + "\n"


def _targets_table(results: Results) -> list[str]:
    lines = ["| target | measured | met |", "|---|---|---|"]
    for target in targets(results):
        verdict = {True: "met", False: "**not met**", None: "not measured"}[target.met]
        lines.append(f"| {target.name} | {target.detail} | {verdict} |")
    return lines


def readme_table(results: Results) -> str:
    """The README's table of targets: which run measured it, and each target's verdict."""
    sizes = ", ".join(f"{n:,}" for n in results.plan.sizes)
    flag = "" if results.plan.mode == "standard" else f" --{results.plan.mode}"
    intro = (
        f"`python benchmarks/run.py{flag}` "
        f"({results.plan.mode} mode: {sizes} statements; {machine()[0][2:]}; "
        f"Python {platform.python_version()}), {dt.date.today().isoformat()}:"
    )
    return "\n".join([intro, "", *_targets_table(results)])


def update_readme(path: Path, results: Results) -> None:
    """Replace what stands between the README's target markers with this run's table."""
    text = path.read_text(encoding="utf-8")
    start, end = text.find(README_START), text.find(README_END)
    if start < 0 or end < start:
        raise SystemExit(f"{path} has no {README_START} ... {README_END} markers")
    head = text[: start + len(README_START)]
    path.write_text(head + "\n" + readme_table(results) + "\n" + text[end:], encoding="utf-8")


def _script_sections(results: Results) -> list[str]:
    """What each standalone script printed, under its own heading."""
    titles = {
        "startup.py": "Start-up (`benchmarks/startup.py`)",
        "validate_cli.py": "Validation, whole process (`benchmarks/validate_cli.py`)",
        "checked_once.py": "A dataset is checked once (`benchmarks/checked_once.py`)",
    }
    lines: list[str] = []
    for name, script in results.scripts.items():
        lines += ["", f"## {titles.get(name, name)}", ""]
        lines.append(script.text or f"(no output: {script.error})")
        lines += ["", f"Took {seconds(script.seconds)}; exit {script.exit_code}."]
    return lines


def _validation_table(results: Results) -> list[str]:
    lines = [
        "",
        "## Validation",
        "",
        "`storyfacts.validate(data)` (schema through jsonschema-rs, then references, evidence "
        "offsets and dates) against plain jsonschema "
        "`Draft202012Validator(schema, format_checker=FORMAT_CHECKER).iter_errors(data)`.",
        "",
        "| statements | storyfacts | plain jsonschema | speed-up | verdicts |",
        "|---:|---:|---:|---:|---|",
    ]
    samples = [n for n, row in results.validation.items() if "storyfacts" not in row]
    for n, row in sorted(results.validation.items()):
        if n in samples:
            continue
        if "plain" not in row:
            lines.append(f"| {n:,} | {seconds(row['storyfacts'])} | not measured | | |")
            continue
        plain = seconds(row["plain"])
        if row["plain_measured_at"] != n:
            plain = f"~{plain} (extrapolated from {row['plain_measured_at']:,})"
        verdicts = [row["storyfacts_valid"], row["fast_path_valid"], row["plain_valid"]]
        agree = "agree" if len(set(verdicts)) == 1 else "**disagree**"
        word = "valid" if row["storyfacts_valid"] else "invalid"
        lines.append(
            f"| {n:,} | {seconds(row['storyfacts'])} | {plain} | "
            f"{ratio(row['plain'] / row['storyfacts'])} | {agree} ({word}) |"
        )
    for n in sorted(samples):
        row = results.validation[n]
        lines += [
            "",
            f"Plain jsonschema was run on a whole {n:,}-statement dataset: "
            f"{seconds(row['plain'])}, {'valid' if row['plain_valid'] else 'invalid'}; "
            "the times marked ~ scale that linearly.",
        ]
    return lines


def _export_table(results: Results) -> list[str]:
    calls = sorted(results.calls) or ["storyfacts.export(dataset, name, path)"]
    lines = [
        "",
        "## Export time",
        "",
        f"`{'` or `'.join(calls)}` on a dataset loaded in a fresh process (and validated "
        "there, untimed, so that it is known valid as after `storyfacts.load`), against the "
        "raw library writing the same already-flattened rows (floor) and the peers a user "
        "might pick, in this process. "
        f"{rounds_note(results)} "
        "Ratio = storyfacts time / other time: below 1 means storyfacts is faster. Same "
        "bytes: whether the other wrote exactly the file storyfacts wrote (a workbook "
        "differs in styles and metadata, not in cell values).",
        "",
        "| format | statements | storyfacts | against | its time | ratio | best of | same bytes |",
        "|---|---:|---:|---|---:|---:|---:|---|",
    ]
    for (name, n), entry in sorted(results.exports.items()):
        ours = entry["storyfacts"]
        if not entry["contenders"]:
            lines.append(f"| {name} | {n:,} | {seconds(ours)} | | | | {entry.get('rounds', 1)} | |")
        for contender, measured in entry["contenders"].items():
            same = "yes" if measured.get("same_bytes") else "no"
            lines.append(
                f"| {name} | {n:,} | {seconds(ours)} | {contender} ({measured['role']}) | "
                f"{seconds(measured['time'])} | {ratio(ours / measured['time'])} | "
                f"{best_of(entry, measured)} | {same} |"
            )
    return lines


def rounds_note(results: Results) -> str:
    """How the export times were taken: interleaved rounds, and how many."""
    detailed = [n for n in results.plan.sizes if n <= results.plan.detail_limit]
    larger = [n for n in results.plan.sizes if n > results.plan.detail_limit]
    text = (
        "Each export and its floor and peers take turns, in rounds (a format's export, its "
        "floor, its peers, then the next format's; then round 2), and each is the best "
        f"(least) of its runs: {rounds_for(0.0)} rounds where the slower of the export and its "
        f"floor took under {SHORT_RUN:.0f} s, {rounds_for(SHORT_RUN)} above; a peer runs in "
        "as many of them as its own first run allows"
    )
    text += "; 'best of' = the export's runs / the other's."
    if results.plan.most_rounds is not None:
        text += f" This mode takes at most {results.plan.most_rounds} rounds"
        text += "." if results.plan.peers else ", and no peers."
    if detailed and larger:
        text += f" Above {max(detailed):,} statements each export runs once."
    return text


def best_of(entry: dict[str, object], measured: dict[str, object]) -> str:
    """How many runs each of two compared times is the best of: ``3`` or ``3 / 2``."""
    ours, theirs = entry.get("rounds", 1), measured.get("rounds", 1)
    return str(ours) if ours == theirs else f"{ours} / {theirs}"


def _reading_table(results: Results) -> list[str]:
    if not results.reading:
        return []
    lines = [
        "",
        "## Reading a workbook back",
        "",
        "`storyfacts.read(workbook)` against openpyxl's read-only iteration of every cell "
        "value of the same file, taking turns in rounds as the exports do, each the best of "
        "its runs.",
        "",
        "| statements | storyfacts | openpyxl read-only | ratio | best of |",
        "|---:|---:|---:|---:|---:|",
    ]
    for n, row in sorted(results.reading.items()):
        lines.append(
            f"| {n:,} | {seconds(row['storyfacts'])} | {seconds(row['openpyxl'])} | "
            f"{ratio(row['storyfacts'] / row['openpyxl'])} | {row.get('rounds', 1)} |"
        )
    return lines


def _memory_table(results: Results) -> list[str]:
    lines = [
        "",
        "## Peak memory of each export (fresh process)",
        "",
        "Each export runs in a fresh process that loads the dataset (unpickling the "
        "`storyfacts.Dataset` that `storyfacts.load` built, and validating it, untimed). "
        "Loaded = resident size then, the dataset's own footprint; export peak = highest "
        "resident size during `storyfacts.export`; extra = export peak - loaded; each "
        "format's first export (round 1).",
        "",
        "| format | statements | loaded | export peak | extra |",
        "|---|---:|---:|---:|---:|",
    ]
    methods: set[str] = set()
    for (name, n), m in sorted(results.memory.items()):
        methods.add(m["method"])
        lines.append(
            f"| {name} | {n:,} | {m['loaded_mib']:.0f} MiB | {m['export_peak_mib']:.0f} MiB | "
            f"{m['export_peak_mib'] - m['loaded_mib']:.0f} MiB |"
        )
    if methods:
        lines += ["", f"Export peak measured by: {', '.join(sorted(methods))}."]
    others = [name for name in results.formats if name not in results.streaming]
    if others and results.memory:
        lines += [
            "",
            f"Memory flat in N is the target of the exporters that stream; "
            f"{', '.join(others)} do{'es' if len(others) == 1 else ''} not say so "
            "(`Exporter.streams`), and have no such target.",
        ]
    return lines


def _cli_table(results: Results) -> list[str]:
    if not results.cli:
        return []
    lines = [
        "",
        "## Command line",
        "",
        "Wall-clock, as a user runs it (start-up included); peak = the resident high-water "
        "mark of the largest process (GNU time). `-j 1` writes the formats one after another "
        "in one process; the default writes them in worker processes forked after loading, "
        "one per CPU, which share the dataset copy-on-write but copy the pages they read: "
        "together = the peak of the processes' summed proportional set sizes (PSS, sampled "
        f"every {SAMPLING_INTERVAL} s in a second, untimed run; `benchmarks/process_tree.py`).",
        "",
        "| command | statements | time | peak memory | together | exit |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for run in results.cli.values():
        together = (
            f"{run['together_mib']:.0f} MiB in {run['processes']} processes"
            if "together_mib" in run
            else ""
        )
        lines.append(
            f"| `{run['command']}` | {run['n']:,} | {seconds(run['time'])} | "
            f"{run['peak_mib']:.0f} MiB | {together} | {run['exit']} |"
        )
    return lines
