"""Login, token, lock-out and password hashing."""

import pytest
from django.conf import settings as django_settings
from django.test import Client
from rest_framework.test import APIClient

from tests.conftest import PASSWORD


def test_argon2_is_the_configured_hasher():
    # conftest swaps in a fast hasher for speed; the real settings list Argon2 first.
    from django.conf import global_settings  # noqa: F401

    import citydiplomacy.settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_argon2_hashes_and_verifies(settings, db):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    from django.contrib.auth.hashers import check_password, make_password

    encoded = make_password("correct horse battery")
    assert encoded.startswith("argon2")
    assert check_password("correct horse battery", encoded)


def test_token_for_valid_credentials(users):
    response = APIClient().post("/api/auth/token/", {"username": "ibb-officer", "password": PASSWORD},
                                format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = client.get("/api/me/").json()
    assert me["username"] == "ibb-officer"
    assert me["role"] == "officer"
    assert me["organisation"]["name"].startswith("İstanbul")


def test_wrong_credentials_give_a_clear_error(users):
    response = APIClient().post("/api/auth/token/", {"username": "ibb-officer", "password": "wrong"},
                                format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["status"] == 400
    assert "credentials" in error["message"].lower()


def test_web_login_with_wrong_password_shows_message(users):
    response = Client().post("/login/", {"username": "ibb-officer", "password": "wrong"},
                             HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert b"did not match" in response.content


def test_lockout_after_repeated_failures(users):
    client = Client()
    limit = django_settings.AXES_FAILURE_LIMIT
    for _ in range(limit):
        client.post("/login/", {"username": "ibb-viewer", "password": "wrong"})
    # Even the right password is refused while locked out.
    response = client.post("/login/", {"username": "ibb-viewer", "password": PASSWORD},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert b"Too many failed log-in attempts" in response.content
    # Another user from another address is not affected (the per-address count: test_lockout.py).
    response = Client(REMOTE_ADDR="198.51.100.20").post(
        "/login/", {"username": "ibb-officer", "password": PASSWORD})
    assert response.status_code == 302


def test_successful_login_reaches_dashboard(users):
    client = Client()
    response = client.post("/login/", {"username": "ibb-officer", "password": PASSWORD}, follow=True)
    assert response.status_code == 200
    assert response.request["PATH_INFO"] == "/"


@pytest.mark.parametrize("body", ["{not json", '{"username": ', "\x00\x01"])
def test_malformed_json_is_a_clear_400(users, body):
    client = APIClient()
    client.force_authenticate(users["officer"])
    response = client.post("/api/local-governments/", data=body, content_type="application/json",
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["error"]["message"]
