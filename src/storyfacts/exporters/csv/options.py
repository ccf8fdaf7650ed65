"""What a user chooses with ``-O``: formula neutralisation and a byte-order mark."""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from ...errors import OptionError

__all__ = ["CsvOptions", "parse_options"]


@attrs.frozen
class CsvOptions:
    """What the user chose with ``-O``: formula neutralisation and a byte-order mark."""

    neutralise: bool = True
    bom: bool = False


#: Each option: the attribute of :class:`CsvOptions` it sets, and its values.
_CHOICES: dict[str, tuple[str, dict[str, bool]]] = {
    "formulas": ("neutralise", {"neutralise": True, "keep": False}),
    "bom": ("bom", {"false": False, "true": True}),
}


def _allowed(key: str) -> str:
    return "|".join(_CHOICES[key][1])


def parse_options(options: Mapping[str, str]) -> CsvOptions:
    """Read the user's ``-O`` options; raise :class:`OptionError` naming any bad one."""
    chosen: dict[str, bool] = {}
    for key, value in sorted(options.items()):
        if key not in _CHOICES:
            known = ", ".join(f"{k}={_allowed(k)}" for k in sorted(_CHOICES))
            raise OptionError("csv", key, f"no such option; its options are {known}")
        attribute, values = _CHOICES[key]
        choice = values.get(value.strip().lower())
        if choice is None:
            raise OptionError(
                "csv", key, f"{key}={value!r} is not allowed; use {key}={_allowed(key)}"
            )
        chosen[attribute] = choice
    return CsvOptions(**chosen)
