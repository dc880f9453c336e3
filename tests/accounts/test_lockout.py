"""F10: the login lockout counts failures per username and, separately, per client address;
the address is REMOTE_ADDR unless TRUSTED_PROXY says how many proxies append X-Forwarded-For."""

from __future__ import annotations

from django.conf import settings as django_settings
from django.test import Client, RequestFactory

from citydiplomacy.core.client_ip import client_ip
from tests.conftest import PASSWORD


def _fail(client, username):
    return client.post("/login/", {"username": username, "password": "wrong-password"})


def test_spraying_one_address_over_many_accounts_locks_the_address(users):
    attacker = Client(REMOTE_ADDR="203.0.113.7")
    usernames = ["ibb-viewer", "ibb-officer", "ibb-approver", "ibb-admin", "ankara-officer", "oversight"]
    for username in usernames[:django_settings.AXES_FAILURE_LIMIT]:
        _fail(attacker, username)  # one or two guesses per account: never five on one
    response = attacker.post("/login/", {"username": "oversight", "password": PASSWORD})
    assert response.status_code == 429
    # the accounts themselves are not locked for their owners elsewhere
    assert Client(REMOTE_ADDR="198.51.100.1").post(
        "/login/", {"username": "oversight", "password": PASSWORD}).status_code == 302


def test_guessing_one_account_from_many_addresses_locks_the_account(users):
    for n in range(django_settings.AXES_FAILURE_LIMIT):
        _fail(Client(REMOTE_ADDR=f"192.0.2.{n + 10}"), "ibb-admin")
    response = Client(REMOTE_ADDR="198.51.100.2").post(
        "/login/", {"username": "ibb-admin", "password": PASSWORD})
    assert response.status_code == 429


def test_forwarded_for_is_ignored_without_a_trusted_proxy(users, settings):
    settings.TRUSTED_PROXY = 0
    for n in range(django_settings.AXES_FAILURE_LIMIT):
        # a client rotating a forged X-Forwarded-For is still one address
        _fail(Client(REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}"), f"nobody-{n}")
    assert Client(REMOTE_ADDR="203.0.113.9").post(
        "/login/", {"username": "ibb-viewer", "password": PASSWORD}).status_code == 429


def test_behind_a_trusted_proxy_the_forwarded_client_is_counted(users, settings):
    settings.TRUSTED_PROXY = 1
    proxy = "10.0.0.1"
    for n in range(django_settings.AXES_FAILURE_LIMIT):
        _fail(Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.50"), f"nobody-{n}")
    # the attacker behind the proxy is locked out ...
    assert Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="203.0.113.50").post(
        "/login/", {"username": "ibb-viewer", "password": PASSWORD}).status_code == 429
    # ... everybody else coming through the same proxy is not
    assert Client(REMOTE_ADDR=proxy, HTTP_X_FORWARDED_FOR="198.51.100.3").post(
        "/login/", {"username": "ibb-viewer", "password": PASSWORD}).status_code == 302


def test_client_ip_takes_the_entry_the_trusted_proxies_wrote(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2",
                                   HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5, 10.0.0.1")
    settings.TRUSTED_PROXY = 0
    assert client_ip(request) == "10.0.0.2"
    settings.TRUSTED_PROXY = 1
    assert client_ip(request) == "10.0.0.1"
    settings.TRUSTED_PROXY = 2
    assert client_ip(request) == "203.0.113.5"  # the client's own "6.6.6.6" is never trusted
