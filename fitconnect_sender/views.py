"""The Rückkanal's door: the Zustelldienst's callback (`POST /fitconnect/callback/`).

Thin: the HMAC and the timestamp are checked (`services.callback_verify`: 401 for a wrong
signature, 400 for a stale or malformed one, nothing changes), then the event logs of the
submissions or cases the body names (all waiting ones if it names none) are read by a task;
a `new-replies` callback queues the fetching of replies instead.
The callback's body is never trusted for a state: only the signed event log is.
"""
import json

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from config.queueing import task_enqueue

from .services import CallbackRefused, callback_verify

__all__ = ["callback"]


def _ids(body: dict, *names: str) -> list[str] | None:
    values = [value for name in names for value in (body.get(name) if isinstance(body.get(name), list)
                                                     else [body[name]] if body.get(name) else [])]
    return [str(v) for v in values if isinstance(v, str)] or None


@csrf_exempt
@require_POST
def callback(request):
    """Check the callback and queue the reading of the named event logs (202)."""
    body = request.body
    try:
        callback_verify(body=body, timestamp=request.headers.get("callback-timestamp"),
                        authentication=request.headers.get("callback-authentication"))
        try:
            payload = json.loads(body or b"{}")
        except ValueError:
            raise CallbackRefused(_("Der Inhalt der Rückmeldung ist kein JSON."), status=400) from None
        if not isinstance(payload, dict):
            raise CallbackRefused(_("Der Inhalt der Rückmeldung ist kein JSON-Objekt."), status=400)
    except CallbackRefused as error:
        return JsonResponse(error.body(), status=error.status, json_dumps_params={"ensure_ascii": False})
    if str(payload.get("type") or "").endswith("/new-replies"):
        task_enqueue("fitconnect_sender.tasks.replies_poll_task")
        return JsonResponse({"detail": _("Rückmeldung angenommen.")}, status=202)
    submission_ids = _ids(payload, "submissionIds", "submissionId")
    case_ids = _ids(payload, "caseIds", "caseId")
    if submission_ids is None and case_ids is None:
        task_enqueue("fitconnect_sender.tasks.events_poll_task")
    else:
        task_enqueue("fitconnect_sender.tasks.events_poll_task", submission_ids=submission_ids, case_ids=case_ids)
    return JsonResponse({"detail": _("Rückmeldung angenommen.")}, status=202)
