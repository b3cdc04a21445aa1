"""The Celery application; tasks are discovered in each app's `tasks.py`.

Its configuration is the `CELERY_*` settings (config/settings.py): late acknowledgement, a
Redis visibility timeout of CELERY_VISIBILITY_TIMEOUT seconds (600 by default; a task of a
killed worker runs again after that).

The beat schedule belongs to the apps: each returns its entries from a function registered
for the hook `register_periodic_tasks` (in its `portal_hooks.py`), so a service that needs a
periodic task brings it along when it is installed. `beat_schedule()` merges them with the
deployment's own `CELERY_BEAT_SCHEDULE`; it is installed when the Celery app is finalized,
which in `celery beat` and `celery worker` happens after Django is set up (the Django fixup
loads it in `init_worker`) and before the scheduler reads `beat_schedule`.
"""
import os

from celery import Celery
from django.core.exceptions import ImproperlyConfigured

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

__all__ = ["app", "beat_schedule", "PERIODIC_TASKS_HOOK"]

PERIODIC_TASKS_HOOK = "register_periodic_tasks"

app = Celery("stadtmelder")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def beat_schedule() -> dict:
    """`CELERY_BEAT_SCHEDULE` plus the entries of every app (hook `register_periodic_tasks`:
    a function returning {name: {"task": …, "schedule": …}}); a name given twice is an
    ImproperlyConfigured error, not a silent override."""
    from django.conf import settings

    from portal import hooks

    schedule = dict(settings.CELERY_BEAT_SCHEDULE)
    for fn in hooks.get_hooks(PERIODIC_TASKS_HOOK):
        for name, entry in fn().items():
            if name in schedule:
                raise ImproperlyConfigured(f"The periodic task {name!r} is registered twice "
                                           f"(second time by {fn.__module__}.{fn.__qualname__}).")
            schedule[name] = entry
    return schedule


@app.on_after_finalize.connect
def _install_beat_schedule(sender: Celery, **kwargs) -> None:
    """The merged schedule, once the app is finalized (see the module docstring)."""
    from django.apps import apps

    if apps.ready:
        sender.conf.beat_schedule = beat_schedule()
