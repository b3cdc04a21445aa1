"""Schema: the log of pushes to the upstream CKAN (opendata.upstream.UpstreamPush)."""
import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("opendata", "0003_add_resource_features"),
    ]

    operations = [
        migrations.CreateModel(
            name="UpstreamPush",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("dataset_name", models.CharField(max_length=100, verbose_name="Datensatz (Name)")),
                ("upstream_name", models.CharField(max_length=200, verbose_name="Name im Zielportal")),
                ("upstream_id", models.CharField(blank=True, max_length=100, verbose_name="ID im Zielportal")),
                ("action", models.CharField(
                    choices=[("create", "anlegen"), ("update", "aktualisieren"), ("delete", "löschen"),
                             ("skip", "nichts zu tun")],
                    max_length=10, verbose_name="Aktion")),
                ("status", models.CharField(
                    choices=[("pending", "ausstehend"), ("ok", "erfolgreich"), ("failed", "fehlgeschlagen")],
                    default="pending", max_length=10, verbose_name="Status")),
                ("attempts", models.PositiveIntegerField(default=0, verbose_name="Versuche")),
                ("error", models.TextField(blank=True, verbose_name="Fehler")),
                ("created", models.DateTimeField(default=django.utils.timezone.now, editable=False,
                                                 verbose_name="angelegt am")),
                ("last_attempt_at", models.DateTimeField(blank=True, null=True, verbose_name="letzter Versuch")),
                ("finished_at", models.DateTimeField(blank=True, null=True, verbose_name="abgeschlossen am")),
                ("dataset", models.ForeignKey(
                    blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                    related_name="upstream_pushes", to="opendata.dataset", verbose_name="Datensatz")),
            ],
            options={
                "verbose_name": "Übertragung ins Zielportal",
                "verbose_name_plural": "Übertragungen ins Zielportal",
                "ordering": ["-created", "-id"],
                "indexes": [
                    models.Index(fields=["dataset", "-created"], name="opendata_push_dataset_recent"),
                    models.Index(fields=["status", "-created"], name="opendata_push_status_recent"),
                ],
            },
        ),
    ]
