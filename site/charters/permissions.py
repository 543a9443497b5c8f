"""Who may record a charter version: the community gatekeeper, with the charter's committee.

The rule: community staff or the committee chair, with two-step verification
(MANAGE_STRUCTURE in `townhall.community.permissions`). They record what the residents'
assembly adopted; they do not decide the text.
"""

from townhall.community.permissions import Action, Decision, Outcome, check

from .models import CharterPage


def charter_version_record_check(user, page: CharterPage) -> Decision:
    committee = page.committee
    if committee is None:  # a charter page outside any committee's index
        return Decision(Outcome.DENIED)
    return check(user, Action.MANAGE_STRUCTURE, committee)
