"""Countries for the `country` field: ISO 3166-1 alpha-2 codes with German and English names.

The data comes from `pycountry` (pinned in requirements.lock): it ships the Debian
iso-codes database, which follows every ISO 3166 update and carries the German names
(translations of the iso-codes project). Django itself has no country list, and a list
copied into this repository would age unnoticed.
"""
import gettext
from functools import cache

import pycountry
from django.utils import translation

__all__ = ["country_choices", "country_name", "COUNTRY_CODES"]

COUNTRY_CODES = frozenset(c.alpha_2 for c in pycountry.countries)

# Sorting by name: umlauts as their base letter (DIN 5007-1), so that "Österreich" is
# among the O's.
_SORT = str.maketrans({"Ä": "A", "Ö": "O", "Ü": "U", "ä": "a", "ö": "o", "ü": "u", "ß": "ss", "Å": "A", "Ç": "C",
                       "É": "E", "Ì": "I", "Í": "I"})


@cache
def _names(language: str) -> dict[str, str]:
    names = {c.alpha_2: getattr(c, "common_name", None) or c.name for c in pycountry.countries}
    if language == "de":
        german = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["de"])
        names = {c.alpha_2: german.gettext(getattr(c, "common_name", None) or c.name) for c in pycountry.countries}
    return names


def _language() -> str:
    return "en" if (translation.get_language() or "de").startswith("en") else "de"


def country_name(code: str) -> str:
    """The name of ISO 3166-1 alpha-2 `code` in the active language (the code if unknown)."""
    return _names(_language()).get(code, code)


def country_choices() -> list[tuple[str, str]]:
    """(code, name) pairs sorted by name in the active language, Germany first."""
    names = _names(_language())
    rest = sorted((c for c in names if c != "DE"), key=lambda c: names[c].translate(_SORT).casefold())
    return [("DE", names["DE"])] + [(c, names[c]) for c in rest]
