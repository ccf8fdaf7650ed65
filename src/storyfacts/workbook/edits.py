"""When an edited workbook was edited: the ``modified`` time an import gives the dataset.

The writer stamps a workbook's created and modified properties with the
dataset's ``modified``; a spreadsheet program sets the modified property
each time it saves. So an import of an edited workbook records the edit as
made when the workbook was last saved, and importing the same file twice
gives the same dataset. An unedited workbook keeps its ``modified``, so a
round trip stays byte-identical.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ..model import modified_text

__all__ = ["edited_modified"]


def edited_modified(written: Any, properties: Any, now: dt.datetime | None = None) -> Any:
    """The ``modified`` of a dataset read from an edited workbook.

    ``written`` is the About sheet's *Last modified*; ``properties`` the
    workbook's document properties. An editor who typed their own time there
    keeps it. Otherwise the time the workbook was saved, or ``now`` when the
    file does not say it was saved after it was exported (a program that
    leaves the property alone, or a clock behind).
    """
    exported = _utc(getattr(properties, "created", None))
    if exported is not None and _instant(written) != exported:
        return written
    saved = _utc(getattr(properties, "modified", None))
    if saved is None or exported is None or saved <= exported:
        saved = (now or dt.datetime.now(dt.UTC)).replace(microsecond=0)
    return modified_text(saved)


def _utc(moment: Any) -> dt.datetime | None:
    """A document property's time as an aware UTC datetime to the second (it is stored in UTC)."""
    if not isinstance(moment, dt.datetime):
        return None
    aware: dt.datetime = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone(dt.UTC).replace(microsecond=0)


def _instant(text: Any) -> dt.datetime | None:
    """The instant an RFC 3339 ``modified`` text names, to the second; ``None`` if it names none."""
    if not isinstance(text, str):
        return None
    try:
        moment = dt.datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
    except ValueError:
        return None
    return _utc(moment) if moment.tzinfo is not None else None
