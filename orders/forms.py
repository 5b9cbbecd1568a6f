"""Shopper forms: add to cart, the delivery address, the payment choice, order lookup."""

from typing import cast

from django import forms
from django.contrib.auth.forms import UserCreationForm
from django.utils.translation import gettext_lazy as _

from catalogue.models import Commune, Province
from catalogue.numbers import int_or_none
from catalogue.text import nfc
from catalogue.validators import normalize_mobile_vn, validate_mobile_vn
from orders.cart import MAX_PER_LINE
from orders.models import PaymentMethod


class AddToCartForm(forms.Form):
    sku = forms.CharField(max_length=64)
    quantity = forms.IntegerField(min_value=1, max_value=MAX_PER_LINE, initial=1)


class MobileField(forms.CharField):
    default_validators = [validate_mobile_vn]

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.attrs.update({"inputmode": "tel", "autocomplete": "tel"})

    def clean(self, value):
        return normalize_mobile_vn(super().clean(value))


class AddressForm(forms.Form):
    """A Vietnamese delivery address in the units after 1 July 2025 (province → commune).

    The commune list depends on the province: without JavaScript the shopper picks the
    province and presses "Chọn xã/phường", which shows the form again with its communes;
    with JavaScript the list is filled at once (site.js)."""

    name = forms.CharField(label=_("Họ tên người nhận"), max_length=120)
    phone = MobileField(label=_("Số điện thoại di động"))
    email = forms.EmailField(
        label=_("Email (không bắt buộc)"), required=False, help_text=_("Để nhận xác nhận đơn.")
    )
    province = forms.ModelChoiceField(
        label=_("Tỉnh/thành phố"),
        queryset=Province.objects.filter(retired=False),
        empty_label=_("— Chọn tỉnh/thành phố —"),
    )
    commune = forms.ModelChoiceField(
        label=_("Xã/phường"),
        queryset=Commune.objects.none(),
        empty_label=_("— Chọn xã/phường —"),
    )
    street = forms.CharField(
        label=_("Số nhà, đường, thôn/xóm"), max_length=255, widget=forms.TextInput()
    )
    note = forms.CharField(
        label=_("Ghi chú cho người bán"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["street"].widget.attrs["autocomplete"] = "street-address"
        self.fields["province"].widget.attrs["data-communes"] = "id_commune"
        province_id = int_or_none(str(self.data.get("province") or self.initial.get("province")))
        if province_id is not None:
            commune = cast("forms.ModelChoiceField[Commune]", self.fields["commune"])
            commune.queryset = Commune.objects.filter(
                province_id=province_id, retired=False
            ).order_by("name")

    def clean(self):
        super().clean()
        data = self.cleaned_data
        for key in ("name", "street", "note"):
            if key in data:
                data[key] = nfc(data[key].strip())
        return data

    def as_session(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "phone": data["phone"],
            "email": data["email"],
            "province": data["province"].pk,
            "commune": data["commune"].pk,
            "street": data["street"],
            "note": data["note"],
        }


CONSENT_NEEDED = _("Hãy đánh dấu đồng ý với chính sách bảo mật để đặt hàng.")


class PlaceOrderForm(forms.Form):
    payment_method = forms.ChoiceField(
        label=_("Hình thức thanh toán"),
        choices=PaymentMethod.choices,
        widget=forms.RadioSelect,
        initial=PaymentMethod.COD,
    )
    expected_total = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    consent = forms.BooleanField(
        label=_("Tôi đồng ý để người bán và đơn vị vận chuyển dùng thông tin trên để giao đơn"),
        error_messages={"required": CONSENT_NEEDED},
    )

    def __init__(self, *args, card_enabled: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not card_enabled:
            cast(forms.ChoiceField, self.fields["payment_method"]).choices = [
                (PaymentMethod.COD.value, PaymentMethod.COD.label)
            ]


class LookupForm(forms.Form):
    number = forms.CharField(label=_("Số đơn hàng"), max_length=16)
    phone = MobileField(label=_("Số điện thoại đặt hàng"))

    def clean_number(self) -> str:
        return self.cleaned_data["number"].strip().upper()


class SignupForm(UserCreationForm):
    consent = forms.BooleanField(
        label=_("Tôi đồng ý với chính sách bảo mật thông tin cá nhân"),
        error_messages={"required": _("Hãy đánh dấu đồng ý với chính sách bảo mật.")},
    )
