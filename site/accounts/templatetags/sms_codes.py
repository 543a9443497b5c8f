"""Template tags for the verification-code pages: where the code went, shown masked."""

from django import template

from .. import codes

register = template.Library()


@register.simple_tag(takes_context=True)
def code_recipient(context) -> str:
    """138****5678 (or the email) that the code on this page went to. allauth's views
    pass `phone` or `email`; a reset by phone keeps its number in the session."""
    phone = context.get("phone") or codes.password_reset_phone(context["request"])
    if phone:
        return codes.phone_masked(phone)
    return context.get("email") or ""


@register.simple_tag(takes_context=True)
def reset_code_phone(context) -> str:
    """The number a pending password reset code was texted to, for sending another."""
    return codes.password_reset_phone(context["request"])
