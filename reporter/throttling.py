"""The limit on filing reports, shared by the API (`reporter.api.views`) and the
no-JavaScript form (`frontend.views.report`), so neither is a way around the other."""
from config.throttling import ClientRateThrottle

from .conf import stadtmelder_setting

__all__ = ["ReportCreateThrottle"]


class ReportCreateThrottle(ClientRateThrottle):
    """Limits anonymous report filing per client address (STADTMELDER["REPORT_CREATE_RATE"],
    e.g. "30/hour"; empty: no limit); staff are not limited. Counts live in the shared cache."""

    scope = "report_create"

    def get_rate(self):
        return stadtmelder_setting("REPORT_CREATE_RATE") or None

    def get_cache_key(self, request, view):
        if request.method != "POST" or (request.user and request.user.is_staff):
            return None
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}
