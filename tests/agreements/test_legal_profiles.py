"""The legal profiles' rule tables (agreements.legal_profiles): Australia's Foreign Arrangements
Scheme and a council-only jurisdiction, tested like Turkey's, and the installation setting."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from citydiplomacy.agreements import lifecycle
from citydiplomacy.agreements.lifecycle import Facts, State

TODAY = dt.date(2026, 6, 1)


def facts(state, target, *, on=dt.date(2026, 5, 1), **extra) -> Facts:
    base = {"state": state, "target": target, "on": on, "today": TODAY, "instrument": "twinning",
            "foreign": True}
    return Facts(**{**base, **extra})


def rules(found) -> set[str]:
    return {v.rule for v in found}


@pytest.fixture
def au(settings):
    settings.LEGAL_PROFILE = "au-fas"


@pytest.fixture
def council_only(settings):
    settings.LEGAL_PROFILE = "council-only"


def test_turkey_is_the_default():
    assert lifecycle.targets_from(State.COUNCIL_APPROVED) == [State.PERMISSION_REQUESTED, State.SIGNED]
    assert "law5393.ministry_permission_required" in rules(lifecycle.check(
        facts(State.COUNCIL_APPROVED, State.SIGNED, council_decision_final_on=dt.date(2026, 4, 1))))


def test_au_notify_before_entering_no_approval_step(au):
    assert lifecycle.targets_from(State.DRAFT) == [State.PERMISSION_REQUESTED]
    assert lifecycle.check(facts(State.DRAFT, State.PERMISSION_REQUESTED)) == []
    assert lifecycle.check(facts(State.PERMISSION_REQUESTED, State.SIGNED)) == []
    assert rules(lifecycle.check(facts(State.DRAFT, State.SIGNED))) == {"lifecycle.no_such_transition"}
    assert rules(lifecycle.check(facts(State.PERMISSION_REQUESTED, State.PERMISSION_GRANTED))) == {
        "lifecycle.no_such_transition"}


def test_au_notify_within_14_days_after_entering(au):
    entered = dt.date(2026, 5, 1)
    on_time = facts(State.SIGNED, State.ACTIVE, on=dt.date(2026, 5, 15), last_step_on=entered, reference="FAS-1")
    assert lifecycle.check(on_time) == []
    late = facts(State.SIGNED, State.ACTIVE, on=dt.date(2026, 5, 16), last_step_on=entered, reference="FAS-1")
    assert rules(lifecycle.check(late)) == {"au_fas.notify_within_14_days"}
    late.reason = "The council's officer was on leave; the Department acknowledged it."
    assert lifecycle.check(late) == []
    no_reference = facts(State.SIGNED, State.ACTIVE, on=dt.date(2026, 5, 2), last_step_on=entered)
    assert rules(lifecycle.check(no_reference)) == {"lifecycle.council_reference_required"}


def test_au_the_minister_may_cancel(au, users):
    from citydiplomacy.accounts import permissions

    rule = lifecycle.rule_for(State.ACTIVE, State.TERMINATED)
    assert rule.needs == lifecycle.AUTHORITY_OR_DECIDE and rule.reason_required
    organisation = users["officer"].organisation_id
    assert permissions.can_fire_transition(users["authority"], organisation, rule.needs)
    assert permissions.can_fire_transition(users["approver"], organisation, rule.needs)
    assert not permissions.can_fire_transition(users["officer"], organisation, rule.needs)


def test_au_no_national_policy_gate(au):
    assert lifecycle.check(facts(State.DRAFT, State.PERMISSION_REQUESTED, policy_status="frozen")) == []


def test_au_wording(au, settings):
    settings.LANGUAGE_CODE = "en"
    assert lifecycle.state_label(State.SIGNED) == "Entered into"
    assert lifecycle.state_label(State.DRAFT) == "Draft"


def test_council_only_no_central_step(council_only):
    assert lifecycle.targets_from(State.COUNCIL_APPROVED) == [State.SIGNED]
    assert lifecycle.check(facts(State.COUNCIL_APPROVED, State.SIGNED)) == []  # no finality, no permission
    assert rules(lifecycle.check(facts(State.DRAFT, State.SIGNED))) == {"council.council_decision_required"}
    assert lifecycle.check(facts(State.DRAFT, State.SIGNED, instrument="letter_of_goodwill")) == []
    assert rules(lifecycle.check(facts(State.COUNCIL_APPROVED, State.PERMISSION_REQUESTED))) == {
        "lifecycle.no_such_transition"}
    assert rules(lifecycle.check(facts(State.ACTIVE, State.TERMINATED))) == {
        "lifecycle.council_reference_required", "lifecycle.reason_required"}


def test_every_profile_table_is_reachable_and_ends(settings):
    from citydiplomacy.agreements.legal_profiles import PROFILES

    for code, profile in PROFILES.items():
        reached, frontier = {State.DRAFT}, [State.DRAFT]
        while frontier:
            state = frontier.pop()
            for source, target in profile.transitions:
                if source == state and target not in reached:
                    reached.add(target)
                    frontier.append(target)
        assert {State.ACTIVE, State.TERMINATED} <= reached, code


def test_an_unknown_profile_fails_the_system_check(settings):
    settings.LEGAL_PROFILE = "atlantis"
    with pytest.raises(SystemCheckError, match="atlantis"):
        call_command("check")


@pytest.mark.django_db
def test_au_profile_through_the_api(au, api_client_for, users):
    from citydiplomacy.governments.models import LocalGovernment

    partner = LocalGovernment.objects.create(name="Suzhou", country_code="CN")
    created = api_client_for("officer").post("/api/agreements/", {
        "instrument": "memorandum_of_understanding", "partner": partner.pk, "title": "Sister-state MoU"}, format="json")
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    step = api_client_for("officer").post(f"/api/agreements/{pk}/transition/",
                                          {"to": "permission_requested", "date": "2026-01-05"}, format="json")
    assert step.status_code == 200, step.json()
    step = api_client_for("officer").post(f"/api/agreements/{pk}/transition/",
                                          {"to": "signed", "date": "2026-02-01"}, format="json")
    assert step.status_code == 200, step.json()
