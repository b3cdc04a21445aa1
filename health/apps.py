"""The health app: connects the Celery task signals that feed the task metrics and the task log
context."""
from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "health"
    verbose_name = "Betrieb (Health, Metriken, Logs)"

    def ready(self):
        from . import metrics, task_log

        metrics.task_signals_connect()
        task_log.task_log_signals_connect()
