"""App config for the defect report lifecycle."""
from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate
from django.utils.translation import gettext_lazy as _


def _public_views_drop(sender, using="default", plan=None, **kwargs):
    if plan:  # migrations are about to run: no schema change may trip over a dependent view
        from .public import public_views_drop

        public_views_drop(using=using)


def _public_views_sync(sender, using="default", **kwargs):
    from .public import public_views_sync

    public_views_sync(using=using)


class ReporterConfig(AppConfig):
    name = "reporter"
    verbose_name = _("Meldungen")

    def ready(self):
        # The public views (reporter.public) follow the schema and the precision setting.
        pre_migrate.connect(_public_views_drop, sender=self, dispatch_uid="reporter_public_views_drop")
        post_migrate.connect(_public_views_sync, sender=self, dispatch_uid="reporter_public_views_sync")
