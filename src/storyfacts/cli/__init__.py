"""The ``storyfacts`` command line, built on click.

Each command lives in its own module of this package and is imported only
when it runs (:mod:`storyfacts.cli.group`), so ``storyfacts --help`` and
``--version`` import click and nothing else of weight.

Exit codes: 0 success; 1 invalid data or a failed export; 2 a usage error or
a file that cannot be read; 130 after Ctrl-C, 143 after SIGTERM (128 plus the
signal's number), with nothing partial left behind.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

__all__ = ["main"]


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``storyfacts`` with ``argv`` (default: the process's arguments); return the exit code."""
    import click

    from .group import root

    arguments = sys.argv[1:] if argv is None else list(argv)
    try:
        code = root.main(arguments, prog_name="storyfacts", standalone_mode=False)
    except click.ClickException as error:  # a usage error: the command's usage, then why
        error.show()
        return error.exit_code
    except click.Abort:  # Ctrl-C while click itself was at work (a command's is caught in it)
        print("storyfacts: interrupted; nothing partial was left behind.", file=sys.stderr)
        return 130
    return code if isinstance(code, int) else 0
