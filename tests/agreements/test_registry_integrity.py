"""Issue 19 items 1-2 through the API: the facts a rule decides on cannot be edited around it
(F1), an organisation's own record is its own admin's (F2), another organisation's objects
answer as missing ones (F8), and a role that may not write is refused before its body is read
(F18). Each test fails on 02fc9db."""

from __future__ import annotations

import pytest

from citydiplomacy.agreements.models import Activity, Agreement, AgreementEvent
from citydiplomacy.agreements.selectors import row_of
from citydiplomacy.governments.models import LocalGovernment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def corrections():
    """The proposals' model (imported late, so that each test fails on its own on 02fc9db)."""
    from citydiplomacy.governments.models import IdentityCorrection

    return IdentityCorrection.objects


def rule_of(response):
    assert response.status_code == 409, response.json()
    return response.json()["error"]["rule"]


# --- F1: the policy gate cannot be edited around ------------------------------------------------
def test_f1_officer_cannot_move_a_blocked_partner_into_turkey(users, policy_tables, partners,
                                                              create, step, api_client_for):
    """The probe's sequence: Armenia has no relations; the officer 'moves' the partner to TR."""
    yerevan = partners["yerevan"]
    agreement = create(yerevan)
    assert step(agreement["id"], "in_committee", "2019-01-02").status_code == 200
    assert rule_of(step(agreement["id"], "council_approved", "2019-01-05", reference="K-1")) == \
        "policy.no_relations"
    for role in ("officer", "admin", "other_officer"):
        response = api_client_for(role).patch(f"/api/local-governments/{yerevan.pk}/",
                                              {"country_code": "TR"}, format="json")
        assert response.status_code == 400, (role, response.status_code)
        assert "country_code" in response.json()["error"]["details"]
    yerevan.refresh_from_db()
    assert yerevan.country_code == "AM"
    assert rule_of(step(agreement["id"], "council_approved", "2019-01-05", reference="K-1")) == \
        "policy.no_relations"
    assert Agreement.objects.get(pk=agreement["id"]).state == "in_committee"


@pytest.mark.parametrize("field,value", [("kind", "special_provincial_administration"),
                                         ("geonameid", 616052), ("latitude", 40.0),
                                         ("longitude", 44.0), ("region_code", "08")])
def test_f1_every_identity_field_is_locked(users, partners, api_client_for, field, value):
    yerevan = partners["yerevan"]
    response = api_client_for("officer").patch(f"/api/local-governments/{yerevan.pk}/",
                                               {field: value}, format="json")
    assert response.status_code == 400
    assert LocalGovernment.objects.filter(pk=yerevan.pk, **{field: getattr(yerevan, field)}).exists()


def test_f1_descriptive_fields_stay_editable_and_unchanged_identity_may_be_sent(
        users, partners, api_client_for):
    utrecht = partners["utrecht"]
    response = api_client_for("officer").put(
        f"/api/local-governments/{utrecht.pk}/",
        {"name": "Utrecht", "official_name": "Gemeente Utrecht", "country_code": "nl",
         "kind": "municipality", "geonameid": 2745912}, format="json")
    assert response.status_code == 200, response.json()
    utrecht.refresh_from_db()
    assert utrecht.official_name == "Gemeente Utrecht" and utrecht.country_code == "NL"


def test_f1_each_step_records_the_facts_it_was_decided_on(users, policy_tables, partners, create,
                                                          step, api_client_for):
    berlin = partners["berlin"]
    agreement = create(berlin)
    pk = agreement["id"]
    assert step(pk, "in_committee", "2019-01-02").status_code == 200
    assert step(pk, "council_approved", "2019-01-05", reference="2019/12",
                final_on="2019-01-10").status_code == 200
    assert step(pk, "permission_requested", "2019-01-20").status_code == 200
    assert step(pk, "permission_granted", "2019-03-01", reference="E-123").status_code == 200
    assert step(pk, "signed", "2019-04-01").status_code == 200
    events = api_client_for("viewer").get(f"/api/agreements/{pk}/events/").json()
    signed = events[-1]["facts"]
    assert signed["partner"]["country_code"] == "DE" and signed["partner"]["id"] == berlin.pk
    assert signed["policy"] == {**signed["policy"], "country": "DE", "status": "normal"}
    assert signed["rules"]["foreign"] is True and signed["rules"]["on"] == "2019-04-01"
    assert signed["permitting_authority"]["name_en"]
    assert signed["references"]["permission_reference"] == "E-123"
    assert signed["references"]["council_decision_number"] == "2019/12"
    requested = AgreementEvent.objects.get(agreement_id=pk, to_state="permission_requested")
    assert requested.facts["permitting_authority"]["id"] == \
        Agreement.objects.get(pk=pk).permitting_authority_id


