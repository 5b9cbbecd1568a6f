"""Producers' logins (issue 15, items 7 and 8): staff create a producer with its first login
and print its card, anyone signs in with a username or a mobile number, staff and helpers
give a producer a new password that is shown once and never logged."""

import importlib
import logging
import re

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from wagtail.models import GroupCollectionPermission, GroupPagePermission, PageLogEntry

from catalogue.login_card import login_url
from catalogue.logins import login_phone, unique_username
from catalogue.models import Commune, ProducerLogin, ProducerPage
from catalogue.producers import add_editor
from tests.conftest import PASSWORD
from tests.test_qr import _expected_matrix, _svg_matrix

LOGIN = "/admin/login/"
PASSWORD_SHAPE = re.compile(r"\b[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}\b")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0912 345 678", "0912345678"),
        ("0912345678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("+84912345678", "0912345678"),
        ("84912345678", "0912345678"),
        ("0912.345.678", "0912345678"),
        ("(+84) 912-345-678", "0912345678"),
        (" 0387 654 321 ", "0387654321"),
        ("0212 345 678", None),  # a landline prefix: not a mobile number
        ("091234567", None),
        ("htx-che-hao-dat", None),
        ("", None),
    ],
)
def test_phone_numbers_are_stored_in_one_form(typed, stored):
    assert login_phone(typed) == stored


def test_usernames_follow_the_vietnamese_slug_rule_with_a_suffix_on_collision(db):
    assert unique_username("HTX Chè Đinh Đồng Hỷ") == "htx-che-dinh-dong-hy"
    get_user_model().objects.create_user("htx-che-dinh-dong-hy")
    get_user_model().objects.create_user("htx-che-dinh-dong-hy-2")
    assert unique_username("HTX Chè Đinh Đồng Hỷ") == "htx-che-dinh-dong-hy-3"


@pytest.fixture
def coop(make_producer):
    return make_producer(phone="0912 345 678")


@pytest.mark.parametrize("typed", ["htx-che-hao-dat", "0912 345 678", "+84 912 345 678"])
def test_a_producer_signs_in_with_its_username_or_its_phone_number(client, coop, typed):
    response = client.post(LOGIN, {"username": typed, "password": PASSWORD, "remember": "on"})
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    assert client.session["_auth_user_id"] == str(coop.user.pk)
    assert client.session.get_expire_at_browser_close() is False


