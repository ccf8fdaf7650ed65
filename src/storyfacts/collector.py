"""Pausing Python's cyclic garbage collector while storyfacts builds or walks large data.

Reading a dataset makes millions of dicts, lists and strings, and checking it
makes as many small tuples; none of them form a cycle, yet each allocation
counts towards the collector's next pass, and every pass of the oldest
generation walks everything alive. At 100,000 statements that was half the
time of reading the file. Reference counting still frees everything as
usual; the collector runs again when the block ends.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["paused"]


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """Pause the cyclic garbage collector, if it runs, until the block ends."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
