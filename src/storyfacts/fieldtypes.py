"""What type each field of the model takes, checked when a record is built and before it is saved.

The annotations of the model classes are the one statement of each field's
type. :func:`checked_fields`, given to ``attrs.define`` as its
``field_transformer``, turns each annotation into a check, so a wrong
type is refused the moment a record is built: a ``str``
given where a list of text belongs would otherwise be split into its
characters when the record is dumped. :func:`type_problems` walks a live
dataset with the same expectations and reports what is wrong as problems
with JSON paths, for what the check at building cannot see: a value
assigned to a field later, or a list changed in place
(``dataset.entities.append({...})``). The same walk says whether every list
is a :class:`~storyfacts.edits.WatchedList` (:func:`checked_types`), which
is what lets a valid dataset be known unchanged by a count of edits.

Only types are checked here. Values (an id's form, an empty name, a date
that does not exist) are the schema's business, reported by
:func:`storyfacts.validate` with every other problem.
"""

from __future__ import annotations

import sys
import types
import typing
from collections.abc import Callable
from typing import Any

import attrs

from .edits import WatchedList, note_edit
from .errors import FieldTypeError, Problem, json_path, sort_problems

__all__ = ["Expected", "checked_fields", "checked_types", "type_problems"]

_KEY = "storyfacts.expected"

#: What a list field may hold: a plain list, or one that counts its edits (storyfacts.edits).
LISTS = (list, WatchedList)

_SCALAR_WORDS = {str: "text", int: "a whole number", float: "a number", bool: "true or false"}


@attrs.frozen
class Expected:
    """The type a field takes: ``kinds`` (one of them), optionally ``None``, or a list of them."""

    kinds: tuple[type, ...]
    optional: bool = False
    listed: bool = False

    @property
    def words(self) -> str:
        """The type in words: ``a list of text``, ``a PartialDate``."""
        return _words(self.kinds, self.listed)

    @property
    def item(self) -> Expected:
        """What each item of a list must be."""
        return Expected(self.kinds)

    def accepts_item(self, value: Any) -> bool:
        """Whether ``value`` is one of the kinds.

        ``True`` is not a number here; a whole number is a number where a
        float is asked for, as in Python's typing.
        """
        if isinstance(value, bool) and bool not in self.kinds:
            return False
        if float in self.kinds and isinstance(value, int):
            return True
        return isinstance(value, self.kinds)

    def accepts(self, value: Any) -> bool:
        """Whether ``value`` has the field's type, looking inside a list."""
        if value is None:
            return self.optional
        if not self.listed:
            return self.accepts_item(value)
        return type(value) in LISTS and all(self.accepts_item(item) for item in value)

    @property
    def models(self) -> bool:
        """Whether the values are model records, which have fields of their own."""
        return attrs.has(self.kinds[0])


def _expected(hint: Any) -> Expected:
    optional = False
    args = typing.get_args(hint)
    union = isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union
    if union and type(None) in args:
        optional = True
        rest = tuple(a for a in args if a is not type(None))
        hint = rest[0] if len(rest) == 1 else typing.Union[rest]  # noqa: UP007
        args = typing.get_args(hint)
    listed = typing.get_origin(hint) is list
    if listed:
        hint = args[0]
        args = typing.get_args(hint)
    if typing.get_origin(hint) is typing.Literal:
        kinds: tuple[type, ...] = tuple({type(a) for a in args})
    elif args:  # a union of record classes, such as Entity
        kinds = tuple(args)
    else:
        kinds = (hint,)
    return Expected(kinds, optional, listed)


def _words(kinds: tuple[type, ...], listed: bool) -> str:
    if len(kinds) > 1:
        names = [k.__name__ for k in kinds]
        one = f"a record of type {', '.join(names[:-1])} or {names[-1]}"
        return (
            f"a list of records of type {', '.join(names[:-1])} or {names[-1]}" if listed else one
        )
    kind = kinds[0]
    if kind in _SCALAR_WORDS:
        word = _SCALAR_WORDS[kind]
        if listed:
            return "a list of text" if kind is str else f"a list of {word.removeprefix('a ')}s"
        return word
    return f"a list of {kind.__name__} records" if listed else f"a {kind.__name__}"


