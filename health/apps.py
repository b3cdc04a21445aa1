"""The health app: connects the Celery task signals that feed the task metrics."""
from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "health"
    verbose_name = "Betrieb (Health, Metriken, Logs)"

    def ready(self):
        from . import metrics

        metrics.task_signals_connect()
