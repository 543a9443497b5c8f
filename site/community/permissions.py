"""Who may do what in a residents' committee: the one gatekeeper for the community app.

`decide` is the rule (pure); `check` gathers the person's current roles and MFA state
and asks it. Views, consumers and templates all call `check`.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .models import Membership, ResidentsCommittee, Role


class Action(StrEnum):
    TAKE_PART = "take_part"  # submit opinions, second, vote: verified residents only
    VERIFY_RESIDENT = "verify_resident"
    REGISTER_ON_BEHALF = "register_on_behalf"
    SEE_RESIDENT_REGISTER = "see_resident_register"  # real names and addresses
    MANAGE_STRUCTURE = "manage_structure"  # grids, memberships, relatives


GRANTS: dict[Action, frozenset[str]] = {
    Action.TAKE_PART: frozenset({Role.RESIDENT}),
    Action.VERIFY_RESIDENT: frozenset({Role.GRID_WORKER, Role.STAFF}),
    Action.REGISTER_ON_BEHALF: frozenset({Role.GRID_WORKER, Role.STAFF}),
    Action.SEE_RESIDENT_REGISTER: frozenset(
        {Role.GRID_WORKER, Role.STAFF, Role.CHAIR, Role.MEMBER}
    ),
    Action.MANAGE_STRUCTURE: frozenset({Role.STAFF, Role.CHAIR}),
}


class Outcome(StrEnum):
    ALLOWED = "allowed"
    DENIED = "denied"
    NEEDS_MFA = "needs_mfa"  # allowed once the person turns on two-step verification


@dataclass(frozen=True)
class Decision:
    outcome: Outcome

    def __bool__(self) -> bool:
        return self.outcome is Outcome.ALLOWED

    @property
    def in_reach(self) -> bool:
        """The person holds a granting role: offer the control, and ask for two-step
        verification, if it is missing, when they use it."""
        return self.outcome is not Outcome.DENIED


def decide(
    *, action: Action, roles: frozenset[str], has_mfa: bool, mfa_roles: frozenset[str]
) -> Decision:
    return decide_grant(
        granted_to=GRANTS[action], roles=roles, has_mfa=has_mfa, mfa_roles=mfa_roles
    )


def decide_grant(
    *, granted_to: frozenset[str], roles: frozenset[str], has_mfa: bool, mfa_roles: frozenset[str]
) -> Decision:
    """The rule every app's table uses: a role that grants the action, with two-step
    verification where that role requires it."""
    granting = granted_to & roles
    if not granting:
        return Decision(Outcome.DENIED)
    # One granting role that needs no MFA is enough: a staff member who is also a
    # resident may still take part as a resident without a second factor.
    if has_mfa or granting - mfa_roles:
        return Decision(Outcome.ALLOWED)
    return Decision(Outcome.NEEDS_MFA)


def current_roles(user, committee: ResidentsCommittee) -> frozenset[str]:
    if not user.is_authenticated:
        return frozenset()
    cache = user.__dict__.setdefault("_townhall_roles", {})
    if committee.pk not in cache:
        cache[committee.pk] = frozenset(
            Membership.objects.current()
            .filter(person=user, committee=committee)
            .values_list("role", flat=True)
        )
    return cache[committee.pk]


def has_mfa(user) -> bool:
    from allauth.mfa.utils import is_mfa_enabled

    if not user.is_authenticated:
        return False
    # Asked once per permission check, several times a page: once per request object.
    if "_townhall_mfa" not in user.__dict__:
        user.__dict__["_townhall_mfa"] = is_mfa_enabled(user)
    return user.__dict__["_townhall_mfa"]


def check_grant(user, granted_to: frozenset[str], committee: ResidentsCommittee) -> Decision:
    """`check` for another app's table: may `user`, with their roles in `committee`,
    do what `granted_to` roles may do?"""
    roles = current_roles(user, committee)
    mfa_roles = frozenset(settings.TOWNHALL_MFA_REQUIRED_ROLES)
    needs_mfa_lookup = bool(granted_to & roles & mfa_roles)
    return decide_grant(
        granted_to=granted_to,
        roles=roles,
        has_mfa=has_mfa(user) if needs_mfa_lookup else False,
        mfa_roles=mfa_roles,
    )


class Gate:
    """One app's table of grants and the questions asked of it, the same in every app:
    `check` (the decision, for views and consumers), `may_try` (offer the control?) and
    `require` (for services, whoever calls them)."""

    def __init__(self, grants: Mapping[StrEnum, frozenset[str]]):
        self.grants = grants

    def check(self, user, action: StrEnum, committee: ResidentsCommittee) -> Decision:
        return check_grant(user, self.grants[action], committee)

    def may_try(self, user, action: StrEnum, committee: ResidentsCommittee) -> bool:
        return self.check(user, action, committee).in_reach

    def require(self, person, action: StrEnum, committee: ResidentsCommittee) -> None:
        if not self.check(person, action, committee):
            raise PermissionDenied(
                _("You may not do this in %(committee)s.") % {"committee": committee}
            )


GATE = Gate(GRANTS)
check, may_try = GATE.check, GATE.may_try
