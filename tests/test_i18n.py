"""The storefront in English: the language switch works, and ocop_site/locale/en is complete.
The admin in Vietnamese: ocop_site/locale/vi holds Wagtail's and Django's strings (built by
tools/admin_vi), for Python (django) and JavaScript (djangojs).

Our message ids are Vietnamese, so English comes only from ocop_site/locale/en/LC_MESSAGES/
django.po and the compiled django.mo committed beside it (no gettext tools at deploy).
"""

import ast
import gettext
import re
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

from tools.admin_vi.build import SOURCES

LOCALE = Path(settings.LOCALE_PATHS[0])
# (catalogue, language, plural forms, fewest messages): Wagtail's admin in vi has well over
# a thousand strings; Wagtail itself ships about 135.
CATALOGUES = [
    (LOCALE / "en" / "LC_MESSAGES" / "django.po", "en", 2, 200),
    (LOCALE / "vi" / "LC_MESSAGES" / "django.po", "vi", 1, 1500),
    (LOCALE / "vi" / "LC_MESSAGES" / "djangojs.po", "vi", 1, 80),
]
every_catalogue = pytest.mark.parametrize(
    "po, language, plural_forms, fewest", CATALOGUES, ids=["en", "vi", "vi-js"]
)
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]|\{\w*\}")


