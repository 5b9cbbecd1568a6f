"""Who may do what: province staff, and one editors' group per producer.

A producer's editors may add and edit pages under their own producer page and
upload images into their own collection; they cannot publish. Province staff
approve through the workflow on the producers index and may publish directly.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

PROVINCE_STAFF_GROUP = "Cán bộ OCOP tỉnh"
APPROVAL_WORKFLOW = "Phê duyệt sản phẩm OCOP"
APPROVAL_TASK = "Cán bộ OCOP tỉnh duyệt"

PRODUCER_PAGE_PERMISSIONS = ("add", "change")
STAFF_PAGE_PERMISSIONS = ("add", "change", "publish", "delete", "bulk_delete", "lock", "unlock")
PRODUCER_IMAGE_PERMISSIONS = ("add_image", "change_image", "choose_image")
STAFF_COLLECTION_PERMISSIONS = (
    "add_image",
    "change_image",
    "choose_image",
    "delete_image",
    "add_document",
    "change_document",
    "choose_document",
    "delete_document",
)
ADMIN_ACCESS = ("wagtailadmin", "access_admin")
STAFF_MODEL_PERMISSIONS = (
    ("catalogue", "add_certificate"),
    ("catalogue", "change_certificate"),
    ("catalogue", "delete_certificate"),
    ("catalogue", "view_certificate"),
    ("catalogue", "view_commune"),
    ("catalogue", "view_province"),
)
PRODUCER_MODEL_PERMISSIONS = (("catalogue", "view_commune"), ("catalogue", "view_province"))


def _permission(app_label: str, codename: str) -> Permission:
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _grant_model_permissions(group: Group, pairs) -> None:
    group.permissions.add(*[_permission(app, code) for app, code in pairs])


def _grant_page(group: Group, page: Page, actions) -> None:
    for action in actions:
        GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=_permission("wagtailcore", f"{action}_page")
        )


def _grant_collection(group: Group, collection: Collection, codenames) -> None:
    for codename in codenames:
        app = "wagtailimages" if codename.endswith("_image") else "wagtaildocs"
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=collection, permission=_permission(app, codename)
        )


@transaction.atomic
def ensure_province_staff(home: Page, producers_index: Page) -> Group:
    """The staff group, its rights over the whole site, and the approval workflow
    on the producers subtree (idempotent)."""
    staff, _ = Group.objects.get_or_create(name=PROVINCE_STAFF_GROUP)
    _grant_model_permissions(staff, [ADMIN_ACCESS, *STAFF_MODEL_PERMISSIONS])
    _grant_page(staff, home, STAFF_PAGE_PERMISSIONS)
    _grant_collection(staff, Collection.get_first_root_node(), STAFF_COLLECTION_PERMISSIONS)

    task, _ = GroupApprovalTask.objects.get_or_create(name=APPROVAL_TASK)
    task.groups.set([staff])
    workflow, _ = Workflow.objects.get_or_create(name=APPROVAL_WORKFLOW)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=producers_index, defaults={"workflow": workflow})
    return staff


def grant_producer_editors(group: Group, producer_page: Page, collection: Collection) -> None:
    """Rights of a producer's editors: their own subtree and collection, no publishing."""
    _grant_model_permissions(group, [ADMIN_ACCESS, *PRODUCER_MODEL_PERMISSIONS])
    _grant_page(group, producer_page, PRODUCER_PAGE_PERMISSIONS)
    _grant_collection(group, collection, PRODUCER_IMAGE_PERMISSIONS)
