from django.apps import AppConfig


class ConnectorsConfig(AppConfig):
    name = "connectors"
    verbose_name = "Marketplace connectors"

    def ready(self) -> None:
        """The marketplaces follow the catalogue's stock and certificate changes; a
        product page links to the product's live listings, and its editor says where it
        is not carried and why (catalogue.listeners)."""
        from catalogue import listeners
        from connectors import links, stock_push

        listeners.stock_changed.listen(stock_push.skus_changed)
        listeners.certificates_changed.listen(stock_push.products_changed)
        listeners.on_product_links(links.live_listing_links)
        listeners.on_product_notes(links.listing_notes)
