"""The general request's demo (hook `register_demo_data`, run by `manage.py load_demo`): the
central triage department (Bürgerservice), topic rules for the demo departments and a few
sample requests in different departments and channels (one with a message exchange, one
overdue, one in triage). Idempotent: the department and the rules are created once, each
sample request has a fixed submission key."""
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from cases.models import Case
from cases.services import case_message_add, case_status_change
from reporter.service_levels import working_days_add
from routing_rules.models import Department

from .conf import anliegen_setting
from .models import TopicRule
from .services import anliegen_file, form_definition_ensure

__all__ = ["anliegen_demo_load"]

TRIAGE = ("Bürgerservice (zentrale Anlaufstelle)", "buergerservice@gera.example")
# name, order, topic, keywords, department slug
RULES = [
    ("Müll und Sperrmüll → Stadtreinigung", 10, "", "Müll, Sperrmüll, Container, Abfall", "stadtreinigung"),
    ("Ordnung und Sicherheit → Ordnungsamt", 20, "ordnung", "", "ordnungsamt"),
    ("Umwelt und Grün → Grünflächenamt", 30, "umwelt", "", "gruenflaechen"),
    ("Verkehr → Tiefbauamt Nord", 40, "verkehr", "", "tiefbau-nord"),
    ("Schulen → Schulverwaltungsamt", 50, "", "Schule, Schulweg, Hort", "schulverwaltung"),
]
# key, topic, text, name, email, phone, channel
SAMPLES = [
    ("demo-anliegen-1", "ordnung", "Seit Wochen wird nachts in der Sorge laut Musik gespielt, bis nach 2 Uhr.",
     "Petra Demo", "petra.demo@example.org", "", Case.Channel.WEB),
    ("demo-anliegen-2", "umwelt", "Die Wiese im Hofwiesenpark wurde dieses Jahr noch nicht gemäht.",
     "", "", "0365 123456", Case.Channel.PHONE),
    ("demo-anliegen-3", "verwaltung", "Ich möchte wissen, wann das Bürgeramt am Samstag geöffnet hat.",
     "Karl Beispiel", "", "", Case.Channel.COUNTER),
    ("demo-anliegen-4", "sonstiges", "Vor der Grundschule Lusan steht seit Tagen ein Container mit Sperrmüll.",
     "Anna Muster", "anna.muster@example.org", "", Case.Channel.LETTER),
]


def anliegen_demo_load(*, stdout) -> None:
    """See the module docstring; one line of output to `stdout`."""
    triage = _triage()
    _rules()
    form_definition_ensure()
    created = _samples()
    stdout.write(f"anliegen demo: triage department „{triage.name}“, {TopicRule.objects.count()} topic "
                 f"rules, {created} sample requests created")


def _triage() -> Department:
    triage, _created = Department.objects.get_or_create(
        slug=anliegen_setting("TRIAGE_DEPARTMENT"), defaults={"name": TRIAGE[0], "email": TRIAGE[1]})
    clerk = get_user_model().objects.filter(username="sachbearbeitung").first()
    if clerk is not None:
        triage.members.add(clerk)
    return triage

def _rules() -> None:
    if TopicRule.objects.exists():
        return
    departments = {d.slug: d for d in Department.objects.all()}
    TopicRule.objects.bulk_create([
        TopicRule(name=name, order=order, topic=topic, keywords=keywords, department=departments[slug])
        for name, order, topic, keywords, slug in RULES if slug in departments])

def _samples() -> int:
    clerk = get_user_model().objects.filter(username="sachbearbeitung").first()
    created = 0
    for key, topic, text, name, email, phone, channel in SAMPLES:
        case, is_new = anliegen_file(topic=topic, description=text, contact_name=name, contact_email=email,
                                     contact_phone=phone, channel=channel, submission_key=key,
                                     actor=clerk if channel != Case.Channel.WEB else None)
        if not is_new:
            continue
        created += 1
        if key == "demo-anliegen-1":  # a message exchange
            case_status_change(case=case, status="in_progress", actor=clerk,
                               note_public="Wir haben Ihr Anliegen an den Außendienst gegeben.")
            case_message_add(case=case, direction="to_citizen", author=clerk,
                             body="Können Sie uns die Hausnummer nennen?")
            case_message_add(case=case, direction="from_citizen", body="Es ist die Sorge 12.")
        if key == "demo-anliegen-2":  # overdue: filed three weeks ago
            filed = timezone.now() - timedelta(days=21)
            Case.objects.filter(pk=case.pk).update(
                created_at=filed, due_date=working_days_add(timezone.localdate(filed),
                                                            anliegen_setting("SLA_DAYS")))
    return created
