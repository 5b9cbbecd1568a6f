from django.http import HttpRequest

from orders.cart import SESSION_KEY


def cart(request: HttpRequest) -> dict:
    """Number of items for the header's cart link, from the session alone (no query)."""
    session = getattr(request, "session", None)
    items = session.get(SESSION_KEY, {}) if session is not None else {}
    return {"cart_count": sum(items.values())}
