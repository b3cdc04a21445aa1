"""EU controlled vocabularies the catalogue uses: data themes (groups) and update frequencies.

Both are EU Publications Office authority tables, required by DCAT-AP(.de):
- data themes, http://publications.europa.eu/resource/authority/data-theme/ — our groups
  (one per theme, named by the lower-case code as on GovData: `tran`, `envi`, …);
- frequencies, http://publications.europa.eu/resource/authority/frequency/ — a dataset's
  `frequency` is stored as the code and shown as the URI (the value ckanext-dcatde uses).
"""
__all__ = [
    "DATA_THEMES", "DATA_THEME_URI_BASE", "FREQUENCIES", "FREQUENCY_URI_BASE", "frequency_normalize",
    "frequency_uri",
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

FREQUENCIES: dict[str, str] = {
    "CONT": "kontinuierlich",
    "UPDATE_CONT": "ständig aktualisiert",
    "1MIN": "minütlich",
    "5MIN": "alle fünf Minuten",
    "10MIN": "alle zehn Minuten",
    "15MIN": "viertelstündlich",
    "30MIN": "halbstündlich",
    "HOURLY": "stündlich",
    "DAILY": "täglich",
    "DAILY_2": "zweimal täglich",
    "WEEKLY": "wöchentlich",
    "WEEKLY_2": "zweimal wöchentlich",
    "WEEKLY_3": "dreimal wöchentlich",
    "BIWEEKLY": "zweiwöchentlich",
    "MONTHLY": "monatlich",
    "MONTHLY_2": "zweimal monatlich",
    "MONTHLY_3": "dreimal monatlich",
    "BIMONTHLY": "zweimonatlich",
    "QUARTERLY": "vierteljährlich",
    "ANNUAL_2": "halbjährlich",
    "ANNUAL_3": "dreimal jährlich",
    "ANNUAL": "jährlich",
    "BIENNIAL": "zweijährlich",
    "TRIENNIAL": "dreijährlich",
    "IRREG": "unregelmäßig",
    "NEVER": "nie",
    "OTHER": "sonstige",
    "UNKNOWN": "unbekannt",
}


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
