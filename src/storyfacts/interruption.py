"""Stopping cleanly: SIGTERM and SIGHUP unwind the command like Ctrl-C does.

Python's default for SIGTERM (what a container runtime, CI or ``kill`` sends)
and SIGHUP (a closed terminal) is to end the process on the spot, so no
``finally`` runs: temporary files beside the target and the spill files of
openpyxl in TMPDIR would stay. Within :func:`signals_unwind` those signals
raise :class:`Stopped`, a :class:`KeyboardInterrupt`, so every clean-up that
already handles Ctrl-C handles them too, and no plugin's ``except Exception``
swallows them.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType

__all__ = ["STOPS", "Stopped", "ignored", "signals_unwind"]

_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))
#: Every signal that stops a command: Ctrl-C, and those turned into :class:`Stopped`.
STOPS = frozenset({signal.SIGINT, *_SIGNALS})


class Stopped(KeyboardInterrupt):
    """The process was asked to stop by a signal other than Ctrl-C."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name


def _stop(signum: int, frame: FrameType | None) -> None:
    # A repeat while the first is unwinding would cut its clean-up short. A
    # handler that does nothing, not SIG_IGN: a repeat that came before this
    # line, not yet handled, would find SIG_IGN and raise OSError ("Signal 15
    # ignored due to race condition") in the middle of the clean-up.
    signal.signal(signum, ignored)
    raise Stopped(signum)


def ignored(signum: int, frame: FrameType | None) -> None:
    """A handler that does nothing: what a repeated stop gets while the first unwinds.

    Not ``SIG_IGN``: a signal received but not yet handled would find
    ``SIG_IGN`` and raise ``OSError`` ("ignored due to race condition") in
    the middle of the clean-up.
    """
    return None


@contextlib.contextmanager
def signals_unwind() -> Iterator[None]:
    """Turn SIGTERM and SIGHUP into :class:`Stopped` inside the block.

    Outside the main thread, where Python cannot set handlers, it does nothing.
    A signal that was being ignored (``nohup``) stays ignored.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}
    for signum in _SIGNALS:
        handler = signal.getsignal(signum)
        if handler is not signal.SIG_IGN:
            previous[signum] = handler
            signal.signal(signum, _stop)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler if handler is not None else signal.SIG_DFL)
