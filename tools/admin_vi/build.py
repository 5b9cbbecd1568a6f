"""Catalogues from the table: message ids, plurals and format flags are taken from the
English catalogues Wagtail and Django ship, so only strings they really use are written."""

from pathlib import Path

import django
import polib
import wagtail

WAGTAIL = Path(wagtail.__file__).parent
DJANGO = Path(django.__file__).parent
APPS = ["admin", "images", "snippets", "documents", "users", "."]  # "." is wagtail's core
SOURCES = {
    "django": [WAGTAIL / app / "locale/en/LC_MESSAGES/django.po" for app in APPS]
    + [DJANGO / "conf/locale/en/LC_MESSAGES/django.po"]
    + [DJANGO / "contrib/auth/locale/en/LC_MESSAGES/django.po"],
    "djangojs": [WAGTAIL / "admin/locale/en/LC_MESSAGES/djangojs.po"],
}
HEADER = {
    "Project-Id-Version": "ocop_site",
    "Last-Translator": "OCOP team",
    "Language-Team": "Vietnamese",
    "PO-Revision-Date": "2026-12-02 14:00+0000",
    "Language": "vi",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=UTF-8",
    "Content-Transfer-Encoding": "8bit",
    "Plural-Forms": "nplurals=1; plural=0;",
}


def translated(source: polib.POEntry, text: str) -> polib.POEntry:
    entry = polib.POEntry(
        msgctxt=source.msgctxt,
        msgid=source.msgid,
        flags=[flag for flag in source.flags if flag.endswith("-format")],
    )
    if source.msgid_plural:
        entry.msgid_plural = source.msgid_plural
        entry.msgstr_plural = {0: text}
    else:
        entry.msgstr = text
    return entry


def catalogue(domain: str, translations: dict[str, str]) -> polib.POFile:
    """Every message of the domain's sources that the table translates, once each."""
    entries: dict[tuple[str | None, str], polib.POEntry] = {}
    for path in SOURCES[domain]:
        for source in polib.pofile(str(path)):
            key = (source.msgctxt, source.msgid)
            if not source.obsolete and source.msgid in translations and key not in entries:
                entries[key] = translated(source, translations[source.msgid])
    po = polib.POFile(wrapwidth=0)
    po.metadata = HEADER
    po.extend(sorted(entries.values(), key=lambda e: (e.msgid, e.msgctxt or "")))
    return po


def write(folder: Path, domain: str, po: polib.POFile) -> None:
    po.save(str(folder / f"{domain}.po"))
    po.save_as_mofile(str(folder / f"{domain}.mo"))
