"""Moderation in templates: the controls beside an opinion or comment, and whether a
hidden item's text may be shown to the person looking.

Both are used once per item on list pages (every comment of a topic), so the person's
permissions are decided once per committee and their reports and appeals read once per
request, cached on the user object of the request."""

from django import template
from django.urls import reverse

from ..moderation.selectors import (
    PersonModeration,
    item_committee,
    item_kind,
    person_moderation,
)
from ..permissions import Action, check

register = template.Library()


def _allowed(user, action: Action, item) -> bool:
    """`check`, remembered for this request: the MFA lookup behind a staff member's
    decision is a query."""
    committee = item_committee(item)
    cache = user.__dict__.setdefault("_deliberation_checks", {})
    key = (action, committee.pk)
    if key not in cache:
        cache[key] = bool(check(user, action, committee))
    return cache[key]


def _person_moderation(user) -> PersonModeration:
    if "_deliberation_moderation" not in user.__dict__:
        user.__dict__["_deliberation_moderation"] = person_moderation(user)
    return user.__dict__["_deliberation_moderation"]


@register.filter
def content_visible_to(item, user) -> bool:
    """A hidden item's text stays readable by its author and by moderators; everyone
    else sees only "hidden by moderators: reason"."""
    if not item.is_hidden:
        return True
    if user.is_authenticated and item.author_id == user.pk:
        return True
    return _allowed(user, Action.MODERATE, item)


@register.inclusion_tag("deliberation/moderation/_controls.html", takes_context=True)
def moderation_controls(context, item):
    """Report, hide and appeal controls for `item` (an Opinion or a Comment), as far as
    the person looking may use them."""
    request = context.get("request")
    user = request.user if request is not None else None
    controls = {"item": item, "kind": item_kind(item), "request": request}
    if user is None or not user.is_authenticated:
        return controls
    kind = controls["kind"]
    key = (kind, item.pk)
    mine = item.author_id == user.pk
    reported = key in _person_moderation(user).reported
    controls.update(
        is_author=mine,
        already_reported=reported and not item.is_hidden,
        can_report=not mine
        and not item.is_hidden
        and not reported
        and _allowed(user, Action.REPORT, item),
        can_moderate=_allowed(user, Action.MODERATE, item),
        appeal=_person_moderation(user).appeals.get(key) if mine else None,
        committee=item_committee(item),
        report_url=reverse(f"deliberation:{kind}_report", args=[item.pk]),
        hide_url=reverse(f"deliberation:{kind}_hide", args=[item.pk]),
        appeal_url=reverse(f"deliberation:{kind}_appeal", args=[item.pk]),
    )
    return controls
