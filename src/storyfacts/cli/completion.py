"""Shell completion of format names and their options (click completes the rest itself).

click answers when ``_STORYFACTS_COMPLETE`` is set (see docs/cli.md for
installing it in bash, zsh and fish), and completes commands, options and
paths on its own. ``-f`` completes every exporter's name, plugins'
included, and after a comma the next name of a list (``-f csv,js``
completes to ``csv,json``); ``-O`` completes ``KEY=`` for the options of the
formats given before it.
"""

from __future__ import annotations

import click
from click.shell_completion import CompletionItem

__all__ = ["complete_formats", "complete_options"]


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


def complete_options(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """``KEY=`` for each option of the formats given so far (of every format if none), with help."""
    from .. import plugins

    known = plugins.exporters()
    given = [n.strip().lower() for f in ctx.params.get("formats") or () for n in f.split(",")]
    chosen = [known[name] for name in given if name in known] or list(known.values())
    keys: dict[str, str] = {}
    for exporter in chosen:
        for key, help_ in exporter.options.items():
            keys.setdefault(key, f"{exporter.name}: {help_}")
    return [
        CompletionItem(f"{key}=", help=help_)
        for key, help_ in sorted(keys.items())
        if key.startswith(incomplete)
    ]
