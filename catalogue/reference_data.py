"""Loading the shipped reference data (units, taxonomy, quality marks).

Functions take the model classes as arguments so data migrations can pass their
historical models; they are upserts, safe to run again on newer data files.
"""

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from catalogue.text import fold, nfc

DATA_DIR = Path(__file__).resolve().parent / "data"


def read_rows(name: str) -> Iterator[dict[str, str]]:
    with (DATA_DIR / name).open(newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            yield {key: nfc(value.strip()) for key, value in row.items()}


def load_admin_units(Province, Commune, dataset: str = "2025-07") -> tuple[int, int]:
    """Upsert provinces and communes; units absent from the files are marked retired."""
    provinces = {}
    for row in read_rows("provinces_2025.csv"):
        provinces[row["code"]], _ = Province.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "kind": row["kind"],
                "full_name": row["full_name"],
                "dataset": dataset,
                "retired": False,
            },
        )
    Province.objects.exclude(code__in=provinces).update(retired=True)

    existing = {c.code: c for c in Commune.objects.all()}
    to_create, to_update = [], []
    for row in read_rows("communes_2025.csv"):
        province = provinces[row["province_code"]]
        values = {
            "name": row["name"],
            "kind": row["kind"],
            "full_name": row["full_name"],
            "province_id": province.pk,
            "dataset": dataset,
            "retired": False,
            "folded_name": fold(f"{row['full_name']} {province.name}"),
        }
        commune = existing.pop(row["code"], None)
        if commune is None:
            to_create.append(Commune(code=row["code"], **values))
        else:
            for key, value in values.items():
                setattr(commune, key, value)
            to_update.append(commune)
    Commune.objects.bulk_create(to_create, batch_size=500)
    if to_update:
        Commune.objects.bulk_update(to_update, list(values), batch_size=500)
    Commune.objects.filter(code__in=list(existing)).update(retired=True)
    return len(provinces), len(to_create) + len(to_update)


def load_taxonomy(OcopCategory) -> int:
    rows = list(read_rows("ocop_taxonomy.csv"))
    parents = {row["parent"] for row in rows if row["parent"]}
    by_code: dict[str, Any] = {}  # code → OcopCategory (a migration's historical model)
    for row in rows:  # parents come before children in the file
        by_code[row["code"]], _ = OcopCategory.objects.update_or_create(
            code=row["code"],
            defaults={
                "level": row["level"],
                "name_vi": row["name_vi"],
                "name_en": row["name_en"],
                "parent": by_code[row["parent"]] if row["parent"] else None,
                "is_leaf": row["code"] not in parents,
                "sort_key": taxonomy_sort_key(row["code"]),
            },
        )
    return len(by_code)


_ROMAN = {"I": 1, "II": 2, "III": 3, "IV": 4, "V": 5, "VI": 6}


def taxonomy_sort_key(code: str) -> str:
    """ "III.1a" → "03.1a", so sectors sort by number, not alphabetically."""
    sector, _, rest = code.partition(".")
    return f"{_ROMAN[sector]:02d}.{rest}"


def load_quality_marks(QualityMark) -> int:
    count = 0
    for row in read_rows("quality_marks.csv"):
        QualityMark.objects.update_or_create(
            code=row["code"], defaults={"name_vi": row["name_vi"], "name_en": row["name_en"]}
        )
        count += 1
    return count
