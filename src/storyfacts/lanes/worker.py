"""A worker's side of the lanes: write one format, tell the parent, exit.

Runs in a process forked by :mod:`storyfacts.lanes.pool`, with the loaded
dataset already in its memory.
"""

from __future__ import annotations

import contextlib
import os
import signal
import tempfile
import time
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from ..errors import ExportError, StoryfactsError
from ..interruption import STOPS, Stopped, ignored
from . import Lane, lifeline

if TYPE_CHECKING:
    from ..model import Dataset
    from ..streaming import CorpusReader

__all__ = ["held", "run"]

#: How often a worker reports progress at most, in seconds: the line is drawn
#: every 0.1 s, and a message a record would cost more than the record.
_REPORT_EVERY = 0.05


def run(
    order: list[Lane],
    dataset: Dataset | CorpusReader,
    conn: Connection,
    inherited: list[Connection],
    mask: set[int | signal.Signals],
    parent: int,
    line: lifeline.Lifeline | None,
) -> NoReturn:
    """A worker's whole life: write the lanes the parent hands out, say how each ended, exit.

    The parent sends ``("lane", index)`` into ``order``, then ``("stop",)``
    when none is left. The worker never returns into the parent's code,
    whatever happens (it would carry on as a second parent); ``os._exit``
    also skips the parent's ``atexit`` handlers and the buffers it inherited.

    ``parent`` is the parent's process id, recorded before the fork, and
    ``line`` its :class:`~storyfacts.lanes.lifeline.Lifeline` where the kernel
    cannot tell a worker of its parent's death: a worker whose parent dies
    stops as on the parent's SIGTERM, and exits non-zero.
    """
    done = False
    try:
        for other in inherited:
            other.close()
        if hasattr(signal, "SIGPIPE"):
            # A message to a parent that has died is an error to unwind on
            # (as Python sets it, unless the program embedding storyfacts
            # changed it), not a death that leaves temporary output behind.
            signal.signal(signal.SIGPIPE, signal.SIG_IGN)
        _stop_on_signals()
        # Bound while the stopping signals are still held: the SIGTERM of a
        # parent dying from now on waits for the handlers just set.
        if not lifeline.bind(parent, line):
            raise _orphaned()  # it died before: nothing made yet, nothing to remove
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        _report_temporary_paths(lambda message: _send(conn, message))
        while (message := conn.recv())[0] == "lane":
            outcome = _outcome(order[message[1]], dataset, conn)
            _send(conn, outcome)
            if outcome[0] in ("raised", "stopped"):
                break  # the parent stops every worker
            _stop_on_signals()
        done = True
    finally:
        _exit(0 if done else 1)


def _send(conn: Connection, message: tuple[Any, ...]) -> None:
    with held():
        try:
            conn.send(message)
        except OSError as error:  # the parent's end is closed: it has died
            raise _orphaned() from error


def _orphaned() -> Stopped:
    """What a worker that finds its parent gone raises: what the parent's SIGTERM raises.

    The kernel's SIGTERM for the parent's death (:mod:`.lifeline`) may come
    a moment later, and must not cut the clean-up short.
    """
    _ignore_stops()
    return Stopped(signal.SIGTERM)


def _exit(code: int) -> NoReturn:
    """``os._exit``, even if a signal's handler raises before it is called."""
    while True:
        with contextlib.suppress(BaseException):
            os._exit(code)


def _stop_on_signals() -> None:
    for signum in STOPS:
        signal.signal(signum, _stop_once)


def _stop_once(signum: int, frame: object) -> None:
    # Any second signal (the parent's SIGTERM after the terminal's Ctrl-C)
    # while this one unwinds would cut the removal of temporary output short.
    _ignore_stops()
    raise KeyboardInterrupt if signum == signal.SIGINT else Stopped(signum)


def _ignore_stops() -> None:
    for signum in STOPS:
        signal.signal(signum, ignored)


@contextlib.contextmanager
def held() -> Iterator[set[int | signal.Signals]]:
    """Hold the stopping signals until the block ends (so that a message is never cut
    in two); yield the signal mask as it was before."""
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, STOPS)
    try:
        yield mask
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)


def _outcome(lane: Lane, dataset: Dataset | CorpusReader, conn: Connection) -> tuple[Any, ...]:
    """Export the lane's format; how it ended, as a message to the parent."""
    from .. import canonical
    from ..exporting import export
    from ..model import Dataset

    def fetch() -> str | None:
        _send(conn, ("fingerprint?",))
        try:
            answer = conn.recv()
        except (EOFError, OSError) as error:
            raise _orphaned() from error
        if answer[0] == "stop":  # the parent is stopping, and its signal was lost
            raise Stopped(signal.SIGTERM)
        hashed: str | None = answer[1]
        return hashed

    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= _REPORT_EVERY or (total and done >= total):
            last[0] = now
            _send(conn, ("progress", done, total))

    sharing = (
        canonical.fetched(dataset, fetch)
        if isinstance(dataset, Dataset)
        else contextlib.nullcontext()
    )
    try:
        with sharing:
            path = export(
                dataset,
                lane.exporter.name,
                lane.target,
                options=lane.options,
                progress=progress,
                check=False,
            )
    except StoryfactsError as error:
        return ("failed" if isinstance(error, ExportError) else "raised", *_portable(error))
    except KeyboardInterrupt as stop:
        return ("stopped", getattr(stop, "signum", signal.SIGINT))
    except BaseException as error:  # storyfacts' own fault: export() blames the exporter's
        return ("crashed", f"{type(error).__name__}: {error}")
    finally:
        _ignore_stops()  # done: nothing left to stop
    hashed = canonical.known_sha256(dataset) if isinstance(dataset, Dataset) else None
    return ("written", str(path), hashed)


def _portable(error: StoryfactsError) -> tuple[type, tuple[Any, ...], dict[str, Any]]:
    """An error as the parent can rebuild it: its class, message and attributes."""
    import pickle

    state = dict(vars(error))
    try:
        pickle.dumps(state)
    except Exception:  # attributes that cannot cross: the message still does
        state = {}
    return type(error), error.args, state


def _report_temporary_paths(send: Callable[[tuple[Any, ...]], None]) -> None:
    """Tell the parent of each temporary file and directory made in this worker.

    The output is written to a temporary path beside the target, and the
    workbook spills rows into a temporary directory; a worker that unwinds
    removes them, and one killed cannot, so the parent does.
    """

    def reporting(make: Callable[..., Any]) -> Callable[..., Any]:
        def made(*args: Any, **kwargs: Any) -> Any:
            with held():  # made and reported, or neither
                result = make(*args, **kwargs)
                name = result[1] if isinstance(result, tuple) else result
                path = Path(os.fsdecode(name)).absolute()
                try:
                    send(("made", str(path)))
                except Stopped:  # the parent has died, and cannot remove it
                    with contextlib.suppress(OSError):
                        if isinstance(result, tuple):  # mkstemp: an open file
                            os.close(result[0])
                            path.unlink()
                        else:  # mkdtemp: an empty directory
                            path.rmdir()
                    raise
            return result

        return made

    # This process's own copy of the module: the parent's is untouched.
    tempfile.mkstemp = reporting(tempfile.mkstemp)
    tempfile.mkdtemp = reporting(tempfile.mkdtemp)
