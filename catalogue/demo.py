"""Demo content: the real OCOP products of Lạng Sơn and Thái Nguyên in data/demo_products.csv,
with invented (and labelled) producers' details, prices, variants, stock and certificates.

Idempotent: producers and products that exist (by title) are kept; demo accounts get
fresh passwords on every run so the person starting the site can log in.
"""

import datetime
import hashlib
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import (
    BasePasswordHasher,
    PBKDF2PasswordHasher,
    get_hasher,
    make_password,
)
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from wagtail.models import Site

from catalogue import stock
from catalogue.dates import add_months
from catalogue.logins import generate_password
from catalogue.models import (
    Certificate,
    CertificateStatus,
    Commune,
    IssuerLevel,
    OcopCategory,
    ProducerPage,
    ProducerType,
    ProductGalleryImage,
    ProductPage,
    ProductVariant,
    Province,
    QualityMark,
    SiteOperator,
)
from catalogue.placeholders import create_placeholder_image
from catalogue.producers import add_editor, create_producer, set_admin_language
from catalogue.reference_data import read_rows
from catalogue.roles import PROVINCE_STAFF_GROUP
from catalogue.site_setup import ensure_site_structure
from catalogue.storefront import index as storefront_index
from catalogue.text import fold, slugify_vi

DEMO_NOTE = (
    "Dữ liệu mẫu để trình diễn: tên sản phẩm là thật, còn giá, phân loại, tồn kho, "
    "người đại diện và số quyết định là giả định."
)
PRODUCER_TYPES = {"HTX": ProducerType.COOPERATIVE, "DN": ProducerType.ENTERPRISE}
# (variant name, shipping weight in grams, price in VND) by OCOP set, first match by prefix.
VARIANT_PRESETS = {
    "I.1a": [("Hộp 2 kg", 2300, 120_000), ("Thùng 5 kg", 5500, 280_000)],
    "I.2a": [("Túi 2 kg", 2100, 90_000), ("Túi 5 kg", 5200, 210_000)],
    "I.2b": [("Chai 500 ml", 800, 250_000), ("Chai 1 lít", 1500, 450_000)],
    "I.3b": [("Gói 500 g", 550, 45_000), ("Thùng 10 gói", 5600, 420_000)],
    "I.3c": [("Gói 500 g", 550, 60_000), ("Hộp quà 1 kg", 1200, 140_000)],
    "I.3d": [("Phần 500 g", 700, 180_000), ("Phần 1 kg", 1300, 340_000)],
    "I.5a": [("Hộp 200 g", 300, 150_000), ("Hộp 500 g", 650, 350_000), ("Túi 1 kg", 1100, 650_000)],
    "I.5b": [("Hộp 100 g", 250, 300_000), ("Hộp quà 250 g", 500, 700_000)],
    "II": [("Chai 500 ml", 900, 120_000), ("Bình 2 lít", 2600, 400_000)],
    "III.1": [("Lọ 100 g", 200, 180_000), ("Lọ 500 g", 700, 780_000)],
    "III.3": [("Lọ 10 ml", 80, 90_000), ("Lọ 50 ml", 200, 380_000)],
    "VI": [("Trải nghiệm 1 ngày / người", 0, 350_000)],
}
REPRESENTATIVES = [
    "Hoàng Văn Thắng",
    "Nông Thị Hoa",
    "Lương Văn Bình",
    "Đinh Thị Lan",
    "Vi Văn Đức",
    "Nguyễn Thị Hảo",
    "Triệu Văn Sơn",
    "Hà Thị Mai",
    "Lã Văn Tùng",
    "Lục Thị Hằng",
]
TAX_PREFIX = {"20": "49", "19": "46"}
_LOCALITY_PARTS = re.compile(r"[();,]")
_LOCALITY_PREFIXES = ("former ", "xa ", "tp ", "huyen ", "thi tran ")  # folded


@dataclass
class DemoResult:
    credentials: list[tuple[str, str, str]] = field(default_factory=list)  # role, user, password
    producers_created: int = 0
    products_created: int = 0


def _number(text: str, modulo: int) -> int:
    """A stable pseudo-random number for a name, so re-runs produce the same data."""
    return int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) % modulo


