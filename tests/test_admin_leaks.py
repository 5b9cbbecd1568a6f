"""Cooperative A may not read cooperative B's data through Wagtail's own endpoints (move
confirmation, bulk actions, choosers, page search, the admin API, snippet choosers,
reports), nor put B's image or document into its own rich text."""

import datetime
import json
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.documents.models import Document
from wagtail.models import PageViewRestriction

from catalogue.models import Certificate, ProductPage
from catalogue.placeholders import create_placeholder_image
from tests.conftest import PASSWORD
from tests.test_permissions import _form_data

DRAFT = "Bản nháp bí mật của HTX Miến"
PRIVATE = "Trang riêng tư của HTX Miến"
IMAGE = "Ảnh riêng của HTX Miến"
DOCUMENT = "Hợp đồng riêng của HTX Miến"
DECISION = "9999/QĐ-BIMAT"
SECRETS = (DRAFT, PRIVATE, IMAGE, DOCUMENT, DECISION)


@pytest.fixture
def theirs(coop, other_coop, make_product, client):
    """A's own product, and B's draft, private page, image, document and certificate;
    the client is logged in as A."""
    mine = make_product(coop.page)
    draft = make_product(other_coop.page, title=DRAFT, category="I.3c")
    draft.unpublish()
    private = make_product(other_coop.page, title=PRIVATE, category="I.1a")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    image = create_placeholder_image(IMAGE, "I", other_coop.collection)
    document = Document.objects.create(
        title=DOCUMENT,
        file=ContentFile(b"%PDF-1.4 secret", name="hop-dong.pdf"),
        collection=other_coop.collection,
    )
    certificate = Certificate.objects.create(
        product=draft,
        stars=4,
        score=Decimal("75.5"),
        decision_number=DECISION,
        signed_on=datetime.date(2025, 6, 15),
        issuer="UBND tỉnh Lạng Sơn",
        issuer_level="provincial",
    )
    assert client.login(username=coop.user.username, password=PASSWORD)
    return {
        "mine": mine,
        "draft": draft,
        "private": private,
        "image": image,
        "document": document,
        "certificate": certificate,
    }


def _leaked(response) -> list[str]:
    text = response.content.decode()
    return [secret for secret in SECRETS if secret in text]


def _denied(client, url: str) -> tuple[int, list[str]]:
    response = client.get(url)
    return response.status_code, _leaked(response)


def test_moving_anothers_draft_is_refused_before_its_title_is_shown(client, theirs, coop):
    url = reverse("wagtailadmin_pages:move_confirm", args=[theirs["draft"].pk, coop.page.pk])
    assert _denied(client, url) == (403, [])


@pytest.mark.parametrize("action", ["delete", "unpublish", "move"])
def test_bulk_actions_on_anothers_pages_are_refused(client, theirs, action):
    ids = f"id={theirs['draft'].pk}&id={theirs['private'].pk}&id={theirs['mine'].pk}"
    assert _denied(client, f"/admin/bulk/wagtailcore/page/{action}/?{ids}") == (403, [])


def test_bulk_actions_on_own_pages_still_open(client, theirs, coop):
    response = client.get(f"/admin/bulk/wagtailcore/page/unpublish/?id={theirs['mine'].pk}")
    assert response.status_code == 200
    assert theirs["mine"].title in response.content.decode()


@pytest.mark.parametrize("action", ["delete", "add_tags", "add_to_collection"])
def test_bulk_actions_on_anothers_images_are_refused(client, theirs, action):
    url = f"/admin/bulk/wagtailimages/image/{action}/?id={theirs['image'].pk}"
    assert _denied(client, url) == (403, [])


def test_bulk_actions_on_documents_are_refused(client, theirs):
    url = f"/admin/bulk/wagtaildocs/document/delete/?id={theirs['document'].pk}"
    assert _denied(client, url) == (403, [])


def test_page_chooser_lists_only_live_or_own_pages(client, theirs, other_coop):
    response = client.get(reverse("wagtailadmin_choose_page_child", args=[other_coop.page.pk]))
    assert response.status_code == 200
    assert _leaked(response) == []
    # a draft as the parent shows its title: refused
    url = reverse("wagtailadmin_choose_page_child", args=[theirs["draft"].pk])
    assert _denied(client, url) == (403, [])


def test_page_chooser_search_finds_no_draft_of_another(client, theirs):
    response = client.get(reverse("wagtailadmin_choose_page_search"), {"q": "HTX Miến"})
    assert response.status_code == 200 and _leaked(response) == []


def test_chosen_pages_of_another_are_refused(client, theirs):
    url = reverse("wagtailadmin_choose_page_chosen_multiple")
    assert _denied(client, f"{url}?id={theirs['draft'].pk}") == (403, [])
    assert _denied(client, f"{url}?id={theirs['private'].pk}") == (403, [])
    mine = client.get(f"{url}?id={theirs['mine'].pk}")
    assert mine.status_code == 200
    assert [page["adminTitle"] for page in mine.json()["result"]] == [theirs["mine"].title]


