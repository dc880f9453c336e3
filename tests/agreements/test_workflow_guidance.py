"""Workflow guidance (issue 13, item 2): steps offered only when they can succeed, the others
disabled with the rule table's reason, who the agreement waits for, the approver's queue,
dashboard figures as links, dormant decisions, activity edit and cancel."""

from __future__ import annotations

import datetime as dt

import pytest

from citydiplomacy.agreements import guidance, services, transitions
from citydiplomacy.agreements.models import Activity, Agreement
from citydiplomacy.governments.models import LocalGovernment
from citydiplomacy.policy.services import load_policy_tables

TODAY = dt.date.today()


@pytest.fixture
def protocol(users):
    load_policy_tables()
    partner = LocalGovernment.objects.create(name="Köln", country_code="DE", geonameid=2886242)
    return services.create_agreement(actor=users["officer"], instrument="cooperation_protocol",
                                     title="Protocol with Köln", partner=partner)


def _go(agreement, **step):
    return transitions.transition(Agreement.objects.get(pk=agreement.pk), **step)


def _steps(user, agreement):
    return {s.to: s for s in guidance.steps_for(user, Agreement.objects.get(pk=agreement.pk))}


def test_impossible_steps_are_disabled_with_the_rule_tables_reason(protocol, users, english):
    steps = _steps(users["officer"], protocol)
    assert steps["in_committee"].possible
    signed = steps["signed"]
    assert not signed.possible
    assert signed.reasons == ["This instrument needs a council decision before it can be signed."]
    # the page offers the possible one as a form, the other as a disabled button with its reason
    # (no second copy of the rules: the reason is lifecycle.check's message)


def test_steps_of_another_role_say_who_records_them(protocol, users, english):
    _go(protocol, actor=users["officer"], to="in_committee", on=TODAY)
    officer = _steps(users["officer"], protocol)
    assert not officer["council_approved"].possible
    assert "approver" in officer["council_approved"].reasons[-1]
    assert "municipal council" in guidance.waiting_note(users["officer"], Agreement.objects.get(pk=protocol.pk))
    approver = _steps(users["approver"], protocol)
    assert approver["council_approved"].possible
    assert "finality date" in approver["council_approved"].help or "becomes final" in approver["council_approved"].help
    assert approver["council_approved"].document_kind == "council_decision"
    assert guidance.waiting_note(users["approver"], Agreement.objects.get(pk=protocol.pk)) == ""
    assert guidance.steps_for(users["viewer"], protocol) == []
    assert guidance.steps_for(users["oversight"], protocol) == []


def test_finality_date_and_permission_are_explained_before_signing(protocol, users, english):
    _go(protocol, actor=users["officer"], to="in_committee", on=TODAY)
    _go(protocol, actor=users["approver"], to="council_approved", on=TODAY, reference="M 1")
    steps = _steps(users["officer"], protocol)
    # asking the ministry is possible if the form gives the finality date, which it then requires
    assert steps["permission_requested"].possible and steps["permission_requested"].needs_final_on
    # signing now is refused by art. 74 (a foreign tie needs the ministry's permission)
    assert not steps["signed"].possible
    assert any("Law 5393 art. 74" in r for r in steps["signed"].reasons)
    _go(protocol, actor=users["officer"], to="permission_requested", on=TODAY, final_on=TODAY)
    agreement = Agreement.objects.get(pk=protocol.pk)
    note = guidance.waiting_note(users["officer"], agreement)
    assert "ministry" in note and "0 days ago" in note


def test_policy_blocks_are_reasons_too(users, english):
    load_policy_tables()
    yerevan = LocalGovernment.objects.create(name="Yerevan", country_code="AM")
    draft = services.create_agreement(actor=users["officer"], instrument="twinning", title="Yerevan",
                                      partner=yerevan)
    transitions.transition(draft, actor=users["officer"], to="in_committee", on=TODAY)
    step = _steps(users["approver"], draft)["council_approved"]
    assert not step.possible and any("diplomatic relations" in r for r in step.reasons)


