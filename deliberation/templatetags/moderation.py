"""Moderation in templates: the controls beside an opinion or comment, and whether a
hidden item's text may be shown to the person looking."""

from django import template

from ..permissions import Action, check

register = template.Library()


def _committee_of(item):
    return item.committee if hasattr(item, "committee") else item.topic.committee


@register.filter
def content_visible_to(item, user) -> bool:
    """A hidden item's text stays readable by its author and by moderators; everyone
    else sees only "hidden by moderators: reason"."""
    if not item.is_hidden:
        return True
    if user.is_authenticated and item.author_id == user.pk:
        return True
    return bool(check(user, Action.MODERATE, _committee_of(item)))


@register.inclusion_tag("deliberation/moderation/_controls.html", takes_context=True)
def moderation_controls(context, item):
    """Report, hide and appeal buttons for `item` (an Opinion or a Comment), as far as
    the person looking may use them."""
    return {"item": item, "request": context.get("request")}
