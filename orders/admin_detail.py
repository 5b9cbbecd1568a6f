"""One sub-order in the admin: what to pack, where it goes, its history, and the form
that moves it on (through `orders.fulfilment`). Another producer's sub-order is a 404:
the object is looked up only among the user's own.

Cancelling asks first, without JavaScript: a cancel without confirm=yes changes nothing
and shows the question, whose "Có, huỷ đơn" posts again with confirm=yes."""

from django import forms
from django.contrib import messages
from django.db.models import Q, QuerySet
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from wagtail.admin.utils import get_user_display_name
from wagtail.admin.views.generic.base import BaseObjectMixin, WagtailAdminTemplateMixin

from catalogue.scope import scope_for
from orders import fulfilment
from orders.models import Order, OrderEvent, SubOrder

# Suggestions only: any carrier name may be typed.
CARRIERS = ("GHN", "GHTK", "Viettel Post", "VNPost", "J&T Express", "Ninja Van", "Best Express")


class StatusForm(forms.Form):
    # Any known status is accepted here; whether it is allowed now is fulfilment's call,
    # so a stale page gets its precise message.
    to_status = forms.ChoiceField(label=gettext_lazy("Chuyển sang"), choices=SubOrder.Status)
    carrier = forms.CharField(
        label=gettext_lazy("Đơn vị vận chuyển"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs={"list": "carriers"}),
    )
    tracking_number = forms.CharField(
        label=gettext_lazy("Mã vận đơn"), max_length=60, required=False
    )
    note = forms.CharField(label=gettext_lazy("Ghi chú"), max_length=200, required=False)


def _status_label(event: OrderEvent, status: str) -> str:
    choices = SubOrder.Status if event.sub_order_id else Order.Status
    return str(choices(status).label) if status in choices.values else status


class SubOrderDetailView(BaseObjectMixin, WagtailAdminTemplateMixin, View):
    model = SubOrder
    template_name = "orders/admin/sub_order_detail.html"
    header_icon = "form"
    # Given by the viewset (as_view keyword arguments).
    index_url_name: str | None = None
    detail_url_name: str | None = None

    def get_base_object_queryset(self) -> QuerySet:
        queryset = SubOrder.objects.select_related("order__commune", "order__province", "producer")
        return scope_for(self.request.user).filter(queryset)

    def get_page_title(self) -> str:
        return _("Đơn %(number)s") % {"number": self.object.number}

    def get_page_subtitle(self) -> str:
        return self.object.producer.title

    def get_breadcrumbs_items(self) -> list[dict]:
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": _("Đơn hàng")},
            {"url": "", "label": self.object.number},
        ]

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=StatusForm()))

    def post(self, request, *args, **kwargs):
        form = StatusForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Hãy chọn trạng thái mới."))
            return self.render_to_response(self.get_context_data(form=form))
        if self._asks_to_cancel(form) and request.POST.get("confirm") != "yes":
            return self.render_to_response(self.get_context_data(form=form, confirm_cancel=True))
        try:
            sub_order = fulfilment.change_status(
                self.object.pk, user=request.user, **form.cleaned_data
            )
        except fulfilment.FulfilmentError as error:
            messages.error(request, str(error))
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(
            request,
            _("Đơn %(number)s: %(status)s.")
            % {"number": sub_order.number, "status": sub_order.get_status_display()},
        )
        assert self.detail_url_name is not None
        return redirect(self.detail_url_name, sub_order.pk)

    def _asks_to_cancel(self, form: StatusForm) -> bool:
        """A cancel that may happen now; one that may not gets fulfilment's refusal."""
        cancelled = SubOrder.Status.CANCELLED
        return form.cleaned_data["to_status"] == cancelled and cancelled in (
            fulfilment.next_statuses(self.object)
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sub_order = self.object
        order = sub_order.order
        scope = scope_for(self.request.user)
        events = order.events.filter(Q(sub_order=sub_order) | Q(sub_order__isnull=True))
        others = order.sub_orders.exclude(pk=sub_order.pk).select_related("producer")
        statuses = fulfilment.next_statuses(sub_order)
        context.update(
            sub_order=sub_order,
            order=order,
            lines=sub_order.lines.all(),
            is_staff=scope.all_producers,
            others=[
                (other, self._url(other) if scope.includes(other.producer_id) else None)
                for other in others
            ],
            events=[
                {
                    "event": event,
                    "who": get_user_display_name(event.user) if event.user else _("Hệ thống"),
                    "from": _status_label(event, event.from_status) if event.from_status else "",
                    "to": _status_label(event, event.to_status) if event.to_status else "",
                }
                for event in events.select_related("user")
            ],
            forward_statuses=[
                (status, SubOrder.Status(status).label)
                for status in statuses
                if status != SubOrder.Status.CANCELLED
            ],
            can_cancel=SubOrder.Status.CANCELLED in statuses,
            detail_url=self._url(sub_order),
            can_ship=SubOrder.Status.SHIPPED in statuses,
            finished=sub_order.status in (SubOrder.Status.DELIVERED, SubOrder.Status.CANCELLED),
            carriers=CARRIERS,
        )
        return context

    def _url(self, sub_order: SubOrder) -> str:
        return reverse(self.detail_url_name, args=[sub_order.pk])
