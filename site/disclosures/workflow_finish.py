"""WAGTAIL_FINISH_WORKFLOW_ACTION, in a module of its own: Wagtail imports it while
wagtail.models is still loading, so it must import nothing from Wagtail at the top."""


def publish_after_review(workflow_state, user=None):
    """The supervision committee's approval is the authority to publish, so the
    reviewer needs no CMS publishing permission of their own."""
    workflow_state.content_object.get_latest_revision().publish(
        user=user, skip_permission_checks=True
    )
