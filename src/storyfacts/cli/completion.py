"""Shell completion of format names (click completes commands, options and paths itself).

click answers when ``_STORYFACTS_COMPLETE`` is set (see docs/cli.md for
installing it in bash, zsh and fish). ``-f`` completes every exporter's
name, plugins' included, and after a comma the next name of a list
(``-f csv,js`` completes to ``csv,json``).
"""

from __future__ import annotations

import click
from click.shell_completion import CompletionItem

__all__ = ["complete_formats"]


def complete_formats(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """The format names that complete ``incomplete``, each with its description."""
    from .. import plugins

    done, comma, last = incomplete.rpartition(",")
    given = {name.strip().lower() for name in done.split(",")} if comma else set()
    prefix = done + comma
    return [
        CompletionItem(prefix + name, help=exporter.description)
        for name, exporter in plugins.exporters().items()
        if name.startswith(last.lower()) and name not in given
    ]
