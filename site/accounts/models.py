"""People: the account, their consent to the privacy notice, and their inbox."""

import logging

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)


class Gender(models.TextChoices):
    # Collected only because the law requires a woman on every residents' committee.
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")


class User(AbstractUser):
    """A person. Real name behind, display name in front (后台实名、前台自愿).

    No ethnicity (民族) or religion (宗教) field, on purpose: see DOMAIN.md.
    """

    phone = models.CharField(_("mobile number"), max_length=20, unique=True, null=True, blank=True)
    phone_verified = models.BooleanField(_("mobile number verified"), default=False)
    real_name = models.CharField(
        _("real name"),
        max_length=50,
        blank=True,
        help_text=_("Seen only by you and community staff."),
    )
    display_name = models.CharField(
        _("display name"),
        max_length=30,
        blank=True,
        help_text=_("What other residents see next to what you write."),
    )
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    is_former = models.BooleanField(
        _("former resident"),
        default=False,
        help_text=_("The account was deleted; what the person contributed stays, unnamed."),
    )
    # Remembered per person; a cookie remembers it per browser for signed-out visitors.
    large_text = models.BooleanField(_("large text"), default=False)
    # Announcements to a whole electorate or assembly go to the inbox; by email or SMS
    # only with the person's agreement (off until they say so).
    announcements_by_email = models.BooleanField(_("announcements by email"), default=False)
    announcements_by_sms = models.BooleanField(_("announcements by SMS"), default=False)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return public_name(self)

    def get_full_name(self) -> str:
        # What the admins (Wagtail's page owner, workflow history, "locked by", user
        # lists; Django admin) show for a person: staff work under their real names
        # (后台实名). Without one, the display name, so the admin never falls back to the
        # mobile number, which is the username.
        return self.real_name or self.display_name

    def get_short_name(self) -> str:
        return self.get_full_name()

    def save(self, *args, **kwargs):
        # Wagtail's sidebar names the signed-in person by `first_name` alone, else the
        # username (the mobile number): keep it the real name, which is all we hold.
        self.first_name = self.real_name[:150]
        super().save(*args, **kwargs)

    @property
    def phone_display(self) -> str:
        """+8613812345678 → 138 1234 5678, as people read mobile numbers."""
        if self.phone and self.phone.startswith("+86") and len(self.phone) == 14:
            digits = self.phone[3:]
            return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
        return self.phone or ""


def public_name(user: User) -> str:
    """The name other residents see."""
    if user.is_former:
        return str(_("former resident"))
    if user.display_name:
        return user.display_name
    if user.real_name:
        return masked_name(user.real_name)
    return str(_("resident"))


def masked_name(real_name: str) -> str:
    """王秀英 → 王**: the surname alone, so a real name is never shown by accident."""
    return real_name[:1] + "*" * (len(real_name) - 1)


class ConsentRecord(models.Model):
    """Consent to a version of the privacy notice, kept as evidence (PIPL)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="consents")
    notice_version = models.CharField(_("privacy notice version"), max_length=20)
    accepted_at = models.DateTimeField(_("accepted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("consent to the privacy notice")
        verbose_name_plural = _("consents to the privacy notice")
        ordering = ["-accepted_at"]

    def __str__(self) -> str:
        return f"{self.user} · {self.notice_version}"


class Notification(models.Model):
    """One message in a person's inbox (站内信)."""

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    # The sentence as first rendered in the site's language: for email, and the fallback
    # for messages written before `message_id` existed.
    message = models.CharField(_("message"), max_length=500)
    # What happened, as the untranslated message (a gettext msgid with %(name)s
    # placeholders) and its parameters: the inbox renders it in the reader's language.
    message_id = models.CharField(_("message template"), max_length=500, blank=True)
    params = models.JSONField(_("message parameters"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.message

    def render(self) -> str:
        """The sentence in the active language: what every reader of a message (inbox,
        email, SMS) shows. A message written before `message_id` existed, or whose
        parameters no longer fit its sentence, reads as it was first rendered."""
        if not self.message_id:
            return self.message
        try:
            return message_render(self.message_id, self.params)
        except (KeyError, ValueError, TypeError):
            logger.warning("Notification %s does not render: %r", self.pk, self.message_id)
            return self.message


def message_render(message_id: str, params: dict | None = None, context: str = "") -> str:
    """A stored message in the active language: gettext of its msgid, filled with its
    parameters. A parameter stored as {"msgid": …} (a status label, a body's name, a
    sentence of its own with its "params") is itself translated now, so that nothing in
    a message stays in the language of the person who caused it. Raises KeyError when a
    placeholder has no parameter."""
    text = pgettext(context, message_id) if context else gettext(message_id)
    if not params:
        if "%(" in text:
            raise KeyError(message_id)  # its parameters were lost: never show a placeholder
        # As {% translate %}: a message without parameters is not %-formatted.
        return text
    return text % {name: _param_render(value) for name, value in params.items()}


def _param_render(value):
    if isinstance(value, dict) and "msgid" in value:
        return message_render(value["msgid"], value.get("params"), value.get("context", ""))
    return value
