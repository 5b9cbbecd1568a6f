"""What Vietnamese law asks a selling website to publish, as content staff edit.

- The site operator's name, address, contacts and founding decision, and the link to its
  notification to the Ministry of Industry and Trade (online.gov.vn), in every page's
  footer: Decree 52/2013/NĐ-CP art. 29, as amended by Decree 85/2021/NĐ-CP.
- Pages for the general terms, returns, shipping and personal data (art. 32–34; Decree
  13/2023/NĐ-CP on personal data): InfoPage, seeded by setup_site with a starting text.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField

from .base import CataloguePage


class InfoPage(CataloguePage):
    body = RichTextField(_("nội dung"))

    content_panels = CataloguePage.content_panels + [FieldPanel("body")]
    parent_page_types = ["catalogue.HomePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("trang thông tin")


@register_setting(icon="site")
class SiteOperator(BaseSiteSetting):
    """The body that runs the province's shop window, shown in the footer."""

    name = models.CharField(_("đơn vị vận hành"), max_length=255, blank=True)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    licence = models.CharField(
        _("quyết định thành lập hoặc giấy phép"),
        max_length=255,
        blank=True,
        help_text=_("Ví dụ: Quyết định số 123/QĐ-UBND ngày 01/01/2026 của UBND tỉnh"),
    )
    moit_url = models.URLField(
        _("đường dẫn thông báo với Bộ Công Thương"),
        blank=True,
        help_text=_("Trang của website trên online.gov.vn, sau khi đã thông báo."),
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldPanel("address"),
                FieldPanel("phone"),
                FieldPanel("email"),
                FieldPanel("licence"),
            ],
            heading=_("Đơn vị vận hành"),
        ),
        FieldPanel("moit_url"),
    ]

    class Meta:
        verbose_name = _("thông tin đơn vị vận hành")
