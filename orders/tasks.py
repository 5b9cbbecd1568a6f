"""Background work of the orders app (Django Tasks API; the schedule is set up where
the scheduler lives)."""

from django_tasks import task

from orders import expiry


@task()
def expire_holds() -> int:
    return expiry.expire_holds()
