"""F17: a backup holds no API tokens, session keys or calendar feed tokens; restoring one (into a
new installation or over this one) leaves those tables empty, so tokens are issued anew."""

from __future__ import annotations

import zipfile

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from citydiplomacy.agreements import services
from citydiplomacy.agreements.models import CalendarFeed
from citydiplomacy.web.ops import backup as ops
from tests.conftest import PASSWORD


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _token() -> str:
    response = APIClient().post("/api/auth/token/", {"username": "ibb-officer", "password": PASSWORD},
                                format="json")
    return response.json()["token"]


@pytest.mark.django_db(transaction=True)
def test_backup_leaves_out_tokens_and_sessions_and_restore_needs_new_ones(users, istanbul, media, tmp_path,
                                                                         capsys):
    token = _token()
    web = Client()
    assert web.post("/login/", {"username": "ibb-viewer", "password": PASSWORD}).status_code == 302
    session_key = web.session.session_key
    feed = services.calendar_feed(actor=users["officer"], organisation=istanbul)
    assert AuthToken.objects.exists() and Session.objects.exists() and CalendarFeed.objects.exists()

    archive_path = tmp_path / "backup.zip"
    call_command("backup", str(archive_path))
    with zipfile.ZipFile(archive_path) as archive:
        names = archive.namelist()
        blob = b"".join(archive.read(name) for name in names)
        manifest = ops.read_manifest(archive)
    for label in ("knox.authtoken", "sessions.session", "agreements.calendarfeed"):
        assert f"data/{label}.json" not in names and label not in manifest["tables"]
    digest = AuthToken.objects.get().digest
    for secret in (token, token[:8], digest, session_key, feed.token):
        assert secret.encode() not in blob
    assert manifest["tables"]["accounts.user"]["rows"] >= 1  # the accounts themselves are kept

    call_command("restore", str(archive_path), "--force")
    assert "new token" in capsys.readouterr().out
    assert not AuthToken.objects.exists() and not Session.objects.exists()
    assert not CalendarFeed.objects.exists()
    old = APIClient()
    old.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert old.get("/api/me/").status_code == 401
    assert web.get("/agreements/").status_code == 302  # signed out
    fresh = APIClient()
    fresh.credentials(HTTP_AUTHORIZATION=f"Token {_token()}")  # passwords survived: a new token works
    assert fresh.get("/api/me/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_sessions_in_the_target_database_do_not_block_a_restore(users, media, tmp_path):
    """Somebody signed in to the new installation before the restore: their session is no data."""
    archive_path = tmp_path / "backup.zip"
    ops.backup(archive_path)
    ops._empty_tables("default", ops.concrete_models())
    Session.objects.create(session_key="k" * 32, session_data="", expire_date=timezone.now())
    assert ops.non_empty_tables() == []
    ops.restore(archive_path)
    assert not Session.objects.exists()
    assert users["viewer"].__class__.objects.filter(username="ibb-viewer").exists()