def test_detail_page_shows_disabled_steps_and_waiting_note(protocol, users, client_for):
    _go(protocol, actor=users["officer"], to="in_committee", on=TODAY)
    html = client_for("officer").get(f"/agreements/{protocol.pk}/").content.decode()
    assert 'data-disabled-action="council_approved"' in html
    assert 'data-action="council_approved"' not in html
    assert 'data-testid="waiting-note"' in html and "belediye meclisi" in html.lower()
    approver = client_for("approver").get(f"/agreements/{protocol.pk}/").content.decode()
    assert 'data-action="council_approved"' in approver and 'name="document"' in approver
    assert 'data-testid="step-help"' in approver


def test_queue_lists_what_waits_for_the_role_with_its_age(protocol, users, client_for):
    _go(protocol, actor=users["officer"], to="in_committee", on=TODAY - dt.timedelta(days=3))
    items = guidance.queue_for(users["approver"])
    assert [(i.agreement.pk, i.days) for i in items] == [(protocol.pk, 3)]
    assert guidance.queue_for(users["officer"]) == []
    assert guidance.queue_for(users["other_officer"]) == []
    assert guidance.queue_for(users["oversight"]) == []
    html = client_for("approver").get("/agreements/queue/").content.decode()
    assert protocol.title in html
    assert protocol.title not in client_for("other_officer").get("/agreements/queue/").content.decode()


def test_dashboard_figures_link_to_their_lists_and_count_every_open_request(protocol, users, client_for):
    _go(protocol, actor=users["officer"], to="in_committee", on=TODAY - dt.timedelta(days=5))
    _go(protocol, actor=users["approver"], to="council_approved", on=TODAY - dt.timedelta(days=4),
                        reference="M 1", final_on=TODAY - dt.timedelta(days=3))
    _go(protocol, actor=users["officer"], to="permission_requested", on=TODAY - dt.timedelta(days=2))
    from citydiplomacy.agreements.dashboard import agreements_section

    section = agreements_section(users["approver"])
    figures = {url: (label, value) for label, value, url in section["figures"]}
    assert all(url for url in figures)
    label, value = figures["/agreements/?status=permission_requested"]
    assert value == 1 and "2" in label  # counted at once (not after 90 days), with its age
    assert figures["/agreements/queue/"][1] == 1
    html = client_for("approver").get("/").content.decode()
    assert 'href="/agreements/?status=permission_requested"' in html
    # the linked lists filter what they count
    listed = client_for("officer").get("/agreements/?stage=in_progress").content.decode()
    assert f'href="/agreements/{protocol.pk}/"' in listed and 'data-testid="extra-filter"' in listed
    dormant = client_for("officer").get("/agreements/?flag=dormant").content.decode()
    assert f'href="/agreements/{protocol.pk}/"' not in dormant


def test_dormant_list_offers_its_decisions_to_the_roles_that_take_them(users, client_for):
    load_policy_tables()
    partner = LocalGovernment.objects.create(name="Köln", country_code="DE")
    old = Agreement.objects.create(organisation=users["officer"].organisation, partner=partner,
                                   instrument="twinning", title="Old twinning", state="active",
                                   signed_on=dt.date(2001, 5, 1), effective_on=dt.date(2001, 5, 1))
    approver = client_for("approver").get("/agreements/dormant/").content.decode()
    assert 'data-action="suspended"' in approver and 'data-action="terminated"' in approver
    assert 'name="next" value="/agreements/dormant/"' in approver
    officer = client_for("officer").get("/agreements/dormant/").content.decode()
    assert 'data-testid="revive"' in officer and 'data-action="suspended"' not in officer
    viewer = client_for("viewer").get("/agreements/dormant/").content.decode()
    assert "data-action=" not in viewer and 'data-testid="revive"' not in viewer
    response = client_for("approver").post(f"/agreements/{old.pk}/transition/", {
        "to": "suspended", "date": TODAY.isoformat(), "reference": "M 2026/9", "reason": "dormant",
        "version": old.version, "next": "/agreements/dormant/"})
    assert response.status_code == 302 and response["Location"] == "/agreements/dormant/"
    assert Agreement.objects.get(pk=old.pk).state == "suspended"
    # an off-site "next" is ignored
    response = client_for("approver").post(f"/agreements/{old.pk}/transition/", {
        "to": "active", "date": TODAY.isoformat(), "reference": "M 2026/10", "next": "https://evil.example/"})
    assert response["Location"] == f"/agreements/{old.pk}/"


