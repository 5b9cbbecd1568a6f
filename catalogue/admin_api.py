"""Wagtail's admin API serves every image and document to any editor (Wagtail 8.0 filters
only private collections): these endpoints keep to what the editor may choose."""

from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet

from catalogue.visibility import choosable


class ChoosableImagesAPI(ImagesAdminAPIViewSet):
    def get_queryset(self):
        return super().get_queryset().filter(pk__in=choosable(self.model, self.request.user))


class ChoosableDocumentsAPI(DocumentsAdminAPIViewSet):
    def get_queryset(self):
        return super().get_queryset().filter(pk__in=choosable(self.model, self.request.user))
