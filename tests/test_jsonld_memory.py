"""What the JSON-LD export keeps while it writes grows by a few bytes a record, not a dict's."""

from __future__ import annotations

import tracemalloc

import generate  # benchmarks/generate.py, on the path through pytest's pythonpath

import storyfacts
from storyfacts.schemaorg import StoryGraph


def generated(n_statements: int) -> storyfacts.Dataset:
    """A generated dataset whose entities, relations and articles grow with it."""
    return storyfacts.load(generate.generate(n_statements, 0))


def kept_by_the_graph(dataset: storyfacts.Dataset) -> int:
    """Bytes the StoryGraph of ``dataset`` holds once made (before any node is written)."""
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        graph = StoryGraph(dataset, "urn:x:")
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert graph.kind(dataset.entities[0].id) == dataset.entities[0].type
    return kept


def test_the_graph_keeps_a_few_bytes_a_record() -> None:
    """From 1,000 to 8,000 statements what the graph keeps grows by at most 24 bytes a record.

    It keeps positions in 4-byte arrays: where each entity is (the index that
    references are followed through), which Roles each entity holds and what
    each article mentions. Dicts of ids, as before, took some 37 bytes a record.
    """
    small, large = generated(1_000), generated(8_000)
    records = sum(1 for _ in large.records()) - sum(1 for _ in small.records())
    growth = kept_by_the_graph(large) - kept_by_the_graph(small)
    assert 0 < growth <= 24 * records
