"""Programmes, partners and their tills, and the cards: the data of the Sozialcard.

A `Programme` (Sozialcard, Familienpass, Ehrenamtskarte …) is data a city edits in the admin;
the department deciding its applications scopes it (`routing_rules.access`), and so its
partners (`Partner.department`: who manages the contracts), cards and tills.

A `Card` keeps only what a till may learn (first name, year of birth, programme, discount
category, validity, kind) plus the keyed hash of the full card data and its nonce
(`cardhash`): no family name, no date of birth, no address, no benefit type. The TOTP secret
of a dynamic card is bound to one device: activating again bumps `device_generation` and
replaces the secret, so the old phone's codes are refused at once.
"""
from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models as gis_models
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal.catalogue import TrustLevel

__all__ = ["ActivationCode", "Card", "DiscountCategory", "Partner", "PartnerDiscount", "PartnerLocation", "Programme",
           "Till", "UsedCode", "VerificationCount"]


def _in_language(obj, field: str) -> str:
    """The English text of `field` when the page is English and it has one, else the German."""
    if (get_language() or "de").startswith("en"):
        return getattr(obj, f"{field}_en") or getattr(obj, f"{field}_de")
    return getattr(obj, f"{field}_de")


class Programme(models.Model):
    """A discount programme: who is eligible, what they prove, how long a card is valid."""

    slug = models.SlugField(_("Kennung"), unique=True)
    name_de = models.CharField(_("Name (deutsch)"), max_length=200)
    name_en = models.CharField(_("Name (englisch)"), max_length=200, blank=True)
    eligibility_de = models.TextField(_("Wer kann die Karte bekommen? (deutsch)"))
    eligibility_en = models.TextField(_("Wer kann die Karte bekommen? (englisch)"), blank=True)
    proofs_de = models.TextField(_("Nötige Nachweise (deutsch)"))
    proofs_en = models.TextField(_("Nötige Nachweise (englisch)"), blank=True)
    max_validity_months = models.PositiveSmallIntegerField(_("Längste Gültigkeit (Monate)"), default=12)
    minimum_age = models.PositiveSmallIntegerField(_("Mindestalter (Jahre)"), default=0)
    trust_level = models.CharField(_("Nötige Anmeldung"), max_length=20, choices=TrustLevel.choices,
                                   default=TrustLevel.SUBSTANZIELL)
    department = models.ForeignKey("routing_rules.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("Entscheidende Stelle"))
    is_active = models.BooleanField(_("aktiv"), default=True)
    order = models.PositiveSmallIntegerField(_("Reihenfolge"), default=100)

    class Meta:
        ordering = ["order", "slug"]
        verbose_name = _("Programm")
        verbose_name_plural = _("Programme")

    def __str__(self) -> str:
        return self.name_de

    @property
    def name(self) -> str:
        return _in_language(self, "name")

    @property
    def eligibility(self) -> str:
        return _in_language(self, "eligibility")

    @property
    def proofs(self) -> str:
        return _in_language(self, "proofs")


class DiscountCategory(models.Model):
    """A discount category of a programme (e.g. adults, children), printed on the card and
    told to the till, so the cashier knows which price applies."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="categories",
                                  verbose_name=_("Programm"))
    slug = models.SlugField(_("Kennung"))
    name_de = models.CharField(_("Name (deutsch)"), max_length=100)
    name_en = models.CharField(_("Name (englisch)"), max_length=100, blank=True)

    class Meta:
        ordering = ["programme", "slug"]
        constraints = [models.UniqueConstraint(fields=["programme", "slug"], name="sozialcard_category_unique")]
        verbose_name = _("Ermäßigungsstufe")
        verbose_name_plural = _("Ermäßigungsstufen")

    def __str__(self) -> str:
        return f"{self.programme.slug}/{self.slug}"

    @property
    def name(self) -> str:
        return _in_language(self, "name")


class Partner(models.Model):
    """An Akzeptanzstelle: a pool, library, museum … granting discounts (public data)."""

    name = models.CharField(_("Name"), max_length=200)
    website = models.URLField(_("Website"), blank=True)
    department = models.ForeignKey("routing_rules.Department", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("Betreuende Stelle"))
    is_active = models.BooleanField(_("aktiv"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Akzeptanzstelle")
        verbose_name_plural = _("Akzeptanzstellen")

    def __str__(self) -> str:
        return self.name


class PartnerLocation(models.Model):
    """A place of a partner (shown on the map and published as open data)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="locations",
                                verbose_name=_("Akzeptanzstelle"))
    name = models.CharField(_("Name"), max_length=200)
    address = models.CharField(_("Anschrift"), max_length=300)
    # WGS 84 longitude/latitude (EPSG:4326), like every point in the portal.
    point = gis_models.PointField(_("Lage"), srid=4326)

    class Meta:
        ordering = ["partner", "name"]
        verbose_name = _("Standort")
        verbose_name_plural = _("Standorte")

    def __str__(self) -> str:
        return f"{self.partner.name}: {self.name}"