def read_po(path: Path) -> list[dict]:
    """Entries of a .po file, each {"flags", "msgid", "msgid_plural"?, "msgstr"|"msgstr[n]"}."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry: dict = {"flags": set()}
        key = None
        for line in block.strip().splitlines():
            if line.startswith("#,"):
                entry["flags"] |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                entry[key] += ast.literal_eval(line)
            else:
                key, _, value = line.partition(" ")
                entry[key] = ast.literal_eval(value)
        if "msgid" in entry:
            entries.append(entry)
    return entries


def translations(entry: dict) -> list[str]:
    return [value for key, value in entry.items() if key.startswith("msgstr")]


@pytest.fixture
def english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/san-pham/"})
    assert response.status_code == 302
    assert response["Location"] == "/san-pham/"
    return client


@pytest.mark.usefixtures("demo_catalogue", "db")
def test_products_page_is_vietnamese_by_default(client):
    html = client.get("/san-pham/").content.decode()
    assert '<html lang="vi">' in html
    assert "Bộ lọc" in html
    assert "Còn hàng" in html
    assert "Filters" not in html


@pytest.mark.usefixtures("demo_catalogue", "db")
def test_products_page_in_english_after_switching_language(english):
    response = english.get("/san-pham/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Filters" in html
    assert "In stock" in html
    assert "OCOP star rating" in html
    assert "Price: low to high" in html
    assert "Bộ lọc" not in html
    assert "Còn hàng" not in html
    # ...and back again.
    english.post("/i18n/setlang/", {"language": "vi", "next": "/san-pham/"})
    assert "Bộ lọc" in english.get("/san-pham/").content.decode()


def test_switching_language_works_on_a_bare_site(structure, english):
    # Not necessarily empty: the module's demo catalogue stays loaded once a test used it.
    html = english.get("/san-pham/").content.decode()
    assert '<html lang="en">' in html
    assert "Filters" in html
    assert "Sort by" in html
    assert "Bộ lọc" not in html


def test_the_admin_stays_vietnamese_on_a_phone_set_to_english(client, staff, english):
    """The shopper's language choice (cookie) and the phone's (Accept-Language) are both
    English here; the admin still speaks Vietnamese, for the login page and after it."""
    login = client.get("/admin/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert re.search(r'<html[^>]* lang="vi"', login) and "Đăng nhập" in login
    client.force_login(staff)
    home = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert re.search(r'<html[^>]* lang="vi"', home)
    assert '<html lang="en">' in client.get("/san-pham/").content.decode()  # the shop follows


def test_django_and_wagtail_speak_our_vietnamese():
    """Our catalogue wins over Django's own vi ("Nhập một số tổng thể.") and Wagtail's."""
    with translation.override("vi"):
        assert translation.gettext("Enter a whole number.") == "Hãy nhập một số nguyên."
        limit = translation.gettext(
            "Ensure this value is greater than or equal to %(limit_value)s."
        )
        assert limit % {"limit_value": 1} == "Giá trị phải lớn hơn hoặc bằng 1."
        assert translation.gettext("Aging pages") == "Trang lâu chưa cập nhật"
        assert (
            translation.ngettext("Delete 1 page", "Delete %(counter)s pages", 3)
            == "Xoá %(counter)s trang"
        )


def test_the_admin_javascript_catalogue_is_vietnamese(client, staff):
    client.force_login(staff)
    script = client.get("/admin/jsi18n/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Vi\\u1ebft g\\u00ec \\u0111\\u00f3" in script or "Viết gì đó" in script
    assert "Autosave in progress" in script  # the msgid, beside its Vietnamese
    assert (
        "\\u0110ang t\\u1ef1 \\u0111\\u1ed9ng l\\u01b0u" in script or "Đang tự động lưu" in script
    )


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_every_wagtail_admin_message_has_vietnamese(domain):
    """All of Wagtail's admin, core, images, documents, snippets and users strings: a Wagtail
    upgrade that brings new ones fails here until tools/admin_vi translates them."""
    ours = {entry["msgid"] for entry in read_po(LOCALE / "vi" / "LC_MESSAGES" / f"{domain}.po")}
    wagtail = {
        entry.msgid
        for path in SOURCES[domain]
        if "wagtail" in path.parts
        for entry in polib.pofile(str(path))
        if not entry.obsolete
    }
    assert len(wagtail) > {"django": 1500, "djangojs": 80}[domain]
    assert sorted(wagtail - ours) == []


@every_catalogue
def test_every_message_is_translated_and_none_is_fuzzy(po, language, plural_forms, fewest):
    entries = read_po(po)
    header, messages = entries[0], entries[1:]
    assert header["msgid"] == "" and "fuzzy" not in header["flags"]
    assert f"Language: {language}\n" in header["msgstr"]
    assert f"nplurals={plural_forms};" in header["msgstr"]
    assert len(messages) > fewest
    untranslated = [e["msgid"] for e in messages if not all(translations(e))]
    fuzzy = [e["msgid"] for e in messages if "fuzzy" in e["flags"]]
    assert untranslated == []
    assert fuzzy == []
    plurals = [e for e in messages if "msgid_plural" in e]
    assert plurals and all(len(translations(e)) == plural_forms for e in plurals)


@every_catalogue
def test_translations_keep_every_placeholder(po, language, plural_forms, fewest):
    """With one plural form (Vietnamese) it stands for every number: the plural's placeholders."""
    wrong = []
    for entry in read_po(po)[1:]:
        if "python-format" not in entry["flags"] and "{" not in entry["msgid"]:
            continue
        sources = [entry["msgid"], entry.get("msgid_plural", entry["msgid"])][-plural_forms:]
        for source, translated in zip(sources, translations(entry), strict=False):
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(translated)):
                wrong.append((source, translated))
    assert wrong == []


@every_catalogue
def test_compiled_catalogue_matches_the_po(po, language, plural_forms, fewest):
    """The committed .mo holds exactly the .po's translations (it was recompiled)."""
    with po.with_suffix(".mo").open("rb") as f:
        # `_catalog` is private, so typeshed leaves it out; vars() reaches it all the same.
        catalog = dict(vars(gettext.GNUTranslations(f))["_catalog"])
    catalog.pop("", None)
    expected = {}
    for entry in read_po(po)[1:]:
        if "msgid_plural" in entry:
            for n, value in enumerate(translations(entry)):
                expected[(entry["msgid"], n)] = value
        else:
            expected[entry["msgid"]] = entry["msgstr"]
    assert catalog == expected


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="gettext's msgfmt is not installed")
@every_catalogue
def test_msgfmt_accepts_the_po(po, language, plural_forms, fewest):
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr
    assert re.match(r"\d+ translated messages\.$", result.stderr.strip()), result.stderr
