"""Every format accounts for every field: it carries it, or says why it leaves it out.

Each built-in exporter declares what it leaves out as ``Exporter(omitted=...)``,
with the reason its format documentation gives. The conformance kit
(:mod:`storyfacts.testing`, run on every built-in by
``tests/test_plugins.py::test_builtin_exporter_passes_the_conformance_kit``)
removes each optional field from every record of its kind and exports again:
a field the exporter carries changes what it writes, one it declares omitted
does not. A field added to the schema and the model is checked the moment it
exists, so no format drops it without a sound. This file checks that the
kit's dataset sets every field, that the declarations name real fields, and
that the format docs list them.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pytest

from storyfacts import kinds, plugins
from storyfacts import schema as _schema
from storyfacts.testing._accounting import full_data, omission_keys

FORMATS = ("json", "csv", "jsonld", "ics", "xlsx")


def test_the_full_dataset_sets_every_optional_field() -> None:
    """Each optional field the kit removes is present somewhere, so removing it can matter."""
    data = full_data()
    for kind in kinds.KINDS:
        records = [
            r for r in data[kind.section] if kinds.kind_of_data(kind.section, r) == kind.name
        ]
        for name in _schema.properties_of(kind.definition):
            assert any(name in r for r in records), f"{kind.definition}.{name} is never set"


@pytest.mark.parametrize("format_name", FORMATS)
def test_omissions_name_real_fields_and_give_a_reason(format_name: str) -> None:
    """Each built-in declares its omissions; each is a model class or attribute, with a reason."""
    declared = plugins.exporter(format_name).omitted
    assert declared is not None, f"{format_name} declares no omitted"
    for key, reason in declared.items():
        assert key in omission_keys(), f"{format_name} omits {key!r}, which the model lacks"
        assert reason.strip() and "\n" not in reason


def _doc_generator() -> Any:
    path = Path(__file__).resolve().parent.parent / "docs" / "generate_format_docs.py"
    spec = importlib.util.spec_from_file_location("generate_format_docs", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_format_docs_tables_are_generated() -> None:
    """The CSV column table and the lists of omissions in the format docs are up to date."""
    generator = _doc_generator()
    for relative, blocks in generator.BLOCKS.items():
        path = generator.DOCS / relative
        text = path.read_text(encoding="utf-8")
        assert generator.render(text, blocks) == text, "run: python docs/generate_format_docs.py"