def test_a_wrong_password_is_told_in_vietnamese_and_signs_nobody_in(client, coop):
    response = client.post(LOGIN, {"username": "0912 345 678", "password": "sai-mat-khau"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sai tên đăng nhập (hoặc số điện thoại) hoặc mật khẩu." in html
    assert "_auth_user_id" not in client.session
    assert 'value="0912 345 678"' in html  # what was typed stays in the box


def test_the_login_page_fills_in_the_username_and_ticks_remember_me(client, coop):
    html = client.get(LOGIN, {"username": "htx-che-hao-dat"}).content.decode()
    assert "Tên đăng nhập hoặc số điện thoại" in html and "Mật khẩu" in html
    assert re.search(r'<input[^>]*name="username"[^>]*value="htx-che-hao-dat"', html)
    assert re.search(r'<input[^>]*name="password"[^>]*autofocus', html)
    assert re.search(r'<input type="checkbox" name="remember"\s+checked', html)
    hostile = client.get(LOGIN, {"username": '"><script>x()</script>'}).content.decode()
    assert "<script>x()" not in hostile and "&lt;script&gt;" not in hostile


def _new_producer(client, **changes):
    data = {
        "title": "HTX Mật ong Đại Từ",
        "producer_type": "htx",
        "commune": Commune.objects.get(code="05977").pk,
        "phone": "+84 987 654 321",
        **changes,
    }
    return client.post(reverse("catalogue_new_producer"), data)


def _set_up(page: ProducerPage) -> dict:
    """What create_producer set up around a producer, without the names that differ."""
    group, collection = page.editors_group, page.collection
    assert group is not None and collection is not None
    [user] = group.user_set.all()
    return {
        "live": page.live,
        "parent": page.get_parent().specific_class.__name__,
        "group_permissions": sorted(group.permissions.values_list("codename", flat=True)),
        "page_permissions": sorted(
            GroupPagePermission.objects.filter(group=group, page=page).values_list(
                "permission__codename", flat=True
            )
        ),
        "collection_permissions": sorted(
            GroupCollectionPermission.objects.filter(
                group=group, collection=collection
            ).values_list("permission__codename", flat=True)
        ),
        "collection_parent": collection.get_parent().name,
        "user_groups": list(user.groups.values_list("pk", flat=True)) == [group.pk],
        "login": ProducerLogin.objects.filter(user=user, producer=page).exists(),
        "language": user.wagtail_userprofile.preferred_language,
        "usable_password": user.has_usable_password(),
    }


def test_staff_create_a_producer_as_the_command_does_and_see_its_card_once(
    as_staff, structure, capsys
):
    response = _new_producer(as_staff)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    page = ProducerPage.objects.get(title="HTX Mật ong Đại Từ")
    login = ProducerLogin.objects.select_related("user").get(producer=page)
    assert (login.user.username, login.phone, page.phone) == (
        "htx-mat-ong-dai-tu",
        "0987654321",
        "0987654321",
    )
    [password] = set(PASSWORD_SHAPE.findall(html))
    assert login.user.check_password(password)
    assert "0987 654 321" in html and "htx-mat-ong-dai-tu" in html

    call_command("create_producer", "HTX Chè Tân Cương", "--commune", "05977")
    command_page = ProducerPage.objects.get(title="HTX Chè Tân Cương")
    assert "htx-che-tan-cuong / " in capsys.readouterr().out
    assert _set_up(page) == _set_up(command_page)
    assert _set_up(page)["login"] and _set_up(page)["live"]

    card = as_staff.get(reverse("catalogue_login_card", args=[page.pk])).content.decode()
    assert "htx-mat-ong-dai-tu" in card and password not in card


def test_the_command_refuses_a_number_that_already_signs_in(coop):
    with pytest.raises(CommandError, match="0912345678 đã dùng để đăng nhập"):
        call_command("create_producer", "HTX Khác", "--commune", "05977", "--phone", "0912345678")
    assert not ProducerPage.objects.filter(title="HTX Khác").exists()
    assert not get_user_model().objects.filter(username="htx-khac").exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"phone": "12345"}, "Số di động không hợp lệ (10 số, ví dụ 0912 345 678)."),
        ({"phone": "0912 345 678"}, "Số điện thoại 0912345678 đã dùng để đăng nhập cho"),
        ({"title": "HTX Chè Hảo Đạt"}, "Đã có chủ thể OCOP tên &#x27;HTX Chè Hảo Đạt&#x27;."),
        ({"commune": "99999999"}, "Hãy chọn một lựa chọn có trong danh sách."),
        ({"title": ""}, "Cần điền mục này."),
        ({"title": "!!!"}, "Tên cần có chữ cái hoặc chữ số"),
    ],
)
def test_bad_input_is_told_in_vietnamese_and_creates_nothing(as_staff, coop, changes, message):
    producers, users = ProducerPage.objects.count(), get_user_model().objects.count()
    response = _new_producer(as_staff, **changes)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert (ProducerPage.objects.count(), get_user_model().objects.count()) == (producers, users)


def test_a_refusal_of_the_service_not_tied_to_a_field_is_shown_above_the_form(
    as_staff, structure, monkeypatch
):
    def refuse(**fields):
        raise ValidationError("Chưa có cây trang của tỉnh.")

    monkeypatch.setattr("catalogue.login_views.create_producer", refuse)
    response = _new_producer(as_staff)
    assert response.status_code == 200
    assert "Chưa có cây trang của tỉnh." in response.content.decode()


def test_only_staff_create_producers(client, coop, django_user_model):
    helper = django_user_model.objects.create_user("hotro", password=PASSWORD)
    add_editor(helper, [coop.page])
    for user in (helper, coop.user):
        client.force_login(user)
        refused = client.get(reverse("catalogue_new_producer"))
        assert refused.status_code == 403
        assert "Chỉ cán bộ OCOP tỉnh tạo được chủ thể mới." in refused.content.decode()
        assert _new_producer(client).status_code == 403
    assert not ProducerPage.objects.filter(title="HTX Mật ong Đại Từ").exists()


@pytest.fixture
def people(coop, make_producer, staff, django_user_model):
    other = make_producer(title="HTX Miến Việt Cường", commune_code="05983")
    helper = django_user_model.objects.create_user("hotro", password=PASSWORD)
    add_editor(helper, [coop.page])
    other_helper = django_user_model.objects.create_user("hotro.khac", password=PASSWORD)
    add_editor(other_helper, [other.page])
    return {"staff": staff, "helper": helper, "other_helper": other_helper, "producer": coop.user}