# --- corrections: a steward's decision, which re-runs the policy check ---------------------------
def test_accepted_correction_flags_the_ties_in_force_that_no_longer_pass(
        users, policy_tables, partners, create, step, api_client_for):
    """A partner recorded in the wrong country: the correction to Armenia flags its active tie."""
    wrong = LocalGovernment.objects.create(name="Abovyan", country_code="TR", kind="municipality")
    agreement = create(wrong, instrument="letter_of_goodwill")
    assert step(agreement["id"], "signed", "2019-01-20").status_code == 200
    assert step(agreement["id"], "active", "2019-01-21").status_code == 200
    officer = api_client_for("officer")
    proposal = officer.post("/api/identity-corrections/", {
        "government": wrong.pk, "changes": {"country_code": "AM"},
        "reason": "GeoNames 616629: Abovyan is in Armenia"}, format="json")
    assert proposal.status_code == 201, proposal.json()
    correction = proposal.json()
    assert correction["proposed"] == {"country_code": "AM"}
    assert correction["previous"] == {"country_code": "TR"}
    wrong.refresh_from_db()
    assert wrong.country_code == "TR"  # nothing changes until a steward decides
    for role in ("officer", "admin", "approver", "other_officer"):
        response = api_client_for(role).post(f"/api/identity-corrections/{correction['id']}/accept/")
        assert response.status_code == 403, role
    response = api_client_for("oversight").post(
        f"/api/identity-corrections/{correction['id']}/accept/", {"note": "checked"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "accepted" and response.json()["decided_by"] == "oversight"
    assert response.json()["policy_check"]["flagged"] == 1
    wrong.refresh_from_db()
    tie = Agreement.objects.get(pk=agreement["id"])
    assert wrong.country_code == "AM"
    assert row_of(tie).needs_review and "AM" in row_of(tie).review_note
    assert wrong.history.count() >= 2
    assert corrections().get(pk=correction["id"]).history.count() == 2
    again = api_client_for("oversight").post(f"/api/identity-corrections/{correction['id']}/reject/")
    assert again.status_code == 400


def test_correction_made_on_an_older_record_is_not_applied(users, partners, api_client_for):
    utrecht = partners["utrecht"]
    first = api_client_for("officer").post("/api/identity-corrections/", {
        "government": utrecht.pk, "changes": {"latitude": 52.09}, "reason": "GeoNames"},
        format="json").json()
    second = api_client_for("other_officer").post("/api/identity-corrections/", {
        "government": utrecht.pk, "changes": {"latitude": 52.1}, "reason": "OSM"},
        format="json").json()
    oversight = api_client_for("oversight")
    assert oversight.post(f"/api/identity-corrections/{second['id']}/accept/").status_code == 200
    response = oversight.post(f"/api/identity-corrections/{first['id']}/accept/")
    assert response.status_code == 400
    utrecht.refresh_from_db()
    assert utrecht.latitude == 52.1
    assert corrections().get(pk=first["id"]).state == "open"


def test_rejected_correction_changes_nothing(users, partners, api_client_for):
    utrecht = partners["utrecht"]
    proposal = api_client_for("officer").post("/api/identity-corrections/", {
        "government": utrecht.pk, "changes": {"country_code": "BE"}, "reason": "?"},
        format="json").json()
    response = api_client_for("oversight").post(
        f"/api/identity-corrections/{proposal['id']}/reject/", {"note": "Utrecht is Dutch"},
        format="json")
    assert response.status_code == 200 and response.json()["state"] == "rejected"
    utrecht.refresh_from_db()
    assert utrecht.country_code == "NL"


def test_bad_proposals_are_refused_clearly(users, partners, api_client_for):
    utrecht = partners["utrecht"]
    officer = api_client_for("officer")
    cases = [
        {"government": utrecht.pk, "changes": {"country_code": "XX"}, "reason": "x"},
        {"government": utrecht.pk, "changes": {"country_code": "NL"}, "reason": "no change"},
        {"government": utrecht.pk, "changes": {"latitude": 123}, "reason": "x"},
        {"government": utrecht.pk, "changes": {"country_code": "BE"}, "reason": ""},
    ]
    for body in cases:
        response = officer.post("/api/identity-corrections/", body, format="json")
        assert response.status_code == 400, (body, response.json())
        assert response.json()["error"]["message"]
    assert not corrections().exists()


def test_viewer_and_approver_cannot_propose(users, partners, api_client_for):
    for role in ("viewer", "approver"):
        response = api_client_for(role).post("/api/identity-corrections/", {
            "government": partners["utrecht"].pk, "changes": {"country_code": "BE"},
            "reason": "x"}, format="json")
        assert response.status_code == 403
    assert not corrections().exists()


# --- F2: an organisation's own record --------------------------------------------------------------
def test_f2_another_organisation_cannot_edit_an_organisations_record(users, istanbul, ankara,
                                                                     api_client_for):
    response = api_client_for("officer").patch(
        f"/api/local-governments/{ankara.pk}/",
        {"official_name": "EDITED-BY-IBB-OFFICER"}, format="json")
    assert response.status_code == 403
    response = api_client_for("other_officer").patch(
        f"/api/local-governments/{istanbul.pk}/", {"name": "İstanbul Büyükşehir Belediyesi"},
        format="json")
    assert response.status_code == 403
    ankara.refresh_from_db()
    assert ankara.official_name == ""


def test_f2_only_the_organisations_admin_edits_its_record(users, istanbul, api_client_for):
    for role in ("viewer", "officer", "approver", "oversight"):
        response = api_client_for(role).patch(f"/api/local-governments/{istanbul.pk}/",
                                              {"official_name": "X"}, format="json")
        assert response.status_code == 403, role
    response = api_client_for("admin").patch(
        f"/api/local-governments/{istanbul.pk}/",
        {"official_name": "İstanbul Büyükşehir Belediye Başkanlığı"}, format="json")
    assert response.status_code == 200
    # even its admin cannot change its identity directly: a proposal, which the admin decides
    response = api_client_for("admin").patch(f"/api/local-governments/{istanbul.pk}/",
                                             {"kind": "special_provincial_administration"},
                                             format="json")
    assert response.status_code == 400
    istanbul.refresh_from_db()
    assert istanbul.kind == "metropolitan_municipality"


def test_f2_an_organisations_record_is_stewarded_by_its_own_admin(users, istanbul, ankara,
                                                                  api_client_for):
    from citydiplomacy.accounts.models import Role
    from tests.conftest import make_user

    make_user("ankara-admin", Role.ADMIN, ankara)
    proposal = api_client_for("admin").post("/api/identity-corrections/", {
        "government": istanbul.pk, "changes": {"latitude": 41.0082}, "reason": "city hall"},
        format="json")
    assert proposal.status_code == 201
    pk = proposal.json()["id"]
    # the other organisation's officer may not even propose; its admin may not decide
    response = api_client_for("other_officer").post("/api/identity-corrections/", {
        "government": istanbul.pk, "changes": {"latitude": 1.0}, "reason": "x"}, format="json")
    assert response.status_code == 403
    from rest_framework.test import APIClient

    from citydiplomacy.accounts.models import User

    other_admin = APIClient()
    other_admin.force_authenticate(User.objects.get(username="ankara-admin"))
    assert other_admin.post(f"/api/identity-corrections/{pk}/accept/").status_code == 403
    assert api_client_for("admin").post(f"/api/identity-corrections/{pk}/accept/").status_code == 200
    istanbul.refresh_from_db()
    assert istanbul.latitude == 41.0082


# --- F8: another organisation's objects answer as missing ones ------------------------------------
def test_f8_another_organisations_agreement_answers_as_a_missing_one(users, partners, create,
                                                                     api_client_for):
    istanbul_draft = create(partners["berlin"])
    missing = Agreement.objects.order_by("-pk").first().pk + 1000
    ankara = api_client_for("other_officer")
    answers = []
    for agreement_id in (istanbul_draft["id"], missing):
        response = ankara.post("/api/activities/", {"agreement": agreement_id, "kind": "exchange",
                                                    "title": "probe", "starts_on": "2020-01-01"},
                               format="json")
        answers.append((response.status_code, response.json()["error"]["details"].get("agreement")))
    assert answers[0] == answers[1]
    assert answers[0][0] in (400, 404)
    assert not Activity.objects.exists()


# --- F18: permission before validation ----------------------------------------------------------------
def test_f18_a_role_that_may_not_write_is_refused_before_validation(users, partners, create,
                                                                    api_client_for):
    ankara_draft = api_client_for("other_officer").post(
        "/api/agreements/", {"instrument": "twinning", "partner": partners["berlin"].pk,
                             "title": "Ankara draft"}, format="json").json()
    for role in ("viewer", "approver"):
        response = api_client_for(role).post(
            "/api/activities/", {"agreement": ankara_draft["id"], "kind": "zzz-invalid"},
            format="json")
        assert response.status_code == 403, role
    own = create(partners["berlin"])
    activity = api_client_for("officer").post(
        "/api/activities/", {"agreement": own["id"], "kind": "exchange", "title": "Visit",
                             "starts_on": "2020-01-01"}, format="json")
    assert activity.status_code == 201, activity.json()
    response = api_client_for("oversight").patch(f"/api/activities/{activity.json()['id']}/",
                                                 {"title": "no version"}, format="json")
    assert response.status_code == 403


def test_f2_refusals_say_why_in_the_users_language(users, istanbul, api_client_for):
    response = api_client_for("officer").patch(f"/api/local-governments/{istanbul.pk}/",
                                               {"official_name": "X"}, format="json",
                                               HTTP_ACCEPT_LANGUAGE="tr")
    assert response.status_code == 403
    assert "yalnızca kurumun yöneticisi" in response.json()["error"]["message"]
    response = api_client_for("viewer").patch(f"/api/local-governments/{istanbul.pk}/",
                                              {"official_name": "X"}, format="json",
                                              HTTP_ACCEPT_LANGUAGE="tr")
    assert response.status_code == 403
    assert "yetkililer ve yöneticiler" in response.json()["error"]["message"]


def test_the_timeline_shows_what_each_step_was_decided_on(users, policy_tables, partners, create,
                                                          step, client_for):
    agreement = create(partners["berlin"], instrument="letter_of_goodwill")
    assert step(agreement["id"], "signed", "2019-01-20").status_code == 200
    page = client_for("viewer").get(f"/agreements/{agreement['id']}/",
                                    HTTP_ACCEPT_LANGUAGE="tr").content.decode()
    assert "Dayanağı: ortağın ülkesi Almanya; o gün ulusal politika “Normal”" in page


def test_accepting_a_correction_names_the_steps_that_would_not_pass_now(
        users, policy_tables, partners, create, step, api_client_for, client_for):
    """A twinning signed as domestic (no ministry permission) with a partner that is in fact
    Armenian: the steward is told which recorded steps would not pass on the corrected facts."""
    wrong = LocalGovernment.objects.create(name="Abovyan", country_code="TR", kind="municipality")
    pk = create(wrong)["id"]
    assert step(pk, "in_committee", "2019-01-02").status_code == 200
    assert step(pk, "council_approved", "2019-01-05", reference="K-1",
                final_on="2019-01-10").status_code == 200
    assert step(pk, "signed", "2019-01-20").status_code == 200  # domestic: no permission needed
    assert step(pk, "active", "2019-01-21").status_code == 200
    proposal = api_client_for("officer").post("/api/identity-corrections/", {
        "government": wrong.pk, "changes": {"country_code": "AM"}, "reason": "GeoNames"},
        format="json").json()
    response = api_client_for("oversight").post(f"/api/identity-corrections/{proposal['id']}/accept/")
    assert response.status_code == 200
    failing = {item["to"]: item["rules"] for item in response.json()["recheck"]["failing_steps"]}
    assert failing["signed"] == ["law5393.ministry_permission_required", "policy.no_relations"]
    assert failing["council_approved"] == ["policy.no_relations"]
    assert row_of(Agreement.objects.get(pk=pk)).needs_review
    page = client_for("officer").get(f"/local-governments/corrections/{proposal['id']}/")
    assert "law5393.ministry_permission_required" in page.content.decode()
    # another organisation's ties are not named to its members
    page = client_for("other_officer").get(f"/local-governments/corrections/{proposal['id']}/")
    assert "law5393.ministry_permission_required" not in page.content.decode()
