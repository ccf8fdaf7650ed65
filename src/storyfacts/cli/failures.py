"""How a command that fails ends: one line on standard error and an exit code, no traceback."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from typing import Any

import click

__all__ = ["INVALID", "OK", "USAGE", "reported"]

OK, INVALID, USAGE = 0, 1, 2


def reported(run: Callable[[], Any]) -> Any:
    """Run a command; turn each storyfacts failure, Ctrl-C or SIGTERM into its exit code.

    click's own exceptions (usage errors, ``--help``) pass through to click.
    """
    from ..interruption import Stopped, signals_unwind

    try:
        with signals_unwind():
            return run()
    except BrokenPipeError:
        # The reader went away (`storyfacts formats | head`): stop quietly, as
        # the Python documentation recommends, without a traceback at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return INVALID
    except Stopped as stop:
        _settle_progress()
        print(
            f"storyfacts: stopped by {stop.name}; nothing partial was left behind.", file=sys.stderr
        )
        return 128 + stop.signum
    except KeyboardInterrupt:
        _settle_progress()
        print("storyfacts: interrupted; nothing partial was left behind.", file=sys.stderr)
        return 130
    except (click.ClickException, click.exceptions.Exit):
        raise  # a usage error or --help: click says it
    except Exception as error:
        # Classified here, not in except clauses, so that `storyfacts export
        # --help` (which passes through) does not import the errors and attrs.
        from ..errors import InputError, OptionError, StoryfactsError, UnknownFormatError

        if not isinstance(error, StoryfactsError):
            raise
        _settle_progress()
        print(f"storyfacts: {error}", file=sys.stderr)
        # A format, an option or a file that is wrong on the command line is a usage
        # error; invalid data, a failed export or a failed plugin is not.
        return (
            USAGE if isinstance(error, UnknownFormatError | OptionError | InputError) else INVALID
        )


def _settle_progress() -> None:
    """Stop and clear any status line still drawn, before the one line saying why.

    Only if the command drew one: the progress module is not imported for it.
    """
    progress = sys.modules.get("storyfacts.progress")
    if progress is not None:
        progress.settle()
