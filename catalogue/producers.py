"""Creating a producer in one step: page, image collection, editors' group, first user."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import BasePasswordHasher, make_password
from django.contrib.auth.models import AbstractUser, Group
from django.core.exceptions import ValidationError
from django.db import transaction
from wagtail.models import Collection
from wagtail.users.models import UserProfile

from catalogue.logins import check_phone_free, generate_password, login_phone, unique_username
from catalogue.models import Commune, ProducerLogin, ProducerPage
from catalogue.roles import grant_producer_editors
from catalogue.site_setup import ensure_site_structure
from catalogue.text import nfc


@dataclass
class NewProducer:
    page: ProducerPage
    group: Group
    collection: Collection
    user: AbstractUser
    login: ProducerLogin
    password: str


@transaction.atomic
def create_producer(
    *,
    title: str,
    commune: Commune,
    username: str | None = None,
    password: str | None = None,
    publish: bool = True,
    password_hasher: BasePasswordHasher | None = None,
    **fields,
) -> NewProducer:
    """Create the producer page with its own collection, group and first editor.

    `fields` are ProducerPage fields (producer_type, phone, legal_name, …); a mobile
    `phone` is also what the user may sign in with. Without `username`, one is made from
    the title (catalogue.logins.unique_username); `password_hasher` replaces Django's
    default one (the demo's quicker one).
    Raises ValidationError, and writes nothing, if any part is invalid.
    """
    User = get_user_model()
    title = nfc(title.strip())
    group_name = f"Biên tập: {title}"[:150]
    username = username or unique_username(title)
    phone = login_phone(fields.get("phone", ""))
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": f"Tên đăng nhập '{username}' đã có người dùng."})
    if (
        ProducerPage.objects.filter(title=title).exists()
        or Group.objects.filter(name=group_name).exists()
    ):
        raise ValidationError({"title": f"Đã có chủ thể OCOP tên '{title}'."})
    check_phone_free(phone)
    structure = ensure_site_structure()
    collection = Collection.get_first_root_node().add_child(name=title)
    group = Group.objects.create(name=group_name)
    page = ProducerPage(
        title=title, commune=commune, collection=collection, editors_group=group, **fields
    )
    structure.producers_index.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    grant_producer_editors(group, page, collection)

    password = password or generate_password()
    user = User.objects.create_user(username=username, email=fields.get("email", ""))
    user.password = make_password(password, hasher=password_hasher or "default")
    user.save(update_fields=["password"])
    user.groups.add(group)
    login = ProducerLogin.objects.create(user=user, producer=page, phone=phone or "")
    set_admin_language(user)
    return NewProducer(page, group, collection, user, login, password)


def set_admin_language(user: AbstractUser, language: str = settings.LANGUAGE_CODE) -> None:
    """Admin in Vietnamese whatever the phone's browser asks for; the user can switch
    to English under Account → Preferences."""
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save(update_fields=["preferred_language"])


def add_editor(user: AbstractUser, producers: list[ProducerPage]) -> None:
    """Give a user (e.g. a community digital team helper) editing rights on several producers."""
    without_group = [p.title for p in producers if p.editors_group_id is None]
    if without_group:
        raise ValidationError(
            f"Chưa có nhóm biên tập (tạo bằng create_producer): {', '.join(without_group)}"
        )
    # All have a group (checked above): the filter only narrows the type.
    user.groups.add(*[p.editors_group for p in producers if p.editors_group is not None])
