"""The licence vocabulary of DCAT-AP.de (http://dcat-ap.de/def/licenses/), as CKAN licences.

Dataset `license_id`s are the vocabulary's ids (`dl-by-de/2.0`, `dl-zero-de/2.0`,
`cc-by/4.0`, `cc-zero`, …); the licence URI for DCAT is `LICENSE_URI_BASE + id`.
`license_list` returns these in CKAN's licence format, `isopen` follows `is_open`
(Open Definition / OSI conformance as published by opendefinition.org).

Clients migrating from a stock CKAN send CKAN's default ids (`odc-odbl`, `cc-nc`, …);
`LICENSE_ALIASES` maps them onto the vocabulary so such datasets load unchanged.

`title` is the vocabulary's (German) title, which the CKAN API returns unchanged;
pages show `display_title`, the title translated into the active language.
"""
from dataclasses import dataclass

from django.utils.translation import gettext
from django.utils.translation import gettext_noop as _  # marks the titles for the catalogue only

__all__ = ["LICENSES", "LICENSE_ALIASES", "LICENSE_URI_BASE", "License", "license_get", "license_id_normalize"]

LICENSE_URI_BASE = "http://dcat-ap.de/def/licenses/"


@dataclass(frozen=True)
class License:
    id: str
    title: str
    url: str = ""
    is_open: bool = True
    # "data" or "software": which of CKAN's conformance fields an approval goes to.
    domain: str = "data"

    @property
    def display_title(self) -> str:
        """The title in the active language (for pages; the API keeps `title`)."""
        return gettext(self.title)

    @property
    def uri(self) -> str:
        """The DCAT-AP.de URI of the licence (dct:license)."""
        return LICENSE_URI_BASE + self.id

    def as_ckan_dict(self) -> dict:
        """The licence as CKAN's `license_list` returns it (ckan/model/license.py)."""
        approved = "approved" if self.is_open else "not reviewed"
        return {
            "domain_content": False,
            "domain_data": self.domain == "data",
            "domain_software": self.domain == "software",
            "family": "",
            "id": self.id,
            "is_generic": self.id.startswith("other-"),
            "maintainer": "",
            "od_conformance": approved if self.domain == "data" else "not reviewed",
            "osd_conformance": approved if self.domain == "software" else "not reviewed",
            "status": "active",
            "title": self.title,
            "url": self.url,
        }


_GOVDATA = "https://www.govdata.de/dl-de/"
_CC = "https://creativecommons.org/licenses/"

