"""Country names: ISO 3166-1 from pycountry, plus the short names news copy uses.

pycountry is the maintained list (Debian's iso-codes), but it names Russia
"Russian Federation" and has no "Britain" or "the US", so a short table of
the names wire copy uses is kept beside it. pycountry takes about 50 ms to
import, so it is imported only when a draft is made, never by ``import
storyfacts``.
"""

from __future__ import annotations

import functools

__all__ = ["Country", "country_names"]

#: Names news copy uses that pycountry does not give, by ISO 3166-1 alpha-2 code.
NEWS_NAMES: dict[str, tuple[str, ...]] = {
    "RU": ("Russia",),
    "GB": ("Britain", "Great Britain", "UK", "U.K."),
    "US": ("US", "U.S.", "USA", "United States of America"),
    "KR": ("South Korea",),
    "KP": ("North Korea",),
    "IR": ("Iran",),
    "SY": ("Syria",),
    "VN": ("Vietnam",),
    "TW": ("Taiwan",),
    "BO": ("Bolivia",),
    "VE": ("Venezuela",),
    "TZ": ("Tanzania",),
    "MD": ("Moldova",),
    "LA": ("Laos",),
    "TR": ("Turkey",),
    "CZ": ("Czech Republic",),
    "CI": ("Ivory Coast",),
    "CD": ("DR Congo", "Democratic Republic of Congo", "Democratic Republic of the Congo"),
    "CG": ("Republic of Congo",),
    "PS": ("Palestine",),
    "VA": ("Vatican", "Vatican City"),
    "MK": ("North Macedonia",),
    "FM": ("Micronesia",),
    "NL": ("Netherlands", "the Netherlands"),
}

Country = tuple[str, str]  # (ISO 3166-1 alpha-2 code, the name to record)


@functools.cache
def country_names() -> dict[str, Country]:
    """Every country name (pycountry's names and the news names) -> (code, preferred name)."""
    import pycountry  # imported here: about 50 ms, paid only when drafting

    found: dict[str, Country] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        news = NEWS_NAMES.get(code, ())
        preferred = news[0] if news else getattr(country, "common_name", None) or country.name
        names = [
            *news,
            country.name,
            getattr(country, "common_name", None),
            getattr(country, "official_name", None),
        ]
        for name in names:
            # "Korea, Republic of" is how a list sorts, not how a story writes.
            if name and "," not in name:
                found.setdefault(name, (code, preferred))
    return found
