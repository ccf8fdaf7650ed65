"""The storyfacts model in schema.org terms: one JSON-LD node per record.

:class:`StoryGraph` turns each article, entity, statement and source into a
schema.org node; the ``jsonld`` exporter writes the nodes out. The modules:

- ``terms``: the context and the types of entities and event statuses;
- ``graph``: the node of each record;
- ``relations``: which property states a relation, in schema.org's Role pattern;
- ``agents``: who acts, for a country (its state) or a group (its members);
- ``dates``: partial dates, their sources, and a note when one was inferred.

See docs/formats/jsonld.md for the mapping and the reasons behind it.
"""

from .graph import StoryGraph
from .terms import CONTEXT

__all__ = ["CONTEXT", "StoryGraph"]
