"""Content-Security-Policy, by django-csp (CONTENT_SECURITY_POLICY in settings/base.py).
The shop's pages run no inline script or style, so the policy allows our own origin
only; two places need more, added per response:

- the card payment page loads Stripe.js (orders.views.order_pay);
- Wagtail 8's admin still writes inline <script> (inline panels, date widgets) and
  style attributes, so under /admin/ those two directives also allow 'unsafe-inline'.
"""

from collections.abc import Callable

from csp.constants import UNSAFE_INLINE
from django.http import HttpRequest, HttpResponse
from django.urls import reverse


class AdminAllowsInline:
    """Sits inside csp.middleware.CSPMiddleware, which reads what this sets."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(reverse("wagtailadmin_home")):
            response._csp_update = {  # type: ignore[attr-defined]
                "script-src": [UNSAFE_INLINE],
                "style-src": [UNSAFE_INLINE],
            }
        return response
