"""Two-step verification (allauth.mfa TOTP) in our words, returning people to their work."""

from allauth.mfa.base.forms import AuthenticateForm as AllauthAuthenticateForm
from allauth.mfa.totp.forms import ActivateTOTPForm as AllauthActivateTOTPForm
from allauth.mfa.totp.views import ActivateTOTPView
from django.contrib import messages
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def _totp_field_dress(field) -> None:
    field.label = gettext_lazy("The 6 digits the app shows now")
    field.widget.attrs.update(
        {"inputmode": "numeric", "autocomplete": "one-time-code", "placeholder": ""}
    )


class ActivateTOTPForm(AllauthActivateTOTPForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _totp_field_dress(self.fields["code"])


class AuthenticateForm(AllauthAuthenticateForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _totp_field_dress(self.fields["code"])
        self.fields["code"].help_text = gettext_lazy(
            "Lost your phone? Type one of your recovery codes instead."
        )


# Where the two-step gate found the person, kept while they set it up (a few pages:
# perhaps re-entering their password first).
RETURN_SESSION_KEY = "townhall_mfa_return"


def mfa_return_remember(request, url: str) -> None:
    """Called by the gate that sends an official to turn on two-step verification."""
    request.session[RETURN_SESSION_KEY] = url


def safe_next(request) -> str:
    """Where to go once two-step verification is on: ?next= (or the form's next), else
    where the gate found the person; only if it is one of our pages."""
    target = (
        request.POST.get("next")
        or request.GET.get("next")
        or request.session.get(RETURN_SESSION_KEY)
        or ""
    )
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return ""


class TotpActivateView(ActivateTOTPView):
    """allauth's TOTP set-up, which ends on the recovery-codes page; here an official
    sent by the two-step gate (community.refusals) goes back to what they were doing,
    anyone else to the two-step settings. The recovery codes stay one tap away there,
    and the message says where."""

    def get_success_url(self) -> str:
        target = safe_next(self.request) or reverse("mfa_index")
        self.request.session.pop(RETURN_SESSION_KEY, None)
        messages.info(
            self.request,
            _(
                "Keep your recovery codes in case you lose your phone: "
                "Me → Two-step verification → Recovery codes."
            ),
        )
        return target

    def get_context_data(self, **kwargs) -> dict:
        return {**super().get_context_data(**kwargs), "next": safe_next(self.request)}


totp_activate = TotpActivateView.as_view()
