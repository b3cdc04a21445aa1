"""`manage.py load_demo_answers` — answer templates for the demo city (idempotent, by title).

Never used by the tests. Placeholders are those of `backoffice.answers.answer_render`.
"""
from django.core.management.base import BaseCommand
from django.db import transaction

from backoffice.models import AnswerTemplate
from reporter.models import Report

TEMPLATES = [
    ("Eingang bestätigt", Report.Status.OPEN, "",
     "Vielen Dank für Ihre Meldung Nr. {nummer} ({kategorie}). Zuständig ist: {fachbereich}. Wir kümmern "
     "uns bis spätestens {frist} darum."),
    ("In Arbeit", Report.Status.IN_PROGRESS, "",
     "Unser Außendienst ist unterwegs: Ihre Meldung „{kategorie}“ an {adresse} wird bearbeitet."),
    ("Erledigt", Report.Status.RESOLVED, "",
     "Der Mangel an {adresse} ist behoben (Stand {heute}). Vielen Dank für Ihre Mithilfe!"),
    ("Schlagloch verfüllt", Report.Status.RESOLVED, "schlagloch",
     "Das Schlagloch an {adresse} wurde am {heute} provisorisch verfüllt; die dauerhafte Sanierung ist "
     "eingeplant."),
    ("Nicht zuständig (Privatgrund)", Report.Status.REFERRED, "",
     "Die gemeldete Stelle liegt auf privatem Grund. Wir haben den Eigentümer informiert."),
    ("Nicht behebbar", Report.Status.NOT_FIXABLE, "",
     "Leider können wir den Mangel derzeit nicht beheben. Wir haben ihn für die nächste Planung vorgemerkt."),
]


class Command(BaseCommand):
    help = "Load the demo answer templates (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        from routing_rules.models import Category

        created = 0
        for order, (title, status, category_slug, body) in enumerate(TEMPLATES):
            category = (Category.objects.select_related("default_department").filter(slug=category_slug).first()
                        if category_slug else None)
            # A category's template belongs to the category's department (its staff edit it);
            # the general ones serve every department.
            department = category.default_department if category else None
            _, was_created = AnswerTemplate.objects.get_or_create(
                title=title, defaults={"status": status, "body": body, "category": category, "order": order,
                                       "department": department})
            created += was_created
        self.stdout.write(f"answer templates: {created} created, {len(TEMPLATES) - created} present")
