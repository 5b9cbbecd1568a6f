"""What the approval workflow says to the producer: why province staff sent a page back."""

from wagtail.models import Page, WorkflowState


def sent_back_reason(page: Page) -> str | None:
    """The reviewer's reason while the page waits for the producer's changes, else None
    ("" when the reviewer gave none)."""
    state = (
        WorkflowState.objects.for_instance(page)
        .filter(status=WorkflowState.STATUS_NEEDS_CHANGES)
        .select_related("current_task_state")
        .first()
    )
    if state is None or state.current_task_state is None:
        return None
    return state.current_task_state.comment or ""
