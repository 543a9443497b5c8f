"""`{% execution_panel decision %}`: how a decision is carried out, with the buttons the
viewer's role allows (the decision page includes it through execution/_execution.html)."""

from django import template
from django.utils import timezone

from ..decisions.execution import progress_permission
from ..decisions.execution_selectors import decision_overdue, execution_for_panel
from ..permissions import Action, check

register = template.Library()


@register.inclusion_tag("deliberation/execution/_panel.html", takes_context=True)
def execution_panel(context, decision):
    user = context["request"].user
    decision = execution_for_panel(decision.pk)
    committee = decision.committee
    state = decision.execution
    carried_out = decision.passed and state != decision.Execution.COMPLETED
    return {
        "decision": decision,
        "overdue": decision_overdue(decision, timezone.localdate()),
        "progress": list(decision.progress.all()),
        "notes": list(decision.supervision_notes.all()),
        "assisting": list(decision.assisting.all()),
        "can_assign": carried_out and bool(check(user, Action.ASSIGN_EXECUTION, committee)),
        "can_report": state == decision.Execution.IN_PROGRESS
        and bool(progress_permission(user, decision)),
        "can_supervise": decision.passed and bool(check(user, Action.SUPERVISE, committee)),
        "can_sign_off": state == decision.Execution.REPORTED_DONE
        and bool(check(user, Action.SUPERVISE, committee)),
    }
