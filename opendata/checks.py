"""System checks of the open data settings (`settings.OPENDATA`, read through
`opendata.conf`), run by `manage.py check` and at start-up:

- opendata.W001: no DCAT-AP.de contributorID configured, so datasets without their own go to
  GovData without the dcatde:contributorID its conventions K12/K13 require;
- opendata.W002: the contributorID is not an IRI of GovData's contributor list;
- opendata.W003: the upstream CKAN push is half configured (some of URL, API key and owner
  organisation set, not all), so every push would fail.
"""
import re

from django.core.checks import Warning, register
from django.utils.translation import gettext as _

from .conf import opendata_setting

__all__ = ["contributor_id_check", "upstream_check"]

# GovData's contributor list, http://dcat-ap.de/def/contributors/ (DCAT-AP.de konvention 12).
CONTRIBUTOR_ID = re.compile(r"^http://dcat-ap\.de/def/contributors/[A-Za-z0-9]+$")
UPSTREAM_SETTINGS = {
    "UPSTREAM_URL": "CKAN_UPSTREAM_URL",
    "UPSTREAM_API_KEY": "CKAN_UPSTREAM_API_KEY",
    "UPSTREAM_OWNER_ORG": "CKAN_UPSTREAM_OWNER_ORG",
}


@register()
def contributor_id_check(app_configs=None, **kwargs):
    """opendata.W001/W002: the catalogue's dcatde:contributorID is set and well-formed."""
    value = (opendata_setting("CONTRIBUTOR_ID") or "").strip()
    if not value:
        return [Warning(
            _("Keine DCAT-AP.de-contributorID konfiguriert: Datensätze ohne eigene contributorID "
              "verletzen GovDatas Konvention 12."),
            hint=_("OPENDATA_CONTRIBUTOR_ID auf die von GovData vergebene ID setzen, z. B. "
                   "http://dcat-ap.de/def/contributors/<id>."),
            id="opendata.W001",
        )]
    if not CONTRIBUTOR_ID.match(value):
        return [Warning(
            _("Die DCAT-AP.de-contributorID „%(value)s“ ist keine IRI aus "
              "http://dcat-ap.de/def/contributors/.") % {"value": value},
            hint=_("Die von GovData vergebene ID verwenden, z. B. http://dcat-ap.de/def/contributors/<id>."),
            id="opendata.W002",
        )]
    return []


@register()
def upstream_check(app_configs=None, **kwargs):
    """opendata.W003: upstream CKAN URL, API key and owner organisation are all set or none."""
    missing = [env for name, env in UPSTREAM_SETTINGS.items() if not str(opendata_setting(name) or "").strip()]
    if not missing or len(missing) == len(UPSTREAM_SETTINGS):
        return []
    return [Warning(
        _("Übertragung an ein übergeordnetes CKAN nur teilweise konfiguriert: es fehlt %(missing)s.")
        % {"missing": ", ".join(missing)},
        hint=_("Alle drei setzen (CKAN_UPSTREAM_URL, CKAN_UPSTREAM_API_KEY, CKAN_UPSTREAM_OWNER_ORG) "
               "oder keine, um die Übertragung abzuschalten."),
        id="opendata.W003",
    )]
