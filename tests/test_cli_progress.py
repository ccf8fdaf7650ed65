"""Progress a person can follow on a terminal, nothing when piped, and a clean Ctrl-C.

The unit tests draw on a fake terminal and read back what a screen would
show (:func:`screen` plays carriage returns and line feeds); the others run
the real command in a pseudo-terminal, as a person at a terminal would,
and stop it with a real SIGINT.
"""

from __future__ import annotations

import fcntl
import io
import json
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
import types
from pathlib import Path

import pytest

from storyfacts import progress as progress_module
from storyfacts.cli import failures
from storyfacts.progress import Progress


class Terminal(io.StringIO):
    """A stream that says it is a terminal, 80 columns wide."""

    def isatty(self) -> bool:
        return True


def screen(raw: str) -> list[str]:
    """The lines a terminal shows after ``raw``: a carriage return goes back to column 0."""
    lines = [""]
    column = 0
    for char in raw:
        if char == "\r":
            column = 0
        elif char == "\n":
            lines.append("")
            column = 0
        else:
            line = lines[-1]
            lines[-1] = line[:column].ljust(column) + char + line[column + 1 :]
            column += 1
    return [line.rstrip() for line in lines]


class _InterruptedStart(threading.Thread):
    """A thread whose start() is interrupted, as by Ctrl-C while it waits for the thread to run.

    ``late``: the thread runs only after the interruption has unwound (the
    signal came before the new thread got to run at all).
    """

    late = False

    def start(self) -> None:
        if not self.late:
            super().start()
            raise KeyboardInterrupt
        _InterruptedStart.waiting = self
        raise KeyboardInterrupt