def match_commune(old_locality: str, province: Province) -> Commune:
    """Best post-2025 commune for an old address text, e.g. "Hữu Lũng (xã Cai Kinh)" →
    Xã Cai Kinh; falls back to the first ward of the province."""
    communes = {fold(c.name): c for c in province.communes.filter(retired=False)}
    parts = [fold(part.strip()) for part in _LOCALITY_PARTS.split(old_locality)]
    # "Hữu Lũng (xã Cai Kinh)": a named commune is finer than the old district around it.
    for candidate in sorted(parts, key=lambda part: not part.startswith("xa ")):
        for prefix in _LOCALITY_PREFIXES:
            candidate = candidate.removeprefix(prefix)
        if candidate in communes:
            return communes[candidate]
    ward = province.communes.filter(kind=Commune.Kind.WARD).order_by("code").first()
    assert ward is not None, f"{province} has no ward"  # every province has wards
    return ward


class DemoPasswordHasher(PBKDF2PasswordHasher):
    """PBKDF2 with a tenth of Django's iterations, for the demo accounts only: hashing the
    37 demo passwords took 8 of the demo's 14 s. They are random and printed for whoever
    tries the site, and Django hashes each again with its full count at the account's
    first login (the stored hash names its count; `must_update()` sees it is lower)."""

    iterations = PBKDF2PasswordHasher.iterations // 10


def _demo_hasher() -> BasePasswordHasher | None:
    """The quick hasher on a development site that hashes with Django's PBKDF2 (not in
    production, where `load_demo --force` hashes in full; not in tests, with MD5)."""
    quick = settings.DEBUG and type(get_hasher()) is PBKDF2PasswordHasher
    return DemoPasswordHasher() if quick else None


def _set_password(username: str, password: str, **defaults):
    user, _ = get_user_model().objects.get_or_create(username=username, defaults=defaults)
    for key, value in defaults.items():
        setattr(user, key, value)
    user.password = make_password(password, hasher=_demo_hasher() or "default")
    user.save()
    set_admin_language(user)
    return user


def _ensure_producer(row: dict, index: int, result: DemoResult) -> ProducerPage:
    province = Province.objects.get(name=row["province"])
    title = row["producer"] or f"Cơ sở sản xuất {row['product']}"
    existing = ProducerPage.objects.filter(title=title).first()
    username = slugify_vi(title)[:40].rstrip("-")
    password = generate_password()
    if existing is not None:
        _set_password(username, password)
        result.credentials.append(("Hợp tác xã / chủ thể", username, password))
        return existing
    created = create_producer(
        title=title,
        commune=match_commune(row["old_locality"], province),
        username=username,
        password=password,
        password_hasher=_demo_hasher(),
        producer_type=PRODUCER_TYPES.get(row["producer_type"], ProducerType.HOUSEHOLD),
        legal_name=title,
        registration_code=f"{TAX_PREFIX.get(province.code, '01')}{_number(title, 10**8):08d}",
        representative=REPRESENTATIVES[_number(title, len(REPRESENTATIVES))],
        phone=f"0912 {_number(title, 1000):03d} {index:03d}",
        old_locality=row["old_locality"],
        story=(
            f"<p>{title} ở {row['old_locality']}, {province.name}.</p><p><em>{DEMO_NOTE}</em></p>"
        ),
    )
    result.producers_created += 1
    result.credentials.append(("Hợp tác xã / chủ thể", username, password))
    return created.page


def _presets(set_code: str) -> list[tuple[str, int, int]]:
    for prefix in sorted(VARIANT_PRESETS, key=len, reverse=True):
        if set_code.startswith(prefix):
            return VARIANT_PRESETS[prefix]
    return [("Gói tiêu chuẩn", 500, 100_000)]


def _issuer(stars: int, signed_on: datetime.date, province: Province, row: dict):
    """Issuer text and level as a decision of that date would name it."""
    if stars == 5:
        if signed_on >= datetime.date(2025, 3, 1):
            return "Bộ Nông nghiệp và Môi trường", IssuerLevel.NATIONAL, "QĐ-BNNMT"
        return "Bộ Nông nghiệp và Phát triển nông thôn", IssuerLevel.NATIONAL, "QĐ-BNN-VPĐP"
    name = "Bắc Kạn" if "Bắc Kạn" in row["old_locality"] else province.name
    if stars == 3 and signed_on < datetime.date(2025, 7, 1) and province.code == "20":
        district = row["old_locality"].split("(")[0].strip().removeprefix("TP ")
        return f"UBND huyện {district}", IssuerLevel.DISTRICT, "QĐ-UBND"
    return f"UBND tỉnh {name}", IssuerLevel.PROVINCIAL, "QĐ-UBND"


