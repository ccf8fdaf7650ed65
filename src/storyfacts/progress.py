"""What a long command is doing, as one line on a terminal, phase after phase.

A phase is a line that says what is happening and how long it has taken
(``reading story.json (105 MB)  3.2 s``), redrawn by a small thread while
the work goes on, since reading and checking report nothing as they go. A
bar (:meth:`Progress.bar`) counts records as an exporter writes them, and
once the last is written says ``finishing`` with the time it takes (a large
workbook is compressed after its last row, which can take seconds).

Each line is drawn over the last with a carriage return and padded with
spaces to the previous line's length, so a line that gets shorter leaves no
characters of the longer one; it is cut to the terminal's width so that it
never wraps. Nothing at all is drawn when ``quiet`` is true or the stream is
not a terminal. A phase or bar that ends with an error or Ctrl-C clears its
line, so that the one line saying why is all that is left.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from typing import TextIO

__all__ = ["Board", "Progress", "Tally", "progress_reporter", "settle"]

#: How often a line is redrawn, in seconds.
INTERVAL = 0.1
#: The bar's width in characters.
BAR = 20
# What a terminal shows where the cursor is when Ctrl-C is pressed.
_ECHO = "^C"
#: Every status line a thread is drawing now (see :func:`settle`).
_drawing: weakref.WeakSet[Progress] = weakref.WeakSet()


def settle() -> None:
    """Stop every status line still being drawn, and clear it: a command's last words follow.

    Each phase and bar clears its own line when its block ends, however it
    ends. But Ctrl-C can strike between a context manager's entry and the
    first line of its block, and then nothing of its exit runs: the thread
    drawing the line would go on, and the command's last line (``storyfacts:
    interrupted; ...``) would share the screen line with it. So the command
    settles the lines before it says why it ended.
    """
    for progress in list(_drawing):
        progress.settle()


class Progress:
    """One status line on ``stream`` (default: standard error), or nothing when it is not a TTY."""

    def __init__(
        self, *, quiet: bool = False, stream: TextIO | None = None, interval: float = INTERVAL
    ) -> None:
        self.stream = stream or sys.stderr
        #: Whether the command was asked to print nothing on success (-q).
        self.quiet = quiet
        self.live = not quiet and self.stream.isatty()
        self.interval = interval
        # Room is left at the end of the line for the "^C" a terminal echoes,
        # which clear() covers, so that neither wraps to a second line. Only
        # a line that is drawn needs it (and _columns' fallback imports shutil).
        self._width = _columns(self.stream) - 1 - len(_ECHO) if self.live else 0
        self._shown = 0  # the length of the line on screen now
        # Reentrant: Ctrl-C can arrive in the main thread while it is drawing,
        # and the clean-up that follows draws again.
        self._lock = threading.RLock()
        #: What stops each thread drawing this line now.
        self._tickers: list[threading.Event] = []

    def settle(self) -> None:
        """Stop the threads drawing this line, then clear it (see :func:`settle`)."""
        with self._lock:
            for stop in self._tickers:
                stop.set()
            self.clear()

    def draw(self, text: str) -> None:
        """Put ``text`` on the status line in place of what was there."""
        if not self.live:
            return
        text = text[: self._width]
        with self._lock:
            self.stream.write("\r" + text + " " * max(0, self._shown - len(text)))
            self.stream.flush()
            self._shown = len(text)

    def clear(self) -> None:
        """Empty the status line (and any ``^C`` after it) and leave the cursor at its start."""
        if not self.live or not self._shown:
            return
        with self._lock:
            self.stream.write("\r" + " " * (self._shown + len(_ECHO)) + "\r")
            self.stream.flush()
            self._shown = 0

    def keep(self, text: str) -> None:
        """Draw ``text`` as a finished line that stays on screen."""
        if not self.live:
            return
        with self._lock:
            self.draw(text)
            self.stream.write("\n")
            self.stream.flush()
            self._shown = 0

    @contextlib.contextmanager
    def phase(self, label: str) -> Iterator[None]:
        """Show ``label`` and the seconds it has taken until the block ends, then clear it."""
        if not self.live:
            yield
            return
        started = time.monotonic()
        try:
            with self._ticking(lambda: f"{label}  {time.monotonic() - started:.1f} s"):
                yield
        finally:
            self.clear()

    @contextlib.contextmanager
    def bar(self, label: str, finishing: str = "finishing") -> Iterator[Callable[[int, int], None]]:
        """Yield ``progress(done, total)``, which draws a bar with counts and rate.

        After the last record (``done == total``) the line says ``finishing``
        and counts seconds until the block ends; then it stays, full, with the
        rate of writing and the time the whole took. An error or Ctrl-C
        clears it instead.
        """
        if not self.live:
            yield _ignore
            return
        tally = Tally(label, finishing)
        try:
            with self._ticking(lambda: tally.line(time.monotonic())):
                yield tally.report
        except BaseException:
            self.clear()
            raise
        self.keep(tally.summary(time.monotonic()))

    def board(self) -> Board:
        """A line for several formats written at once (see :class:`Board`)."""
        return Board(self)

    @contextlib.contextmanager
    def _ticking(self, line: Callable[[], str]) -> Iterator[None]:
        """Redraw ``line()`` from a thread every interval while the block runs.

        The line is drawn from a thread because the work reports nothing while
        it reads, checks or finishes; the thread is stopped however the block
        ends.
        """
        stop = threading.Event()

        def tick() -> None:
            while True:
                # Looked at under the lock the block's end takes to set it: once
                # the block has ended, not one more line is drawn.
                with self._lock:
                    if stop.is_set():
                        return
                    self.draw(line())
                if stop.wait(max(self.interval, 0.01)):
                    return

        ticker = threading.Thread(target=tick, name="storyfacts-progress", daemon=True)
        with self._lock:
            self._tickers.append(stop)
            _drawing.add(self)
        try:
            # Inside the try: Ctrl-C can come while start() waits for the new
            # thread to run, and that thread must be stopped all the same.
            ticker.start()
            yield
        finally:
            with self._lock:
                stop.set()
                self._tickers.remove(stop)
                if not self._tickers:
                    _drawing.discard(self)
            # A thread whose start() was cut short may not be running yet; it
            # will find the block ended and draw nothing.
            if ticker.is_alive():
                ticker.join()


class Tally:
    """What one format's bar shows: the records reported so far, and since when."""

    def __init__(self, label: str, finishing: str = "finishing") -> None:
        self.label = label
        self.finishing = finishing
        self.started = time.monotonic()
        self.done = self.total = 0
        # When the first record was reported (the rate counts from there, not
        # from the exporter's preparations) and when the last one was.
        self.first_at = self.finished_at = 0.0

    def report(self, done: int, total: int) -> None:
        """``progress(done, total)``, as an exporter calls it."""
        self.done, self.total = done, total
        now = time.monotonic()
        self.first_at = self.first_at or now
        if total and done >= total:
            self.finished_at = self.finished_at or now

    def line(self, now: float) -> str:
        """The whole bar, with counts and rate, or what comes before and after them."""
        if not self.first_at:
            return f"{self.label}  preparing  {now - self.started:.1f} s"
        if self.total and self.done >= self.total:
            return (
                f"{self.label}  {self.done:,} records written, {self.finishing}  "
                f"{now - self.started:.1f} s"
            )
        rate = self.done / max(now - self.first_at, 1e-9)
        return f"{self.label} {self._bar(BAR)} {self.done:,}/{self.total:,} records  {rate:,.0f}/s"

    def short(self, now: float) -> str:
        """The bar in half the width, for a line shared with other formats."""
        if not self.first_at:
            return f"{self.label} preparing"
        if self.total and self.done >= self.total:
            return f"{self.label} {self.finishing} {now - self.started:.1f} s"
        return f"{self.label} {self._bar(BAR // 2)} {100 * self.done // max(self.total, 1):>2}%"

    def summary(self, now: float) -> str:
        """The line that stays once the format is written: counts, time and rate."""
        writing = (self.finished_at or now) - (self.first_at or self.started)
        return (
            f"{self.label} [{'#' * BAR}] {self.done:,}/{self.total:,} records in "
            f"{now - self.started:.1f} s ({self.done / max(writing, 1e-9):,.0f}/s)"
        )

    def _bar(self, width: int) -> str:
        filled = min(width, int(width * self.done / self.total)) if self.total else 0
        return f"[{'#' * filled}{'-' * (width - filled)}]"


