"""The first panel of the admin home for producers and their helpers: one card per
producer with what it needs (products waiting for review, products sent back and why,
SKUs at 0, certificates ending soon) and one tap to work for it. A helper serving several
producers switches between them here. Five queries, whatever the number of producers."""

import datetime
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from wagtail.admin.ui.components import Component
from wagtail.models import Page, WorkflowState

from catalogue import stock
from catalogue.models import Certificate, ProducerPage, ProductPage, ProductVariant
from catalogue.models.certificates import EXPIRY_WARNING_DAYS
from catalogue.scope import ProducerScope


@dataclass
class ProducerCard:
    producer: ProducerPage
    waiting: int = 0
    sent_back: list[tuple[str, str, str]] = field(default_factory=list)  # edit url, title, reason
    sold_out: int = 0
    certificates_ending: int = 0

    @property
    def add_url(self) -> str:
        query = urlencode({"producer": self.producer.pk})
        return f"{reverse('catalogue_quick_product')}?{query}"

    @property
    def login_card_url(self) -> str:
        return reverse("catalogue_login_card", args=[self.producer.pk])

    @property
    def products_url(self) -> str:
        return reverse("wagtailadmin_explore", args=[self.producer.pk])

    @property
    def all_well(self) -> bool:
        return not (self.waiting or self.sent_back or self.sold_out or self.certificates_ending)


def _workflow_states(page_ids: list[str]) -> list[WorkflowState]:
    """Pages waiting for review or sent back (Wagtail keys them by the string id)."""
    return list(
        WorkflowState.objects.active()
        .filter(base_content_type=ContentType.objects.get_for_model(Page), object_id__in=page_ids)
        .select_related("current_task_state")
    )


def cards(producer_ids: frozenset[int], today: datetime.date) -> list[ProducerCard]:
    producers = ProducerPage.objects.filter(pk__in=producer_ids).select_related("commune")
    result = {p.pk: ProducerCard(p) for p in producers.order_by("title")}
    products = ProductPage.objects.filter(producer__in=producer_ids)
    owner = {
        str(pk): (producer, title)
        for pk, producer, title in products.values_list("pk", "producer", "title")
    }
    for state in _workflow_states(list(owner)):
        producer, title = owner[state.object_id]
        if state.status == WorkflowState.STATUS_NEEDS_CHANGES:
            reason = state.current_task_state.comment if state.current_task_state else ""
            edit = reverse("wagtailadmin_pages:edit", args=[int(state.object_id)])
            result[producer].sent_back.append((edit, title, reason))
        else:
            result[producer].waiting += 1
    sold_out = Counter(
        dict(
            ProductVariant.objects.filter(product__producer__in=producer_ids, product__live=True)
            .annotate(units=stock.units_available())
            .filter(units__lte=0)
            .values("product__producer")
            .annotate(n=Count("pk"))
            .values_list("product__producer", "n")
        )
    )
    ending = dict(
        Certificate.objects.filter(
            product__producer__in=producer_ids,
            status=Certificate.Status.VALID,
            valid_until__range=(today, today + datetime.timedelta(days=EXPIRY_WARNING_DAYS)),
        )
        .values("product__producer")
        .annotate(n=Count("pk"))
        .values_list("product__producer", "n")
    )
    for pk, card in result.items():
        card.sold_out = sold_out[pk]
        card.certificates_ending = ending.get(pk, 0)
    return list(result.values())


class ProducerHomePanel(Component):
    name = "ocop_producer_home"
    template_name = "catalogue/admin/producer_home_panel.html"
    order = 5  # the first thing a producer sees

    def __init__(self, scope: ProducerScope, *, helper: bool):
        self.scope = scope
        self.helper = helper  # a helper prints login cards and sets new passwords

    def get_context_data(self, parent_context: Mapping[str, Any]) -> Mapping[str, Any]:
        found = cards(self.scope.producer_ids, timezone.localdate())
        grouped: defaultdict[bool, list[ProducerCard]] = defaultdict(list)
        for card in found:
            grouped[card.all_well].append(card)
        return {
            "cards": grouped[False] + grouped[True],  # who needs something first
            "several": len(found) > 1,
            "heading": _("Các chủ thể bạn hỗ trợ") if len(found) > 1 else found[0].producer.title,
            "expiry_days": EXPIRY_WARNING_DAYS,
            "helper": self.helper,
        }