class PartnerDiscount(models.Model):
    """What a partner grants the cardholders of one programme's discount category."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="discounts",
                                verbose_name=_("Akzeptanzstelle"))
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="discounts",
                                  verbose_name=_("Programm"))
    category = models.ForeignKey(DiscountCategory, on_delete=models.CASCADE, related_name="discounts",
                                 verbose_name=_("Ermäßigungsstufe"))
    description_de = models.CharField(_("Ermäßigung (deutsch)"), max_length=300)
    description_en = models.CharField(_("Ermäßigung (englisch)"), max_length=300, blank=True)

    class Meta:
        ordering = ["partner", "programme", "category"]
        constraints = [models.UniqueConstraint(fields=["partner", "programme", "category"],
                                               name="sozialcard_discount_unique")]
        verbose_name = _("Ermäßigung")
        verbose_name_plural = _("Ermäßigungen")

    def __str__(self) -> str:
        return f"{self.partner.name}: {self.description_de}"

    @property
    def description(self) -> str:
        return _in_language(self, "description")


class Card(models.Model):
    """One person's card of one programme (see the module docstring for what it keeps)."""

    class Kind(models.TextChoices):
        DYNAMIC = "dynamic", _("dynamisch (App, wechselnder Code)")
        STATIC = "static", _("statisch (gedruckt)")

    class Revocation(models.TextChoices):
        BENEFIT_ENDED = "benefit_ended", _("Leistung beendet")
        LOST = "lost", _("Karte verloren")
        ACCOUNT_DELETED = "account_deleted", _("Konto gelöscht")
        OTHER = "other", _("anderer Grund")

    card_hash = models.CharField(_("Schlüssel-Hash"), max_length=64, unique=True, editable=False)
    hash_nonce = models.CharField(max_length=32, editable=False)
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="cards",
                                  verbose_name=_("Programm"))
    category = models.ForeignKey(DiscountCategory, on_delete=models.PROTECT, related_name="cards",
                                 verbose_name=_("Ermäßigungsstufe"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", verbose_name=_("Konto"))
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                             verbose_name=_("Antrag"))
    given_name = models.CharField(_("Vorname"), max_length=100)
    birth_year = models.PositiveSmallIntegerField(_("Geburtsjahr"))
    valid_from = models.DateField(_("gültig ab"))
    valid_until = models.DateField(_("gültig bis"))
    kind = models.CharField(_("Art"), max_length=10, choices=Kind.choices, default=Kind.DYNAMIC)
    # Base32 TOTP secret (RFC 6238) of the activated device; empty until activated.
    totp_secret = models.CharField(max_length=64, blank=True, editable=False)
    device_generation = models.PositiveIntegerField(_("Geräte-Generation"), default=0, editable=False)
    activated_at = models.DateTimeField(_("aktiviert am"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("gesperrt am"), null=True, blank=True)
    revocation_reason = models.CharField(_("Sperrgrund"), max_length=20, choices=Revocation.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the owner was reminded that the card ends (`renewal`): once per card.
    renewal_reminded_at = models.DateTimeField(_("an Verlängerung erinnert am"), null=True, blank=True,
                                               editable=False)

    class Meta:
        ordering = ["-valid_until", "given_name"]
        constraints = [
            models.CheckConstraint(condition=Q(valid_until__gte=F("valid_from")), name="sozialcard_card_validity"),
            models.CheckConstraint(condition=Q(revoked_at__isnull=True) | ~Q(revocation_reason=""),
                                   name="sozialcard_card_revocation_reason"),
        ]
        indexes = [models.Index(fields=["owner", "valid_until"], name="sozialcard_card_owner")]
        verbose_name = _("Karte")
        verbose_name_plural = _("Karten")

    def __str__(self) -> str:
        return f"{self.programme.slug} {self.card_hash[:8]}"


class ActivationCode(models.Model):
    """A one-time code that activates a card on another phone without the account's login
    (a family member's): only its keyed hash is kept (`services.activation_code_hash`), it
    is valid for `SOZIALCARD["ACTIVATION_CODE_MINUTES"]` and used once. A new code of the
    same card replaces the unused one."""

    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.card_id} {self.code_hash[:8]}"


class Till(models.Model):
    """A till (Kasse) of a partner with its API key: only a SHA-256 hash of the key is kept;
    `key_prefix` (the key's first characters, not secret) finds the row."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="tills",
                                verbose_name=_("Akzeptanzstelle"))
    name = models.CharField(_("Bezeichnung"), max_length=100)
    key_prefix = models.CharField(max_length=16, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(_("gesperrt am"), null=True, blank=True)

    class Meta:
        ordering = ["partner", "name"]
        verbose_name = _("Kasse")
        verbose_name_plural = _("Kassen")

    def __str__(self) -> str:
        return f"{self.partner.name}: {self.name}"


class UsedCode(models.Model):
    """A dynamic code accepted once: (card, RFC 6238 time step). Kept a few minutes, so the
    same code shown again — a screenshot, a second till — is refused as replayed."""

    card = models.ForeignKey(Card, on_delete=models.CASCADE, related_name="+")
    step = models.BigIntegerField()  # Unix time // 30
    used_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["card", "step"], name="sozialcard_used_code_unique")]

    def __str__(self) -> str:
        return f"{self.card_id}@{self.step}"


class VerificationCount(models.Model):
    """The verification log without personal data: how many checks per day, partner,
    programme (none for unknown codes), card type and result."""

    day = models.DateField()
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    programme = models.ForeignKey(Programme, null=True, on_delete=models.CASCADE, related_name="+")
    card_type = models.CharField(max_length=10, blank=True)
    result = models.CharField(max_length=20)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "partner", "programme", "card_type", "result"],
                                               name="sozialcard_verification_count_unique",
                                               nulls_distinct=False)]

    def __str__(self) -> str:
        return f"{self.day} {self.partner_id} {self.result}: {self.count}"
