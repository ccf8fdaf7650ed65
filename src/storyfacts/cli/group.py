"""The ``storyfacts`` group: commands loaded when run, help from the manual, "did you mean".

Start-up stays cheap because no command module is imported to list the
commands or to answer ``--help`` and ``--version``: the group knows each
command by the module that defines it (:data:`COMMANDS`) and by its page in
:mod:`storyfacts.manual`, and imports the module only to run, to show that
command's own help, or to complete its options (click's lazy-loading
pattern). tests/test_startup.py keeps it so.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    # Imported when completing: no command that runs needs it.
    from click.shell_completion import CompletionItem

from .. import __version__
from ..manual import COMPLETION, DESCRIPTION, PAGES, TOP

__all__ = ["COMMANDS", "Command", "LazyGroup", "command", "root"]

#: Where each command is defined ("module:name"), in the order --help lists them.
COMMANDS: dict[str, str] = {
    "validate": "storyfacts.cli.validate:validate",
    "export": "storyfacts.cli.export:export",
    "import": "storyfacts.cli.import_:import_",
    "reanchor": "storyfacts.cli.reanchor:reanchor",
    "new": "storyfacts.cli.new:new",
    "formats": "storyfacts.cli.formats:formats",
    "plugins": "storyfacts.cli.plugins:plugins",
    "schema": "storyfacts.cli.schema:schema",
    "merge": "storyfacts.corpus.commands:merge",
    "split": "storyfacts.corpus.commands:split",
}

#: The ``--help`` pages fit 80 columns whatever the terminal's width.
WIDTH = 80


def _write_verbatim(formatter: click.HelpFormatter, title: str, text: str) -> None:
    """A section whose lines keep their breaks and spacing (examples, commands to paste)."""
    with formatter.section(title):
        for line in text.splitlines():
            formatter.write(f"{'':>{formatter.current_indent}}{line}\n" if line else "\n")


class Command(click.Command):
    """A command whose help ends with examples, kept as written."""

    def __init__(self, *args: Any, examples: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.examples = examples

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if self.examples:
            _write_verbatim(formatter, "Examples", self.examples)


def command(name: str, **kwargs: Any) -> Callable[[Callable[..., int]], Command]:
    """Make the command ``name``, with the summary, description and examples of its page."""
    summary, description, examples = PAGES[name]
    return click.command(
        name,
        cls=Command,
        help=description,
        short_help=summary,
        examples=examples,
        **kwargs,
    )


class LazyGroup(click.Group):
    """A group whose commands are imported when used, and whose errors suggest what was meant."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        where = COMMANDS.get(cmd_name)
        if where is None:
            return None
        module, _, name = where.partition(":")
        found = getattr(importlib.import_module(module), name)
        assert isinstance(found, click.Command), found
        return found

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0]
        if name not in COMMANDS and not name.startswith("-"):
            from ..suggestions import close_match

            ctx.fail(
                f"unknown command {name!r}{close_match(name, COMMANDS)}; "
                f"choose from {', '.join(COMMANDS)}"
            )
        return super().resolve_command(ctx, args)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # From the manual, so that --help imports no command.
        with formatter.section("Commands"):
            formatter.write_dl([(name, PAGES[name][0]) for name in COMMANDS])

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        _write_verbatim(formatter, "Examples", TOP)
        _write_verbatim(formatter, "Shell completion", COMPLETION)

    def shell_complete(self, ctx: click.Context, incomplete: str) -> list[CompletionItem]:
        # Command names with their summaries, again without importing the commands.
        from click.shell_completion import CompletionItem

        found = [
            CompletionItem(name, help=PAGES[name][0])
            for name in COMMANDS
            if name.startswith(incomplete)
        ]
        if not found or incomplete.startswith("-"):
            found += click.Command.shell_complete(self, ctx, incomplete)
        return found

    def invoke(self, ctx: click.Context) -> Any:
        # The command runs inside the handlers that turn its failures into one
        # line and an exit code (click's own would print a blank line on Ctrl-C).
        from .failures import reported

        return reported(lambda: super(LazyGroup, self).invoke(ctx))


@click.group(
    "storyfacts",
    cls=LazyGroup,
    help=DESCRIPTION,
    no_args_is_help=True,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": WIDTH},
)
@click.version_option(__version__, "-V", "--version", message="storyfacts %(version)s")
def root() -> None:
    """The top level: every command is a subcommand."""
