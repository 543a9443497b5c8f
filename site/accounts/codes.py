"""One-time SMS codes for signing in and resetting a password: the parts allauth 65
leaves to the site (its password reset by code only mails; we also text a phone)."""

from allauth.account.adapter import get_adapter
from allauth.account.internal.flows.password_reset_by_code import (
    PASSWORD_RESET_VERIFICATION_SESSION_KEY,
    PasswordResetVerificationProcess,
)
from django.http import HttpRequest

from .models import User

# The number a person last typed to get a code, so that every page of the flow (and the
# sign-in form they are sent back to after three wrong codes) shows it again.
TYPED_PHONE_SESSION_KEY = "townhall_code_phone"


def phone_readable(phone: str) -> str:
    """+8613812345678 → 138 1234 5678; anything else as stored."""
    return User(phone=phone).phone_display() if phone else ""


def phone_masked(phone: str) -> str:
    """+8613812345678 → 138****5678, as Chinese sites name the number a code went to."""
    if phone.startswith("+86") and len(phone) == 14:
        return f"{phone[3:6]}****{phone[-4:]}"
    return phone


def typed_phone_remember(request: HttpRequest, phone: str) -> None:
    request.session[TYPED_PHONE_SESSION_KEY] = phone


def typed_phone(request: HttpRequest) -> str:
    """The last number typed, as a resident types it (13812345678)."""
    phone = request.session.get(TYPED_PHONE_SESSION_KEY, "")
    return phone[3:] if phone.startswith("+86") else phone


def password_reset_code_send_by_sms(*, request: HttpRequest, user: User | None, phone: str) -> None:
    """Starts allauth's password reset by code for a mobile number: the same session
    state its code and new-password pages read, with the code texted instead of mailed.
    A number with no account gets a text saying so (no page says whether it exists)."""
    adapter = get_adapter(request)
    state = PasswordResetVerificationProcess.initial_state(user, phone=phone)
    # allauth's pages read the address the code went to; this one went to a phone.
    state["email"] = ""
    process = PasswordResetVerificationProcess(request, state=state, user=user)
    if user is None:
        adapter.send_unknown_account_sms(phone)
    else:
        state["code"] = adapter.generate_password_reset_code()
        adapter.send_password_reset_code_sms(user=user, phone=phone, code=state["code"])
    process.persist()
    typed_phone_remember(request, phone)


def password_reset_phone(request: HttpRequest) -> str:
    """The number the pending password reset code was texted to, or ""."""
    return (request.session.get(PASSWORD_RESET_VERIFICATION_SESSION_KEY) or {}).get("phone", "")


def password_reset_phone_verified(request: HttpRequest) -> None:
    """A right reset code proves the person holds the number: mark it verified, so that
    signing in afterwards does not send yet another code to verify it."""
    state = request.session.get(PASSWORD_RESET_VERIFICATION_SESSION_KEY) or {}
    phone, user_id = state.get("phone"), state.get("user_id")
    if phone and user_id:
        User.objects.filter(pk=user_id, phone=phone).update(phone_verified=True)
