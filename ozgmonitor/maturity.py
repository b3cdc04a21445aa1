"""The OZG maturity model (Reifegradmodell): levels, criteria and the overall level.

- Version 1.1 (June 2020): levels 0 (Offline), 1 (Information), 2 (Formular-Assistent),
  3 (Online-Leistung: the application with all evidence online), 4 (Online-Transaktion: fully
  digital, once-only for evidence); ten criteria, each assessed 0–4, following the criteria of
  the "OZG-Reifegrad-Check" of the OZG guide (leitfaden.ozg-umsetzung.de). An online service
  meets the OZG from level 3.
- Version 2.0 (July 2025): levels 0 (only offline) to 7 (end-to-end digital); levels 1–3
  describe the online application (front end), 4–6 process orientation and data centricity
  inside the administration; 13 criteria. Their official names are in the published PDF and
  were not available when this module was written: they are numbered here ("Kriterium 1" …
  "Kriterium 13", keys `k01`…`k13`) and can be named without changing stored data.

The overall level of a service is the lowest level of its assessed criteria (both versions).
A criterion that does not apply to a service (e.g. no fee: no payment) is simply left out.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

__all__ = ["MODELS", "MaturityModel", "maturity_errors", "maturity_model", "overall_level"]


@dataclass(frozen=True)
class MaturityModel:
    version: str
    levels: tuple[tuple[int, str | Promise], ...]  # (level, label), lowest first
    criteria: tuple[tuple[str, str | Promise], ...]  # (key, label)

    @property
    def max_level(self) -> int:
        return self.levels[-1][0]

    def level_label(self, level: int | None) -> str:
        return str(dict(self.levels).get(level, "")) if level is not None else ""

    def criterion_label(self, key: str) -> str:
        return str(dict(self.criteria).get(key, key))


V1_1 = MaturityModel(
    version="1.1",
    levels=((0, _("Offline")), (1, _("Information")), (2, _("Formular-Assistent")), (3, _("Online-Leistung")),
            (4, _("Online-Transaktion"))),
    criteria=(
        ("leistungsbeschreibung", _("Leistungsbeschreibung")),
        ("antragsprozess", _("Antragsprozess und Kontextintegration")),
        ("nutzerkonto", _("Nutzerkonto")),
        ("authentifizierung", _("Authentifizierung")),
        ("bezahlung", _("Bezahlprozess")),
        ("nachweise", _("Nachweise")),
        ("signatur", _("Signatur und Schriftform")),
        ("bescheid", _("Bescheid und Rückkanal")),
        ("status", _("Statusinformation")),
        ("once-only", _("Once-Only")),
    ),
)

V2_0 = MaturityModel(
    version="2.0",
    levels=((0, _("nur offline")), (1, _("Online-Antragsdienst, Stufe 1")), (2, _("Online-Antragsdienst, Stufe 2")),
            (3, _("Online-Antragsdienst, Stufe 3")), (4, _("digitale Verwaltung, Stufe 4")),
            (5, _("digitale Verwaltung, Stufe 5")), (6, _("digitale Verwaltung, Stufe 6")),
            (7, _("Ende-zu-Ende digital"))),
    criteria=tuple((f"k{n:02d}", format_lazy("{} {}", _("Kriterium"), n)) for n in range(1, 14)),
)

MODELS: dict[str, MaturityModel] = {V1_1.version: V1_1, V2_0.version: V2_0}


def maturity_model(version: str) -> MaturityModel:
    """The model of `version` ("1.1" or "2.0"); KeyError for another."""
    return MODELS[version]


def overall_level(assessment: Mapping[str, int] | Iterable[tuple[str, int]]) -> int | None:
    """The lowest level of the assessed criteria; None if no criterion is assessed."""
    levels = list(dict(assessment).values())
    return min(levels) if levels else None


def maturity_errors(version: str, assessment: Mapping[str, object]) -> list[str]:
    """What is wrong with an assessment (German/English messages), empty if nothing."""
    if version not in MODELS:
        return [str(_("Unbekannte Version des Reifegradmodells „%(version)s“ (erlaubt: %(allowed)s).")
                    % {"version": version, "allowed": ", ".join(MODELS)})]
    model = MODELS[version]
    criteria = dict(model.criteria)
    errors = []
    for key, level in assessment.items():
        if key not in criteria:
            errors.append(str(_("Unbekanntes Kriterium „%(key)s“ im Reifegradmodell %(version)s "
                                "(erlaubt: %(allowed)s).")
                              % {"key": key, "version": version, "allowed": ", ".join(criteria)}))
        elif isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= model.max_level:
            errors.append(str(_("Der Reifegrad von „%(key)s“ muss eine ganze Zahl von 0 bis %(max)d sein.")
                              % {"key": key, "max": model.max_level}))
    return errors
