"""What ``storyfacts formats`` prints: a table that fits the terminal, and its JSON.

The table has the three things a person choosing ``-f`` needs (name,
extension, what it is for), the description and each option wrapped under
it, so it fits 80 columns whatever a plugin's description says; ``--long``
adds the media type and the plugin with its distribution, and ``--json``
gives every field for tools.
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Sequence
from typing import Any

from . import plugins
from .contract import Exporter

__all__ = ["format_entries", "format_table", "table_width"]

# Narrower than this and wrapping stops being readable; wider and the
# descriptions become lines too long to read at a glance.
NARROWEST, WIDEST = 60, 100
#: The narrowest column a description is wrapped into beside its name.
MIN_TEXT = 40


def table_width() -> int:
    """The terminal's width within reason; 80 when it is not a terminal."""
    return max(NARROWEST, min(WIDEST, shutil.get_terminal_size((80, 24)).columns))


def format_entries(exporters: Sequence[Exporter]) -> list[dict[str, Any]]:
    """Each exporter as JSON data, with the distribution and version of its plugin."""
    out = []
    for exporter in exporters:
        distribution, version = plugins.origin(exporter.plugin)
        out.append(exporter.to_dict() | {"distribution": distribution, "version": version})
    return out


def format_table(exporters: Sequence[Exporter], *, width: int = 80, long: bool = False) -> str:
    """The exporters as a table ``width`` columns wide; ``long`` adds media type and plugin."""
    rows = [(e.name, e.extension + ("/" if e.directory else "")) for e in exporters]
    name_width = max([len("NAME"), *(len(name) for name, _ in rows)])
    extension_width = max([len("EXTENSION"), *(len(ext) for _, ext in rows)])
    indent = " " * (name_width + 2 + extension_width + 2)
    # A plugin's long name or extension would squeeze the descriptions into a
    # narrow column: they go under each row instead.
    stacked = width - len(indent) < MIN_TEXT
    if stacked:
        indent = "    "
    text_width = width - len(indent)
    lines = (
        ["NAME  EXTENSION", f"{indent}DESCRIPTION"]
        if stacked
        else [f"{'NAME':<{name_width}}  {'EXTENSION':<{extension_width}}  DESCRIPTION"]
    )
    for exporter, (name, extension) in zip(exporters, rows, strict=True):
        described = textwrap.wrap(exporter.description, text_width) or [""]
        if stacked:
            lines += [f"{name}  {extension}", *(indent + line for line in described)]
        else:
            lines.append(f"{name:<{name_width}}  {extension:<{extension_width}}  {described[0]}")
            lines += [indent + line for line in described[1:]]
        if long:
            distribution, version = plugins.origin(exporter.plugin)
            source = f" ({distribution} {version})" if distribution else ""
            lines += _wrapped(f"media type: {exporter.media_type}", indent, text_width)
            lines += _wrapped(f"plugin: {exporter.plugin}{source}", indent, text_width)
        for key, help_ in sorted(exporter.options.items()):
            lines += _wrapped(f"-O {key}: {help_}", indent, text_width)
    lines += [
        "",
        *textwrap.wrap(
            "A trailing / marks a format that writes a directory. Give options to export "
            "as -O KEY=VALUE; --long adds media types and plugins, --json every field.",
            width,
        ),
    ]
    return "\n".join(lines) + "\n"


def _wrapped(text: str, indent: str, width: int) -> list[str]:
    # Continuation lines stand two further in, under the option's name.
    first, *rest = textwrap.wrap(text, width, subsequent_indent="  ") or [""]
    return [indent + first, *(indent + line for line in rest)]
