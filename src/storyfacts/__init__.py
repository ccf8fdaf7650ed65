"""storyfacts: a news story as a checked, structured record, exported through plugins.

The API in five lines::

    import storyfacts
    dataset = storyfacts.load_bundled()          # or storyfacts.load("story.json")
    problems = storyfacts.validate("story.json")   # [] when valid
    storyfacts.export(dataset, "xlsx", "story.xlsx")
    print(storyfacts.formats())

Every name below is imported on first use (PEP 562), so that ``import
storyfacts`` and ``storyfacts --version`` cost milliseconds, not the import
of every library a command might need.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .contract import ExportContext, Exporter, output_name
    from .corpus import MergeError, merge, split
    from .drafting import DraftingError, draft
    from .errors import (
        ExportError,
        FieldTypeError,
        InputError,
        InvalidDatasetError,
        OptionError,
        PassageError,
        PluginError,
        Problem,
        StoryfactsError,
        UnknownFormatError,
    )
    from .exporting import export
    from .hookspecs import hookimpl
    from .ids import id_from_name
    from .loading import (
        bundled_path,
        dump,
        dumps,
        load,
        load_bundled,
        read,
        source_kind,
        validate,
    )
    from .model import (
        Article,
        Claim,
        Country,
        Dataset,
        Decision,
        Draft,
        Event,
        Evidence,
        Group,
        Organization,
        PartialDate,
        Person,
        Place,
        Quote,
        Relation,
        Source,
    )
    from .reanchoring import reanchor
    from .schema import SCHEMA_VERSION
    from .schema import schema as json_schema

__version__ = "0.1.0"

#: Where each public name lives: (module, attribute). Kept in step with the
#: imports above by tests/test_startup.py.
_PUBLIC: dict[str, tuple[str, str]] = {
    **{
        name: (".errors", name)
        for name in (
            "ExportError",
            "FieldTypeError",
            "InputError",
            "InvalidDatasetError",
            "OptionError",
            "PassageError",
            "PluginError",
            "Problem",
            "StoryfactsError",
            "UnknownFormatError",
        )
    },
    **{name: (".contract", name) for name in ("ExportContext", "Exporter", "output_name")},
    **{name: (".corpus", name) for name in ("MergeError", "merge", "split")},
    # The drafter compiles some hundred patterns (about 90 ms), paid by the
    # first storyfacts.draft only.
    **{name: (".drafting", name) for name in ("DraftingError", "draft")},
    "export": (".exporting", "export"),
    "reanchor": (".reanchoring", "reanchor"),
    "hookimpl": (".hookspecs", "hookimpl"),
    "id_from_name": (".ids", "id_from_name"),
    **{
        name: (".loading", name)
        for name in (
            "bundled_path",
            "dump",
            "dumps",
            "load",
            "load_bundled",
            "read",
            "source_kind",
            "validate",
        )
    },
    **{
        name: (".model", name)
        for name in (
            "Article",
            "Claim",
            "Country",
            "Dataset",
            "Decision",
            "Draft",
            "Event",
            "Evidence",
            "Group",
            "Organization",
            "PartialDate",
            "Person",
            "Place",
            "Quote",
            "Relation",
            "Source",
        )
    },
    "SCHEMA_VERSION": (".schema", "SCHEMA_VERSION"),
    "json_schema": (".schema", "schema"),
}


def __getattr__(name: str) -> Any:
    try:
        module, attribute = _PUBLIC[name]
    except KeyError:
        raise AttributeError(f"module 'storyfacts' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module, __name__), attribute)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_PUBLIC})


def formats() -> list[Exporter]:
    """Every exporter available (built-in and installed plugins), in name order."""
    from . import plugins

    return list(plugins.exporters().values())


__all__ = [
    "SCHEMA_VERSION",
    "Article",
    "Claim",
    "Country",
    "Dataset",
    "Decision",
    "Draft",
    "DraftingError",
    "Event",
    "Evidence",
    "ExportContext",
    "ExportError",
    "Exporter",
    "FieldTypeError",
    "Group",
    "InputError",
    "InvalidDatasetError",
    "MergeError",
    "OptionError",
    "Organization",
    "PartialDate",
    "PassageError",
    "Person",
    "Place",
    "PluginError",
    "Problem",
    "Quote",
    "Relation",
    "Source",
    "StoryfactsError",
    "UnknownFormatError",
    "__version__",
    "bundled_path",
    "draft",
    "dump",
    "dumps",
    "export",
    "formats",
    "hookimpl",
    "id_from_name",
    "json_schema",
    "load",
    "load_bundled",
    "merge",
    "output_name",
    "read",
    "reanchor",
    "source_kind",
    "split",
    "validate",
]
