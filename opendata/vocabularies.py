"""EU controlled vocabularies the catalogue uses: data themes (groups) and update frequencies.

Both are EU Publications Office authority tables, required by DCAT-AP(.de):
- data themes, http://publications.europa.eu/resource/authority/data-theme/ — our groups
  (one per theme, named by the lower-case code as on GovData: `tran`, `envi`, …);
- frequencies, http://publications.europa.eu/resource/authority/frequency/ — a dataset's
  `frequency` is stored as the code and shown as the URI (the value ckanext-dcatde uses).

Pages show the labels in the active language: frequency labels are translated through the
catalogue (gettext_lazy); the themes carry the EU's own German and English titles
(`data_theme_title`). API output keeps the codes, URIs and stored titles.
"""
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

__all__ = [
    "DATA_THEMES", "DATA_THEME_URI_BASE", "FREQUENCIES", "FREQUENCY_URI_BASE", "data_theme_title",
    "frequency_normalize", "frequency_uri", "group_title_display",
]

DATA_THEME_URI_BASE = "http://publications.europa.eu/resource/authority/data-theme/"
FREQUENCY_URI_BASE = "http://publications.europa.eu/resource/authority/frequency/"

# code → (German title, English title)
DATA_THEMES: dict[str, tuple[str, str]] = {
    "AGRI": ("Landwirtschaft, Fischerei, Forstwirtschaft und Nahrungsmittel",
             "Agriculture, fisheries, forestry and food"),
    "ECON": ("Wirtschaft und Finanzen", "Economy and finance"),
    "EDUC": ("Bildung, Kultur und Sport", "Education, culture and sport"),
    "ENER": ("Energie", "Energy"),
    "ENVI": ("Umwelt", "Environment"),
    "GOVE": ("Regierung und öffentlicher Sektor", "Government and public sector"),
    "HEAL": ("Gesundheit", "Health"),
    "INTR": ("Internationale Themen", "International issues"),
    "JUST": ("Justiz, Rechtssystem und öffentliche Sicherheit", "Justice, legal system and public safety"),
    "REGI": ("Regionen und Städte", "Regions and cities"),
    "SOCI": ("Bevölkerung und Gesellschaft", "Population and society"),
    "TECH": ("Wissenschaft und Technologie", "Science and technology"),
    "TRAN": ("Verkehr", "Transport"),
}

FREQUENCIES: dict[str, str] = {  # code → label (lazy)
    "CONT": _("kontinuierlich"),
    "UPDATE_CONT": _("ständig aktualisiert"),
    "1MIN": _("minütlich"),
    "5MIN": _("alle fünf Minuten"),
    "10MIN": _("alle zehn Minuten"),
    "15MIN": _("viertelstündlich"),
    "30MIN": _("halbstündlich"),
    "HOURLY": _("stündlich"),
    "DAILY": _("täglich"),
    "DAILY_2": _("zweimal täglich"),
    "WEEKLY": _("wöchentlich"),
    "WEEKLY_2": _("zweimal wöchentlich"),
    "WEEKLY_3": _("dreimal wöchentlich"),
    "BIWEEKLY": _("zweiwöchentlich"),
    "MONTHLY": _("monatlich"),
    "MONTHLY_2": _("zweimal monatlich"),
    "MONTHLY_3": _("dreimal monatlich"),
    "BIMONTHLY": _("zweimonatlich"),
    "QUARTERLY": _("vierteljährlich"),
    "ANNUAL_2": _("halbjährlich"),
    "ANNUAL_3": _("dreimal jährlich"),
    "ANNUAL": _("jährlich"),
    "BIENNIAL": _("zweijährlich"),
    "TRIENNIAL": _("dreijährlich"),
    "IRREG": _("unregelmäßig"),
    "NEVER": _("nie"),
    "OTHER": _("sonstige"),
    "UNKNOWN": _("unbekannt"),
}


def data_theme_title(code: str) -> str:
    """The EU title of a data theme in the active language (English for "en…", else German)."""
    german, english = DATA_THEMES[code.upper()]
    return english if (get_language() or "").startswith("en") else german


def group_title_display(*, name: str, title: str) -> str:
    """A group's title for pages: a theme group whose title is still the stock German one gets the
    title in the active language; any other title is the publisher's and is shown as it is."""
    code = (name or "").upper()
    if code in DATA_THEMES and title == DATA_THEMES[code][0]:
        return data_theme_title(code)
    return title or name


def frequency_normalize(value: str) -> str | None:
    """The frequency code for a code or frequency URI (case-insensitive), None if unknown."""
    code = (value or "").strip()
    if code.startswith(FREQUENCY_URI_BASE):
        code = code[len(FREQUENCY_URI_BASE):]
    code = code.upper()
    return code if code in FREQUENCIES else None


def frequency_uri(code: str) -> str:
    """The EU authority URI of a frequency code."""
    return FREQUENCY_URI_BASE + code
