"""Rebuild the vi catalogues: `.venv/bin/python -m tools.admin_vi`."""

from pathlib import Path

from tools.admin_vi.build import SOURCES, catalogue, write
from tools.admin_vi.messages import TRANSLATIONS

FOLDER = Path(__file__).resolve().parents[2] / "ocop_site/locale/vi/LC_MESSAGES"


def main() -> None:
    used: set[str] = set()
    for domain in SOURCES:
        po = catalogue(domain, TRANSLATIONS)
        write(FOLDER, domain, po)
        used |= {entry.msgid for entry in po}
        print(f"{domain}: {len(po)} messages")
    print(f"not used by this Wagtail or Django: {sorted(set(TRANSLATIONS) - used)}")


if __name__ == "__main__":
    main()