@pytest.mark.parametrize("late", [False, True], ids=["thread running", "thread not yet running"])
def test_ctrl_c_while_the_line_starts_leaves_no_line_drawn_after(
    late: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C inside the ticker's start(): the line is cleared and nothing draws it again.

    The signal can come while the main thread waits in ``Thread.start`` for
    the thread drawing the line to run; that thread must not go on drawing
    after the line is cleared, or the last words of a command share a line
    with a progress line cut short (seen: ``checking 4,680 records
    0.storyfacts: interrupted; ...``).
    """
    terminal = Terminal()
    progress = Progress(stream=terminal, interval=0.01)
    monkeypatch.setattr(_InterruptedStart, "late", late)
    # Only the progress module's threads; the test runner's own are left alone.
    monkeypatch.setattr(
        progress_module,
        "threading",
        types.SimpleNamespace(Thread=_InterruptedStart, Event=threading.Event),
    )
    with pytest.raises(KeyboardInterrupt), progress.phase("checking 4,680 records"):
        pass  # pragma: no cover - start() raises first
    if late:
        threading.Thread.start(_InterruptedStart.waiting)
    time.sleep(0.2)  # twenty intervals in which a ticker left running would draw
    assert screen(terminal.getvalue()) == [""]


def test_a_command_settles_a_line_whose_block_never_ran_before_its_last_words(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Ctrl-C between a phase's entry and its block: the command stops and clears the line.

    Nothing of a context manager's exit runs when the signal comes between
    its entry and its block, so the line's thread would go on drawing; the
    command settles every line before it says why it ended.
    """
    terminal = Terminal()
    progress = Progress(stream=terminal, interval=0.01)
    phase = progress.phase("checking 4,680 records")

    def interrupted() -> None:
        phase.__enter__()  # entered, and its exit never runs
        time.sleep(0.05)
        raise KeyboardInterrupt

    assert failures.reported(interrupted) == 130
    time.sleep(0.2)  # twenty intervals in which a line left drawing would be drawn again
    assert "checking 4,680 records" in terminal.getvalue()
    assert screen(terminal.getvalue()) == [""]
    assert capsys.readouterr().err == "storyfacts: interrupted; nothing partial was left behind.\n"


@pytest.mark.parametrize(("columns", "width"), [(0, 80), (60, 60)], ids=["no size", "60 wide"])
def test_a_terminal_of_no_size_gets_a_line_as_wide_as_columns_says(
    columns: int, width: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pseudo-terminal nobody sized says 0 columns: $COLUMNS (or 80) is its width.

    Taken at its word, 0 columns cut the last three characters off every
    line (``reading story.json  0.`` for ``0.0 s``).
    """
    monkeypatch.setenv("COLUMNS", "80")
    main, other = pty.openpty()
    fcntl.ioctl(other, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    with os.fdopen(other, "w", encoding="utf-8") as stream:
        progress = Progress(stream=stream)
        progress.draw("reading story.json  0.0 s")
        progress.draw("x" * 200)
    drawn = b""
    while select.select([main], [], [], 0.2)[0]:
        try:
            drawn += os.read(main, 65536)
        except OSError:  # the other end is closed
            break
    os.close(main)
    first, second = drawn.decode().split("\r")[1:3]
    assert first.rstrip() == "reading story.json  0.0 s"
    # Room is left for the "^C" a terminal echoes, and the cursor's column.
    assert len(second.rstrip()) == width - 3


def test_a_shorter_line_leaves_no_characters_of_the_longer_one() -> None:
    """`91,907/ss` cannot happen: each line is padded over the one before it."""
    terminal = Terminal()
    progress = Progress(stream=terminal)
    progress.draw("  csv [####] 91,907/100,000 records  12,345/s")
    progress.draw("  csv [####] 91,907/100,000 records  9/s")
    assert screen(terminal.getvalue()) == ["  csv [####] 91,907/100,000 records  9/s"]
    progress.clear()
    assert screen(terminal.getvalue()) == [""]


def test_a_line_never_wraps() -> None:
    """A long label is cut to the terminal's width, with room for an echoed ^C."""
    terminal = Terminal()
    progress = Progress(stream=terminal)
    progress.draw("reading " + "x" * 300)
    assert all(len(line) < 80 for line in screen(terminal.getvalue()))


def test_phases_show_while_they_last_and_are_cleared() -> None:
    """A phase shows its label and the seconds it has taken, and leaves an empty line."""
    terminal = Terminal()
    progress = Progress(stream=terminal, interval=0.01)
    with progress.phase("checking 46,800 records"):
        time.sleep(0.1)
    raw = terminal.getvalue()
    assert "\rchecking 46,800 records  0.0 s" in raw
    assert " s" in raw.rsplit("checking", 1)[1]
    assert screen(raw) == [""]


def test_a_bar_counts_then_finishes_then_stays() -> None:
    """Records are counted on a bar; after the last, 'finishing' until the exporter returns."""
    terminal = Terminal()
    progress = Progress(stream=terminal, interval=0.01)
    with progress.bar("  xlsx") as advance:
        time.sleep(0.05)  # preparing: no record reported yet
        advance(500, 1000)
        time.sleep(0.05)
        advance(1000, 1000)
        time.sleep(0.05)  # the workbook being compressed
    raw = terminal.getvalue()
    assert "  xlsx  preparing  " in raw
    assert "  xlsx [##########----------] 500/1,000 records  " in raw
    assert "  xlsx  1,000 records written, finishing  " in raw
    (kept, empty) = screen(raw)
    assert kept.startswith("  xlsx [####################] 1,000/1,000 records in ")
    assert empty == ""


def test_an_interrupted_bar_is_cleared() -> None:
    """Ctrl-C (or any error) clears the line, so that the one line saying why is all there is."""
    terminal = Terminal()
    progress = Progress(stream=terminal, interval=0.01)
    with pytest.raises(KeyboardInterrupt), progress.bar("  json") as advance:
        advance(5, 10)
        time.sleep(0.03)
        raise KeyboardInterrupt
    assert screen(terminal.getvalue()) == [""]


@pytest.mark.parametrize("quiet", [True, False])
def test_nothing_is_drawn_when_quiet_or_not_a_terminal(quiet: bool) -> None:
    """-q draws nothing on a terminal; without -q nothing is drawn on a pipe or a file."""
    stream = Terminal() if quiet else io.StringIO()
    progress = Progress(stream=stream, quiet=quiet, interval=0.01)
    with progress.phase("reading x.json"), progress.bar("json") as advance:
        advance(1, 1)
    progress.draw("anything")
    assert stream.getvalue() == ""


@pytest.fixture(scope="module")
def large(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated dataset of 3,000 statements (about 4,700 records)."""
    import generate  # benchmarks/generate.py, through pytest's pythonpath

    path = tmp_path_factory.mktemp("large") / "large.json"
    path.write_text(json.dumps(generate.generate(3000)), encoding="utf-8")
    return path


# Run as a person runs it: Ctrl-C raises KeyboardInterrupt even when the test
# runner was started with SIGINT ignored (a background job). Each record
# written takes a millisecond longer, so that the export is still writing
# when the signal comes, however fast the machine.
_IN_A_TERMINAL = """
import signal, sys, time
signal.signal(signal.SIGINT, signal.default_int_handler)
if sys.argv[1] == "slow":
    from storyfacts.contract import ExportContext
    advance = ExportContext.advance
    def slowly(self, count=1):
        time.sleep(0.001)
        advance(self, count)
    ExportContext.advance = slowly
if sys.argv[1] == "stall":
    # Each format stops at its first record, shown, until the signal comes.
    from storyfacts.contract import ExportContext
    advance = ExportContext.advance
    def stalled(self, count=1):
        advance(self, count)
        time.sleep(120)
    ExportContext.advance = stalled
if sys.argv[1] == "slow-check":
    # The check of parsed data waits a minute first, so that the signal comes
    # while the checking line is up however loaded the machine is.
    from storyfacts import loading
    load = loading.load
    def slowly(source=None, *args, **kwargs):
        if isinstance(source, dict):
            time.sleep(60)
        return load(source, *args, **kwargs)
    loading.load = slowly
from storyfacts.cli import main
sys.exit(main(sys.argv[2:]))
"""


def _slowness(slow: bool | str) -> str:
    """The child's first argument: ``slow`` (each record written), ``stall``, ``slow-check``,
    or ``-``."""
    if isinstance(slow, str):
        return slow
    return "slow" if slow else "-"


class Session:
    """The command running in a pseudo-terminal, and everything it has drawn so far."""

    def __init__(self, args: list[str], cwd: Path, *, slow: bool | str = False) -> None:
        main, other = pty.openpty()
        # Sized as a terminal window is: a pseudo-terminal nobody sized has 0 columns.
        fcntl.ioctl(other, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.scratch = cwd / "tmpdir"
        self.scratch.mkdir()
        env = {k: v for k, v in os.environ.items() if not k.startswith("STORYFACTS_")}
        env |= {"TMPDIR": str(self.scratch), "COLUMNS": "80", "LINES": "24"}
        self.process = subprocess.Popen(
            [sys.executable, "-c", _IN_A_TERMINAL, _slowness(slow), *args],
            stdin=other,
            stdout=other,
            stderr=other,
            cwd=cwd,
            env=env,
        )
        os.close(other)
        self.main = main
        self.raw = b""

    def read_until(self, text: str, deadline: float = 120) -> None:
        end = time.monotonic() + deadline
        while text.encode() not in self.raw:
            assert time.monotonic() < end, self.raw.decode(errors="replace")
            if not self._read(0.1) and self.process.poll() is not None:
                raise AssertionError(f"ended before {text!r}: {self.raw!r}")

    def finish(self) -> int:
        code = self.process.wait(timeout=120)
        while self._read(0.1):
            pass
        os.close(self.main)
        return code

    def _read(self, timeout: float) -> bool:
        ready, _, _ = select.select([self.main], [], [], timeout)
        if not ready:
            return False
        try:
            chunk = os.read(self.main, 65536)
        except OSError:  # the other end closed (Linux says EIO)
            return False
        self.raw += chunk
        return bool(chunk)

    @property
    def text(self) -> str:
        return self.raw.decode("utf-8").replace("\r\n", "\n")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_in_a_terminal_each_phase_is_shown(large: Path, tmp_path: Path, jobs: str) -> None:
    """Reading, checking and writing each format, then one line per format stays.

    In worker processes (-j 2) the formats share the line while they are
    written, each with its bar, and each leaves its line as it finishes.
    """
    session = Session(["export", str(large), "-f", "json,ics", "-o", "out", "-j", jobs], tmp_path)
    assert session.finish() == 0
    raw = session.text
    for phase in ("reading large.json (", "checking 4,", "  json [", "   ics ["):
        assert phase in raw.replace(str(large.parent) + "/", ""), raw
    shown = [line for line in screen(raw) if line]
    kept = sorted(shown[:2], key=lambda line: "ics" in line)  # in the order they finished
    assert kept[0].startswith("  json [####################] 4,")
    assert kept[1].startswith("   ics [####################] 4,")
    assert shown[2:] == ["out/synthetic-3000-seed-0.json", "out/synthetic-3000-seed-0.ics"]
    if jobs == "1":
        assert shown[0] == kept[0]


def test_validate_says_which_file_it_is_checking(large: Path, tmp_path: Path) -> None:
    """`storyfacts validate` shows the file being checked, then only its verdict stays."""
    session = Session(["validate", str(large)], tmp_path)
    assert session.finish() == 0
    assert f"\rchecking {large}  " in session.text
    assert [line for line in screen(session.text) if line] == [f"{large}: valid"]


def test_import_shows_its_phases(tmp_path: Path) -> None:
    """`storyfacts import` of a workbook says what it is doing, and leaves only its output."""
    import storyfacts

    workbook = tmp_path / "story.xlsx"
    storyfacts.export(None, "xlsx", workbook)
    session = Session(["import", str(workbook), "-o", "story.json"], tmp_path)
    assert session.finish() == 0
    # The workbook's path is cut where the 80 columns end.
    for phase in (f"\rreading and checking {str(workbook)[:40]}", "\rbuilding the dataset  "):
        assert phase in session.text
    assert [line for line in screen(session.text) if line] == ["story.json"]


@pytest.mark.parametrize(
    ("formats", "jobs", "slow", "bars"),
    [
        # One format, written in the command's own process.
        ("xlsx", [], True, ["  xlsx ["]),
        # Two workers writing at once: the signal reaches the command mid-way.
        ("xlsx,csv", ["-j", "2"], "stall", ["  xlsx [", "   csv ["]),
    ],
    ids=["in-process", "two-workers"],
)
def test_ctrl_c_while_writing_ends_with_one_line(
    large: Path, tmp_path: Path, formats: str, jobs: list[str], slow: bool | str, bars: list[str]
) -> None:
    """A real SIGINT mid-export: exit 130, one line on screen, no traceback, nothing left."""
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("old", encoding="utf-8")
    session = Session(
        ["export", str(large), "-f", formats, "-o", "out/", *jobs], tmp_path, slow=slow
    )
    for bar in bars:
        session.read_until(bar)
    session.process.send_signal(signal.SIGINT)
    assert session.finish() == 130
    raw = session.text
    assert "Traceback" not in raw and "Exception ignored" not in raw
    assert [line for line in screen(raw) if line] == [
        "storyfacts: interrupted; nothing partial was left behind."
    ]
    assert sorted(p.name for p in out.iterdir()) == ["keep.txt"]
    assert list(session.scratch.iterdir()) == []


def test_ctrl_c_while_checking_ends_with_one_line(large: Path, tmp_path: Path) -> None:
    """Stopped before anything is written, the checking line goes and one line stays."""
    session = Session(
        ["export", str(large), "-f", "json", "-o", "out.json"], tmp_path, slow="slow-check"
    )
    session.read_until("checking ")
    session.process.send_signal(signal.SIGINT)
    assert session.finish() == 130
    assert [line for line in screen(session.text) if line] == [
        "storyfacts: interrupted; nothing partial was left behind."
    ]
    assert "Traceback" not in session.text
    assert not (tmp_path / "out.json").exists()


def test_piped_output_draws_nothing(large: Path, tmp_path: Path) -> None:
    """With standard error a pipe, not a character of progress is written."""
    done = subprocess.run(
        [sys.executable, "-m", "storyfacts", "export", str(large), "-f", "json", "-o", "x.json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "x.json\n", "")
