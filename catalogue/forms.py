"""Admin form shared by every catalogue page."""

from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.images import get_image_model
from wagtail.images.models import AbstractImage
from wagtail.permissions import policy_registry

from catalogue.text import slugify_vi


class CataloguePageForm(WagtailAdminPageForm):
    def clean_slug(self) -> str:
        # Normalised before Wagtail's sibling check, so "chè-đinh" is checked as "che-dinh".
        slug = self.cleaned_data.get("slug") or ""
        return slugify_vi(slug) or slug

    def clean(self):
        cleaned_data = super().clean()
        self._refuse_foreign_images(cleaned_data)
        return cleaned_data

    def _refuse_foreign_images(self, cleaned_data) -> None:
        """The image chooser only offers the editor's own collections, but a form
        accepts any image id: refuse images the editor may not choose."""
        if self.for_user is None:
            return
        chosen = [value for value in cleaned_data.values() if isinstance(value, AbstractImage)]
        for formset in self.formsets.values():
            if formset.is_valid():
                chosen += [
                    form.cleaned_data["image"]
                    for form in formset.forms
                    if isinstance(form.cleaned_data.get("image"), AbstractImage)
                ]
        if not chosen:
            return
        policy = policy_registry.get_by_type(get_image_model())
        allowed = policy.instances_user_has_any_permission_for(self.for_user, ["choose"])
        allowed_ids = set(
            allowed.filter(pk__in=[i.pk for i in chosen]).values_list("pk", flat=True)
        )
        for image in chosen:
            if image.pk not in allowed_ids:
                self.add_error(
                    None,
                    _("Ảnh “%(title)s” không thuộc thư viện ảnh của bạn.") % {"title": image.title},
                )
