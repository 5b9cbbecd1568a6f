from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "catalogue"
    verbose_name = _("Danh mục OCOP")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """The storefront read model, the page views and the photo renditions follow the
        models through catalogue.listeners (imported here: they import the models)."""
        from catalogue import listeners, page_views, product_view, tasks
        from catalogue.models import HomePage, ProducerPage, ProductPage, ProductsIndexPage
        from catalogue.storefront import index, privacy

        listeners.products_changed.listen(index.refresh_products)
        listeners.producer_changed.listen(index.refresh_producer)
        listeners.places_changed.listen(index.places_changed)
        listeners.product_published.listen(tasks.pregenerate_after_commit)
        listeners.on_page_context(HomePage, page_views.home)
        listeners.on_page_context(ProductsIndexPage, page_views.products_index)
        listeners.on_page_context(ProducerPage, page_views.producer)
        listeners.on_page_context(ProductPage, product_view.context)
        privacy.connect()
