"""``storyfacts formats``: list the export formats, built-in and from plugins."""

from __future__ import annotations

import sys

import click

from .console import print_json, strict_exit, warn_failures
from .group import command


@command("formats")
@click.option("--json", "as_json", is_flag=True, help="print the list as JSON")
@click.option("-l", "--long", is_flag=True, help="add each format's media type and plugin")
def formats(as_json: bool, long: bool) -> int:
    from .. import plugins
    from ..listing import format_entries, format_table, table_width

    found = list(plugins.exporters().values())
    if as_json:
        print_json(format_entries(found))
        return strict_exit()
    sys.stdout.write(format_table(found, width=table_width(), long=long))
    return warn_failures()