class Board:
    """Several formats written at once, in worker processes, on one status line.

    The line shows each format being written, with a shorter bar, and how
    many wait for a worker; a format that is done leaves the line
    :meth:`Progress.bar` would have left, above it, so the screen ends as a
    sequential export's does (in the order the formats finished). A format
    that failed leaves nothing: its error is printed at the end, as without
    workers. The caller draws it (:meth:`draw`) from its own loop, which
    waits on the workers anyway, rather than from a thread: a thread alive
    when a worker is forked is what makes ``fork`` unsafe.
    """

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.live = progress.live
        self.running: dict[str, Tally] = {}
        self.waiting = 0

    def start(self, key: str, label: str) -> None:
        self.running[key] = Tally(label)

    def report(self, key: str, done: int, total: int) -> None:
        if key in self.running:
            self.running[key].report(done, total)

    def end(self, key: str, *, written: bool) -> None:
        """The format ``key`` is done: its summary stays above the line if it was written."""
        tally = self.running.pop(key, None)
        if tally is not None and written:
            self.progress.keep(tally.summary(time.monotonic()))
        self.draw()

    def draw(self) -> None:
        now = time.monotonic()
        parts = [tally.short(now) for tally in self.running.values()]
        if self.waiting:
            parts.append(f"{self.waiting} waiting")
        if parts:
            self.progress.draw("   ".join(parts))
        else:
            self.progress.clear()

    def clear(self) -> None:
        self.progress.clear()


def _columns(stream: TextIO) -> int:
    """The width of the terminal ``stream`` is, which may not be standard output's."""
    try:
        columns = os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, OSError, ValueError):  # not a file, or not a terminal
        columns = 0
    if columns > 0:
        return columns
    # Not a terminal, or one that gives no size (a pseudo-terminal nobody
    # sized says 0 columns, which cut every line short): $COLUMNS, or 80.
    import shutil  # here only: `storyfacts validate` needs it nowhere else (issue 11)

    return shutil.get_terminal_size((80, 24)).columns


def _ignore(done: int, total: int) -> None:
    return None


@contextlib.contextmanager
def progress_reporter(
    label: str, *, quiet: bool = False, stream: TextIO | None = None, interval: float = INTERVAL
) -> Iterator[Callable[[int, int], None]]:
    """Yield a ``progress(done, total)`` callback that draws a bar on ``stream``.

    Nothing is drawn when ``quiet`` is true or the stream is not a terminal.
    """
    with Progress(quiet=quiet, stream=stream, interval=interval).bar(label) as progress:
        yield progress
