"""Workbook XML parts read with expat, safely: the parser, its feeding, and text content.

:mod:`~storyfacts.workbook.sheet_part` reads a sheet's rows with what is
here; the shared strings part (``sharedStrings.xml``) is read here whole.
Entity declarations and external references are refused as defusedxml
refuses them, and a parse error is raised as ElementTree (and so openpyxl)
raises it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import IO, Any
from xml.etree.ElementTree import ParseError
from xml.parsers import expat

from defusedxml import EntitiesForbidden, ExternalReferenceForbidden
from openpyxl.xml.constants import SHEET_MAIN_NS

__all__ = ["TextContent", "feed", "localname", "new_parser", "parse_strings"]

# How much of a part is parsed before what it held is handed on.
_CHUNK = 64 * 1024
_STRING_ITEM = f"{SHEET_MAIN_NS} si"

_LOCAL_NAMES = {f"{SHEET_MAIN_NS} t": "t", f"{SHEET_MAIN_NS} r": "r"}


def localname(name: str) -> str:
    """An element's name without its namespace, as openpyxl's ``localname``."""
    return _LOCAL_NAMES.get(name) or name.rpartition(" ")[2]


def new_parser(handler: Any) -> Any:
    """An expat parser with namespaces as ``URI name`` and entity declarations refused."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.buffer_text = True
    parser.buffer_size = _CHUNK
    parser.StartElementHandler = handler.start
    parser.EndElementHandler = handler.end
    parser.CharacterDataHandler = handler.text
    parser.EntityDeclHandler = _refuse_entity
    parser.UnparsedEntityDeclHandler = _refuse_unparsed_entity
    parser.ExternalEntityRefHandler = _refuse_external
    return parser


def _refuse_entity(
    name: str,
    _parameter: bool,
    value: str | None,
    base: str | None,
    sysid: str,
    pubid: str | None,
    notation: str | None,
) -> None:
    raise EntitiesForbidden(name, value, base, sysid, pubid, notation)


def _refuse_unparsed_entity(
    name: str, base: str | None, sysid: str, pubid: str | None, notation: str
) -> None:
    raise EntitiesForbidden(name, None, base, sysid, pubid, notation)


def _refuse_external(context: str, base: str | None, sysid: str | None, pubid: str | None) -> int:
    raise ExternalReferenceForbidden(context, base, sysid, pubid)


def feed(source: IO[bytes], parser: Any, after: Callable[[], Iterator[Any]]) -> Iterator[Any]:
    """Parse ``source`` a chunk at a time, handing on what each chunk completed."""
    try:
        while True:
            chunk = source.read(_CHUNK)
            parser.Parse(chunk, not chunk)
            yield from after()
            if not chunk:
                return
    except expat.ExpatError as error:
        # What ElementTree (and so openpyxl) raises for the same bytes.
        raise ParseError(str(error)) from None


class TextContent:
    """The text of an ``si`` or ``is`` element, as openpyxl's ``Text.content`` gives it:
    its last ``t`` child, then the last ``t`` of each ``r`` run; phonetic runs left out."""

    __slots__ = ("buffer", "depth", "in_run", "plain", "reading", "run", "runs", "t_depth")

    def __init__(self, depth: int) -> None:
        self.depth = depth
        self.plain: str | None = None
        self.runs: list[str] = []
        self.run: str | None = None
        self.in_run = False
        # The text of the ``t`` being read; ``reading`` until its first child,
        # as ElementTree's ``text`` ends there.
        self.buffer: list[str] = []
        self.reading = False
        self.t_depth = 0

    def start(self, depth: int, name: str) -> None:
        self.reading = False
        offset = depth - self.depth
        if offset > 2:
            return
        local = localname(name)
        if local == "t" and (offset == 1 or self.in_run):
            self.buffer = []
            self.reading = True
            self.t_depth = depth
        elif offset == 1 and local == "r":
            self.in_run = True
            self.run = None

    def text(self, data: str) -> None:
        if self.reading:
            self.buffer.append(data)

    def end(self, depth: int, name: str) -> None:
        self.reading = False
        offset = depth - self.depth
        if depth == self.t_depth and localname(name) == "t":
            self.t_depth = 0
            text = "".join(self.buffer) if self.buffer else None
            if offset == 1:
                self.plain = text
            else:
                self.run = text
        elif offset == 1 and self.in_run and localname(name) == "r":
            if self.run is not None:
                self.runs.append(self.run)
            self.in_run = False

    @property
    def content(self) -> str:
        return "".join(self.runs) if self.plain is None else self.plain + "".join(self.runs)


class _Strings:
    """Handlers collecting the shared strings of ``sharedStrings.xml``."""

    def __init__(self) -> None:
        self.strings: list[str] = []
        self.depth = 0
        self.item: TextContent | None = None

    def start(self, name: str, _attributes: Any) -> None:
        self.depth += 1
        if self.item is not None:
            self.item.start(self.depth, name)
        elif name == _STRING_ITEM:
            self.item = TextContent(self.depth)

    def text(self, data: str) -> None:
        if self.item is not None:
            self.item.text(data)

    def end(self, name: str) -> None:
        item = self.item
        if item is not None:
            if self.depth == item.depth:
                self.strings.append(item.content)
                self.item = None
            else:
                item.end(self.depth, name)
        self.depth -= 1

    def done(self) -> Iterator[None]:
        return iter(())


def parse_strings(source: IO[bytes]) -> list[str]:
    """The shared strings of a workbook, each as openpyxl's ``Text.content`` reads it."""
    handler = _Strings()
    for _ in feed(source, new_parser(handler), handler.done):
        pass
    return handler.strings