LICENSES: dict[str, License] = {lic.id: lic for lic in [
    License("dl-zero-de/2.0", _("Datenlizenz Deutschland – Zero – Version 2.0"), _GOVDATA + "zero-2-0"),
    License("dl-by-de/2.0", _("Datenlizenz Deutschland Namensnennung 2.0"), _GOVDATA + "by-2-0"),
    License("dl-by-de/1.0", _("Datenlizenz Deutschland Namensnennung 1.0"), _GOVDATA + "by-1-0"),
    License("dl-by-nc-de/1.0", _("Datenlizenz Deutschland Namensnennung nicht-kommerziell 1.0"),
            _GOVDATA + "by-nc-1-0", is_open=False),
    License("cc-by/4.0", _("Creative Commons Namensnennung – 4.0 International (CC BY 4.0)"), _CC + "by/4.0/"),
    License("cc-by", _("Creative Commons Namensnennung (CC-BY)"), "http://www.opendefinition.org/licenses/cc-by"),
    License("cc-by-de/3.0", _("Creative Commons Namensnennung 3.0 Deutschland (CC BY 3.0 DE)"), _CC + "by/3.0/de/"),
    License("cc-by-sa/4.0", _("Creative Commons Namensnennung - Weitergabe unter gleichen Bedingungen 4.0 "
            "International (CC-BY-SA 4.0)"), _CC + "by-sa/4.0/"),
    License("cc-by-sa", _("Creative Commons Namensnennung - Weitergabe unter gleichen Bedingungen (CC-BY-SA)"),
            "http://www.opendefinition.org/licenses/cc-by-sa"),
    License("cc-by-sa-de/3.0", _("Creative Commons Namensnennung - Weitergabe unter gleichen Bedingungen 3.0 "
            "Deutschland (CC BY-SA 3.0 DE)"), _CC + "by-sa/3.0/de/"),
    License("cc-zero", "Creative Commons CC Zero License (cc-zero)",
            "https://creativecommons.org/publicdomain/zero/1.0/"),
    License("ccpdm/1.0", "Public Domain Mark 1.0 (PDM)", "https://creativecommons.org/publicdomain/mark/1.0/"),
    License("cc-by-nc", _("Creative Commons Namensnennung - Nicht kommerziell (CC BY-NC)"),
            "http://creativecommons.org/licenses/by-nc/2.0/", is_open=False),
    License("cc-by-nc-de/3.0", _("Creative Commons Namensnennung - Nicht kommerziell 3.0 Deutschland "
            "(CC BY-NC 3.0 DE)"), _CC + "by-nc/3.0/de/", is_open=False),
    License("cc-by-nc/4.0", _("Creative Commons Namensnennung - Nicht kommerziell 4.0 International (CC BY-NC 4.0)"),
            _CC + "by-nc/4.0/", is_open=False),
    License("cc-by-nd", _("Creative Commons Namensnennung - Keine Bearbeitung (CC BY-ND)"),
            "http://creativecommons.org/licenses/by-nd/2.0/", is_open=False),
    License("cc-by-nd/3.0", _("Creative Commons Namensnennung - Keine Bearbeitung 3.0 Unported (CC BY-ND 3.0)"),
            _CC + "by-nd/3.0/", is_open=False),
    License("cc-by-nd/4.0", _("Creative Commons Namensnennung - Keine Bearbeitung 4.0 International (CC BY-ND 4.0)"),
            _CC + "by-nd/4.0/", is_open=False),
    License("odbl", "Open Data Commons Open Database License (ODbL)", "https://opendatacommons.org/licenses/odbl/1-0/"),
    License("odby", "Open Data Commons Attribution License (ODC-BY 1.0)", "https://opendatacommons.org/licenses/by/1-0/"),
    License("odcpddl", "Open Data Commons Public Domain Dedication and Licence (ODC PDDL)",
            "https://opendatacommons.org/licenses/pddl/1-0/"),
    License("geonutz/20130319", _("Nutzungsbestimmungen für die Bereitstellung von Geodaten des Bundes"),
            "https://sg.geodatenzentrum.de/web_public/nutzungsbedingungen.pdf"),
    License("geoNutz/20131001", _("Nutzungsbestimmungen für die Bereitstellung von Geodaten des Landes Berlin")),
    License("officialWork", _("Amtliches Werk, lizenzfrei nach §5 Abs. 1 UrhG")),
    License("other-open", _("Andere offene Lizenz")),
    License("other-closed", _("Andere geschlossene Lizenz"), is_open=False),
    License("other-commercial", _("Andere kommerzielle Lizenz"), is_open=False),
    License("other-freeware", _("Andere Freeware Lizenz"), is_open=False, domain="software"),
    License("other-opensource", _("Andere Open Source Lizenz"), domain="software"),
    License("apache", _("Freie Softwarelizenz der Apache Software Foundation"),
            "https://www.apache.org/licenses/LICENSE-2.0", domain="software"),
    License("bsd", _("BSD Lizenz"), "https://opensource.org/licenses/BSD-3-Clause", domain="software"),
    License("gfdl", "GNU Free Documentation License (GFDL)", "https://www.gnu.org/licenses/fdl-1.3.html"),
    License("gpl/3.0", "GNU General Public License version 3.0 (GPLv3)", "https://www.gnu.org/licenses/gpl-3.0.html",
            domain="software"),
    License("mozilla", "Mozilla Public License 2.0 (MPL)", "https://www.mozilla.org/MPL/2.0/", domain="software"),
]}

# Stock CKAN licence ids (ckan/model/license.py) and common spellings → vocabulary ids.
LICENSE_ALIASES = {
    "cc-zero/1.0": "cc-zero",
    "cc0": "cc-zero",
    "odc-odbl": "odbl",
    "odc-by": "odby",
    "odc-pddl": "odcpddl",
    "cc-nc": "cc-by-nc",
    "gfdl-1.3": "gfdl",
    "other-at": "other-open",
    "other-pd": "other-open",
    "other-nc": "other-closed",
    "uk-ogl": "other-open",
    "dl-de-by-2.0": "dl-by-de/2.0",
    "dl-de-zero-2.0": "dl-zero-de/2.0",
}


def license_id_normalize(license_id: str) -> str | None:
    """The vocabulary id for `license_id` (an id, alias or licence URI), or None if unknown."""
    value = (license_id or "").strip()
    if value.startswith(LICENSE_URI_BASE):
        value = value[len(LICENSE_URI_BASE):]
    if value in LICENSES:
        return value
    return LICENSE_ALIASES.get(value) or LICENSE_ALIASES.get(value.lower())


def license_get(license_id: str) -> License | None:
    """The licence with this vocabulary id, or None."""
    return LICENSES.get(license_id)
