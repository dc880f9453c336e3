"""`citydiplomacy demo` creates the demo organisations and users, idempotently."""

import pytest
from django.core.management import call_command

from citydiplomacy.accounts.models import Role, User
from citydiplomacy.governments.models import LocalGovernment


@pytest.mark.django_db
def test_demo_is_idempotent_and_prints_logins(monkeypatch, capsys):
    monkeypatch.setenv("CITYDIPLOMACY_DEMO_PASSWORD", "demo-Password-42")
    call_command("demo", "--skip-data")
    call_command("demo", "--skip-data")
    out = capsys.readouterr().out
    assert "ibb-officer" in out and "demo-Password-42" in out
    assert User.objects.filter(username__startswith="ibb-").count() == 4
    assert User.objects.get(username="oversight").role == Role.OVERSIGHT
    assert User.objects.get(username="ankara-officer").organisation.name == "Ankara Büyükşehir Belediyesi"
    assert LocalGovernment.objects.filter(geonameid__in=[745044, 323786]).count() == 2
    assert User.objects.get(username="ibb-admin").check_password("demo-Password-42")


@pytest.mark.django_db
def test_demo_generates_a_password_when_none_given(monkeypatch, capsys):
    monkeypatch.delenv("CITYDIPLOMACY_DEMO_PASSWORD", raising=False)
    call_command("demo", "--skip-data")
    line = next(l for l in capsys.readouterr().out.splitlines() if "ibb-viewer" in l)
    password = line.split()[1]
    assert len(password) >= 12
    assert User.objects.get(username="ibb-viewer").check_password(password)