def test_page_search_finds_no_draft_of_another(client, theirs):
    response = client.get(reverse("wagtailadmin_pages:search"), {"q": "HTX Miến"})
    assert response.status_code == 200 and _leaked(response) == []
    response = client.get(reverse("wagtailadmin_pages:search_results"), {"q": "bí mật"})
    assert response.status_code == 200 and _leaked(response) == []


def test_admin_api_shows_only_what_the_editor_may_choose(client, theirs, coop):
    own = create_placeholder_image("Ảnh của mình", "I", coop.collection)
    assert _denied(client, f"/admin/api/main/images/{theirs['image'].pk}/") == (404, [])
    images = client.get("/admin/api/main/images/")
    assert images.status_code == 200 and _leaked(images) == []
    assert [item["title"] for item in images.json()["items"]] == [own.title]
    documents = client.get("/admin/api/main/documents/")  # A has no document rights at all
    assert documents.status_code == 200 and documents.json()["items"] == []
    url = f"/admin/api/main/documents/{theirs['document'].pk}/"
    assert _denied(client, url) == (404, [])
    pages = client.get("/admin/api/main/pages/", {"search": "HTX Miến"})
    assert _leaked(pages) == []
    assert _denied(client, f"/admin/api/main/pages/{theirs['draft'].pk}/") == (404, [])


def test_certificate_chooser_needs_the_right_to_see_certificates(client, theirs):
    assert _denied(client, "/admin/snippets/choose/catalogue/certificate/") == (403, [])
    # the commune chooser of a producer's own page stays open (view_commune)
    assert client.get("/admin/snippets/choose/catalogue/commune/").status_code == 200


def test_the_page_types_report_is_for_province_staff(client, theirs):
    assert _denied(client, "/admin/reports/page-types-usage/") == (403, [])


@pytest.mark.parametrize(
    "report", ["site-history", "aging-pages", "locked", "workflow", "workflow_tasks"]
)
def test_other_reports_show_nothing_of_another(client, theirs, report):
    """Wagtail narrows these to the user's own pages (locked pages need the lock right)."""
    response = client.get(f"/admin/reports/{report}/")
    assert response.status_code in (200, 302) and _leaked(response) == []


def test_reports_stay_open_to_province_staff(client, staff, theirs):
    client.force_login(staff)
    response = client.get("/admin/reports/page-types-usage/")
    assert response.status_code == 200


def test_a_refused_image_is_not_named(client, theirs):
    url = reverse("wagtailadmin_pages:edit", args=[theirs["mine"].pk])
    form = client.get(url).context["form"]
    gallery = form.formsets["gallery_images"]
    data = _form_data(form)
    data[gallery.management_form.add_prefix("TOTAL_FORMS")] = 1
    data.update(
        {f"{gallery.prefix}-0-image": theirs["image"].pk, f"{gallery.prefix}-0-caption": ""}
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Một ảnh bạn chọn không thuộc thư viện ảnh của bạn." in response.content.decode()
    assert _leaked(response) == []


def _draftail(entity_type: str, data: dict) -> str:
    return json.dumps(
        {
            "blocks": [
                {
                    "key": "a1b2c",
                    "type": "atomic" if entity_type == "IMAGE" else "unstyled",
                    "depth": 0,
                    "text": " " if entity_type == "IMAGE" else "Hợp đồng",
                    "inlineStyleRanges": [],
                    "entityRanges": [{"offset": 0, "length": 1, "key": 0}],
                    "data": {},
                }
            ],
            "entityMap": {"0": {"type": entity_type, "mutability": "IMMUTABLE", "data": data}},
        }
    )


@pytest.mark.parametrize(
    ("entity", "data"),
    [
        pytest.param(
            "IMAGE", lambda t: {"id": t["image"].pk, "format": "fullwidth", "alt": "x"}, id="image"
        ),  # fmt: skip
        pytest.param("DOCUMENT", lambda t: {"id": t["document"].pk}, id="document"),
    ],
)
def test_rich_text_cannot_embed_anothers_image_or_document(client, theirs, entity, data):
    mine = theirs["mine"]
    url = reverse("wagtailadmin_pages:edit", args=[mine.pk])
    form = client.get(url).context["form"]
    revisions = mine.revisions.count()
    response = client.post(url, _form_data(form, description=_draftail(entity, data(theirs))))
    assert response.status_code == 200
    assert "không thuộc thư viện của bạn" in response.content.decode()
    assert mine.revisions.count() == revisions
    assert ProductPage.objects.get(pk=mine.pk).description == mine.description


def test_rich_text_may_embed_own_image(client, theirs, coop):
    mine = theirs["mine"]
    image = create_placeholder_image("Ảnh của mình", "I", coop.collection)
    url = reverse("wagtailadmin_pages:edit", args=[mine.pk])
    form = client.get(url).context["form"]
    description = _draftail("IMAGE", {"id": image.pk, "format": "fullwidth", "alt": "x"})
    response = client.post(url, _form_data(form, description=description))
    assert response.status_code == 302
    assert (
        f'embedtype="image" format="fullwidth" id="{image.pk}"'
        in (mine.revisions.order_by("-pk").first().content["description"])
    )
