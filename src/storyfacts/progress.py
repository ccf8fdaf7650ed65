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
from collections.abc import Callable, Iterator
from typing import TextIO

__all__ = ["Progress", "progress_reporter"]

#: How often a line is redrawn, in seconds.
INTERVAL = 0.1
#: The bar's width in characters.
BAR = 20
# What a terminal shows where the cursor is when Ctrl-C is pressed.
_ECHO = "^C"


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
        started = time.monotonic()
        # When the first record was reported (the rate counts from there, not
        # from the exporter's preparations) and when the last one was.
        state = {"done": 0, "total": 0, "first_at": 0.0, "finished_at": 0.0}

        def line() -> str:
            now = time.monotonic()
            done, total = state["done"], state["total"]
            if not state["first_at"]:
                return f"{label}  preparing  {now - started:.1f} s"
            if total and done >= total:
                state["finished_at"] = state["finished_at"] or now
                return f"{label}  {done:,} records written, {finishing}  {now - started:.1f} s"
            filled = min(BAR, int(BAR * done / total)) if total else 0
            rate = done / max(now - state["first_at"], 1e-9)
            return (
                f"{label} [{'#' * filled}{'-' * (BAR - filled)}] "
                f"{done:,}/{total:,} records  {rate:,.0f}/s"
            )

        def progress(done: int, total: int) -> None:
            state["done"], state["total"] = done, total
            state["first_at"] = state["first_at"] or time.monotonic()

        try:
            with self._ticking(line):
                yield progress
        except BaseException:
            self.clear()
            raise
        now = time.monotonic()
        done, total = state["done"], state["total"]
        writing = (state["finished_at"] or now) - (state["first_at"] or started)
        self.keep(
            f"{label} [{'#' * BAR}] {done:,}/{total:,} records in {now - started:.1f} s "
            f"({done / max(writing, 1e-9):,.0f}/s)"
        )

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
                self.draw(line())
                if stop.wait(max(self.interval, 0.01)):
                    return

        ticker = threading.Thread(target=tick, name="storyfacts-progress", daemon=True)
        ticker.start()
        try:
            yield
        finally:
            stop.set()
            ticker.join()


def _columns(stream: TextIO) -> int:
    """The width of the terminal ``stream`` is, which may not be standard output's."""
    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, OSError, ValueError):  # not a file, or not a terminal
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
