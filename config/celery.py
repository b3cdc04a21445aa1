"""The Celery application; tasks are discovered in each app's `tasks.py`.

Its configuration is the `CELERY_*` settings (config/settings.py): late acknowledgement, a
Redis visibility timeout of CELERY_VISIBILITY_TIMEOUT seconds (600 by default; a task of a
killed worker runs again after that), and the beat schedule that re-queues lost work.
"""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("stadtmelder")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
