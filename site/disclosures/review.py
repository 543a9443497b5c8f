"""The supervision committee's review of disclosures, on Wagtail's workflow engine.

Staff draft in the CMS and submit; supervisors approve or request changes on the
public site (their review page), each act written to the ledger; approval publishes.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.models import TaskState, Workflow, WorkflowPage, WorkflowTask

from townhall.ledger.services import ledger_append
from townhall.ledger.subjects import subject_of

REVIEW_WORKFLOW_NAME = "居务公开审核 (supervision review)"


def review_workflow():
    """The one workflow with the supervision review task, made on first use."""
    from .models import SupervisionReviewTask

    workflow, created = Workflow.objects.get_or_create(name=REVIEW_WORKFLOW_NAME)
    if created or not workflow.workflow_tasks.exists():
        task, _created = SupervisionReviewTask.objects.get_or_create(
            name="居务监督委员会审核 (supervision committee review)"
        )
        # WorkflowTask.objects, not workflow.workflow_tasks: the cluster relation would
        # only add it in memory.
        WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    return workflow


def review_workflow_assign(board) -> None:
    WorkflowPage.objects.get_or_create(page=board, defaults={"workflow": review_workflow()})


def review_record(*, task_state, user, action_name: str, comment: str = "", **kwargs) -> None:
    """Ledger entry for a review act, in the same transaction as the act."""
    page = task_state.revision.content_object
    kind = {
        "approve": "disclosure.review_approved",
        "reject": "disclosure.review_changes_requested",
    }[action_name]
    ledger_append(
        kind=kind,
        subject=subject_of(page),
        actor=user,
        details={"revision": task_state.revision_id, "comment": comment},
    )


def disclosure_review_decide(*, task_state: TaskState, user, approve: bool, comment: str = ""):
    """A supervisor approves (publishing the disclosure) or requests changes (a comment
    is then required, for staff to act on)."""
    comment = comment.strip()
    if not approve and not comment:
        raise ValidationError(_("Say what needs to change; staff will read it."))
    task = task_state.task.specific
    page = task_state.revision.content_object
    actions = {name for name, _label, _needs_form in task.get_actions(page, user)}
    action = "approve" if approve else "reject"
    if action not in actions:
        raise PermissionDenied
    with transaction.atomic():
        state = TaskState.objects.select_for_update().get(pk=task_state.pk)
        if state.status != TaskState.STATUS_IN_PROGRESS:
            raise ValidationError(_("This disclosure has already been reviewed."))
        task.on_action(state, user, action, comment=comment)
