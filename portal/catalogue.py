"""What a service tells the portal about itself: `Service` (one catalogue entry), its
`TrustLevel`, the life situations (`Lebenslage`) it belongs to, and `NavigationItem` (one
entry of the header navigation). Plain frozen dataclasses: services build them in their
`portal_hooks.py` (see `portal.hooks`), nothing here touches the database.

Texts are lazy translations (`gettext_lazy`), German source text, so that one registration
serves every language.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

__all__ = ["Lebenslage", "NavigationItem", "Service", "TrustLevel"]

Text = str | Promise


class TrustLevel(models.TextChoices):
    """The level of identity assurance a service needs (eIDAS levels as BundID names them;
    `NONE`: no login at all). Ordered: a login at a level satisfies every lower one."""

    NONE = "none", _("ohne Anmeldung")
    BASISREGISTRIERUNG = "basisregistrierung", _("Basisregistrierung (Benutzername und Passwort)")
    SUBSTANZIELL = "substanziell", _("Vertrauensniveau substanziell (z. B. ELSTER-Zertifikat)")
    HOCH = "hoch", _("Vertrauensniveau hoch (Online-Ausweis)")

    @property
    def rank(self) -> int:
        """0 (no login) … 3 (hoch), for comparisons such as a step-up check."""
        return list(TrustLevel).index(self)

    def satisfies(self, required: TrustLevel) -> bool:
        """Whether a login at this level may use a service that requires `required`."""
        return self.rank >= TrustLevel(required).rank


@dataclass(frozen=True)
class Lebenslage:
    """A life situation under which citizens look for services (the catalogue's groups).

    `slug` is the stable key (`?lebenslage=<slug>`), `[a-z0-9-]`; `order` sorts the groups.
    Two services naming the same slug share one group; common ones are in
    `portal.lebenslagen`."""

    slug: str
    title: Text
    order: int = 100


@dataclass(frozen=True)
class Service:
    """One service of the portal as the catalogue shows it.

    - `slug`: unique, stable, `[a-z0-9-]` (the API's key; never reuse a retired one).
    - `title`, `short_description`, `audience` (who it is for), `fees`, `processing_time`:
      lazy translations; free text, because fees and times read differently per service.
    - `trust_level`: the login a citizen needs (`TrustLevel.NONE`: anonymous use).
    - `leika_key`: the key in the federal service catalogue (LeiKa, 14 digits) if the
      service has one; a city may set or override it per slug with the setting or
      environment variable `PORTAL_LEIKA_KEYS` (see `portal.conf`).
    - `lebenslagen`: the groups it is listed under (at least one).
    - `url_name`: the Django URL name of its start page (reversed without arguments).
    - `keywords`: further words a citizen may search for (synonyms, colloquial terms).
    - `icon`: optional name of an icon in the frontend's icon set.
    - `is_spatial`: whether a case of this service has a place on the map.
    - `order`: sort key inside a group (then title).
    - `links`: further public pages of the service the catalogue entry links to, as pairs
      `(label, url_name)` (lazy label; URL name reversed without arguments), e.g. where a
      discount card is accepted.
    - `ozg_topic`, `ozg_maturity_model`, `ozg_maturity`: optional, for the OZG monitor
      (`ozgmonitor`): the key of the service's OZG topic (one of the 14 Themenfelder,
      `ozgmonitor.topics`), and its maturity per criterion of the OZG maturity model
      (`ozgmonitor.maturity`, version "1.1" levels 0–4 or "2.0" levels 0–7) as pairs
      `(criterion key, level)`. Left empty, staff fill them in the monitor's admin.
    """

    slug: str
    title: Text
    short_description: Text
    audience: Text
    trust_level: TrustLevel
    fees: Text
    processing_time: Text
    url_name: str
    lebenslagen: tuple[Lebenslage, ...]
    leika_key: str = ""
    keywords: tuple[Text, ...] = ()
    icon: str = ""
    is_spatial: bool = False
    order: int = 100
    links: tuple[tuple[Text, str], ...] = ()
    ozg_topic: str = ""
    ozg_maturity_model: str = "1.1"
    ozg_maturity: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class NavigationItem:
    """One link of the header navigation.

    - `label`: lazy translation; `url_name`: reversed without arguments.
    - `order`: position, lower first.
    - `section`: URL namespaces (or `namespace:name` entries) whose pages belong to this
      entry: the link is marked `aria-current="true"` there, and `"page"` on `url_name` itself.
    - `primary`: the main action of the site, also shown in the phone's header bar (one item).
    """

    label: Text
    url_name: str
    order: int = 100
    section: tuple[str, ...] = field(default_factory=tuple)
    primary: bool = False
