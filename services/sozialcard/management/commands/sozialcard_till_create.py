"""`manage.py sozialcard_till_create PARTNER_ID NAME` — a new till of a partner; prints its API
key once (only the key's hash is stored, `services.till_create`)."""
from django.core.management.base import BaseCommand, CommandError

from services.sozialcard.models import Partner
from services.sozialcard.services import till_create


class Command(BaseCommand):
    help = "Create a till of a Sozialcard partner and print its API key (shown once)."

    def add_arguments(self, parser):
        parser.add_argument("partner_id", type=int)
        parser.add_argument("name")

    def handle(self, *args, partner_id, name, **options):
        partner = Partner.objects.filter(pk=partner_id).first()
        if partner is None:
            raise CommandError(f"No partner with id {partner_id}.")
        till, key = till_create(partner=partner, name=name)
        self.stdout.write(f"till {till.pk} of {partner.name}: API key {key}")
