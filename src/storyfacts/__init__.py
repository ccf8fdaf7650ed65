"""storyfacts: a news story as a checked, structured record, exported through plugins.

The API in five lines::

    import storyfacts
    dataset = storyfacts.load_bundled()          # or storyfacts.load("story.json")
    problems = storyfacts.validate("story.json")   # [] when valid
    storyfacts.export(dataset, "xlsx", "story.xlsx")
    print(storyfacts.formats())
"""

from . import plugins
from .contract import ExportContext, Exporter, output_name
from .errors import (
    ExportError,
    InputError,
    InvalidDatasetError,
    OptionError,
    PluginError,
    Problem,
    StoryfactsError,
    UnknownFormatError,
)
from .exporting import export
from .hookspecs import hookimpl
from .loading import bundled_path, dump, dumps, load, load_bundled, read, validate
from .model import (
    Article,
    Claim,
    Country,
    Dataset,
    Decision,
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
from .schema import SCHEMA_VERSION
from .schema import schema as json_schema


def formats() -> list[Exporter]:
    """Every exporter available (built-in and installed plugins), in name order."""
    return list(plugins.exporters().values())


__version__ = "0.1.0"

__all__ = [
    "SCHEMA_VERSION",
    "Article",
    "Claim",
    "Country",
    "Dataset",
    "Decision",
    "Event",
    "Evidence",
    "ExportContext",
    "ExportError",
    "Exporter",
    "Group",
    "InputError",
    "InvalidDatasetError",
    "OptionError",
    "Organization",
    "PartialDate",
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
    "dump",
    "dumps",
    "export",
    "formats",
    "hookimpl",
    "json_schema",
    "load",
    "load_bundled",
    "output_name",
    "read",
    "validate",
]
