"""Admin form shared by every catalogue page."""

from collections import defaultdict
from typing import Any

from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.documents import get_document_model
from wagtail.fields import RichTextField
from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage
from wagtail.models import Page
from wagtail.rich_text import extract_references_from_rich_text

from catalogue.numbers import int_or_none
from catalogue.text import slugify_vi
from catalogue.visibility import choosable, shown_pages


class CataloguePageForm(WagtailAdminPageForm):
    def clean_slug(self) -> str:
        # Normalised before Wagtail's sibling check, so "chè-đinh" is checked as "che-dinh".
        slug = self.cleaned_data.get("slug") or ""
        return slugify_vi(slug) or slug

    def clean(self):
        cleaned_data = super().clean()
        if self.for_user is not None:
            self._refuse_foreign_images(cleaned_data)
            self._refuse_foreign_embeds(cleaned_data)
        return cleaned_data

    def _refuse_foreign_images(self, cleaned_data) -> None:
        """The image chooser only offers the editor's own collections, but a form
        accepts any image id: refuse images the editor may not choose, without naming
        them (the title is another producer's), and empty their choosers so the form
        shown again does not show them either."""
        chosen = [
            (self, name) for name, value in cleaned_data.items() if isinstance(value, AbstractImage)
        ]
        for formset in self.formsets.values():
            if formset.is_valid():
                chosen += [
                    (form, "image")
                    for form in formset.forms
                    if isinstance(form.cleaned_data.get("image"), AbstractImage)
                ]
        ids = {form.cleaned_data[name].pk for form, name in chosen}
        usable = set(
            choosable(get_image_model(), self.for_user)
            .filter(pk__in=ids)
            .values_list("pk", flat=True)
        )
        foreign = [
            (form, name) for form, name in chosen if form.cleaned_data[name].pk not in usable
        ]
        for form, name in foreign:
            form.data = form.data.copy()
            form.data[form.add_prefix(name)] = ""
        if foreign:
            self.add_error(None, _("Một ảnh bạn chọn không thuộc thư viện ảnh của bạn."))

    def _refuse_foreign_embeds(self, cleaned_data) -> None:
        """Rich text carries images, documents and page links by id, which the choosers
        narrow but a typed request does not: each must be the editor's to use."""
        for field in self._meta.model._meta.get_fields():
            if not isinstance(field, RichTextField) or not cleaned_data.get(field.name):
                continue
            wanted: dict[Any, set] = defaultdict(set)
            for model, object_id, *_paths in extract_references_from_rich_text(
                str(cleaned_data[field.name])
            ):
                wanted[model].add(int_or_none(str(object_id)))
            if not all(self._usable(model, ids) for model, ids in wanted.items()):
                self.add_error(
                    field.name,
                    _(
                        "Nội dung có ảnh, tài liệu hoặc liên kết không thuộc thư viện của bạn: "
                        "hãy chọn lại từ thư viện của mình."
                    ),
                )

    def _usable(self, model: Any, ids: set) -> bool:
        if not ids:
            return True
        if None in ids:
            return False
        if model is Page:
            allowed = shown_pages(Page.objects.all(), self.for_user)
        elif model in (get_image_model(), get_document_model()):
            allowed = choosable(model, self.for_user)
        else:
            return False
        return allowed.filter(pk__in=ids).count() == len(ids)
