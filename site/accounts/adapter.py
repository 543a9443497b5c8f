"""allauth glue: phone numbers live on our User, codes go out through our SMS backend."""

import re

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.fields import PhoneField
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import User
from .sms import sms_send

MAINLAND_MOBILE = re.compile(r"^1[3-9]\d{9}$")


def normalize_mobile(value: str) -> str:
    """13812345678, 138 1234 5678 or 8613812345678 → +8613812345678; else as typed."""
    value = value.strip().replace(" ", "").replace("-", "")
    if MAINLAND_MOBILE.match(value):
        return "+86" + value
    if value.startswith("86") and MAINLAND_MOBILE.match(value[2:]):
        return "+" + value
    return value


class MobileField(PhoneField):
    """Accepts an 11-digit mainland mobile as residents type it (13812345678) and
    stores it in the E.164 form allauth expects (+8613812345678)."""

    def __init__(self, **kwargs):
        # allauth passes its own label ("Phone"); residents know it as 手机号码.
        kwargs["label"] = gettext_lazy("Mobile number")
        kwargs.setdefault("help_text", gettext_lazy("11 digits, e.g. 13812345678"))
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {"placeholder": "13812345678", "inputmode": "tel", "autocomplete": "tel"}
        )
        for validator in self.validators:
            if getattr(validator, "code", "") == "invalid_phone":
                validator.message = gettext_lazy(
                    "Enter an 11-digit mobile number, e.g. 13812345678."
                )

    def to_python(self, value):
        return normalize_mobile(super().to_python(value))


class AccountAdapter(DefaultAccountAdapter):
    # allauth's wording says "code" (代码 in its Chinese) and blames "login attempts";
    # residents know an SMS 验证码, and need to be told what to do next.
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "incorrect_code": gettext_lazy(
            "That verification code is not right. Check the latest SMS and type its 6 digits."
        ),
        "too_many_login_attempts": gettext_lazy(
            "Too many failed attempts. Wait a few minutes, then try again."
        ),
        "rate_limited": gettext_lazy(
            "A new verification code can be sent in a minute. Use the one already sent, "
            "or wait a little."
        ),
    }

    def phone_form_field(self, **kwargs):
        return MobileField(**kwargs)

    def send_verification_code_sms(self, user, phone: str, code: str, **kwargs) -> None:
        # The same SMS for verifying a number and for signing in with it: both say
        # "验证码", and every code lives 15 minutes (settings.ACCOUNT_*_TIMEOUT).
        sms_send(
            phone=phone,
            text=_("[Townhall] Your verification code is %(code)s. It expires in 15 minutes.")
            % {"code": code},
        )

    def send_password_reset_code_sms(self, *, user, phone: str, code: str) -> None:
        sms_send(
            phone=phone,
            text=_(
                "[Townhall] Your verification code for setting a new password is %(code)s. "
                "It expires in 15 minutes. If you did not ask for it, ignore this SMS."
            )
            % {"code": code},
        )

    def send_unknown_account_sms(self, phone: str, **kwargs) -> None:
        sms_send(phone=phone, text=_("[Townhall] No account uses this number. Sign up first."))

    def send_account_already_exists_sms(self, phone: str) -> None:
        sms_send(
            phone=phone,
            text=_("[Townhall] Someone tried to sign up with this number, which has an account."),
        )

    def set_phone(self, user, phone: str, verified: bool) -> None:
        user.phone = phone
        user.phone_verified = verified
        user.save(update_fields=["phone", "phone_verified"])

    def get_phone(self, user):
        return (user.phone, user.phone_verified) if user.phone else None

    def set_phone_verified(self, user, phone: str) -> None:
        User.objects.filter(pk=user.pk, phone=phone).update(phone_verified=True)
        user.phone_verified = True

    def get_user_by_phone(self, phone: str):
        # The sign-in box passes the number as typed (13812345678).
        return User.objects.filter(phone=normalize_mobile(phone), is_former=False).first()
