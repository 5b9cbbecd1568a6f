"""The form province staff fill in to create a producer with its first login: only what
a login card needs. The username and password are made on the server."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from catalogue.logins import login_phone
from catalogue.models import Commune, ProducerType, Province
from catalogue.text import nfc, slugify_vi


def commune_choices() -> list[tuple[str, list[tuple[int, str]]]]:
    """Communes grouped by province; only the provinces that already have producers when
    there are any (a province's staff rarely create one elsewhere), else every province."""
    with_producers = Province.objects.filter(communes__producers__isnull=False)
    provinces = with_producers if with_producers.exists() else Province.objects.all()
    communes = (
        Commune.objects.filter(retired=False, province__in=provinces.filter(retired=False))
        .select_related("province")
        .order_by("province__name", "name")
    )
    grouped: dict[str, list[tuple[int, str]]] = {}
    for commune in communes:
        grouped.setdefault(commune.province.name, []).append((commune.pk, commune.full_name))
    return list(grouped.items())


class NewProducerForm(forms.Form):
    title = forms.CharField(
        label=_("Tên chủ thể OCOP"),
        max_length=255,
        help_text=_("Ví dụ HTX Chè Hảo Đạt. Tên đăng nhập được tạo từ tên này."),
    )
    producer_type = forms.ChoiceField(label=_("Loại hình"), choices=ProducerType.choices)
    commune = forms.TypedChoiceField(label=_("Xã/phường"), coerce=int)
    phone = forms.CharField(
        label=_("Số điện thoại di động"),
        max_length=20,
        help_text=_("Chủ thể đăng nhập được bằng số này, ví dụ 0912 345 678."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        commune = cast(forms.TypedChoiceField, self.fields["commune"])
        commune.choices = [("", _("— Chọn xã/phường —")), *commune_choices()]

    def clean_title(self) -> str:
        title = nfc(self.cleaned_data["title"].strip())
        if not slugify_vi(title):
            raise forms.ValidationError(
                _("Tên cần có chữ cái hoặc chữ số: tên đăng nhập và địa chỉ trang làm từ tên.")
            )
        return title  # a name already taken is refused by create_producer, on this field

    def clean_commune(self) -> Commune:
        return Commune.objects.select_related("province").get(pk=self.cleaned_data["commune"])

    def clean_phone(self) -> str:
        phone = login_phone(self.cleaned_data["phone"])
        if phone is None:
            raise forms.ValidationError(_("Số di động không hợp lệ (10 số, ví dụ 0912 345 678)."))
        return phone  # a number already signing in is refused by create_producer
