from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = _("Danh mục OCOP")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from catalogue.storefront import privacy

        privacy.connect()
