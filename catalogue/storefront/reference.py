"""Reference data the storefront labels and validates with on every request (taxonomy,
provinces, communes, quality marks), read once per process and kept in memory.

These tables change only by migration or `load_admin_units`, which call `forget()`.
"""

import time
from dataclasses import dataclass

from catalogue.models import Commune, OcopCategory, QualityMark

TIMEOUT = 60 * 60


@dataclass(frozen=True)
class Category:
    code: str
    level: str
    parent: str | None
    name_vi: str
    name_en: str
    sector: str
    group: str

    @property
    def column(self) -> str:
        """The read-model column that holds a category of this level."""
        return {"sector": "sector", "group": "group", "set": "category"}[self.level]


@dataclass(frozen=True)
class Reference:
    categories: dict[str, Category]
    provinces: dict[str, str]  # code → name
    communes: dict[str, tuple[str, str]]  # code → (full name, province code)
    marks: dict[str, tuple[str, str]]  # code → (name vi, name en)

    def children(self, code: str | None) -> list[Category]:
        return [c for c in self.categories.values() if c.parent == code]


def _load() -> Reference:
    rows = list(
        OcopCategory.objects.order_by("sort_key").values_list(
            "code", "level", "parent__code", "name_vi", "name_en"
        )
    )
    parents = {code: parent for code, _, parent, _, _ in rows}

    def lineage(code: str) -> list[str]:
        chain = [code]
        while parents[chain[-1]]:
            chain.append(parents[chain[-1]])
        return chain[::-1]

    categories = {}
    for code, level, parent, name_vi, name_en in rows:
        chain = lineage(code)
        categories[code] = Category(
            code,
            level,
            parent,
            name_vi,
            name_en,
            sector=chain[0],
            group=chain[min(1, len(chain) - 1)],
        )
    # Provinces come with their communes: one query fewer on a cold cache.
    provinces: dict[str, str] = {}
    communes: dict[str, tuple[str, str]] = {}
    for code, name, province, province_name in Commune.objects.values_list(
        "code", "full_name", "province__code", "province__name"
    ):
        communes[code] = (name, province)
        provinces[province] = province_name
    return Reference(
        categories=categories,
        provinces=dict(sorted(provinces.items(), key=lambda item: item[1])),
        communes=communes,
        marks={
            code: (vi, en)
            for code, vi, en in QualityMark.objects.values_list("code", "name_vi", "name_en")
        },
    )


_memo: tuple[float, Reference] | None = None


def get() -> Reference:
    """The reference data, kept in this process for TIMEOUT seconds (not in the shared
    cache: unpickling thousands of communes on every request would cost more than it saves)."""
    global _memo
    now = time.monotonic()
    if _memo is None or now - _memo[0] > TIMEOUT:
        _memo = (now, _load())
    return _memo[1]


def forget() -> None:
    global _memo
    _memo = None
