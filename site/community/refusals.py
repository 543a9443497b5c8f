"""The one way a page says "not you" or "not yet": every app's views use it."""

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from townhall.accounts.mfa import mfa_return_remember

from .permissions import Decision, Outcome


def refusal_for(request, decision: Decision, committee=None):
    """None when the decision allows; otherwise the response that says why not: the
    two-step set-up for a role that needs it, or the 403 page."""
    if decision.outcome is Outcome.ALLOWED:
        return None
    if decision.outcome is Outcome.NEEDS_MFA:
        messages.warning(
            request,
            _("Your role requires two-step verification. Turn it on, then try again."),
        )
        # Once it is on, back to this page (a refused POST: to the form it came from).
        mfa_return_remember(
            request,
            request.get_full_path()
            if request.method == "GET"
            else request.headers.get("Referer", ""),
        )
        return redirect("mfa_activate_totp")
    return render(request, "community/forbidden.html", {"committee": committee}, status=403)