def _add_certificates(product: ProductPage, row: dict, province: Province) -> None:
    if not row["star"]:
        return  # a local specialty still waiting for its first evaluation
    stars, year = int(row["star"]), int(row["recognised_year"] or 2022)
    name = row["product"]
    signed_on = datetime.date(year, 3 + _number(name, 9), 1 + _number(name + "d", 27))
    today = timezone.localdate()
    cycles = [signed_on]
    # Half of the old certificates were renewed ("công nhận lại") three years later.
    renewed = add_months(signed_on, 36)
    if renewed <= today and _number(name + "renew", 2) == 0:
        cycles.append(renewed)
    for cycle, date in enumerate(cycles):
        issuer, level, suffix = _issuer(stars, date, province, row)
        low, high = {3: (55, 68), 4: (71, 88), 5: (90, 95)}[stars]
        valid_until = add_months(date, 36)
        Certificate.objects.create(
            product=product,
            stars=stars,
            score=low + _number(f"{name}{cycle}", (high - low) * 100) / 100,
            decision_number=f"{100 + _number(f'{name}{cycle}n', 3900)}/{suffix}",
            signed_on=date,
            issuer=issuer,
            issuer_level=level,
            valid_until=valid_until,
            status=CertificateStatus.VALID if valid_until >= today else CertificateStatus.EXPIRED,
            note=DEMO_NOTE,
        )


def _create_product(row: dict, producer: ProducerPage) -> ProductPage:
    category = OcopCategory.objects.get(code=row["ocop_set_inferred"])
    name = row["product"]
    image = create_placeholder_image(name, category.code.split(".")[0], producer.collection)
    page = ProductPage(
        title=name,
        ocop_category=category,
        summary=f"{name}, đặc sản {row['province']}.",
        description=f"<p>{name} của {producer.title}.</p><p><em>{DEMO_NOTE}</em></p>",
        net_content=_presets(category.code)[0][0].split(" ", 1)[-1],
        shelf_life="12 tháng" if not category.code.startswith("I.1") else "7 ngày",
        storage="Nơi khô ráo, thoáng mát, tránh ánh nắng trực tiếp.",
        variants=[
            ProductVariant(name=label, weight_grams=grams, price=price)
            for label, grams, price in _presets(category.code)
        ],
        gallery_images=[ProductGalleryImage(image=image)],
    )
    if category.code.startswith(("I.1", "I.5")):
        page.quality_marks = list(QualityMark.objects.filter(code="vietgap"))
    producer.add_child(instance=page)
    page.save_revision().publish()
    for variant in page.variants.all():
        quantity = 0 if _number(variant.sku, 7) == 0 else 5 + _number(variant.sku + "q", 150)
        stock.set_on_hand(variant.sku, quantity)
    _add_certificates(page, row, producer.commune.province)
    return page


@transaction.atomic
def load_demo() -> DemoResult:
    with storefront_index.batched():
        return _load()


def _demo_operator() -> None:
    """The footer's operator, filled for the demo only where staff left it empty."""
    operator = SiteOperator.for_site(Site.objects.get(is_default_site=True))
    if not operator.name:
        operator.name = "Sở Công Thương tỉnh (dữ liệu mẫu)"
        operator.address = "Cán bộ tỉnh điền ở Cài đặt → Thông tin đơn vị vận hành"
        operator.licence = "Quyết định thành lập: số và ngày của quyết định"
        operator.save()


def _load() -> DemoResult:
    result = DemoResult()
    ensure_site_structure()
    _demo_operator()
    admin_password = generate_password()
    _set_password("admin", admin_password, is_staff=True, is_superuser=True)
    result.credentials.append(("Quản trị hệ thống", "admin", admin_password))

    staff_password = generate_password()
    staff = _set_password("canbo.tinh", staff_password, first_name="Cán bộ OCOP")
    staff.groups.add(Group.objects.get(name=PROVINCE_STAFF_GROUP))
    result.credentials.append(("Cán bộ OCOP tỉnh", "canbo.tinh", staff_password))

    producers: dict[str, ProducerPage] = {}
    for index, row in enumerate(read_rows("demo_products.csv"), start=1):
        key = row["producer"] or row["product"]
        if key not in producers:
            producers[key] = _ensure_producer(row, index, result)
        producer = producers[key]
        if not ProductPage.objects.child_of(producer).filter(title=row["product"]).exists():
            _create_product(row, producer)
            result.products_created += 1

    helper_password = generate_password()
    helper = _set_password("hotro.so", helper_password, first_name="Tổ công nghệ số cộng đồng")
    cooperatives = [p for p in producers.values() if p.producer_type == ProducerType.COOPERATIVE]
    add_editor(helper, cooperatives[:3])
    result.credentials.append(("Tổ công nghệ số (3 HTX)", "hotro.so", helper_password))
    return result
