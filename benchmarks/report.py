"""The benchmark's tables and its targets, as Markdown."""

from __future__ import annotations

import os
import platform
import sys
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from run import Results

__all__ = ["Target", "machine", "render", "targets"]

VALIDATION_SPEEDUP = 20.0
FLOOR_RATIO = 1.25
MEMORY_CONSTANT_MIB = 32.0
CLI_SECONDS = 60.0
TARGET_SIZE = 100_000

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
    """Each target of issue 6, checked against what this run measured."""
    out: list[Target] = []
    check = results.validation.get(TARGET_SIZE)
    if check and "plain" in check:
        speedup = check["plain"] / check["storyfacts"]
        agree = check["storyfacts_valid"] == check["plain_valid"] == check["fast_path_valid"]
        out.append(
            Target(
                f"validation >= {VALIDATION_SPEEDUP:.0f}x plain jsonschema at {TARGET_SIZE:,}, "
                "same verdicts",
                f"{ratio(speedup)}; verdicts {'agree' if agree else 'DISAGREE'}",
                speedup >= VALIDATION_SPEEDUP and agree,
            )
        )
    else:
        out.append(Target("validation speed-up", f"not measured at {TARGET_SIZE:,}", None))
    for name in results.formats:
        out.append(_ratio_target(results, name, "floor"))
    for name in ("xlsx", "csv"):
        if name in results.formats:
            out.append(_ratio_target(results, name, "peer"))
    out.extend(_memory_targets(results))
    for label, run in sorted(results.cli.items()):
        out.append(
            Target(
                f"`storyfacts {label}` at {run['n']:,} under {CLI_SECONDS:.0f} s",
                f"{seconds(run['time'])}, exit {run['exit']}",
                run["time"] < CLI_SECONDS and run["exit"] == 0,
            )
        )
    return out


def _ratio_target(results: Results, name: str, role: str) -> Target:
    """Each exporter against its floor (within 1.25x), or xlsx and csv against the peers."""
    ratios = [
        (n, contender, entry["storyfacts"] / measured["time"])
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
    detail = "; ".join(f"{value:.3f}x {contender} at {n:,}" for n, contender, value in ratios)
    met = all(value <= limit if role == "floor" else value < limit for _, _, value in ratios)
    return Target(title, detail, met)


def _memory_targets(results: Results) -> list[Target]:
    out: list[Target] = []
    for name in results.formats:
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
            f"{seconds(row['structure'])} |"
        )
    lines += _validation_table(results)
    lines += _export_table(results)
    lines += _reading_table(results)
    lines += _memory_table(results)
    lines += _cli_table(results)
    lines += ["", "## Targets", "", "| target | measured | met |", "|---|---|---|"]
    for target in targets(results):
        verdict = {True: "met", False: "**not met**", None: "not measured"}[target.met]
        lines.append(f"| {target.name} | {target.detail} | {verdict} |")
    if results.notes:
        lines += ["", "## Notes", ""]
        lines += [f"- {note}" for note in dict.fromkeys(results.notes)]
    return "\n".join(lines) + "\n"


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
    lines = [
        "",
        "## Export time",
        "",
        "`storyfacts.export(dataset, name, path, check=False)` on a loaded dataset in a fresh "
        "process, against the raw library writing the same already-flattened rows (floor) "
        "and the peers a user might pick. Ratio = storyfacts time / other time: below 1 "
        "means storyfacts is faster. Same bytes: whether the other wrote exactly the file "
        "storyfacts wrote (a workbook differs in styles and metadata, not in cell values).",
        "",
        "| format | statements | storyfacts | against | its time | ratio | same bytes |",
        "|---|---:|---:|---|---:|---:|---|",
    ]
    for (name, n), entry in sorted(results.exports.items()):
        ours = entry["storyfacts"]
        if not entry["contenders"]:
            lines.append(f"| {name} | {n:,} | {seconds(ours)} | | | | |")
        for contender, measured in entry["contenders"].items():
            same = "yes" if measured.get("same_bytes") else "no"
            lines.append(
                f"| {name} | {n:,} | {seconds(ours)} | {contender} ({measured['role']}) | "
                f"{seconds(measured['time'])} | {ratio(ours / measured['time'])} | {same} |"
            )
    return lines


def _reading_table(results: Results) -> list[str]:
    if not results.reading:
        return []
    lines = [
        "",
        "## Reading a workbook back",
        "",
        "`storyfacts.read(workbook)` against openpyxl's read-only iteration of every cell "
        "value of the same file.",
        "",
        "| statements | storyfacts | openpyxl read-only | ratio |",
        "|---:|---:|---:|---:|",
    ]
    for n, row in sorted(results.reading.items()):
        lines.append(
            f"| {n:,} | {seconds(row['storyfacts'])} | {seconds(row['openpyxl'])} | "
            f"{ratio(row['storyfacts'] / row['openpyxl'])} |"
        )
    return lines


def _memory_table(results: Results) -> list[str]:
    lines = [
        "",
        "## Peak memory of each export (fresh process)",
        "",
        "Each export runs in a fresh process that loads the dataset (unpickling the "
        "`storyfacts.Dataset` that `storyfacts.load` built). Loaded = resident size then, "
        "the dataset's own footprint; export peak = highest resident size during "
        "`storyfacts.export`; extra = export peak - loaded.",
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
    return lines


def _cli_table(results: Results) -> list[str]:
    if not results.cli:
        return []
    lines = [
        "",
        "## Command line",
        "",
        "| command | statements | time | exit |",
        "|---|---:|---:|---:|",
    ]
    for run in results.cli.values():
        lines.append(
            f"| `{run['command']}` | {run['n']:,} | {seconds(run['time'])} | {run['exit']} |"
        )
    return lines
