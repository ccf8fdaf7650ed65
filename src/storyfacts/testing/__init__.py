"""Test helpers for plugin authors: a conformance kit for exporters, and datasets to test with.

In a plugin's own tests, one line checks an exporter against everything
storyfacts promises its users::

    from storyfacts.testing import check_exporter

    def test_markdown_exporter_conforms(tmp_path):
        check_exporter("markdown", directory=tmp_path)

:func:`check_exporter` exports the bundled dataset, a generated one and empty
ones, and checks that the exporter is listed, that its declaration is
sensible, that its output is deterministic and keeps Unicode text, that a
failure half-way leaves nothing behind, that its progress reports add up,
and, for an exporter that declares ``Exporter(omitted=...)``, that it writes
every field of the model it does not declare omitted, field by field.
It raises :class:`ConformanceError` (an :class:`AssertionError`) listing every
failed check, or returns the :class:`Report`.

:func:`make_dataset` builds a valid dataset of any size with text in Latin,
Cyrillic and Chinese; :func:`registered` registers a plugin for the length of
a ``with`` block.
"""

# The redundant aliases keep names that were importable from this module but
# are not in __all__ (MODIFIED, Outcome, PROBE_*) importable as before.
from ._checks import PROBE_FORMAT as PROBE_FORMAT
from ._checks import PROBE_PLUGIN as PROBE_PLUGIN
from ._conformance import check_exporter
from ._datasets import MODIFIED as MODIFIED
from ._datasets import empty_dataset, make_dataset
from ._reading import is_text_media_type, media_types_for
from ._registration import registered
from ._report import Check, ConformanceError, Report
from ._report import Outcome as Outcome

__all__ = [
    "Check",
    "ConformanceError",
    "Report",
    "check_exporter",
    "empty_dataset",
    "is_text_media_type",
    "make_dataset",
    "media_types_for",
    "registered",
]
