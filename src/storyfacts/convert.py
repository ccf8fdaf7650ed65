"""The one cattrs converter between plain JSON data and the attrs model.

Validation belongs to the edges: data is checked against the JSON Schema
before it is structured, so structuring never guesses. The converter is
strict all the same: ``"7"`` is not an integer and ``True`` is not a string,
here as in the schema. Unstructuring omits optional fields left at ``None``,
so a dataset loaded and dumped again gives the same JSON.

Every list it makes is a :class:`~storyfacts.edits.WatchedList`, so that
an edit of a loaded dataset is counted (see :mod:`storyfacts.validity`);
unstructuring gives plain lists.
"""

from __future__ import annotations

import itertools
import typing
from collections.abc import Callable
from typing import Any

import cattrs
from cattrs.cols import is_mutable_sequence, list_structure_factory
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from .edits import WatchedList, watched
from .fieldtypes import LISTS
from .model import (
    ENTITY_TYPES,
    STATEMENT_TYPES,
    Dataset,
)

__all__ = ["converter", "make_converter"]


def _strict(kind: type) -> Callable[[Any, Any], Any]:
    def structure(value: Any, _: Any) -> Any:
        if type(value) is not kind:
            raise TypeError(f"expected {kind.__name__}, got {type(value).__name__}")
        return value

    return structure


def _number(value: Any, _: Any) -> float:
    if type(value) not in (int, float):
        raise TypeError(f"expected a number, got {type(value).__name__}")
    return float(value)


def _tagged(converter: cattrs.Converter, classes: dict[str, type[Any]]) -> None:
    """Structure and unstructure a union of classes told apart by their ``type`` field."""
    structure_fns = {
        tag: make_dict_structure_fn(cls, converter, _cattrs_forbid_extra_keys=True)
        for tag, cls in classes.items()
    }
    for tag, cls in classes.items():
        # An entity's id defaults to one made from its name, and is written
        # all the same: an id is never left out.
        base = make_dict_unstructure_fn(
            cls, converter, _cattrs_omit_if_default=True, id=override(omit_if_default=False)
        )

        def unstructure(obj: Any, _base: Any = base, _tag: str = tag) -> dict[str, Any]:
            data: dict[str, Any] = _base(obj)
            return {"id": data.pop("id"), "type": _tag, **data}

        converter.register_unstructure_hook(cls, unstructure)

    def structure(data: Any, _: Any) -> Any:
        if not isinstance(data, dict):
            raise TypeError(f"expected an object, got {type(data).__name__}")
        fields = dict(data)
        tag = fields.pop("type", None)
        if tag not in structure_fns:
            raise ValueError(f"unknown type {tag!r}; expected one of {', '.join(classes)}")
        return structure_fns[tag](fields, classes[tag])

    members = set(classes.values())

    def is_union(kind: Any) -> bool:
        return set(typing.get_args(kind)) == members

    converter.register_structure_hook_func(is_union, structure)


def _text_list(value: Any) -> list[Any]:
    # A str is a sequence of characters too: written as a list it would come
    # out as ["H", "o", "l", "m"]. The model refuses one when a record is
    # built; this catches one assigned later.
    if type(value) not in LISTS:
        raise TypeError(f"expected a list of text, got {type(value).__name__}")
    return list(value)


def _watched_list(kind: Any, converter: cattrs.Converter) -> Callable[[Any, Any], Any]:
    """Structure a list field into a WatchedList.

    The items are structured as cattrs would, by ``map`` straight into the
    new list (no comprehension, no copy); should one fail, cattrs' own hook
    runs again to report every item at fault.
    """
    item = typing.get_args(kind)[0] if typing.get_args(kind) else Any
    handler = converter.get_structure_hook(item)
    detailed = list_structure_factory(kind, converter)
    items = itertools.repeat(item)
    new, fill = list.__new__, list.extend

    def structure(value: Any, _: Any) -> Any:
        made = new(WatchedList)  # not WatchedList(): making one is no edit
        try:
            fill(made, map(handler, value, items))
        except Exception:
            return watched(detailed(value, kind))
        return made

    return structure


def make_converter() -> cattrs.Converter:
    """Build a converter configured for storyfacts datasets."""
    converter = cattrs.Converter(forbid_extra_keys=True, omit_if_default=True)
    converter.register_unstructure_hook_func(lambda kind: kind == list[str], _text_list)
    for kind in (str, int, bool):
        converter.register_structure_hook(kind, _strict(kind))
    # A JSON number may be written without a fraction (a draft's confidence of 1).
    converter.register_structure_hook(float, _number)
    converter.register_structure_hook_factory(is_mutable_sequence, _watched_list)
    _tagged(converter, ENTITY_TYPES)
    _tagged(converter, STATEMENT_TYPES)
    # The top level always carries every list, even an empty one.
    converter.register_unstructure_hook(
        Dataset, make_dict_unstructure_fn(Dataset, converter, _cattrs_omit_if_default=False)
    )
    return converter


converter = make_converter()
