"""The personal-data notice a shopper agrees to, and the record of it. The notice is the
privacy page staff edit (catalogue/legal_pages.py); each published revision is a
version, so a record points at exactly the text that was shown."""

from wagtail.models import Revision

from catalogue.legal_pages import PRIVACY_SLUG
from catalogue.models import InfoPage
from orders.models import Order, PrivacyConsent


def notice_page() -> InfoPage | None:
    return InfoPage.objects.live().filter(slug=PRIVACY_SLUG).first()


def _live_revision() -> Revision | None:
    page = notice_page()
    return page.live_revision if page is not None else None


def record_for_order(order: Order) -> PrivacyConsent:
    return PrivacyConsent.objects.create(
        purpose=PrivacyConsent.Purpose.ORDER,
        order=order,
        user=order.user,
        notice=_live_revision(),
    )


def record_for_account(user) -> PrivacyConsent:
    return PrivacyConsent.objects.create(
        purpose=PrivacyConsent.Purpose.ACCOUNT, user=user, notice=_live_revision()
    )
