"""How the command line answers someone who typed it wrong.

argparse knows the commands and options but says only ``invalid choice`` or
``unrecognized arguments``, and an unknown option after a command is reported
with the top level's usage. :class:`Parser` adds what people expect from
tools of this kind: a "did you mean" for a mistyped command or option (from
:func:`storyfacts.suggestions.close_match`, as validation uses), the usage of
the command that was being typed, and the help when run bare. Every such
error exits with 2 and happens before anything is read or written.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any, NoReturn


def close_match(word: str, options: Sequence[str] | dict[str, Any]) -> str:
    # Imported when an error is being reported: --help and --version load
    # nothing beyond argparse (tests/test_startup.py).
    from .suggestions import close_match as suggest

    return suggest(word, options)


#: The exit code of a usage error.
USAGE = 2


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Keeps the line breaks of descriptions and examples, and wraps a line too long."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        import textwrap

        lines = []
        for line in text.splitlines():
            lead = line[: len(line) - len(line.lstrip())]
            # An indented line (an example) continues further in; a paragraph does not.
            then = indent + (lead + "  " if lead else "")
            lines += textwrap.wrap(line, width, initial_indent=indent, subsequent_indent=then) or [
                ""
            ]
        return "\n".join(lines)


class Parser(argparse.ArgumentParser):
    """An :class:`argparse.ArgumentParser` whose errors suggest what was meant."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(USAGE, f"{self.prog}: error: {message}\n")

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        # A command's parser is run by the top level's through this method, and
        # argparse would hand what it did not recognise back up, to be reported
        # with the top level's usage: this command reports it, with its own.
        found, extras = super().parse_known_args(args, namespace)
        if extras:
            self.error(f"unrecognized arguments: {' '.join(extras)}{self._suggest(extras)}")
        return found, extras

    def _suggest(self, extras: list[str]) -> str:
        for word in extras:
            if word.startswith("-"):
                name = word.partition("=")[0]
                return close_match(name, self._option_string_actions)
        return ""

    def _check_value(self, action: argparse.Action, value: Any) -> None:
        if action.choices is None or value in action.choices:
            return
        choices = [str(c) for c in action.choices]
        what = "command" if isinstance(action, argparse._SubParsersAction) else "choice"
        raise argparse.ArgumentError(
            None,
            f"unknown {what} {value!r}{close_match(value, choices)}; "
            f"choose from {', '.join(choices)}",
        )


def bare(parser: argparse.ArgumentParser, argv: Sequence[str]) -> bool:
    """Print the help for a run with no arguments at all (a usage error, exit 2)."""
    if argv:
        return False
    parser.print_help(sys.stderr)
    return True
