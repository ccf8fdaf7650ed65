"""What several commands print the same way: JSON, written files, plugin failures."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, TextIO

from .failures import INVALID, OK

__all__ = [
    "print_json",
    "report_plugin_failures",
    "say_nothing_written",
    "strict_exit",
    "warn_failures",
    "write_text",
]


def print_json(value: Any, stream: TextIO | None = None) -> None:
    from .. import jsonfile

    (stream or sys.stdout).write(jsonfile.dumps(value))


def write_text(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` atomically, or say in one line why nothing was written."""
    from ..atomic import replace_atomically

    try:
        with replace_atomically(path) as temp:
            temp.write_text(text, encoding="utf-8", newline="\n")
    except OSError as error:  # a full disk, a read-only directory, a directory in the way
        say_nothing_written(path, error)
        return False
    return True


def say_nothing_written(path: Path, error: OSError) -> None:
    """One line saying that writing ``path`` failed, why, and that nothing was written."""
    from ..atomic import os_reason
    from ..errors import printable

    print(
        f"storyfacts: Writing {printable(str(path))} failed, and nothing was written: "
        f"{os_reason(error)}",
        file=sys.stderr,
    )


def warn_failures(stream: TextIO | None = None) -> int:
    """List plugin failures; under STORYFACTS_STRICT_PLUGINS any failure makes the exit 1."""
    from .. import plugins

    for failure in plugins.failures():
        print(f"failed: {_one_line(failure)}", file=stream or sys.stderr)
    return strict_exit()


def strict_exit() -> int:
    from .. import plugins

    return INVALID if plugins.strict() and plugins.failures() else OK


def report_plugin_failures(*, strict: bool) -> bool:
    """Warn about each plugin failure on one line; True when strict mode makes that an error."""
    from .. import plugins

    found = plugins.failures()
    kind = "error" if strict else "warning"
    for failure in found:
        print(f"storyfacts: {kind}: {_one_line(failure)}", file=sys.stderr)
    if found and strict:
        print("storyfacts: nothing was exported: strict plugin mode is on.", file=sys.stderr)
    return bool(found) and strict


def _one_line(failure: object) -> str:
    return " ".join(str(failure).split())