def checked_fields(cls: type, fields: list[attrs.Attribute[Any]]) -> list[attrs.Attribute[Any]]:
    """An ``attrs`` field transformer: check each field's annotated type when a record is made.

    Each field's :class:`Expected` type goes into its metadata. The class
    gets an ``__attrs_post_init__`` that checks every field in one call: a
    validator per field would cost a call per field, and loading a big
    dataset builds hundreds of thousands of records (see :func:`_compile`).

    Each field's ``on_setattr`` hook is :func:`storyfacts.edits.note_edit`,
    which counts the edit (after the field's converter, if it has one), so
    that a dataset found valid and not edited since is not validated again
    (:mod:`storyfacts.validity`). The hook makes attrs set each field in
    ``__init__`` through a bound ``object.__setattr__`` instead of a plain
    assignment, a C call per field: structuring 10,000 generated statements
    took 0.118-0.128 s without it and 0.155-0.169 s with it, 100,000 took
    1.41-2.08 s and 1.86-2.55 s (CPU, the collector paused as in load;
    benchmarks/README.md, "A dataset is checked once"), some 6-8% of a load.
    No assignment in ``__init__`` needs counting (a new record is in no
    dataset yet), but any ``__setattr__`` of our own would slow every one of
    them more. A value assigned later is counted, not checked:
    :func:`type_problems`, which ``validate()`` and ``dump()`` use, finds
    one of the wrong type.
    """
    namespace = vars(sys.modules[cls.__module__])
    out = []
    for field in fields:
        if _KEY not in field.metadata:
            hint: Any = field.type
            if isinstance(hint, str):  # annotations kept as text
                hint = eval(hint, namespace)  # the model's own annotations
            expected = _expected(hint)
            field = field.evolve(metadata={**field.metadata, _KEY: expected})
        field = field.evolve(on_setattr=_on_setattr(field))
        out.append(field)
    if "__attrs_post_init__" in vars(cls):
        raise TypeError(f"{cls.__name__} defines __attrs_post_init__, which the type check takes.")
    cls.__attrs_post_init__ = _compile(  # type: ignore[attr-defined]
        cls.__name__, [(f.name, f.metadata[_KEY]) for f in out]
    )
    return out


def _on_setattr(field: attrs.Attribute[Any]) -> Any:
    """A field's hook on assignment: its converter first, as attrs would run it, then the count."""
    steps: list[Any] = []
    if field.converter is not None:
        steps.append(attrs.setters.convert)
    if field.validator is not None:
        steps.append(attrs.setters.validate)
    return attrs.setters.pipe(*steps, note_edit) if steps else note_edit


def _compile(owner: str, expectations: list[tuple[str, Expected]]) -> Callable[[Any], None]:
    """One ``__attrs_post_init__`` that checks every field of a record, its tests inline.

    Measured on 20,000 generated statements (CPU time, best of 7), building
    the records took 0.31 s with no checks, 0.43 s with one attrs validator
    per field, and 0.33 s with this.
    """
    names: dict[str, Any] = {"_refuse_record": _refuse_record, "_EXPECTATIONS": expectations}
    source = (
        "def __attrs_post_init__(self):\n"
        f"    if not ({_condition(expectations, names)}):\n"
        "        _refuse_record(self, _EXPECTATIONS)\n"
    )
    exec(compile(source, f"<storyfacts type check of {owner}>", "exec"), names)
    check: Callable[[Any], None] = names["__attrs_post_init__"]
    return check


def _condition(
    expectations: list[tuple[str, Expected]], names: dict[str, Any], *, watched: bool = False
) -> str:
    """A Python expression, true when every field of ``self`` has its type.

    With ``watched``, a list field must also be a :class:`~storyfacts.edits.WatchedList`.
    """
    names["_items_are"] = _items_are
    names["_LISTS"], names["_WatchedList"] = LISTS, WatchedList
    list_test = "type({0}) is _WatchedList" if watched else "type({0}) in _LISTS"
    tests = []
    for i, (name, expected) in enumerate(expectations):
        value, kinds = f"self.{name}", f"_k{i}"
        names[kinds] = expected.kinds
        if expected.listed:
            test = f"({list_test.format(value)} and _items_are({value}, {kinds}))"
        elif expected.kinds == (int,):  # a bool is an int to isinstance
            test = f"type({value}) is int"
        elif expected.kinds == (float,):  # an int will do, a bool will not
            test = f"type({value}) in (float, int)"
        else:
            test = f"isinstance({value}, {kinds})"
        tests.append(f"({value} is None or {test})" if expected.optional else test)
    return " and ".join(tests) or "True"


def _items_are(items: list[Any], kinds: tuple[type, ...]) -> bool:
    # A plain loop: all() over a generator costs a frame switch per item.
    for item in items:  # noqa: SIM110
        if not isinstance(item, kinds):
            return False
    return True


def _refuse_record(record: Any, expectations: list[tuple[str, Expected]]) -> None:
    for name, expected in expectations:
        value = getattr(record, name)
        if not expected.accepts(value):
            _refuse(record, name, expected, value)
    # The quick test was stricter than the exact one (an int subclass): accept.


def _refuse(record: Any, name: str, expected: Expected, value: Any) -> typing.NoReturn:
    owner = type(record).__name__
    if expected.listed and type(value) in LISTS:
        # Name the first item at fault rather than the whole list.
        item = expected.item
        i, wrong = next((i, v) for i, v in enumerate(value) if not item.accepts(v))
        raise FieldTypeError(owner, f"{name}[{i}]", item.words, describe(wrong), _hint(item, wrong))
    raise FieldTypeError(owner, name, expected.words, describe(value), _hint(expected, value))