@pytest.mark.parametrize(
    ("who", "status"), [("staff", 200), ("helper", 200), ("other_helper", 404), ("producer", 403)]
)
def test_who_may_set_a_new_password_for_a_producer(client, coop, people, who, status):
    client.force_login(people[who])
    new_password = reverse("catalogue_new_password", args=[coop.page.pk])
    card = reverse("catalogue_login_card", args=[coop.page.pk])
    assert client.get(card).status_code == status
    response = client.post(new_password)
    assert response.status_code == status
    coop.user.refresh_from_db()
    assert coop.user.check_password(PASSWORD) is (status != 200)
    assert PageLogEntry.objects.filter(action="catalogue.new_password").exists() is (status == 200)
    if status == 200:
        [password] = set(PASSWORD_SHAPE.findall(response.content.decode()))
        assert coop.user.check_password(password)
        assert "no-store" in response["Cache-Control"]
        [entry] = PageLogEntry.objects.filter(page=coop.page, action="catalogue.new_password")
        assert entry.user == people[who] and password not in str(entry.data)
        assert entry.data == {"username": "htx-che-hao-dat"}
        assert client.get(new_password).status_code == 405  # a GET changes nothing
        assert password not in client.get(card).content.decode()  # shown once


def test_a_producer_is_told_who_can_give_it_a_new_password(as_coop, coop):
    refused = as_coop.post(reverse("catalogue_new_password", args=[coop.page.pk]))
    assert refused.status_code == 403
    assert "hãy nhờ họ đặt mật khẩu mới" in refused.content.decode()


def test_a_new_password_is_in_the_producer_history_without_the_password(as_staff, coop):
    reset = as_staff.post(reverse("catalogue_new_password", args=[coop.page.pk]))
    [password] = set(PASSWORD_SHAPE.findall(reset.content.decode()))
    history = reverse("wagtailadmin_pages:history", args=[coop.page.pk])
    html = as_staff.get(history).content.decode()
    assert "Đã đặt mật khẩu mới cho tài khoản của chủ thể" in html and password not in html


def test_a_helper_home_card_links_the_login_card_and_a_producer_home_does_not(client, coop, people):
    card = reverse("catalogue_login_card", args=[coop.page.pk])
    client.force_login(people["helper"])
    assert card in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(people["producer"])
    assert card not in client.get(reverse("wagtailadmin_home")).content.decode()


def test_staff_reach_the_card_from_the_producer_in_the_explorer(client, coop, people):
    card = reverse("catalogue_login_card", args=[coop.page.pk])
    producers = reverse("wagtailadmin_explore", args=[coop.page.get_parent().pk])
    client.force_login(people["staff"])
    assert card in client.get(producers).content.decode()
    edit = reverse("wagtailadmin_pages:edit", args=[coop.page.pk])
    assert card in client.get(edit).content.decode()
    client.force_login(people["helper"])  # the helper's way is the home card
    assert card not in client.get(producers).content.decode()


def test_the_card_qr_opens_the_login_page_with_the_username(as_staff, coop, rf):
    html = as_staff.get(reverse("catalogue_login_card", args=[coop.page.pk])).content.decode()
    expected = "http://testserver/admin/login/?username=htx-che-hao-dat"
    assert login_url(rf.get("/"), "htx-che-hao-dat") == expected
    svg = re.search(r"<svg.*?</svg>", html, re.S)
    assert svg is not None and _svg_matrix(svg.group()) == _expected_matrix(expected)
    assert "@page { size: 105mm 148mm" in html and "0912 345 678" in html
    assert as_staff.get(expected).status_code == 302  # signed in already: to the dashboard


def test_no_password_is_ever_logged(as_staff, coop, caplog, settings):
    settings.DEBUG = True  # Django then logs every SQL statement with its parameters
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    created = _new_producer(as_staff).content.decode()
    reset = as_staff.post(reverse("catalogue_new_password", args=[coop.page.pk])).content.decode()
    passwords = set(PASSWORD_SHAPE.findall(created)) | set(PASSWORD_SHAPE.findall(reset))
    assert len(passwords) == 2
    assert "UPDATE" in caplog.text  # the password's change was logged (hashed)...
    assert not [p for p in passwords if p in caplog.text]  # ...but never a password


def test_producers_made_before_the_login_table_get_their_login(coop, people):
    ProducerLogin.objects.all().delete()
    migration = importlib.import_module("catalogue.migrations.0007_producer_login")
    migration.mark_existing_logins(apps, None)
    [login] = ProducerLogin.objects.filter(producer=coop.page)
    assert (login.user, login.phone) == (coop.user, "0912345678")
    helpers = [people["helper"], people["other_helper"], people["staff"]]
    assert not ProducerLogin.objects.filter(user__in=helpers).exists()
    assert ProducerLogin.objects.count() == ProducerPage.objects.count() == 2
