"""Admin screens "Duyệt sản phẩm": the queue and one product's review (catalogue.review
decides)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.models import AbstractUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin import messages as admin_messages
from wagtail.admin.ui.components import Component
from wagtail.models import TaskState

from catalogue import review
from catalogue.models import Certificate, ProductPage
from catalogue.scope import signed_in_user


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "approve"), ("reject", "reject")])
    revision = forms.IntegerField(min_value=1)
    reason = forms.CharField(
        label=gettext_lazy("Lý do trả lại (chủ thể sẽ đọc)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


def _rows(states: list[TaskState]) -> list[dict]:
    pages = {
        p.pk: p
        for p in ProductPage.objects.filter(
            pk__in=[int(s.revision.object_id) for s in states]
        ).select_related("producer")
    }
    rows = []
    for state in states:
        page_id = int(state.revision.object_id)
        product = pages.get(page_id)
        rows.append(
            {
                "state": state,
                "title": product.title if product else state.revision.object_str,
                "producer": product.producer.title if product and product.producer else "",
                "url": reverse("catalogue_review", args=[page_id])
                if product
                else reverse("wagtailadmin_pages:edit", args=[page_id]),
                "is_new": product is not None and not product.live,
            }
        )
    return rows


def queue_rows(user: AbstractUser | AnonymousUser) -> list[dict]:
    return _rows(list(review.queue(user)))


def review_queue_view(request: HttpRequest) -> HttpResponse:
    return TemplateResponse(
        request,
        "catalogue/admin/review_queue.html",
        {
            "page_title": _("Duyệt sản phẩm"),
            "header_icon": "tasks",
            "rows": queue_rows(signed_in_user(request)),
        },
    )


def _next_url(request: HttpRequest) -> str:
    """The next product waiting, else the queue: staff review one after another."""
    following = _rows(list(review.queue(signed_in_user(request))[:1]))
    return following[0]["url"] if following else reverse("catalogue_review_queue")


def review_view(request: HttpRequest, page_id: int) -> HttpResponse:
    user = signed_in_user(request)
    state = review.reviewable(user, page_id)
    product = ProductPage.objects.filter(pk=page_id).select_related("producer").first()
    if state is None or product is None:
        raise PermissionDenied
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if data["decision"] == "approve":
                review.approve(state, user, data["revision"])
            else:
                review.reject(state, user, data["revision"], data["reason"])
        except review.ReviewError as error:
            messages.error(request, str(error))
            return redirect("catalogue_review", page_id)
        if data["decision"] == "approve":
            product.refresh_from_db()
            admin_messages.success(
                request,
                _("Đã duyệt “%(title)s”: sản phẩm đã lên gian hàng.") % {"title": product.title},
                buttons=[admin_messages.button(product.url, _("Xem trên gian hàng"))]
                if product.url
                else None,
            )
        else:
            admin_messages.success(
                request,
                _("Đã trả lại “%(title)s” cho chủ thể, kèm lý do.") % {"title": product.title},
            )
        return redirect(_next_url(request))
    if request.method == "POST":
        messages.error(request, _("Chưa quyết định được: hãy chọn Duyệt hoặc Từ chối."))

    sent = state.revision.as_object()
    live = product if product.live else None
    return TemplateResponse(
        request,
        "catalogue/admin/review.html",
        {
            "page_title": _("Duyệt: %(title)s") % {"title": sent.title},
            "header_icon": "tasks",
            "product": product,
            "sent": sent,
            "state": state,
            "changes": review.changes(live, sent),
            "certificate": Certificate.objects.filter(product=product)
            .exclude(status=Certificate.Status.REVOKED)
            .order_by("-signed_on")
            .first(),
            "form": form,
            "photos": [item.image for item in sent.gallery_images.all()],
        },
    )


class ReviewQueuePanel(Component):
    """The staff dashboard's first panel: what waits for their decision."""

    name = "ocop_review_queue"
    template_name = "catalogue/admin/review_panel.html"
    order = 10  # first: deciding is what staff come for

    def __init__(self, rows: list[dict]):
        self.rows = rows

    def get_context_data(self, parent_context):
        count = len(self.rows)
        return {"rows": self.rows, "heading": _("Chờ duyệt (%(count)d)") % {"count": count}}
