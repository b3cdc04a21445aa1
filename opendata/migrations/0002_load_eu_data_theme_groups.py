"""Data migration: one group per EU data theme (DCAT-AP dcat:theme), named by the
lower-case theme code as on GovData (`tran`, `envi`, …). Reversible: removes them again.
The vocabulary is copied here, so later changes to opendata.vocabularies do not alter history.
"""
from django.db import migrations

THEMES = [
    ("AGRI", "Landwirtschaft, Fischerei, Forstwirtschaft und Nahrungsmittel"),
    ("ECON", "Wirtschaft und Finanzen"),
    ("EDUC", "Bildung, Kultur und Sport"),
    ("ENER", "Energie"),
    ("ENVI", "Umwelt"),
    ("GOVE", "Regierung und öffentlicher Sektor"),
    ("HEAL", "Gesundheit"),
    ("INTR", "Internationale Themen"),
    ("JUST", "Justiz, Rechtssystem und öffentliche Sicherheit"),
    ("REGI", "Regionen und Städte"),
    ("SOCI", "Bevölkerung und Gesellschaft"),
    ("TECH", "Wissenschaft und Technologie"),
    ("TRAN", "Verkehr"),
]


def groups_create(apps, schema_editor):
    Group = apps.get_model("opendata", "Group")
    for code, title in THEMES:
        Group.objects.get_or_create(name=code.lower(), defaults={"title": title, "theme": code})


def groups_delete(apps, schema_editor):
    Group = apps.get_model("opendata", "Group")
    Group.objects.filter(name__in=[code.lower() for code, _title in THEMES], datasets__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("opendata", "0001_create_catalogue")]

    operations = [migrations.RunPython(groups_create, groups_delete)]
