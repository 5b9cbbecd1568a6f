"""Fulfilment: allowed status steps only, each stock step exactly once, a history line
per change, and only for the producers a user acts for."""

import pytest
from django.contrib.auth.models import Group

from catalogue import stock
from catalogue.money import format_vnd
from catalogue.roles import PROVINCE_STAFF_GROUP
from catalogue.scope import scope_for
from orders import fulfilment
from orders.fulfilment import FulfilmentError, change_status
from orders.models import Order, OrderEvent, PaymentMethod, SubOrder
from orders.payments import mark_paid

Status = SubOrder.Status


@pytest.fixture
def skus(shop):
    tea_small, tea_big = (v.sku for v in shop["tea"].variants.all())
    (noodles,) = (v.sku for v in shop["noodles"].variants.all())
    return {"tea_small": tea_small, "tea_big": tea_big, "noodles": noodles}


def part(order: Order, producer) -> SubOrder:
    return order.sub_orders.get(producer=producer.page)


def level(sku: str) -> tuple[int, int]:
    item = stock.levels([sku])[sku]
    return item.on_hand, item.reserved


@pytest.fixture
def card(settings):
    settings.STRIPE_SECRET_KEY, settings.STRIPE_PUBLISHABLE_KEY = "sk_test_x", "pk_test_x"


def test_cod_parcel_leaves_the_shelf_once_when_shipped(
    skus, place, coop, mailoutbox, django_capture_on_commit_callbacks
):
    order = place({skus["tea_small"]: 2, skus["noodles"]: 1})
    tea = part(order, coop)
    user = coop.user

    for status in (Status.CONFIRMED, Status.PACKED):
        change_status(tea.pk, status, user=user)
        assert level(skus["tea_small"]) == (10, 2)  # still only held

    with django_capture_on_commit_callbacks(execute=True):
        change_status(tea.pk, Status.SHIPPED, user=user, carrier="GHN", tracking_number="GA123")
    tea.refresh_from_db()
    assert (tea.status, tea.stock_state) == (Status.SHIPPED, SubOrder.StockState.COMMITTED)
    assert (tea.carrier, tea.tracking_number) == ("GHN", "GA123")
    assert level(skus["tea_small"]) == (8, 0)
    assert level(skus["noodles"]) == (10, 1)  # the other producer's part is untouched
    (message,) = [m for m in mailoutbox if tea.number in m.subject]
    assert message.to == ["lan@example.vn"] and "Đang giao" in message.subject

    change_status(tea.pk, Status.DELIVERED, user=user)
    with pytest.raises(FulfilmentError):
        change_status(tea.pk, Status.SHIPPED, user=user, carrier="GHN", tracking_number="GA124")
    assert level(skus["tea_small"]) == (8, 0)

    events = list(OrderEvent.objects.filter(sub_order=tea))
    assert [(e.from_status, e.to_status) for e in events] == [
        ("new", "confirmed"),
        ("confirmed", "packed"),
        ("packed", "shipped"),
        ("shipped", "delivered"),
    ]
    assert {e.user for e in events} == {user}
    assert "GHN" in events[2].message and "GA123" in events[2].message


def test_cancelling_a_held_part_gives_the_units_back(skus, place, coop, other_coop):
    order = place({skus["tea_small"]: 3, skus["noodles"]: 2})
    assert stock.levels([skus["tea_small"]])[skus["tea_small"]].available == 7

    tea = change_status(part(order, coop).pk, Status.CANCELLED, user=coop.user, note="Hết hàng")

    assert tea.stock_state == SubOrder.StockState.RELEASED
    assert level(skus["tea_small"]) == (10, 0)
    assert level(skus["noodles"]) == (10, 2)
    order.refresh_from_db()
    assert order.status == Order.Status.PLACED  # the noodles are still coming
    assert OrderEvent.objects.get(sub_order=tea).message.endswith("Hết hàng")

    change_status(part(order, other_coop).pk, Status.CANCELLED, user=other_coop.user)
    order.refresh_from_db()
    assert order.status == Order.Status.CANCELLED
    assert level(skus["noodles"]) == (10, 0)
    assert OrderEvent.objects.filter(
        order=order, sub_order=None, to_status=Order.Status.CANCELLED, user=other_coop.user
    ).exists()


def test_cancelling_a_paid_part_restocks_and_asks_for_a_refund(skus, place, card, coop):
    order = place({skus["tea_small"]: 2, skus["noodles"]: 1}, method=PaymentMethod.CARD)
    mark_paid(order.pk, order.total, "vnd")
    assert level(skus["tea_small"]) == (8, 0)
    tea = part(order, coop)
    change_status(tea.pk, Status.CONFIRMED, user=coop.user)

    change_status(tea.pk, Status.CANCELLED, user=coop.user)

    tea.refresh_from_db()
    assert tea.stock_state == SubOrder.StockState.RELEASED
    assert level(skus["tea_small"]) == (10, 0)
    order.refresh_from_db()
    assert order.status == Order.Status.PAID
    assert tea.number in order.needs_attention
    assert format_vnd(tea.total) in order.needs_attention