def describe(value: Any) -> str:
    """A value's type in words, with a glimpse of it: ``the text 'Holm'``, ``a dict``."""
    if value is None:
        return "None"
    if isinstance(value, bool):
        return repr(value)
    if isinstance(value, str):
        shown = repr(value) if len(value) <= 40 else repr(value[:37]) + "..."
        return f"the text {shown}"
    if isinstance(value, int | float):
        return f"the number {value!r}"
    name = type(value).__name__
    article = "an" if name[:1].lower() in "aeiou" else "a"
    return f"{article} {name}"


def _hint(expected: Expected, value: Any) -> str:
    kind = expected.kinds[0]
    if expected.listed and expected.accepts_item(value):
        return f"put it in a list: [{_short_repr(value)}]"
    if isinstance(value, str) and kind.__name__ == "PartialDate":
        return f"make one from the text with PartialDate.parse({value!r})"
    if isinstance(value, dict) and expected.models:
        return "build the record from its class (plain data goes to storyfacts.load())"
    if isinstance(value, tuple | set | frozenset) and expected.listed:
        return f"give a list: list({_short_repr(value)})"
    return ""


def _short_repr(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else f"{type(value).__name__}(...)"


@attrs.frozen
class _Plan:
    """How to check one class of record quickly: one test of all its fields, then its records."""

    expectations: list[tuple[str, Expected]]
    sound: Callable[[Any], bool]
    #: ``sound``, and every list field a WatchedList too (storyfacts.edits).
    watched: Callable[[Any], bool]
    children: list[tuple[str, bool]]  # (field, holds a list) for fields that hold records


_PLANS: dict[type, _Plan] = {}


def _plan(cls: type) -> _Plan:
    found = _PLANS.get(cls)
    if found is None:
        expectations = [(f.name, f.metadata[_KEY]) for f in attrs.fields(cls) if _KEY in f.metadata]
        names: dict[str, Any] = {}
        source = (
            f"def sound(self):\n    return {_condition(expectations, names)}\n"
            f"def watched(self):\n    return {_condition(expectations, names, watched=True)}\n"
        )
        exec(compile(source, f"<storyfacts type test of {cls.__name__}>", "exec"), names)
        children = [(name, e.listed) for name, e in expectations if e.models]
        found = _PLANS[cls] = _Plan(expectations, names["sound"], names["watched"], children)
    return found


def type_problems(root: Any) -> list[Problem]:
    """Every field of ``root`` and the records inside it that has the wrong type, by JSON path.

    Walks the live objects without recursion; a value of the wrong type is
    reported and not looked into. A first pass only asks whether everything
    is sound, without building paths; the paths are worked out only when it
    is not.
    """
    return checked_types(root)[0]


def checked_types(root: Any) -> tuple[list[Problem], bool]:
    """:func:`type_problems` of ``root``, and whether every list in it is a ``WatchedList``.

    When every list is watched, every later edit of ``root`` moves the count
    of :mod:`storyfacts.edits`. Both come from the one walk.
    """
    verdict = _sound(root)
    if verdict:
        return [], verdict == _WATCHED
    return _wrong_types(root), False


def _wrong_types(root: Any) -> list[Problem]:
    out: list[Problem] = []
    stack: list[tuple[Any, tuple[str | int, ...]]] = [(root, ())]
    while stack:
        record, parts = stack.pop()
        for name, expected in _plan(type(record)).expectations:
            value = getattr(record, name)
            where = (*parts, name)
            if expected.listed and type(value) in LISTS:
                # Each item on its own: the sound ones are looked into.
                one = expected.item
                for i, item in enumerate(value):
                    if not one.accepts(item):
                        out.append(_problem((*where, i), one.words, item, _hint(one, item)))
                    elif one.models:
                        stack.append((item, (*where, i)))
            elif not expected.accepts(value):
                out.append(_problem(where, expected.words, value, _hint(expected, value)))
            elif expected.models and value is not None:
                stack.append((value, where))
    return sort_problems(out)


#: What :func:`_sound` finds: a wrong type, every type sound, and sound with every list watched.
_WRONG, _SOUND, _WATCHED = 0, 1, 2


def _sound(root: Any) -> int:
    stack = [root]
    pop, push, push_all = stack.pop, stack.append, stack.extend
    plans = _PLANS
    verdict = _WATCHED
    while stack:
        record = pop()
        plan = plans.get(type(record)) or _plan(type(record))
        # The stricter test first: it is the one a loaded dataset passes.
        if not plan.watched(record):
            if not plan.sound(record):
                return _WRONG
            verdict = _SOUND
        for name, listed in plan.children:
            value = getattr(record, name)
            if value is None:
                continue
            if listed:
                push_all(value)
            else:
                push(value)
    return verdict


def _problem(where: tuple[str | int, ...], words: str, value: Any, hint: str) -> Problem:
    message = f"Expected {words} here, found {describe(value)}"
    message += f"; {hint}." if hint else "."
    return Problem(json_path(where), message, code="wrong-type")
