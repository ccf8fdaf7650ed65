"""`storyfacts export -j N`: several formats written at once, each in a forked worker process.

What a person sees must not depend on it: the same files byte for byte as
`-j 1` (one after another in this process), the same lines printed in the
same order, the same errors and exit codes. The in-process tests fork the
test runner itself, so what they patch reaches the workers as it would a
plugin loaded before the fork; the tests with signals run the real command
in a subprocess and really deliver them.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import storyfacts
from storyfacts import ExportContext, Exporter, canonical, hookimpl, lanes, plugins
from storyfacts.lanes import Lane, in_order

RunCli = Callable[..., tuple[int, str, str]]  # the run_cli fixture, from conftest.py
RegisterPlugin = Callable[[object, str], None]  # the register_plugin fixture

pytestmark = pytest.mark.skipif(
    not hasattr(os, "fork") or sys.platform == "darwin", reason="workers are forked only here"
)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated dataset of 300 statements: every format has several of everything."""
    import generate  # benchmarks/generate.py, through pytest's pythonpath

    path = tmp_path_factory.mktemp("generated") / "generated.json"
    path.write_text(json.dumps(generate.generate(300)), encoding="utf-8")
    return path


def _files(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (hidden ones too), by its path inside it."""
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


class Exporting:
    """A plugin registering the exporters it is given."""

    def __init__(self, *exporters: Exporter) -> None:
        self.exporters = exporters

    @hookimpl
    def register_exporters(self, register: Callable[[Exporter], None]) -> None:
        for exporter in self.exporters:
            register(exporter)


def _exporter(
    name: str, write: Callable[[Any, Path, ExportContext], None], **more: Any
) -> Exporter:
    return Exporter(
        name=name,
        extension=f".{name}",
        media_type="text/plain",
        description="A test.",
        write=write,
        **more,
    )


def _write_pid(dataset: Any, path: Path, context: ExportContext) -> None:
    path.write_text(str(os.getpid()), encoding="utf-8")
    context.advance(context.total)


@pytest.fixture
def pid_format(register_plugin: RegisterPlugin) -> Iterator[str]:
    """A plugin format that writes the id of the process that wrote it."""
    register_plugin(Exporting(_exporter("pid", _write_pid)), "test-pid")
    yield "pid"


def test_every_format_is_the_same_bytes_whatever_the_jobs(
    run_cli: RunCli, generated: Path, tmp_path: Path
) -> None:
    """-j 1, 2 and 3 write the same files, and print their paths in the same order."""
    assert lanes.can_fork()
    printed = {}
    for jobs in ("1", "2", "3"):
        code, out, err = run_cli("export", str(generated), "-o", f"{tmp_path / jobs}/", "-j", jobs)
        assert (code, err) == (0, "")
        printed[jobs] = [Path(line).name for line in out.splitlines()]
    assert printed["2"] == printed["3"] == printed["1"]
    assert printed["1"] == [
        storyfacts.output_name(storyfacts.load(generated), plugins.exporter(name))
        for name in plugins.builtin_formats()
    ]
    assert _files(tmp_path / "2") == _files(tmp_path / "1") == _files(tmp_path / "3")
    assert len(_files(tmp_path / "1")) > 5  # the csv tables and the four single files


def test_a_plugin_format_is_written_in_a_worker(
    run_cli: RunCli, tmp_path: Path, pid_format: str
) -> None:
    """With -j 2 a plugin's exporter runs in a forked worker; with -j 1 in this process."""
    for jobs in ("2", "1"):
        code, _, err = run_cli(
            "export", "-f", f"json,{pid_format}", "-o", f"{tmp_path / jobs}/", "-j", jobs
        )
        assert (code, err) == (0, "")
    writer = {
        jobs: int((tmp_path / jobs / "putin-xi-olympics-2023.pid").read_text()) for jobs in "12"
    }
    assert writer["1"] == os.getpid()
    assert writer["2"] != os.getpid()


def test_without_a_safe_fork_the_formats_are_written_here(
    run_cli: RunCli, tmp_path: Path, pid_format: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where workers cannot be forked (Windows, macOS, a second thread), -j 2 is -j 1."""
    monkeypatch.setattr(lanes, "can_fork", lambda: False)
    code, _, err = run_cli("export", "-f", f"json,{pid_format}", "-o", f"{tmp_path}/", "-j", "2")
    assert (code, err) == (0, "")
    assert int((tmp_path / "putin-xi-olympics-2023.pid").read_text()) == os.getpid()


def test_without_memory_for_a_worker_the_default_writes_the_formats_here(
    run_cli: RunCli, tmp_path: Path, pid_format: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Unless -j is given, workers start only as the memory available takes them."""
    monkeypatch.setattr(lanes, "memory_allows", lambda: 1)
    code, _, err = run_cli("export", "-f", f"json,{pid_format}", "-o", f"{tmp_path / 'd'}/")
    assert (code, err) == (0, "")
    assert int((tmp_path / "d" / "putin-xi-olympics-2023.pid").read_text()) == os.getpid()
    # -j says how many, whatever the memory.
    code, _, err = run_cli(
        "export", "-f", f"json,{pid_format}", "-o", f"{tmp_path / 'j'}/", "-j", "2"
    )
    assert (code, err) == (0, "")
    assert int((tmp_path / "j" / "putin-xi-olympics-2023.pid").read_text()) != os.getpid()


@pytest.mark.parametrize(
    ("available_kib", "resident_pages", "workers"),
    [(1_000_000, 100_000, 2), (1_000_000, 500_000, 1), (100, 100_000, 1), (10**9, 1, 250_000_000)],
)
def test_memory_allows_a_worker_for_each_copy_of_this_process_available(
    tmp_path: Path, available_kib: int, resident_pages: int, workers: int
) -> None:
    page = os.sysconf("SC_PAGE_SIZE")
    meminfo = tmp_path / "meminfo"
    meminfo.write_text(
        f"MemTotal:       99999999 kB\nMemFree: 1 kB\nMemAvailable:   {available_kib} kB\n",
        encoding="ascii",
    )
    statm = tmp_path / "statm"
    statm.write_text(f"999999 {resident_pages} 10 1 0 20 0\n", encoding="ascii")
    expected = max(1, available_kib * 1024 // (resident_pages * page))
    assert lanes.memory_allows(str(meminfo), str(statm)) == expected
    if page == 4096:
        assert expected == workers


def test_memory_sets_no_limit_where_it_cannot_be_read(tmp_path: Path) -> None:
    (tmp_path / "meminfo").write_text("MemTotal: 1 kB\n", encoding="ascii")  # no MemAvailable
    assert lanes.memory_allows(str(tmp_path / "meminfo")) == sys.maxsize
    assert lanes.memory_allows(str(tmp_path / "missing")) == sys.maxsize


def test_the_default_is_the_cpus_unless_memory_allows_fewer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    cpus = len(os.sched_getaffinity(0))
    monkeypatch.setattr(lanes, "memory_allows", lambda: sys.maxsize)
    assert lanes.default_jobs() == cpus
    monkeypatch.setattr(lanes, "memory_allows", lambda: 1)
    assert lanes.default_jobs() == 1
    # On this machine, with a small process, memory is no limit.
    monkeypatch.undo()
    assert lanes.default_jobs() == min(cpus, lanes.memory_allows())
    assert lanes.memory_allows() >= 1


def test_the_workbook_takes_its_fingerprint_from_the_json_worker(
    run_cli: RunCli, generated: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The canonical JSON is serialised once (by the json export), and the workbook's
    fingerprint is the one the workbook computes for itself, byte for byte."""
    log = tmp_path / "serialised"
    real = canonical._chunks

    def counted(*args: Any, **kwargs: Any) -> Any:
        with log.open("a") as out:
            out.write(f"{os.getpid()}\n")
        return real(*args, **kwargs)

    monkeypatch.setattr(canonical, "_chunks", counted)
    code, _, err = run_cli(
        "export", str(generated), "-f", "json,xlsx", "-o", f"{tmp_path / 'both'}/", "-j", "2"
    )
    assert (code, err) == (0, "")
    assert len(log.read_text().splitlines()) == 1
    code, _, err = run_cli("export", str(generated), "-f", "xlsx", "-o", f"{tmp_path / 'alone'}/")
    assert (code, err) == (0, "")
    name = "synthetic-300-seed-0.xlsx"
    assert (tmp_path / "both" / name).read_bytes() == (tmp_path / "alone" / name).read_bytes()


def test_the_costliest_format_starts_first_and_json_right_after_the_workbook() -> None:
    """Built-ins: the workbook, json (whose hash it stores), then by cost; ties keep their order."""

    def lane(exporter: Exporter) -> Lane:
        return Lane(exporter, Path(exporter.name))

    builtins = [lane(plugins.exporter(name)) for name in plugins.builtin_formats()]
    assert [x.exporter.name for x in in_order(builtins)] == ["xlsx", "json", "ics", "jsonld", "csv"]
    plain = lane(_exporter("plain", _write_pid))
    heavy = lane(_exporter("heavy", _write_pid, cost=20))
    assert [x.exporter.name for x in in_order([plain, *builtins, heavy])] == [
        "heavy",
        "xlsx",
        "json",
        "ics",
        "jsonld",
        "plain",
        "csv",
    ]
    without_json = [x for x in builtins if x.exporter.name != "json"]
    assert [x.exporter.name for x in in_order(without_json)] == ["xlsx", "ics", "jsonld", "csv"]


@pytest.mark.parametrize(
    ("cost", "fine"),
    [
        (1, True),
        (2.5, True),
        (0, False),
        (-1, False),
        (True, False),
        ("2", False),
        (float("inf"), False),
    ],
)
def test_a_cost_is_a_positive_number(cost: Any, fine: bool) -> None:
    problems = _exporter("costly", _write_pid, cost=cost).problems()
    assert (problems == []) is fine, problems
    assert fine or "cost" in problems[0]


def _unwritable(seed_data: dict[str, Any], tmp_path: Path) -> Path:
    """The bundled dataset with a summary too long for a workbook cell: valid, not for xlsx."""
    seed_data["statements"][3]["summary"] = "x" * 32_768
    source = tmp_path / "long.json"
    source.write_text(json.dumps(seed_data), encoding="utf-8")
    return source


def test_a_format_that_fails_does_not_stop_the_others(
    run_cli: RunCli, tmp_path: Path, seed_data: dict[str, Any]
) -> None:
    """The workbook refused, csv and json written: the same lines and exit code as -j 1."""
    source = _unwritable(seed_data, tmp_path)
    seen = {}
    for jobs in ("1", "2"):
        seen[jobs] = run_cli(
            "export", str(source), "-f", "xlsx,csv,json", "-o", f"{tmp_path / jobs}/", "-j", jobs
        )
    assert seen["2"] == (
        seen["1"][0],
        seen["1"][1].replace("/1/", "/2/"),
        seen["1"][2].replace("/1/", "/2/"),
    )
    code, out, err = seen["2"]
    assert code == 1
    assert [Path(line).name for line in out.splitlines()] == [
        "putin-xi-olympics-2023-csv",
        "putin-xi-olympics-2023.json",
    ]
    assert err.startswith(
        "storyfacts: Export to xlsx failed, and nothing was written: 1 value does not fit"
    )
    assert sorted(p.name for p in (tmp_path / "2").iterdir()) == [
        "putin-xi-olympics-2023-csv",
        "putin-xi-olympics-2023.json",
    ]


def _raising(error: BaseException) -> Callable[[Any, Path, ExportContext], None]:
    def write(dataset: Any, path: Path, context: ExportContext) -> None:
        path.write_text("half", encoding="utf-8")
        raise error

    return write


@pytest.mark.parametrize(
    ("error", "said"),
    [(ValueError("no luck"), "ValueError: no luck"), (MemoryError(), "MemoryError")],
)
def test_a_plugin_that_raises_is_blamed_as_without_workers(
    run_cli: RunCli, tmp_path: Path, register_plugin: RegisterPlugin, error: Exception, said: str
) -> None:
    """The same words and exit code as -j 1, the other format written, nothing half-written."""
    register_plugin(Exporting(_exporter("raises", _raising(error))), "test-raises")
    seen = {}
    for jobs in ("1", "2"):
        code, out, err = run_cli(
            "export", "-f", "raises,json", "-o", f"{tmp_path / jobs}/", "-j", jobs
        )
        seen[jobs] = (code, out.replace(f"/{jobs}/", "/N/"), err.replace(f"/{jobs}/", "/N/"))
    assert seen["1"] == seen["2"]
    code, out, err = seen["2"]
    assert code == 1
    assert f"{said} (in exporter 'raises' of plugin 'test-raises')" in err
    assert sorted(p.name for p in (tmp_path / "2").iterdir()) == ["putin-xi-olympics-2023.json"]


def test_a_corpus_is_streamed_in_each_worker(
    run_cli: RunCli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A JSON Lines corpus goes to each worker as a stream, never loaded, in the same bytes."""
    from storyfacts import loading
    from storyfacts.corpus.lines import dump_lines

    corpus = dump_lines(storyfacts.load_bundled(), tmp_path / "corpus")

    def refuse(source: object = None) -> storyfacts.Dataset:
        raise AssertionError(f"loaded whole: {source!r}")

    monkeypatch.setattr(loading, "load", refuse)
    for jobs in ("1", "2"):
        code, _, err = run_cli(
            "export", str(corpus), "-f", "csv,json", "-o", f"{tmp_path / jobs}/", "-j", jobs
        )
        assert (code, err) == (0, "")
    assert _files(tmp_path / "2") == _files(tmp_path / "1")
    assert len(_files(tmp_path / "1")) > 2


def _dying(signum: int) -> Callable[[Any, Path, ExportContext], None]:
    def write(dataset: Any, path: Path, context: ExportContext) -> None:
        import tempfile

        spill = Path(tempfile.mkdtemp(prefix="test-spill-"))
        (spill / "rows").write_text("some rows", encoding="utf-8")
        path.write_text("half a file", encoding="utf-8")
        if signum != signal.SIGKILL:  # whose handler cannot be set
            signal.signal(signum, signal.SIG_DFL)  # as a crash in C code dies, whatever Python does
        os.kill(os.getpid(), signum)

    return write


@pytest.mark.parametrize(
    ("signum", "said"),
    [
        (signal.SIGKILL, "was killed by SIGKILL (as the system does when memory runs out)"),
        (signal.SIGSEGV, "crashed (SIGSEGV)"),
    ],
)
def test_a_worker_that_dies_is_an_error_for_its_format_and_leaves_nothing(
    run_cli: RunCli,
    tmp_path: Path,
    register_plugin: RegisterPlugin,
    monkeypatch: pytest.MonkeyPatch,
    signum: int,
    said: str,
) -> None:
    """Killed mid-write: one line naming its format, the others written, its temporaries gone."""
    import tempfile

    scratch = tmp_path / "tmpdir"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    register_plugin(Exporting(_exporter("dies", _dying(signum))), "test-dies")
    out_dir = tmp_path / "out"
    code, out, err = run_cli("export", "-f", "dies,json", "-o", f"{out_dir}/", "-j", "2")
    assert code == 1
    assert out == f"{out_dir / 'putin-xi-olympics-2023.json'}\n"
    assert err == (
        f"storyfacts: Export to dies at {out_dir / 'putin-xi-olympics-2023.dies'} failed, and "
        f"nothing was written: its worker process {said}\n"
    )
    assert sorted(p.name for p in out_dir.iterdir()) == ["putin-xi-olympics-2023.json"]
    assert list(scratch.iterdir()) == []


def test_a_bad_option_value_ends_the_command_as_without_workers(
    run_cli: RunCli, tmp_path: Path
) -> None:
    code, _, err = run_cli(
        "export", "-f", "csv,json", "-O", "formulas=maybe", "-o", f"{tmp_path}/out/", "-j", "2"
    )
    assert code == 2
    assert err.startswith("storyfacts: Option 'formulas' of the csv exporter:")
    assert "formulas=neutralise|keep" in err
    assert not any(p.name.startswith(".") for p in tmp_path.rglob("*"))


@pytest.mark.parametrize("args", [["-j", "0"], ["-j", "2", "--scheduler", "synchronous"]])
def test_jobs_refused_as_a_usage_error(run_cli: RunCli, tmp_path: Path, args: list[str]) -> None:
    code, _, err = run_cli("export", "-o", f"{tmp_path}/out/", *args)
    assert code == 2
    assert "-j" in err or "--jobs" in err
    assert list(tmp_path.iterdir()) == []


# The workers' first progress report stops the command: with 'parent' each
# worker signals the parent alone (as `kill` does), with 'group' the test
# signals the whole process group (as a terminal's Ctrl-C does). Every worker
# first notes its pid, then waits, so that none can finish before the signal.
_STOPPED_MID_EXPORT = """
import os, signal, sys, time
signal.signal(signal.SIGHUP, signal.SIG_DFL)
signal.signal(signal.SIGINT, signal.default_int_handler)
from storyfacts.contract import ExportContext
from storyfacts.cli import main

how, signum, pids = sys.argv[1], int(sys.argv[2]), sys.argv[3]
parent = os.getpid()
noted = []  # each worker has its own copy

def advance(self, count=1):
    if os.getpid() != parent and not noted:
        noted.append(True)
        with open(pids, "a") as out:
            out.write(f"{os.getpid()}\\n")
        if how == "parent":
            os.kill(parent, signum)
    time.sleep(120)

ExportContext.advance = advance
sys.exit(main(sys.argv[4:]))
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.parametrize(
    ("how", "signum"),
    [
        ("parent", signal.SIGINT),
        ("parent", signal.SIGTERM),
        ("parent", signal.SIGHUP),
        ("group", signal.SIGINT),
    ],
)
def test_a_signal_stops_every_worker_and_leaves_nothing(
    tmp_path: Path, how: str, signum: int
) -> None:
    """Exit 128 + the signal, one line, no worker left running, no temporary path anywhere."""
    scratch = tmp_path / "tmpdir"
    scratch.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("old", encoding="utf-8")
    pids = tmp_path / "pids"
    # With json, the workbook's worker waits for its fingerprint until the json
    # export ends, so it would never report progress while json's waits.
    formats = "csv,json,xlsx" if how == "parent" else "csv,ics,xlsx"
    command = ["export", "-f", formats, "-o", f"{out}/", "-j", "3"]
    args = [how, str(int(signum)), str(pids), *command]
    process = subprocess.Popen(
        [sys.executable, "-c", _STOPPED_MID_EXPORT, *args],
        env={**os.environ, "TMPDIR": str(scratch)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        if how == "group":
            # Wait (without a deadline of our own) until every worker is writing.
            while (
                process.poll() is None
                and len(pids.read_text().split() if pids.exists() else []) < 3
            ):
                time.sleep(0.01)
            os.killpg(process.pid, signum)
        stdout, stderr = process.communicate(timeout=300)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
    expected = (
        "interrupted" if signum == signal.SIGINT else f"stopped by {signal.Signals(signum).name}"
    )
    assert stderr == f"storyfacts: {expected}; nothing partial was left behind.\n"
    assert (process.returncode, stdout) == (128 + signum, "")
    workers = [int(pid) for pid in pids.read_text().split()]
    assert workers and not any(_alive(pid) for pid in workers)
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]
    assert list(scratch.iterdir()) == []
