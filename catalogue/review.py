"""Province staff review what producers send: the queue, what changed, approve or send
back with a reason the producer reads.

Decisions go through Wagtail's own workflow (`Task.on_action`, as its workflow-action view
does), so approving publishes the revision that was sent and the page history records
who decided. A decision names the revision the reviewer saw: if the producer changed the
product meanwhile, nothing is decided and the reviewer looks again.
"""

from dataclasses import dataclass

from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.db import transaction
from django.db.models import QuerySet
from django.utils.text import capfirst
from wagtail.models import GroupApprovalTask, TaskState

from catalogue.models import ProductPage
from catalogue.money import format_vnd
from catalogue.text import plain_text

COMPARED_FIELDS = (
    "title",
    "ocop_category",
    "brand",
    "summary",
    "description",
    "ingredients",
    "net_content",
    "packaging",
    "shelf_life",
    "season",
    "storage",
    "usage",
    "growing_area_code",
)


class ReviewError(Exception):
    """A decision that cannot be taken now; carries a message for the reviewer."""


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


def queue(user: AbstractUser | AnonymousUser) -> QuerySet[TaskState]:
    """Product task states this user may decide on, the longest-waiting first.

    One query, as it runs for the admin menu on every screen: our approval workflow has
    only group approval tasks (catalogue.roles), so this is Wagtail's
    `TaskState.objects.reviewable_by` for them, without its query per task.
    """
    states = TaskState.objects.filter(
        status=TaskState.STATUS_IN_PROGRESS, revision__base_content_type__model="page"
    )
    if not (user.is_authenticated and user.is_active):
        return states.none()
    if not user.is_superuser:
        groups = GroupApprovalTask.groups.through.objects.filter(group__user=user)
        states = states.filter(task_id__in=groups.values("groupapprovaltask_id"))
    return states.select_related("revision", "revision__user", "workflow_state", "task").order_by(
        "started_at"
    )


def reviewable(user: AbstractUser | AnonymousUser, page_id: int) -> TaskState | None:
    return queue(user).filter(revision__object_id=str(page_id)).first()


def _shown(product: ProductPage, field: str) -> str:
    value = getattr(product, field)
    if field == "description":
        return plain_text(value or "")
    if field == "ocop_category":
        return value.name_vi if value else ""
    return str(value or "")


def _variants(product: ProductPage) -> dict[str, str]:
    return {
        v.sku or v.name: f"{v.name}: {format_vnd(v.price)}, {v.weight_grams} g"
        for v in product.variants.all()
    }


def changes(live: ProductPage | None, sent: ProductPage) -> list[Change]:
    """Field by field, what the sent version changes on the live one (everything, for a
    product never published)."""
    result = []
    for field in COMPARED_FIELDS:
        after = _shown(sent, field)
        before = _shown(live, field) if live else ""
        if before != after:
            label = capfirst(str(ProductPage._meta.get_field(field).verbose_name))
            result.append(Change(label, before, after))
    before_variants = _variants(live) if live else {}
    after_variants = _variants(sent)
    for key in sorted(set(before_variants) | set(after_variants)):
        before, after = before_variants.get(key, ""), after_variants.get(key, "")
        if before != after:
            result.append(Change("Phân loại hàng", before, after))
    before_photos = [g.image_id for g in live.gallery_images.all()] if live else []
    after_photos = [g.image_id for g in sent.gallery_images.all()]
    if before_photos != after_photos:
        before = f"{len(before_photos)} ảnh" if live else ""
        result.append(Change("Ảnh", before, f"{len(after_photos)} ảnh"))
    return result


def _decide(task_state: TaskState, user: AbstractUser, seen_revision: int, **action) -> None:
    with transaction.atomic():
        state = TaskState.objects.select_for_update().get(pk=task_state.pk)
        if state.status != TaskState.STATUS_IN_PROGRESS:
            raise ReviewError("Sản phẩm này đã được quyết định rồi.")
        if state.revision_id != seen_revision:
            raise ReviewError(
                "Chủ thể vừa sửa sản phẩm trong lúc bạn xem. Hãy xem lại bản mới rồi quyết định."
            )
        state.task.specific.on_action(state.specific, user, **action)


def approve(task_state: TaskState, user: AbstractUser, seen_revision: int) -> None:
    _decide(task_state, user, seen_revision, action_name="approve", comment="")


def reject(task_state: TaskState, user: AbstractUser, seen_revision: int, reason: str) -> None:
    reason = reason.strip()
    if not reason:
        raise ReviewError("Hãy ghi lý do để chủ thể biết cần sửa gì.")
    _decide(task_state, user, seen_revision, action_name="reject", comment=reason)
