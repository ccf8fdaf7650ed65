"""Run the command line as ``python -m storyfacts``."""

import sys

from .cli import main

sys.exit(main())
