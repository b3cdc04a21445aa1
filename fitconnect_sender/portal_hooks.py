"""The FIT-Connect route in the portal (hook ``register_delivery_route``, see `cases.delivery`)."""
from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from cases.delivery import DeliveryRoute
from portal import hooks

from . import selectors, services

__all__ = ["FitConnectRoute"]


class FitConnectRoute(DeliveryRoute):
    """Carries a case to its department's specialist system when the department has an active
    FIT-Connect destination for the service and a Submission API is configured."""

    key = "fitconnect"
    label = _("FIT-Connect")

    def takes(self, *, department, service: str) -> bool:
        return services.sending_configured() and selectors.destination_for(
            department=department, service=service) is not None

    def enqueue(self, *, case) -> None:
        destination = selectors.destination_for(department=case.department, service=case.service)
        services.submission_prepare(case=case, destination=destination)


hooks.register("register_delivery_route", FitConnectRoute)


@hooks.register("register_periodic_tasks")
def fitconnect_periodic_tasks() -> dict:
    """The event logs of submitted cases and the replies of the Fachverfahren, every two minutes
    (nothing to do while sending is off)."""
    return {
        "fitconnect-events-poll": {"task": "fitconnect_sender.tasks.events_poll_task",
                                   "schedule": timedelta(minutes=2)},
        "fitconnect-replies-poll": {"task": "fitconnect_sender.tasks.replies_poll_task",
                                    "schedule": timedelta(minutes=2)},
    }
