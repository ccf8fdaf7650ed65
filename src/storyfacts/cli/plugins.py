"""``storyfacts plugins``: list installed plugins and any that failed."""

from __future__ import annotations

import sys

import click

from .. import __version__
from .console import print_json, strict_exit, warn_failures
from .group import command


@command("plugins")
@click.option("--json", "as_json", is_flag=True, help="print the list as JSON")
def plugins(as_json: bool) -> int:
    from .. import plugins as registry

    loaded = registry.plugins()
    failures = registry.failures()
    if as_json:
        print_json(
            {"plugins": [p.to_dict() for p in loaded], "failures": [f.to_dict() for f in failures]}
        )
        return strict_exit()
    for plugin in loaded:
        origin = (
            f"built-in, storyfacts {__version__}"
            if plugin.builtin
            else (
                f"{plugin.distribution} {plugin.version}" if plugin.distribution else "registered"
            )
        )
        print(f"{plugin.name} ({origin}): {', '.join(plugin.hooks)}")
    return warn_failures(stream=sys.stdout)
