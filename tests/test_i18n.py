"""The storefront in English: the language switch works, and ocop_site/locale/en is complete.

Message ids are Vietnamese, so English comes only from ocop_site/locale/en/LC_MESSAGES/django.po
and the compiled django.mo committed beside it (no gettext tools at deploy).
"""

import ast
import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

PO = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
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


def test_every_message_is_translated_and_none_is_fuzzy():
    entries = read_po(PO)
    header, messages = entries[0], entries[1:]
    assert header["msgid"] == "" and "fuzzy" not in header["flags"]
    assert "Language: en\n" in header["msgstr"]
    assert len(messages) > 200
    untranslated = [e["msgid"] for e in messages if not all(translations(e))]
    fuzzy = [e["msgid"] for e in messages if "fuzzy" in e["flags"]]
    assert untranslated == []
    assert fuzzy == []
    plurals = [e for e in messages if "msgid_plural" in e]
    assert plurals and all(len(translations(e)) == 2 for e in plurals)


def test_translations_keep_every_placeholder():
    wrong = []
    for entry in read_po(PO)[1:]:
        if "python-format" not in entry["flags"] and "{" not in entry["msgid"]:
            continue
        sources = [entry["msgid"], entry.get("msgid_plural", entry["msgid"])]
        for source, translated in zip(sources * 2, translations(entry), strict=False):
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(translated)):
                wrong.append((source, translated))
    assert wrong == []


def test_compiled_catalogue_matches_the_po():
    """The committed .mo holds exactly the .po's translations (it was recompiled)."""
    with MO.open("rb") as f:
        # `_catalog` is private, so typeshed leaves it out; vars() reaches it all the same.
        catalog = dict(vars(gettext.GNUTranslations(f))["_catalog"])
    catalog.pop("", None)
    expected = {}
    for entry in read_po(PO)[1:]:
        if "msgid_plural" in entry:
            for n, value in enumerate(translations(entry)):
                expected[(entry["msgid"], n)] = value
        else:
            expected[entry["msgid"]] = entry["msgstr"]
    assert catalog == expected


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="gettext's msgfmt is not installed")
def test_msgfmt_accepts_the_po():
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(PO)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr
    assert re.match(r"\d+ translated messages\.$", result.stderr.strip()), result.stderr
