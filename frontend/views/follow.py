"""Ending a subscription to a report's news: `/benachrichtigungen/abbestellen/<token>/`.

GET shows what the link ends and a button (so link scanners of mail providers do not
unsubscribe anybody); POST removes the subscription and its address. The POST also serves
RFC 8058 one-click unsubscribe from the mail program, which sends no CSRF token: the
unguessable token in the URL is the proof, so the view is exempt from the CSRF check.
"""
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from notifications.selectors import subscription_get
from notifications.services import subscription_remove


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    if request.method == "POST":
        removed = subscription_remove(token=token)
        if removed is None:
            return render(request, "frontend/unsubscribe.html", {"state": "unknown"}, status=404)
        return render(request, "frontend/unsubscribe.html", {"state": "done", "object_id": removed.object_id})
    subscription = subscription_get(token=token)
    if subscription is None:
        return render(request, "frontend/unsubscribe.html", {"state": "unknown"}, status=404)
    return render(request, "frontend/unsubscribe.html", {"state": "confirm", "object_id": subscription.object_id,
                                                         "token": token})
