"""Evidence passages by their text: anchoring them in an article body, and re-anchoring after edits.

Modelled on the W3C Web Annotation TextQuoteSelector (``exact``, ``prefix``,
``suffix``) and TextPositionSelector (``start``, ``end``, counted in Unicode
code points), and on the Hypothesis client's re-anchoring. See
:func:`find` and :func:`reanchor`; :class:`BodyChange` maps offsets from an
old body to a new one.
"""

from ._anchor import APPROXIMATE_FLOOR, Anchoring, Status, find, reanchor
from ._change import MAX_DIFF_CELLS, BodyChange
from ._search import APPROXIMATE_BUDGET, CONTEXT_LENGTH, MAX_OCCURRENCES, Candidate

__all__ = [
    "APPROXIMATE_BUDGET",
    "APPROXIMATE_FLOOR",
    "CONTEXT_LENGTH",
    "MAX_DIFF_CELLS",
    "MAX_OCCURRENCES",
    "Anchoring",
    "BodyChange",
    "Candidate",
    "Status",
    "find",
    "reanchor",
]