def test_activities_are_edited_and_cancelled_with_optimistic_locking(protocol, users, client_for):
    activity = services.create_activity(actor=users["officer"], organisation=protocol.organisation,
                                        agreement=protocol, kind="event", title="Forum",
                                        starts_on=TODAY + dt.timedelta(days=30), status="planned")
    officer = client_for("officer")
    page = officer.get(f"/agreements/activities/{activity.pk}/edit/")
    # the stored values are in the form, the date as ISO (a date input shows nothing otherwise)
    assert page.status_code == 200 and 'value="Forum"' in page.content.decode()
    assert f'value="{activity.starts_on.isoformat()}"' in page.content.decode()
    form = {"version": 1, "kind": "event", "title": "Forum (moved)", "starts_on": (TODAY + dt.timedelta(days=40)).isoformat(),
            "status": "planned"}
    assert officer.post(f"/agreements/activities/{activity.pk}/edit/", form).status_code == 302
    activity.refresh_from_db()
    assert (activity.title, activity.version) == ("Forum (moved)", 2)
    # a stale edit says so and changes nothing
    response = officer.post(f"/agreements/activities/{activity.pk}/edit/", {**form, "title": "Stale"})
    assert response.status_code == 200 and "Forum (moved)" == Activity.objects.get(pk=activity.pk).title
    # bad input: a clear Turkish message, nothing lost
    response = officer.post(f"/agreements/activities/{activity.pk}/edit/",
                            {**form, "version": 2, "ends_on": TODAY.isoformat(), "title": "Bad dates"})
    assert response.status_code == 200 and "Bitiş tarihi başlangıç tarihinden önce" in response.content.decode()
    assert 'value="Bad dates"' in response.content.decode()
    assert officer.post(f"/agreements/activities/{activity.pk}/cancel/", {"version": 1}).status_code == 302
    assert Activity.objects.get(pk=activity.pk).status == "planned"  # stale cancel refused
    officer.post(f"/agreements/activities/{activity.pk}/cancel/", {"version": 2})
    assert Activity.objects.get(pk=activity.pk).status == "cancelled"
    assert client_for("viewer").post(f"/agreements/activities/{activity.pk}/cancel/", {"version": 3}).status_code == 403
    assert client_for("other_officer").get(f"/agreements/activities/{activity.pk}/edit/").status_code == 404


def test_the_agreement_edit_form_keeps_the_stored_expiry_date(protocol, client_for):
    # a localised "01.05.2030" in a date input shows empty and saving the form would clear it
    Agreement.objects.filter(pk=protocol.pk).update(expires_on=dt.date(2030, 5, 1))
    page = client_for("officer").get(f"/agreements/{protocol.pk}/edit/").content.decode()
    assert 'value="2030-05-01"' in page


@pytest.mark.parametrize("in_system", [False, True])
def test_who_records_the_ministrys_decision_follows_the_installation(protocol, users, english, settings,
                                                                     in_system):
    settings.AUTHORITY_DECIDES_IN_SYSTEM = in_system
    _go(protocol, actor=users["officer"], to="in_committee", on=TODAY)
    _go(protocol, actor=users["approver"], to="council_approved", on=TODAY, reference="M 1", final_on=TODAY)
    _go(protocol, actor=users["officer"], to="permission_requested", on=TODAY)
    agreement = Agreement.objects.get(pk=protocol.pk)
    granted = _steps(users["approver"], protocol)["permission_granted"]
    note = guidance.waiting_note(users["officer"], agreement)
    if in_system:  # the ministry decides in the system: the approver is told, not offered the step
        assert not granted.possible and "permitting authority" in granted.reasons[-1]
        assert "records its decision in the system" in note
        assert guidance.waiting_note(users["approver"], agreement) != ""
        assert guidance.queue_for(users["approver"]) == []
    else:  # the municipality records the ministry's letter
        assert granted.possible and granted.document_kind == "ministry_permission"
        assert "An approver records the decision" in note
        assert [i.agreement.pk for i in guidance.queue_for(users["approver"])] == [protocol.pk]