def test_paid_part_ships_without_a_second_stock_step(skus, place, card, coop):
    order = place({skus["tea_small"]: 2}, method=PaymentMethod.CARD)
    mark_paid(order.pk, order.total, "vnd")
    tea = part(order, coop)
    for status in (Status.CONFIRMED, Status.PACKED):
        change_status(tea.pk, status, user=coop.user)
    change_status(tea.pk, Status.SHIPPED, user=coop.user, carrier="GHTK", tracking_number="S1")
    assert level(skus["tea_small"]) == (8, 0)


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ([], Status.SHIPPED),
        ([], Status.DELIVERED),
        ([], Status.NEW),
        ([], "lost"),
        ([Status.CONFIRMED], Status.DELIVERED),
        ([Status.CANCELLED], Status.CONFIRMED),
        ([Status.CONFIRMED, Status.PACKED, Status.SHIPPED], Status.CANCELLED),
    ],
)
def test_illegal_steps_are_refused_and_change_nothing(skus, place, coop, path, target):
    order = place({skus["tea_small"]: 1})
    tea = part(order, coop)
    for status in path:
        change_status(tea.pk, status, user=coop.user, carrier="GHN", tracking_number="X1")
    tea.refresh_from_db()
    before = (tea.status, tea.stock_state, level(skus["tea_small"]), OrderEvent.objects.count())

    with pytest.raises(FulfilmentError, match="Không thể chuyển"):
        change_status(tea.pk, target, user=coop.user, carrier="GHN", tracking_number="X2")

    tea.refresh_from_db()
    after = (tea.status, tea.stock_state, level(skus["tea_small"]), OrderEvent.objects.count())
    assert after == before


@pytest.mark.parametrize(("carrier", "tracking"), [("", ""), ("GHN", ""), ("", "GA1"), (" ", " ")])
def test_shipping_needs_carrier_and_tracking_number(skus, place, coop, carrier, tracking):
    order = place({skus["tea_small"]: 1})
    tea = part(order, coop)
    for status in (Status.CONFIRMED, Status.PACKED):
        change_status(tea.pk, status, user=coop.user)

    with pytest.raises(FulfilmentError, match="mã vận đơn"):
        change_status(
            tea.pk, Status.SHIPPED, user=coop.user, carrier=carrier, tracking_number=tracking
        )

    tea.refresh_from_db()
    assert (tea.status, tea.stock_state, tea.tracking_number) == (Status.PACKED, "reserved", "")
    assert level(skus["tea_small"]) == (10, 1)


@pytest.mark.parametrize("target", [Status.CONFIRMED, Status.CANCELLED])
def test_unpaid_card_order_cannot_be_handled(skus, place, card, coop, target):
    order = place({skus["tea_small"]: 1}, method=PaymentMethod.CARD)
    assert order.status == Order.Status.AWAITING_PAYMENT
    tea = part(order, coop)
    assert fulfilment.next_statuses(tea) == ()

    with pytest.raises(FulfilmentError, match="Chờ thanh toán"):
        change_status(tea.pk, target, user=coop.user)

    tea.refresh_from_db()
    assert (tea.status, tea.stock_state) == (Status.NEW, SubOrder.StockState.RESERVED)
    assert level(skus["tea_small"]) == (10, 1)
    assert not OrderEvent.objects.filter(sub_order=tea).exists()


def test_a_producer_cannot_handle_another_producers_part(skus, place, coop, other_coop):
    order = place({skus["tea_small"]: 1})
    tea = part(order, coop)
    with pytest.raises(FulfilmentError, match="không được xử lý"):
        change_status(tea.pk, Status.CONFIRMED, user=other_coop.user)
    tea.refresh_from_db()
    assert tea.status == Status.NEW


def test_scope_follows_groups(coop, other_coop, django_user_model):
    assert scope_for(coop.user).producer_ids == {coop.page.pk}
    assert not scope_for(coop.user).includes(other_coop.page.pk)

    helper = django_user_model.objects.create_user("helper")
    helper.groups.add(coop.group, other_coop.group)
    assert scope_for(helper).producer_ids == {coop.page.pk, other_coop.page.pk}

    staff = django_user_model.objects.create_user("staff")
    staff.groups.add(Group.objects.get(name=PROVINCE_STAFF_GROUP))
    admin = django_user_model.objects.create_superuser("root")
    assert scope_for(staff).all_producers
    assert scope_for(admin).all_producers

    nobody = django_user_model.objects.create_user("nobody")
    assert scope_for(nobody).is_empty
    assert not scope_for(nobody).filter(SubOrder.objects.all()).exists()
