from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils.translation import gettext_lazy as _

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
