"""Activating a Turkish municipality of the registry as an organisation: its first administrator
is created in its own registry record and chooses a password through a one-time link; bad input
(an unknown code, a municipality already active, a taken username, a bad address) is refused with
a clear message and changes nothing; only national oversight (and superusers) may."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client

from citydiplomacy.accounts.models import Role, User
from citydiplomacy.governments.activation import activate_municipality
from citydiplomacy.governments.models import LocalGovernment

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Kadıköy-iskele-2026"


@pytest.fixture
def kadikoy(db) -> LocalGovernment:
    return LocalGovernment.objects.create(name="Kadıköy Belediyesi", kind="district_municipality",
                                          country_code="TR", official_code="TR-34-D1421", region_code="TR-34")


def _state() -> tuple:
    return (User.objects.count(), sorted(User.objects.values_list("username", "organisation_id")))


def test_activation_creates_the_first_admin_who_sets_a_password(kadikoy, users, django_capture_on_commit_callbacks):
    assert not kadikoy.is_organisation
    with django_capture_on_commit_callbacks(execute=True):
        done = activate_municipality(actor=users["oversight"], code="tr-34-d1421 ", username="kadikoy-admin",
                                     email="bilgi@kadikoy.example", site_url="https://registry.example/")
    admin = User.objects.get(username="kadikoy-admin")
    assert (admin.organisation_id, admin.role, admin.has_usable_password()) == (kadikoy.pk, Role.ADMIN, False)
    assert kadikoy.is_organisation and done.municipality == kadikoy
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["bilgi@kadikoy.example"]
    assert f"https://registry.example{done.set_password_path}" in mail.outbox[0].body

    browser = Client()
    chooser = browser.get(done.set_password_path)
    assert chooser.status_code == 302  # the token leaves the address
    page = browser.get(chooser["Location"])
    assert page.context["validlink"] and "kadikoy-admin" in page.content.decode()
    saved = browser.post(chooser["Location"], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert saved.status_code == 302
    assert User.objects.get(username="kadikoy-admin").check_password(NEW_PASSWORD)
    # the link works once
    assert Client().get(done.set_password_path, follow=True).context["validlink"] is False


@pytest.mark.parametrize(("change", "field", "words"), [
    ({"code": "TR-99-X1"}, "code", "TR-99-X1"),
    ({"code": "TR-34-D1421", "username": "ibb-officer"}, "username", "ibb-officer"),
    ({"code": "TR-34-D1421", "username": ""}, "username", "kullanıcı adı"),
    ({"code": "TR-34-D1421", "email": "not-an-address"}, "email", "not-an-address"),
    ({"code": "TR-06"}, "code", "zaten etkin"),  # Ankara has users
])
def test_bad_input_is_refused_and_changes_nothing(kadikoy, users, ankara, change, field, words):
    ankara.official_code = "TR-06"
    ankara.save()
    before = _state()
    with pytest.raises(ValidationError) as err:
        activate_municipality(actor=users["oversight"], **{"username": "kadikoy-admin", **change})
    assert field in err.value.message_dict and words in " ".join(err.value.message_dict[field])
    assert _state() == before


def test_activating_twice_is_refused(kadikoy, users):
    activate_municipality(actor=users["oversight"], code="TR-34-D1421", username="kadikoy-admin")
    before = _state()
    with pytest.raises(ValidationError, match="zaten etkin"):
        activate_municipality(actor=users["oversight"], code="TR-34-D1421", username="kadikoy-admin-2")
    assert _state() == before


def test_only_oversight_and_superusers_activate(kadikoy, users, client_for, api_client_for):
    for role in ("viewer", "officer", "approver", "admin", "authority"):
        assert client_for(role).post("/local-governments/municipalities/activate/",
                                     {"code": "TR-34-D1421", "username": "x-admin"}).status_code == 403
        assert api_client_for(role).post("/api/municipality-activations/",
                                         {"code": "TR-34-D1421", "username": "x-admin"}, format="json").status_code == 403
    assert not kadikoy.is_organisation
    root = User.objects.create_superuser("root", "root@example.org", "a-Long-pass-1234")
    client = Client()
    client.force_login(root)
    assert client.post("/local-governments/municipalities/activate/",
                       {"code": "TR-34-D1421", "username": "kadikoy-admin"}).status_code == 200
    assert kadikoy.is_organisation


def test_web_page_lists_activates_and_refuses_in_turkish(kadikoy, users, client_for):
    client = client_for("oversight")
    listed = client.get("/local-governments/municipalities/activate/?q=kadıköy", HTTP_ACCEPT_LANGUAGE="tr")
    assert [m.pk for m in listed.context["found"]] == [kadikoy.pk]
    done = client.post("/local-governments/municipalities/activate/",
                       {"code": "TR-34-D1421", "username": "kadikoy-admin"}, HTTP_ACCEPT_LANGUAGE="tr")
    body = done.content.decode()
    assert done.status_code == 200 and 'data-testid="set-password-link"' in body and "etkinleştirildi" in body
    again = client.post("/local-governments/municipalities/activate/",
                        {"code": "TR-34-D1421", "username": "kadikoy-admin-2"}, HTTP_ACCEPT_LANGUAGE="tr")
    assert again.status_code == 400 and "zaten etkin" in again.content.decode()
    unknown = client.post("/local-governments/municipalities/activate/",
                          {"code": "TR-99", "username": "x-admin"}, HTTP_ACCEPT_LANGUAGE="tr")
    assert unknown.status_code == 400 and "Bilinmeyen belediye kodu" in unknown.content.decode()
    assert User.objects.filter(organisation=kadikoy).count() == 1


def test_api_activates_and_lists(kadikoy, users, api_client_for):
    api = api_client_for("oversight")
    assert api.get("/api/municipality-activations/?q=TR-34-D1421").json() == [{
        "id": kadikoy.pk, "official_code": "TR-34-D1421", "name": "Kadıköy Belediyesi",
        "kind": "district_municipality", "province": "TR-34", "active": False}]
    created = api.post("/api/municipality-activations/", {"code": "TR-34-D1421", "username": "kadikoy-admin"},
                       format="json")
    assert created.status_code == 201
    body = created.json()
    assert body["organisation"] == kadikoy.pk and body["admin"] == "kadikoy-admin"
    assert body["set_password_url"].startswith("http://testserver/account/set-password/")
    again = api.post("/api/municipality-activations/", {"code": "TR-34-D1421", "username": "other"}, format="json")
    assert again.status_code == 400 and "zaten etkin" in str(again.json())
    assert api.get("/api/municipality-activations/?q=TR-34-D1421").json()[0]["active"] is True


def test_management_command(kadikoy, capsys):
    call_command("activate-municipality", "TR-34-D1421", "--username", "kadikoy-admin",
                 "--site-url", "https://registry.example")
    out = capsys.readouterr().out
    assert "Kadıköy Belediyesi (TR-34-D1421) is active" in out
    assert "https://registry.example/account/set-password/" in out
    with pytest.raises(CommandError, match="zaten etkin"):
        call_command("activate-municipality", "TR-34-D1421", "--username", "second-admin")
    with pytest.raises(CommandError, match="TR-00"):
        call_command("activate-municipality", "TR-00", "--username", "nobody-admin")
    assert User.objects.filter(organisation=kadikoy).count() == 1
