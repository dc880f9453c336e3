"""Web shell: dashboard with real counts, language switch, readable error pages."""

import re

from citydiplomacy.governments.models import LocalGovernment


def figure_values(html: str) -> list[str]:
    return re.findall(r'data-testid="figure">(?:<a [^>]*>)?([^<]+)', html)


def test_dashboard_shows_real_counts(client_for, users):
    LocalGovernment.objects.create(name="Rotterdam", country_code="NL")
    html = client_for("officer").get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Dashboard" in html
    # 3 local governments (İstanbul, Ankara, Rotterdam) in 2 countries, 2 organisations.
    values = figure_values(html)
    assert "3" in values and "2" in values


def test_dashboard_in_turkish_by_default(client_for, users):
    html = client_for("officer").get("/").content.decode()
    assert "Gösterge paneli" in html
    assert "Uzman" in html  # role shown in Turkish


def test_language_switch_sets_english(client_for, users):
    client = client_for("viewer")
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    assert response.status_code == 200
    assert "Dashboard" in response.content.decode()


def test_organisation_and_role_shown(client_for, users):
    html = client_for("approver").get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "İstanbul Büyükşehir Belediyesi" in html and "Approver" in html


def test_readable_404(client_for, users):
    response = client_for("viewer").get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert b"Not found" in response.content


def test_readable_403(client_for, users):
    response = client_for("viewer").get("/local-governments/new/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert b"Not allowed" in response.content


def test_readable_500(rf):
    from citydiplomacy.web.views import error_500

    response = error_500(rf.get("/"))
    assert response.status_code == 500
    assert b"nothing you saved before was lost" in response.content or b"kaydettikleriniz" in response.content


def test_local_government_form_shows_validation(client_for, users):
    response = client_for("officer").post(
        "/local-governments/new/", {"name": "", "kind": "municipality", "country_code": "NL", "latitude": "200"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert b"This field is required" in response.content
    assert b"less than or equal to 90" in response.content


def test_security_headers(client_for, users):
    response = client_for("viewer").get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert response.headers["X-Frame-Options"] == "DENY"


def test_static_assets_are_vendored():
    from django.contrib.staticfiles import finders

    for asset in ("vendor/htmx/htmx.min.js", "vendor/pico/pico.min.css", "web/site.css"):
        assert finders.find(asset), asset


def _database_down(monkeypatch):
    """Every session read fails as when the database server is restarting."""
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import OperationalError

    def refuse(self):
        raise OperationalError("connection refused")

    monkeypatch.setattr(SessionStore, "load", refuse)


def test_database_outage_answers_503_with_retry_after(client_for, users, monkeypatch):
    client = client_for("viewer")
    client.raise_request_exception = False
    _database_down(monkeypatch)
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 503 and page["Retry-After"] == "5"
    assert b"nothing you saved was lost" in page.content
    api = client.get("/api/agreements/", HTTP_ACCEPT_LANGUAGE="en")
    assert api.status_code == 503 and api["Retry-After"] == "5"
    assert api.json()["error"]["code"] == "database_unavailable"


def test_other_errors_stay_500(client_for, users, monkeypatch):
    from django.contrib.sessions.backends.db import SessionStore

    client = client_for("viewer")
    client.raise_request_exception = False
    monkeypatch.setattr(SessionStore, "load", lambda self: 1 / 0)
    assert client.get("/").status_code == 500
