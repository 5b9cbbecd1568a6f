"""The channel form of the "Kênh bán" admin: the channel's settings plus one password
field per secret of its kind. A secret is never sent back to the browser, only its
mask as a placeholder; an empty field keeps the stored value, a typed one replaces it."""

from functools import partial

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from connectors import crypto, push
from connectors.marketplace import TOKEN_KEYS
from connectors.models import Channel
from connectors.registry import descriptor, descriptors

PREFIX = "secret_"


def _keys_for_form(channel: Channel) -> dict[str, str]:
    """{key: label}: the channel's own keys, or on a new channel every kind's keys labelled
    with the kinds that use them (the kind chosen on submit decides which are kept)."""
    if channel.pk:
        return {key: key for key in descriptor(channel.kind).secret_keys}
    kinds: dict[str, list[str]] = {}
    for market in descriptors():
        for key in market.secret_keys:
            kinds.setdefault(key, []).append(market.label)
    return {key: f"{key} ({', '.join(labels)})" for key, labels in kinds.items()}


class ChannelForm(WagtailAdminModelForm):
    class Meta:
        model = Channel
        fields = [
            "kind",
            "name",
            "slug",
            "enabled",
            "base_url",
            "producers",
            "requires_certificate",
            "price_markup_percent",
            "stock_share_percent",
            "stock_buffer",
            "orders_interval_minutes",
            "stock_interval_minutes",
            "full_interval_minutes",
            "sync_paused",
            "calls_per_second",
        ]
        widgets = {"producers": forms.CheckboxSelectMultiple}
        # Marketplace APIs are HTTPS: "partner.shopeemobile.com" means https://.
        field_classes = {"base_url": partial(forms.URLField, assume_scheme="https")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        try:
            self.stored = self.instance.get_secrets()
            help_text = _("Để trống: giữ giá trị đã lưu.") if self.instance.pk else ""
        except crypto.SecretsUnreadable:
            self.stored = {}
            help_text = _("Không đọc được giá trị đã lưu (khoá mã hoá đã đổi): hãy nhập lại.")
        if self.instance.pk:
            # Listings hold the marketplace's ids: another marketplace is another channel.
            self.fields["kind"].disabled = True
        receiver = descriptor(self.instance.kind).push if self.instance.pk else None
        if receiver is not None:  # read-only, but selectable to copy
            self.fields["webhook"] = forms.CharField(
                label=_("Địa chỉ nhận thông báo đơn hàng"),
                required=False,
                initial=push.webhook_url(self.instance),
                widget=forms.Textarea(attrs={"rows": 2, "readonly": "readonly"}),
                help_text=_(
                    "Dán địa chỉ này vào mục %(console)s: đơn mới về đây sau vài giây "
                    "thay vì chờ lượt lấy đơn."
                )
                % {"console": receiver.console},
            )
        for key, label in _keys_for_form(self.instance).items():
            placeholder = crypto.mask(self.stored[key]) if key in self.stored else ""
            self.fields[PREFIX + key] = forms.CharField(
                label=label,
                required=False,
                help_text=help_text,
                widget=forms.PasswordInput(
                    attrs={"placeholder": placeholder, "autocomplete": "new-password"}
                ),
            )

    def clean(self) -> dict:
        cleaned = super().clean()
        try:
            market = descriptor(cleaned.get("kind", ""))
        except ValueError:
            return cleaned
        self.secrets = {}
        for key in market.secret_keys:
            if value := cleaned.get(PREFIX + key) or self.stored.get(key):
                self.secrets[key] = value
            elif key not in TOKEN_KEYS:
                self.add_error(PREFIX + key, _("Cần nhập khoá này để ký lệnh gọi sàn."))
        return cleaned

    def save(self, commit: bool = True) -> Channel:
        self.instance.set_secrets(self.secrets)
        if any(self.cleaned_data.get(PREFIX + key) for key in TOKEN_KEYS):
            # New tokens: the seller authorised again; the next pass reads when it ends.
            self.instance.authorisation_expires_at = None
            self.instance.authorisation_warned_days = None
            self.instance.needs_reauth = False
        return super().save(commit)
