"""`citydiplomacy demo` creates the demo organisations and users, idempotently; with DEBUG off it
refuses unless told --allow-production-demo (F7), and `check --deploy` warns about the accounts."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from citydiplomacy.accounts.models import Role, User
from citydiplomacy.governments.models import LocalGovernment


@pytest.mark.django_db
def test_demo_is_idempotent_and_prints_logins(monkeypatch, capsys):
    monkeypatch.setenv("CITYDIPLOMACY_DEMO_PASSWORD", "demo-Password-42")
    call_command("demo", "--skip-data", "--allow-production-demo")
    call_command("demo", "--skip-data", "--allow-production-demo")
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
    call_command("demo", "--skip-data", "--allow-production-demo")
    line = next(l for l in capsys.readouterr().out.splitlines() if "ibb-viewer" in l)
    password = line.split()[1]
    assert len(password) >= 12
    assert User.objects.get(username="ibb-viewer").check_password(password)


@pytest.mark.django_db
def test_demo_refuses_with_debug_off_unless_allowed(settings, monkeypatch):
    monkeypatch.setenv("CITYDIPLOMACY_DEMO_PASSWORD", "demo-Password-42")
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--allow-production-demo"):
        call_command("demo", "--skip-data")
    assert not User.objects.filter(username="ibb-admin").exists()
    settings.DEBUG = True  # a development database: no flag needed
    call_command("demo", "--skip-data")
    assert User.objects.filter(username="ibb-admin").exists()


@pytest.mark.django_db
def test_demo_password_goes_through_the_password_rules(settings, monkeypatch):
    settings.DEBUG = True
    monkeypatch.setenv("CITYDIPLOMACY_DEMO_PASSWORD", "1234567890")
    with pytest.raises(CommandError, match="CITYDIPLOMACY_DEMO_PASSWORD"):
        call_command("demo", "--skip-data")
    assert not User.objects.filter(username="ibb-admin").exists()


@pytest.mark.django_db
def test_check_deploy_warns_while_demo_accounts_can_sign_in(settings, monkeypatch):
    from django.core import checks

    def warnings():
        return [m.id for m in checks.run_checks(include_deployment_checks=True, databases=["default"])]

    assert "citydiplomacy.W001" not in warnings()
    monkeypatch.setenv("CITYDIPLOMACY_DEMO_PASSWORD", "demo-Password-42")
    call_command("demo", "--skip-data", "--allow-production-demo")
    assert "citydiplomacy.W001" in warnings()
    from citydiplomacy.accounts.checks import DEMO_USERNAMES

    User.objects.filter(username__in=DEMO_USERNAMES).update(is_active=False)
    assert "citydiplomacy.W001" not in warnings()
