"""The exporter contract: what a plugin registers, and what its write function is given.

:class:`Exporter` is the declaration a plugin registers through the
``register_exporters`` hook; :class:`ExportContext` is what ``write`` gets
besides the dataset and the path. The operation that runs an exporter,
:func:`storyfacts.export`, lives in :mod:`storyfacts.exporting`; the plugin
machinery needs only this module, so neither imports the other in a circle.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from .errors import OptionError

if TYPE_CHECKING:
    # Declaring an exporter does not load the model: `storyfacts formats` lists
    # every exporter without it.
    from .model import Dataset
    from .streaming import CorpusReader

__all__ = [
    "ExportContext",
    "Exporter",
    "Progress",
    "Write",
    "WriteCorpus",
    "no_progress",
    "output_name",
]

NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
EXTENSION = re.compile(r"^\.[A-Za-z0-9][A-Za-z0-9.-]{0,19}$")
MEDIA_TYPE = re.compile(r"^[a-z]+/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$")

Progress = Callable[[int, int], None]


def no_progress(done: int, total: int) -> None:
    return None


@attrs.frozen(kw_only=True)
class ExportContext:
    """What an exporter gets besides the dataset and the path.

    New attributes may be added here in later versions; exporters that do not
    use them are unaffected.
    """

    #: Exporter-specific options given by the user (``-O key=value`` on the command line).
    options: Mapping[str, str] = attrs.field(factory=dict)
    #: How many records the export will report in all: articles, entities,
    #: statements and sources.
    total: int = 0
    _progress: Progress = no_progress
    _done: list[int] = attrs.field(init=False, factory=lambda: [0])

    def advance(self, count: int = 1) -> None:
        """Report that ``count`` more records have been written."""
        self._done[0] += count
        self._progress(self._done[0], self.total)

    @property
    def done(self) -> int:
        """How many records have been reported so far."""
        return self._done[0]


Write = Callable[["Dataset", Path, "ExportContext"], None]
#: Writes a JSON Lines corpus read one record at a time (a
#: :class:`storyfacts.streaming.CorpusReader`), never a whole ``Dataset``.
WriteCorpus = Callable[["CorpusReader", Path, "ExportContext"], None]


@attrs.frozen(kw_only=True)
class Exporter:
    """An output format, as a plugin registers it.

    ``write(dataset, path, context)`` writes the whole dataset to ``path``.
    The path is a temporary file (or, with ``directory=True``, an empty
    temporary directory) that storyfacts moves into place only when ``write``
    returns, so an exporter never has to clean up after a failure.
    """

    #: Format name used on the command line (``-f NAME``): lower case, digits, ``-`` and ``_``.
    name: str
    #: File extension with its dot, such as ``".csv"``.
    extension: str
    #: IANA media type of the output, such as ``"text/csv"``.
    media_type: str
    #: One line saying what the format is for.
    description: str
    #: The function that writes the dataset.
    write: Write
    #: True when the exporter writes record by record, without building the
    #: whole output in memory first.
    streams: bool = False
    #: Optional: writes a JSON Lines corpus as a stream, reading it one record at
    #: a time (see docs/corpus.md), the bytes those ``write`` gives for the corpus
    #: loaded whole. storyfacts validates the corpus first, in one streaming pass.
    write_corpus: WriteCorpus | None = None
    #: True when the output is a directory of files rather than one file.
    directory: bool = False
    #: The options the exporter accepts (``-O KEY=VALUE``), each with one line of
    #: help. storyfacts refuses any other option before ``write`` is called; the
    #: exporter checks the values and raises :class:`~storyfacts.OptionError`
    #: for a bad one.
    options: Mapping[str, str] = attrs.field(factory=dict)
    #: Optional: what of the model the format leaves out, each with one line
    #: saying why. A key is a model class (``"Person"``), one attribute
    #: (``"Person.aliases"``) or an attribute on every class (``"*.wikidata"``).
    #: Declaring it (``{}`` when nothing is left out) promises that every
    #: other field is written; the conformance kit checks the promise, field
    #: by field, so a field a later storyfacts adds is not dropped silently.
    #: ``None``, the default, makes no promise.
    omitted: Mapping[str, str] | None = None
    #: Optional: how long the format takes to write a dataset, against csv's 1
    #: (json 1, ics and jsonld 2, the workbook 10). When ``storyfacts export``
    #: writes several formats at once in worker processes it starts the
    #: costliest first, so that the longest is not left for last; only the
    #: order matters, and a format that does not say is taken to cost 1.
    cost: float = 1.0
    #: Name of the plugin that registered the exporter; set by storyfacts.
    plugin: str = ""

    def problems(self) -> list[str]:
        """What is wrong with this declaration, in words; empty when it is fine."""
        out = []
        if not isinstance(self.name, str) or not NAME.match(self.name):
            out.append(f"name {self.name!r} must be lower-case letters, digits, '-' or '_'")
        if not isinstance(self.extension, str) or not EXTENSION.match(self.extension):
            out.append(f"extension {self.extension!r} must start with a dot, such as '.csv'")
        if not isinstance(self.media_type, str) or not MEDIA_TYPE.match(self.media_type):
            out.append(f"media type {self.media_type!r} must look like 'text/csv'")
        if (
            not isinstance(self.description, str)
            or not self.description.strip()
            or "\n" in self.description
        ):
            out.append("description must be one non-empty line")
        if not isinstance(self.options, Mapping) or not all(
            isinstance(k, str) and NAME.match(k) and isinstance(v, str) and "\n" not in v
            for k, v in self.options.items()
        ):
            out.append("options must map lower-case names to one line of help each")
        if self.omitted is not None and not (
            isinstance(self.omitted, Mapping)
            and all(
                isinstance(k, str) and k.strip() and isinstance(v, str) and _one_line(v)
                for k, v in self.omitted.items()
            )
        ):
            out.append("omitted must map model classes or fields to one line of reason each")
        if not callable(self.write):  # a plugin may pass anything, whatever the annotation says
            out.append("write must be callable")  # type: ignore[unreachable]
        if (
            isinstance(self.cost, bool)
            or not isinstance(self.cost, int | float)
            or not 0 < self.cost < float("inf")
        ):
            out.append(f"cost {self.cost!r} must be a positive number, such as 1 or 2.5")
        if self.write_corpus is not None and not callable(self.write_corpus):
            out.append("write_corpus must be callable or None")  # type: ignore[unreachable]
        return out

    def check_options(self, options: Mapping[str, str]) -> None:
        """Refuse any option this exporter does not declare, naming it and the ones it has."""
        for key in options:
            if key not in self.options:
                known = ", ".join(sorted(self.options)) or "none"
                raise OptionError(self.name, key, f"no such option; its options are: {known}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "extension": self.extension,
            "media_type": self.media_type,
            "description": self.description,
            "streams": self.streams,
            "directory": self.directory,
            "options": dict(self.options),
            "plugin": self.plugin,
        }


def _one_line(text: str) -> bool:
    return bool(text.strip()) and "\n" not in text


def output_name(dataset: Dataset | CorpusReader, exporter: Exporter) -> str:
    """The file or directory name an export gets inside an output directory."""
    if exporter.directory:
        return f"{dataset.id}-{exporter.name}"
    return f"{dataset.id}{exporter.extension}"
