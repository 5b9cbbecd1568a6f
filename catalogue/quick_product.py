"""Thêm sản phẩm nhanh: a product with its photos, variants and starting stock from one
phone screen, for producers and the helpers who type for them.

It makes what Wagtail's own editor makes (wagtail/admin/views/pages/create.py,
`save_action` and `submit_action`, read for Wagtail 8.0): a draft page under the producer,
a logged revision by the user, the user's comment subscription and, on "Gửi duyệt", the
producer's approval workflow started. The full editor stays for everything else.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django import forms
from django.contrib.auth.models import AbstractUser
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _
from wagtail.images import get_image_model
from wagtail.images.fields import WagtailImageField
from wagtail.models import PageSubscription

from catalogue import stock
from catalogue.models import (
    OcopCategory,
    ProducerPage,
    ProductGalleryImage,
    ProductPage,
    ProductVariant,
)
from catalogue.money import MoneyField, MoneyInput
from catalogue.numbers import QuantityField
from catalogue.scope import scope_for
from catalogue.text import fold, nfc

MAX_PHOTOS = 8
ONE_VARIANT_NAME = "Tiêu chuẩn"  # a product sold one way needs no variant name


@dataclass(frozen=True)
class NewVariant:
    name: str
    price: int
    stock: int
    weight_grams: int


def producers_for(user: AbstractUser) -> QuerySet[ProducerPage]:
    """Producers under whose page this user may add a product, by title."""
    pages = scope_for(user).filter(ProducerPage.objects.all(), field="pk")
    allowed = [p.pk for p in pages if p.permissions_for_user(user).can_add_subpage()]
    return ProducerPage.objects.filter(pk__in=allowed).order_by("title")


def last_categories(producers: QuerySet[ProducerPage]) -> dict[int, int]:
    """Producer id → the OCOP set of its newest product (most add more of the same kind),
    in one query; producers without products are left out."""
    newest = ProductPage.objects.filter(producer=OuterRef("pk")).order_by("-pk")
    rows = producers.annotate(last=Subquery(newest.values("ocop_category")[:1]))
    return {pk: last for pk, last in rows.values_list("pk", "last") if last is not None}


class CategoryChoiceField(forms.ModelChoiceField):
    """Leaf OCOP sets by name, grouped by sector; the folded name rides along in the
    option's data so the page's filter box finds "che" in "Chè"."""

    def label_from_instance(self, obj: OcopCategory) -> str:
        return obj.name_vi


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(WagtailImageField):
    """Several photos from one "camera or gallery" box, each checked as Wagtail checks an
    upload (format, size, pixels)."""

    widget = MultipleImageInput

    def clean(self, data, initial=None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(
                _("Tối đa %(count)d ảnh cho một sản phẩm.") % {"count": MAX_PHOTOS}
            )
        cleaned = []
        for file in files:
            cleaned.append(super().clean(file, initial))
        return cleaned


class QuickProductForm(forms.Form):
    producer = forms.ModelChoiceField(
        queryset=ProducerPage.objects.none(), label=_("Chủ thể"), empty_label=None
    )
    title = forms.CharField(label=_("Tên sản phẩm"), max_length=255)
    photos = PhotosField(label=_("Ảnh sản phẩm"), required=False)
    ocop_category = CategoryChoiceField(
        queryset=OcopCategory.objects.filter(is_leaf=True).select_related("parent__parent"),
        label=_("Nhóm sản phẩm"),
        empty_label=None,
    )

    def __init__(self, *args, producers: QuerySet[ProducerPage], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["producer"].queryset = producers  # type: ignore[attr-defined]
        self.fields["photos"].widget.attrs.update({"accept": "image/*", "multiple": True})

    def clean_title(self) -> str:
        return nfc(self.cleaned_data["title"].strip())


WHOLE_NUMBER_ERRORS = {
    "invalid": _("Nhập một số nguyên, ví dụ 12."),
    "min_value": _("Ít nhất là %(limit_value)s."),
    "max_value": _("Nhiều nhất là %(limit_value)s."),
}


class VariantForm(forms.Form):
    name = forms.CharField(
        label=_("Tên loại"),
        max_length=120,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("nếu có nhiều loại")}),
    )
    price = MoneyField(
        label=_("Giá bán (đ)"),
        min_value=1000,
        max_value=1_000_000_000,
        widget=MoneyInput(attrs={"inputmode": "decimal", "placeholder": "150.000"}),
    )
    stock = QuantityField(label=_("Số lượng có"), max_value=10_000_000, initial=0)
    weight_grams = forms.IntegerField(
        label=_("Cân nặng gửi (g)"),
        min_value=1,
        max_value=100_000,
        error_messages=WHOLE_NUMBER_ERRORS,
    )

    def clean_name(self) -> str:
        return nfc(self.cleaned_data["name"].strip())


class BaseVariantFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        names = [form.cleaned_data.get("name", "") for form in self.forms if form.cleaned_data]
        if len(names) > 1 and not all(names):
            raise forms.ValidationError(_("Có nhiều phân loại: hãy đặt tên cho từng loại."))
        if len(set(names)) != len(names):
            raise forms.ValidationError(_("Hai phân loại trùng tên."))

    def variants(self) -> list[NewVariant]:
        rows = [form.cleaned_data for form in self.forms if form.cleaned_data]
        return [
            NewVariant(
                name=row["name"] or ONE_VARIANT_NAME,
                price=row["price"],
                stock=row["stock"] or 0,
                weight_grams=row["weight_grams"],
            )
            for row in rows
        ]


VariantFormSet = forms.formset_factory(
    VariantForm,
    formset=BaseVariantFormSet,
    extra=0,
    min_num=1,
    validate_min=True,
    max_num=20,
    validate_max=True,
)


def category_options(categories: Sequence[OcopCategory]) -> list[tuple[str, list[tuple]]]:
    """(sector name, [(category, folded search text)]) in taxonomy order, for the template."""
    groups: dict[str, list[tuple]] = {}
    for category in categories:
        words = f"{category.name_vi} {category.parent.name_vi if category.parent else ''}"
        groups.setdefault(category.sector.name_vi, []).append((category, fold(words)))
    return list(groups.items())


@transaction.atomic
def create_product(
    *,
    user: AbstractUser,
    producer: ProducerPage,
    title: str,
    category: OcopCategory,
    variants: list[NewVariant],
    photos: list[UploadedFile],
    submit: bool,
) -> ProductPage:
    """The draft product with its photos (in the producer's collection) and starting
    stock; with `submit`, sent for approval. All of it, or nothing."""
    image_model = get_image_model()
    images = []
    for number, photo in enumerate(photos, start=1):
        image = image_model(
            title=f"{title} {number}" if len(photos) > 1 else title,
            file=photo,
            collection=producer.collection,
            uploaded_by_user=user,
        )
        image._set_image_file_metadata()
        image.save()
        images.append(image)
    page = ProductPage(
        title=title,
        ocop_category=category,
        owner=user,
        live=False,
        variants=[
            ProductVariant(name=v.name, price=v.price, weight_grams=v.weight_grams, sort_order=n)
            for n, v in enumerate(variants)
        ],
        gallery_images=[
            ProductGalleryImage(image=image, sort_order=n) for n, image in enumerate(images)
        ],
    )
    producer.add_child(instance=page)
    page.save_revision(user=user, log_action=True)
    PageSubscription.objects.create(page=page, user=user, comment_notifications=True)
    skus = dict(ProductVariant.objects.filter(product=page).values_list("sort_order", "sku"))
    for n, new in enumerate(variants):
        if new.stock:
            stock.set_on_hand(skus[n], new.stock)
    if submit:
        workflow = page.get_workflow()
        if workflow is not None:
            workflow.start(page, user)
    return page
