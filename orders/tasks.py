"""Notifications leave the request: email (or SMS/Zalo) is sent by a worker, after the
order's transaction commits, so a slow mail server never slows down a checkout."""

from django_tasks import task

from orders import notify


@task()
def send_order_placed(order_id: int) -> None:
    notify.order_placed(order_id)


@task()
def send_sub_order_changed(sub_order_id: int) -> None:
    notify.sub_order_changed(sub_order_id)
