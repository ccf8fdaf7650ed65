"""A corpus of many stories: datasets merged into one, and split back into one per story.

See docs/corpus.md. :func:`merge` joins records that are the same (same id,
or an entity with the same Wikidata id) and reports every conflict by
record; :func:`split` gives one closed dataset per article. Names are
imported on first use, so that the command line can add its commands from
here without loading the schema.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .merging import MergeError, MergeReport, merge, merge_report
    from .splitting import split

_PUBLIC = {
    **dict.fromkeys(("MergeError", "MergeReport", "merge", "merge_report"), ".merging"),
    "split": ".splitting",
}


def __getattr__(name: str) -> Any:
    if name not in _PUBLIC:
        raise AttributeError(f"module 'storyfacts.corpus' has no attribute {name!r}")
    value = getattr(importlib.import_module(_PUBLIC[name], __name__), name)
    globals()[name] = value
    return value


__all__ = ["MergeError", "MergeReport", "merge", "merge_report", "split"]
