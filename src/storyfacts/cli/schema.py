"""``storyfacts schema``: print the dataset JSON Schema."""

from __future__ import annotations

import json
import sys

from .failures import OK
from .group import command


@command("schema")
def schema() -> int:
    from ..schema import schema as dataset_schema

    sys.stdout.write(json.dumps(dataset_schema(), indent=2, ensure_ascii=False) + "\n")
    return OK
