"""A panel at the top of the product editor: what other parts of the site say about the
product, e.g. a marketplace channel that does not carry it and why (`listeners.product_notes`),
so a cooperative reads the reason where it edits the product."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel

from catalogue import listeners
from catalogue.workflow_notes import sent_back_reason


class ProductNotesPanel(Panel):
    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("Trên sàn thương mại điện tử"))
        super().__init__(**kwargs)

    @property
    def clean_name(self) -> str:
        return super().clean_name or "product_notes"

    class BoundPanel(Panel.BoundPanel):
        template_name = "catalogue/admin/product_notes_panel.html"

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            product = self.instance
            self.notes = listeners.product_notes(product) if product.pk else []

        def is_shown(self) -> bool:
            return bool(self.notes)


class SentBackPanel(Panel):
    """At the top of the editor while staff's "Từ chối" stands: their reason, in their words."""

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("Cán bộ OCOP tỉnh đề nghị sửa"))
        super().__init__(**kwargs)

    @property
    def clean_name(self) -> str:
        return super().clean_name or "sent_back"

    class BoundPanel(Panel.BoundPanel):
        template_name = "catalogue/admin/sent_back_panel.html"

        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.reason = sent_back_reason(self.instance) if self.instance.pk else None

        def is_shown(self) -> bool:
            return self.reason is not None
