"""Progress on a terminal: a bar with counts and rate, quiet when piped."""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable, Iterator
from typing import TextIO

__all__ = ["progress_reporter"]


@contextlib.contextmanager
def progress_reporter(
    label: str, *, quiet: bool = False, stream: TextIO | None = None, interval: float = 0.1
) -> Iterator[Callable[[int, int], None]]:
    """Yield a ``progress(done, total)`` callback that draws a bar on ``stream``.

    Nothing is drawn when ``quiet`` is true or the stream is not a terminal.
    """
    out = stream or sys.stderr
    if quiet or not out.isatty():
        yield lambda done, total: None
        return
    started = time.monotonic()
    last = [0.0]
    drawn = [False]

    def draw(done: int, total: int, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - last[0] < interval:
            return
        last[0] = now
        elapsed = max(now - started, 1e-9)
        rate = done / elapsed
        width = 30
        filled = int(width * done / total) if total else width
        bar = "#" * filled + "-" * (width - filled)
        out.write(f"\r{label} [{bar}] {done:,}/{total:,} records  {rate:,.0f}/s")
        out.flush()
        drawn[0] = True

    state = {"done": 0, "total": 0}

    def progress(done: int, total: int) -> None:
        state["done"], state["total"] = done, total
        draw(done, total)

    try:
        yield progress
    finally:
        if drawn[0]:
            draw(state["done"], state["total"], force=True)
            out.write("\n")
            out.flush()
