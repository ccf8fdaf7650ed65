"""A worker stops when the command's process dies, however it dies.

The command stops its workers itself on Ctrl-C, SIGTERM and SIGHUP (see
:func:`storyfacts.lanes.pool._stop`), but nothing of it runs when it is
killed outright: ``kill -9``, the out-of-memory killer, a crash in C code. A
worker would then carry on and put its format in place after the command was
gone, burning CPU nobody waits for. So each worker asks to be sent SIGTERM
when its parent dies, and stops as it does on the command's own SIGTERM: it
removes its temporary output, puts nothing in place, and exits non-zero.

On Linux the kernel sends it: ``prctl(PR_SET_PDEATHSIG, SIGTERM)``, one system
call in each worker right after the fork. A parent that died before that call
would never be noticed (the kernel signals only a death after it), so the
worker then compares ``os.getppid()`` with the parent's id recorded before the
fork: a different one means it has been handed to another process already.

Elsewhere (the BSDs and other systems that fork, where ``prctl`` is not to be
had) the parent holds the writing end of a pipe, the :class:`Lifeline`, that
no worker keeps open, and a thread in each worker waits to read from it: the
read returns, at end of file, only once the parent's end is closed, which
the system does when the parent dies, however it dies.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import os
import signal
import sys
import threading
from collections.abc import Callable

__all__ = ["Lifeline", "bind", "kernel_tells"]

#: From ``<linux/prctl.h>``.
_PR_SET_PDEATHSIG = 1


@functools.cache
def _prctl() -> Callable[..., int] | None:
    """libc's ``prctl``, where there is one (Linux)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl: Callable[..., int] = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):  # no C library to be had, or one without prctl
        return None
    return prctl


def kernel_tells() -> bool:
    """Whether the kernel signals a worker when its parent dies (Linux): no lifeline needed."""
    return _prctl() is not None


class Lifeline:
    """A pipe whose writing end only the parent holds: its end of file is the parent's death."""

    def __init__(self) -> None:
        # Neither end is inherited by a program a worker runs (PEP 446), which
        # would otherwise keep the lifeline open.
        self.reading, self.writing = os.pipe()

    def close(self) -> None:
        for fd in (self.reading, self.writing):
            with contextlib.suppress(OSError):
                os.close(fd)


def bind(parent: int, lifeline: Lifeline | None) -> bool:
    """In a worker right after the fork: SIGTERM to this process once ``parent`` dies.

    ``parent`` is the parent's process id, recorded before the fork. Returns
    whether the parent is still alive once the worker is bound to it; if not,
    it died before the worker could be told, and the worker has nothing to
    do but exit.
    """
    prctl = _prctl()
    if lifeline is None and prctl is not None:
        if prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    elif lifeline is not None:
        os.close(lifeline.writing)  # or this worker would keep its own lifeline alive
        threading.Thread(target=_watch, args=(lifeline.reading,), daemon=True).start()
    return os.getppid() == parent


def _watch(reading: int) -> None:
    """Wait, in a thread of the worker, until the parent's end of the lifeline is closed."""
    with contextlib.suppress(OSError):  # a read that fails will not tell either
        while os.read(reading, 1):  # b"" at end of file: the parent is gone
            pass
    # Handled in the worker's main thread, as the command's SIGTERM would be.
    os.kill(os.getpid(), signal.SIGTERM)
