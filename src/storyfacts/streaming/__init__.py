"""A dataset read and checked as a stream of records, in memory that does not grow with it.

A JSON Lines corpus (see :mod:`storyfacts.corpus.lines` and docs/corpus.md)
is validated in one pass over its lines (:func:`corpus_problems`), and read
back one record at a time by exporters (:class:`CorpusReader`). The checks
are the very ones :func:`storyfacts.validate` makes on a dataset in memory,
record by record (:class:`~storyfacts.streaming.checking.StreamCheck`); what
grows with the corpus is an index of its ids, one int each, and where each
article starts in its file.

Names are imported on first use: the command line lists its commands
without loading the schema.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .checking import StreamCheck
    from .corpus import CorpusReader, corpus_problems

_PUBLIC = {
    "StreamCheck": ".checking",
    "CorpusReader": ".corpus",
    "corpus_problems": ".corpus",
}


def __getattr__(name: str) -> Any:
    if name not in _PUBLIC:
        raise AttributeError(f"module 'storyfacts.streaming' has no attribute {name!r}")
    value = getattr(importlib.import_module(_PUBLIC[name], __name__), name)
    globals()[name] = value
    return value


__all__ = ["CorpusReader", "StreamCheck", "corpus_problems"]
