"""F6, F11, F18: every password set (API, web, admin site, CLI) goes through
AUTH_PASSWORD_VALIDATORS; admins reset a member's password, users change their own; API tokens
(django-rest-knox) are stored hashed, expire and can be revoked."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from citydiplomacy.accounts.models import User
from citydiplomacy.accounts.services import issue_api_token
from tests.conftest import PASSWORD

STRONG = "Kardes-Sehir-2026!"


def _token(username: str, password: str = PASSWORD) -> str:
    response = APIClient().post("/api/auth/token/", {"username": username, "password": password}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["token"]


def _token_client(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


# --- passwords ---------------------------------------------------------------------------------
@pytest.mark.parametrize("weak", ["aaaaaaaaaa", "1234567890", "password123"])
def test_api_refuses_a_weak_member_password(api_client_for, weak):
    response = api_client_for("admin").post(
        "/api/members/", {"username": "weakpw-user", "role": "admin", "password": weak}, format="json",
        HTTP_ACCEPT_LANGUAGE="tr")
    assert response.status_code == 400
    assert "password" in response.json()["error"]["details"]
    assert not User.objects.filter(username="weakpw-user").exists()


def test_api_refuses_a_password_like_the_username(api_client_for):
    response = api_client_for("admin").post(
        "/api/members/", {"username": "mehmet-yilmaz", "role": "viewer", "password": "mehmet-yilmaz1"},
        format="json")
    assert response.status_code == 400
    assert not User.objects.filter(username="mehmet-yilmaz").exists()


def test_admin_resets_a_member_password_through_the_api(api_client_for, users):
    viewer = users["viewer"]
    old_token = _token("ibb-viewer")
    admin = api_client_for("admin")
    weak = admin.patch(f"/api/members/{viewer.pk}/", {"password": "aaaaaaaaaa"}, format="json")
    assert weak.status_code == 400
    viewer.refresh_from_db()
    assert viewer.check_password(PASSWORD)
    assert admin.patch(f"/api/members/{viewer.pk}/", {"password": STRONG}, format="json").status_code == 200
    viewer.refresh_from_db()
    assert viewer.check_password(STRONG)
    # the member's tokens ended with the old password
    assert _token_client(old_token).get("/api/me/").status_code == 401
    # an officer cannot reset anybody's password
    assert api_client_for("officer").patch(f"/api/members/{viewer.pk}/", {"password": STRONG},
                                           format="json").status_code in (403, 404)


def test_users_change_their_own_password_through_the_api(users):
    token = _token("ibb-officer")
    client = _token_client(token)
    wrong_old = client.post("/api/me/password/", {"old_password": "nope", "new_password": STRONG}, format="json")
    assert wrong_old.status_code == 400
    weak = client.post("/api/me/password/", {"old_password": PASSWORD, "new_password": "1234567890"},
                       format="json")
    assert weak.status_code == 400
    assert client.post("/api/me/password/", {"old_password": PASSWORD, "new_password": STRONG},
                       format="json").status_code == 204
    users["officer"].refresh_from_db()
    assert users["officer"].check_password(STRONG)
    assert client.get("/api/me/").status_code == 401  # tokens revoked: ask for a new one
    _token("ibb-officer", STRONG)


def test_users_change_their_own_password_on_the_web(client_for, users):
    client = client_for("viewer")
    page = client.get("/account/password/", HTTP_ACCEPT_LANGUAGE="tr")
    assert "Parolanızı değiştirin" in page.content.decode()
    weak = client.post("/account/password/", {"old_password": PASSWORD, "new_password1": "1234567890",
                                              "new_password2": "1234567890"})
    assert weak.status_code == 200
    users["viewer"].refresh_from_db()
    assert users["viewer"].check_password(PASSWORD)
    done = client.post("/account/password/", {"old_password": PASSWORD, "new_password1": STRONG,
                                              "new_password2": STRONG})
    assert done.status_code == 302
    users["viewer"].refresh_from_db()
    assert users["viewer"].check_password(STRONG)
    assert client.get("/").status_code == 200  # still signed in here


def test_admin_resets_a_member_password_on_the_web(client_for, users):
    url = f"/account/members/{users['viewer'].pk}/password/"
    viewer_session = client_for("viewer")
    assert viewer_session.get("/").status_code == 200
    assert client_for("officer").post(url, {"new_password1": STRONG, "new_password2": STRONG}).status_code == 403
    response = client_for("admin").post(url, {"new_password1": STRONG, "new_password2": STRONG})
    assert response.status_code == 302
    users["viewer"].refresh_from_db()
    assert users["viewer"].check_password(STRONG)
    assert viewer_session.get("/agreements/").status_code == 302  # the member's session ended
    other = client_for("other_officer").post(url, {"new_password1": STRONG, "new_password2": STRONG})
    assert other.status_code == 404


def test_admin_site_refuses_a_weak_password(istanbul):
    root = User.objects.create_superuser("root", password=STRONG)
    client = Client()
    client.force_login(root)
    response = client.post("/admin/accounts/user/add/", {
        "username": "weak-admin-site", "password1": "aaaaaaaaaa", "password2": "aaaaaaaaaa",
        "usable_password": "true", "role": "viewer", "organisation": istanbul.pk})
    assert response.status_code == 200  # the form again, with the rule's message
    assert not User.objects.filter(username="weak-admin-site").exists()
    response = client.post("/admin/accounts/user/add/", {
        "username": "strong-admin-site", "password1": STRONG, "password2": STRONG,
        "usable_password": "true", "role": "viewer", "organisation": istanbul.pk})
    assert response.status_code == 302
    assert User.objects.get(username="strong-admin-site").check_password(STRONG)


def test_createsuperuser_refuses_a_weak_password_without_a_prompt(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "aaaaaaaaaa")
    with pytest.raises(CommandError, match="DJANGO_SUPERUSER_PASSWORD"):
        call_command("createsuperuser", "--noinput", "--username", "root", "--email", "root@example.org")
    assert not User.objects.filter(username="root").exists()
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", STRONG)
    call_command("createsuperuser", "--noinput", "--username", "root", "--email", "root@example.org")
    assert User.objects.get(username="root").check_password(STRONG)
    assert os.environ["DJANGO_SUPERUSER_PASSWORD"] == STRONG


# --- API tokens --------------------------------------------------------------------------------
def test_tokens_are_stored_hashed_and_new_per_login(users):
    first, second = _token("ibb-officer"), _token("ibb-officer")
    assert first != second
    stored = list(AuthToken.objects.filter(user=users["officer"]).values_list("digest", "token_key"))
    assert len(stored) == 2
    for digest, prefix in stored:
        assert first not in (digest, prefix) and second not in (digest, prefix)
        assert len(prefix) < len(first)  # only a short prefix for the look-up
    assert _token_client(first).get("/api/me/").status_code == 200


def test_tokens_expire(users):
    token = _token("ibb-officer")
    response = APIClient().post("/api/auth/token/", {"username": "ibb-officer", "password": PASSWORD},
                                format="json")
    assert response.json()["expiry"]
    AuthToken.objects.filter(user=users["officer"]).update(expiry=timezone.now() - dt.timedelta(seconds=1))
    assert _token_client(token).get("/api/me/").status_code == 401


def test_a_token_is_revoked_and_the_others_stay(users):
    kept, revoked = _token("ibb-officer"), _token("ibb-officer")
    assert _token_client(revoked).delete("/api/auth/token/").status_code == 204
    assert _token_client(revoked).get("/api/me/").status_code == 401
    assert _token_client(kept).get("/api/me/").status_code == 200
    assert _token_client(kept).delete("/api/auth/tokens/").status_code == 204  # everywhere
    assert _token_client(kept).get("/api/me/").status_code == 401


def test_deactivated_members_tokens_stop_working(users):
    token = _token("ibb-viewer")
    User.objects.filter(pk=users["viewer"].pk).update(is_active=False)
    assert _token_client(token).get("/api/me/").status_code == 401


def test_live_tokens_per_user_are_capped(users, settings):
    from knox.settings import knox_settings

    limit = knox_settings.TOKEN_LIMIT_PER_USER
    tokens = [issue_api_token(users["officer"])[1] for _ in range(limit + 3)]
    assert AuthToken.objects.filter(user=users["officer"]).count() == limit
    assert _token_client(tokens[-1]).get("/api/me/").status_code == 200
    assert _token_client(tokens[0]).get("/api/me/").status_code == 401
