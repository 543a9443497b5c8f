import re

from allauth.account import forms as allauth_forms
from allauth.account.adapter import get_adapter
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.account.models import EmailAddress
from allauth.core import context
from django import forms
from django.utils.translation import gettext_lazy as _

from . import codes
from .models import User
from .services import consent_record


class SignupForm(AllauthSignupForm):
    """allauth's sign-up with a display name and consent to the privacy notice.

    Either a mobile number or an email is required (allauth treats both as optional).
    """

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=30,
        help_text=_("What other residents see. You can use a nickname."),
    )
    privacy_consent = forms.BooleanField(
        label=_("I have read and agree to the privacy notice"),
        error_messages={"required": _("Please agree to the privacy notice to sign up.")},
    )

    field_order = ["phone", "email", "display_name", "password1", "password2", "privacy_consent"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # allauth writes "(optional)" into the label; our field template adds it already.
        self.fields["email"].label = _("Email")
        # The template groups the two under "at least one", said before submitting.
        self.fields["email"].help_text = _("Not needed if you gave a mobile number.")

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("phone") and not cleaned.get("email") and not self.has_error("phone"):
            self.add_error("phone", _("Enter a mobile number or an email address."))
        return cleaned

    def save(self, request):
        user = super().save(request)
        if user is not None:
            user.display_name = self.cleaned_data["display_name"]
            user.save(update_fields=["display_name"])
            consent_record(user=user)
        return user


class ProfileForm(forms.ModelForm):
    # No gender here: it is recorded by staff for committee members only, where the
    # law needs it (a woman on every committee). Collect the minimum.
    class Meta:
        model = User
        fields = ["real_name", "display_name"]


class AnnouncementsForm(forms.ModelForm):
    """Whether announcements to everyone (a poll opening, an assembly called) also come
    by email or SMS. The inbox has them either way; a channel that is not verified
    cannot be chosen, since a message would go to a stranger's address or number."""

    class Meta:
        model = User
        fields = ["announcements_by_email", "announcements_by_sms"]
        labels = {
            "announcements_by_email": _("Also by email"),
            "announcements_by_sms": _("Also by SMS"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        person = self.instance
        email = self.fields["announcements_by_email"]
        if EmailAddress.objects.filter(user=person, verified=True, primary=True).exists():
            email.help_text = _("To your verified email address.")
        else:
            email.disabled = True
            email.help_text = _("Add and verify an email address first.")
        sms = self.fields["announcements_by_sms"]
        if person.phone and person.phone_verified:
            sms.help_text = _("To your verified mobile number.")
        else:
            sms.disabled = True
            sms.help_text = _("Add and verify a mobile number first.")


def _code_field_dress(field: forms.Field) -> None:
    """Every SMS code box: called 验证码, a number pad on phones, filled from the SMS
    where the phone offers it."""
    field.label = _("Verification code")
    field.help_text = _("6 digits, from the SMS we sent")
    field.widget.attrs.update(
        {
            "inputmode": "numeric",
            "autocomplete": "one-time-code",
            "maxlength": "7",
            "pattern": "[0-9 ]*",
            "placeholder": "",
        }
    )


class _SmsCodeMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _code_field_dress(self.fields["code"])

    def clean_code(self) -> str:
        # People copy "123 456" from the SMS, or type a space in the middle.
        self.cleaned_data["code"] = re.sub(r"[\s-]", "", self.cleaned_data.get("code", ""))
        return super().clean_code()


class ConfirmLoginCodeForm(_SmsCodeMixin, allauth_forms.ConfirmLoginCodeForm):
    pass


class VerifyPhoneForm(_SmsCodeMixin, allauth_forms.VerifyPhoneForm):
    pass


class ConfirmPasswordResetCodeForm(_SmsCodeMixin, allauth_forms.ConfirmPasswordResetCodeForm):
    def clean_code(self) -> str:
        code = super().clean_code()
        codes.password_reset_phone_verified(context.request)
        return code


class RequestLoginCodeForm(allauth_forms.RequestLoginCodeForm):
    """Ask for a sign-in code: the mobile number first (most residents have no email),
    already filled in with the number typed last."""

    field_order = ["phone", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].help_text = _("We text a 6-digit verification code to this number.")
        self.fields["email"].label = _("Or an email address")
        self.fields["email"].help_text = _("Only if you have no mobile number on your account.")
        self.order_fields(self.field_order)
        if not self.is_bound:
            self.initial.setdefault("phone", codes.typed_phone(context.request))

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("phone") and not cleaned.get("email") and not self.errors:
            self.add_error("phone", _("Enter your mobile number."))
        return cleaned

    def clean_phone(self) -> str:
        phone = self.cleaned_data["phone"]
        if phone:
            codes.typed_phone_remember(context.request, phone)
        return super().clean_phone()


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    """allauth's reset asks only for an email; residents mostly have a mobile number,
    and those a grid worker registered have nothing else. The code goes where the
    person asks: texted to the number or mailed to the address."""

    field_order = ["phone", "email"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"] = get_adapter().phone_form_field(required=False)
        self.fields["phone"].help_text = _("We text a 6-digit verification code to this number.")
        self.fields["email"].required = False
        self.fields["email"].label = _("Or an email address")
        self.fields["email"].help_text = _("We email the code instead.")
        self.order_fields(self.field_order)
        if not self.is_bound:
            self.initial.setdefault("phone", codes.typed_phone(context.request))
        self.user_by_phone: User | None = None

    def clean_email(self) -> str:
        if not self.cleaned_data.get("email"):
            self.users = []
            return ""
        return super().clean_email()

    def clean(self):
        cleaned = super().clean()
        phone, email = cleaned.get("phone"), cleaned.get("email")
        if self.errors:
            return cleaned
        if phone and email:
            self.add_error("email", _("Give the mobile number or the email, not both."))
        elif phone:
            self.user_by_phone = get_adapter().get_user_by_phone(phone)
            # allauth's view rate-limits resets by cleaned_data["email"]: for a reset by
            # phone, the number is that key.
            cleaned["email"] = phone
        elif not email:
            self.add_error("phone", _("Enter your mobile number or your email address."))
        return cleaned

    def save(self, request, **kwargs) -> str:
        phone = self.cleaned_data.get("phone")
        if not phone:
            return super().save(request, **kwargs)
        codes.password_reset_code_send_by_sms(request=request, user=self.user_by_phone, phone=phone)
        return phone
