"""System checks of what plug-in services declare for the OZG monitor.

ozgmonitor.E001 `ozg_topic` is not one of the 14 OZG topics; ozgmonitor.E002 the maturity
(`ozg_maturity_model`, `ozg_maturity`) names an unknown model version or criterion, or a level
outside the model's scale.
"""
from django.core import checks

from portal import hooks

from .maturity import maturity_errors
from .topics import OzgTopic


@checks.register()
def declared_ozg_fields(app_configs=None, **kwargs):
    errors = []
    for hook in hooks.get_hooks("register_service"):
        service = hook()
        topic = getattr(service, "ozg_topic", "")
        where = f"register_service: {getattr(service, 'slug', '?')!r}"
        if topic and topic not in OzgTopic.values:
            errors.append(checks.Error(f"{where}: unknown OZG topic {topic!r}.", hint=f"One of {OzgTopic.values}.",
                                       id="ozgmonitor.E001"))
        problems = maturity_errors(getattr(service, "ozg_maturity_model", "1.1"),
                                   dict(getattr(service, "ozg_maturity", ())))
        if problems:
            errors.append(checks.Error(f"{where}: " + " ".join(problems), id="ozgmonitor.E002"))
    return errors
