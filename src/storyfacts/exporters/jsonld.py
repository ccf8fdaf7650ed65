"""schema.org JSON-LD: the story as a NewsArticle that mentions what it reports.

The ``@context`` is written inline, so reading the output never needs the
network. Every record becomes one node of ``@graph`` in dataset order, with
``@id`` = base + record id; the few nodes a record needs besides its own (a
venue, the report a quote is based on, a country's ISO code) hang inside it
with ids of the form ``<record id>/<part>``. docs/formats/jsonld.md gives the
mapping and the reasons behind it.

Option ``base`` (``-O base=https://example.org/story/``) sets the prefix of
every ``@id``; by default it is ``urn:storyfacts:<dataset id>:``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import hookimpl
from ..contract import ExportContext, Exporter
from ..errors import OptionError
from ..jsonfile import nested

if TYPE_CHECKING:
    from ..model import Dataset

#: What JSON-LD leaves out, and why: a model class, or one attribute of it.
#: Declared as the exporter's ``omitted``: the conformance kit fails for any
#: other field an export drops (tests/test_plugins.py runs it on every built-in),
#: and docs/formats/jsonld.md lists these (docs/generate_format_docs.py).
OMITTED: dict[str, str] = {
    "Dataset.title": "The graph describes the story, not the dataset that records it.",
    "Dataset.modified": "The graph describes the story, not the dataset that records it.",
    "Dataset.schema_version": "A storyfacts detail with no schema.org term.",
    "Event.kind": "Only `sports_event` has a schema.org type (`SportsEvent`); "
    "the other kinds have none.",
    "PartialDate.precision": "Implied by the date itself: `2023-04` is a month.",
    "PartialDate.phrase": "schema.org `Date` holds the date alone, not the story's words for it.",
    "Evidence.start": "Offsets are for checking the record; `mentions`, `isPartOf` and "
    "`appearance` say which article states what.",
    "Evidence.end": "As for `start`.",
    "Evidence.text": "The article body is written once, as `articleBody`.",
    "Evidence.prefix": "As for `start`: the words around a passage locate it in the article.",
    "Evidence.suffix": "As for `prefix`.",
    "*.draft": "The graph publishes records as they stand; whether a person has confirmed "
    "one is for editors.",
    "Draft": "As for `*.draft`.",
}

_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*[/#:]$")


def node_base(dataset: Dataset, options: Mapping[str, str]) -> str:
    """The prefix of every ``@id``: option ``base``, or a URN made from the dataset id."""
    base = options.get("base")
    if base is None:
        return f"urn:storyfacts:{dataset.id}:"
    if not _ABSOLUTE_IRI.match(base):
        raise OptionError(
            "jsonld",
            "base",
            f"base={base!r} must be an absolute IRI ending in '/', '#' or ':', "
            "such as https://example.org/stories/putin-xi/",
        )
    return base


# Escaped so that the document can sit in an HTML <script> element: "</script>"
# in a text would end it, "<!--" would open a comment, and U+2028 and U+2029
# end a line in older JavaScript. Outside strings JSON has none of these
# characters, so replacing them in the serialised text only escapes strings.
_HTML_UNSAFE = {
    "<": "\\u003c",
    ">": "\\u003e",
    "&": "\\u0026",
    "\u2028": "\\u2028",
    "\u2029": "\\u2029",
}


def html_safe(text: str) -> str:
    """Serialised JSON with ``<``, ``>``, ``&``, U+2028 and U+2029 written as ``\\u`` escapes."""
    for char, escape in _HTML_UNSAFE.items():
        if char in text:
            text = text.replace(char, escape)
    return text


def _dumps(value: Any, indent: int) -> str:
    """JSON for a value nested ``indent`` spaces deep, as one ``json.dumps`` of the whole would
    write it, then escaped by :func:`html_safe`."""
    return html_safe(nested(value, indent).decode("utf-8"))


def pieces(dataset: Dataset, base: str) -> Iterator[tuple[str, bool]]:
    """The document in pieces: (text, whether a record was just finished)."""
    # The mapping is imported when a document is written, not when the exporter is listed.
    from ..schemaorg import CONTEXT, StoryGraph

    graph = StoryGraph(dataset, base)
    yield '{\n  "@context": ' + _dumps(CONTEXT, 2) + ',\n  "@graph": [', False
    separator = "\n    "
    for record in dataset.records():
        yield separator + _dumps(graph.node(record), 4), True
        separator = ",\n    "
    yield ("]" if separator == "\n    " else "\n  ]") + "\n}\n", False


def write(dataset: Dataset, path: Path, context: ExportContext) -> None:
    base = node_base(dataset, context.options)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for text, finished_record in pieces(dataset, base):
            out.write(text)
            if finished_record:
                context.advance()


@hookimpl
def register_exporters(register: Callable[[Exporter], None]) -> None:
    register(
        Exporter(
            name="jsonld",
            extension=".jsonld",
            media_type="application/ld+json",
            description="schema.org JSON-LD for the web and knowledge graphs, context inline.",
            write=write,
            cost=2,
            streams=True,
            omitted=OMITTED,
            options={"base": "absolute IRI that node ids start with (default urn:storyfacts:ID:)"},
        )
    )
