"""Acceptance 2 and 5 of issue 4 through the API, plus documents, activities and archive."""

from __future__ import annotations

import io

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from citydiplomacy.agreements.models import Activity, Agreement, Document
from citydiplomacy.agreements.relations_import import import_relations
from citydiplomacy.governments.models import LocalGovernment
from tests.sample_files import MINIMAL_PDF, MINIMAL_PNG

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def ibb_relations(users, policy_tables, istanbul):
    import_relations(settings.DATA_DIR / "istanbul" / "istanbul_relations.csv", organisation=istanbul)


def test_acceptance_2_frozen_netherlands(ibb_relations, api_client_for, create, step):
    officer = api_client_for("officer")
    utrecht = LocalGovernment.objects.create(name="Utrecht", country_code="NL")
    agreement = create(utrecht)
    assert step(agreement["id"], "in_committee", "2017-03-16").status_code == 200
    # The officer asking for council approval is refused with the frozen-policy rule (the
    # national policy answers before the question of who may record a council decision) …
    response = step(agreement["id"], "council_approved", "2017-03-20", role="officer", reference="2017/1")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "rule_violation" and error["rule"] == "policy.frozen_country"
    # … and so is the approver, who could otherwise record it.
    response = step(agreement["id"], "council_approved", "2017-03-20", reference="2017/1")
    assert response.status_code == 409
    assert response.json()["error"]["rule"] == "policy.frozen_country"
    # Without the policy block, an officer still may not record a council decision.
    response = step(agreement["id"], "council_approved", "2018-08-01", role="officer", reference="2018/1")
    assert response.status_code == 403
    assert Agreement.objects.get(pk=agreement["id"]).state == "in_committee"

    impact = officer.get("/api/policy/impact/?country=NL&status=frozen&on=2017-03-11").json()
    titles = [item["agreement"]["partner"]["name"] for item in impact["agreements"]]
    assert "Rotterdam" in titles and impact["saved"] is False
    rotterdam = next(i for i in impact["agreements"] if i["agreement"]["partner"]["name"] == "Rotterdam")
    assert rotterdam["effects"] == ["needs_review"] and rotterdam["agreement"]["status"] == "active"

    listing = officer.get("/api/agreements/?as_of=2017-03-14&partner_country=NL").json()["results"]
    rows = {row["partner"]["name"]: row for row in listing}
    assert rows["Rotterdam"]["status"] == "active"
    assert {"needs_review", "imported"} <= set(rows["Rotterdam"]["flags"])
    assert "Utrecht" not in rows  # created later than 2017-03-14 in the record
    today = officer.get("/api/agreements/?partner_country=NL&status=terminated").json()["results"]
    assert [r["partner"]["name"] for r in today] == ["Rotterdam"]


def test_list_items_have_the_documented_fields(ibb_relations, api_client_for):
    item = api_client_for("viewer").get("/api/agreements/?instrument=cooperation_protocol").json()["results"][0]
    assert {"id", "instrument", "status", "partner", "council_decision_on", "signed_on", "ended_on",
            "flags", "version"} <= set(item)
    assert item["partner"]["name"] == "Paris" and item["partner"]["country_code"] == "FR"


def test_stale_version_is_refused_and_nothing_changes(users, partners, create, api_client_for):
    agreement = create(partners["berlin"])
    officer = api_client_for("officer")
    url = f"/api/agreements/{agreement['id']}/"
    first = officer.patch(url, {"title": "First edit", "version": agreement["version"]}, format="json")
    assert first.status_code == 200 and first.json()["version"] == agreement["version"] + 1
    stale = officer.patch(url, {"title": "Lost edit", "version": agreement["version"]}, format="json")
    assert stale.status_code == 409
    assert stale.json()["error"]["code"] == "stale_version"
    assert "changed by someone else" in stale.json()["error"]["message"]
    assert Agreement.objects.get(pk=agreement["id"]).title == "First edit"
    assert officer.patch(url, {"title": "No version"}, format="json").status_code == 400


def test_dates_out_of_order_are_refused(users, policy_tables, partners, create, step, api_client_for):
    agreement = create(partners["izmir"])
    step(agreement["id"], "in_committee", "2019-01-02")
    step(agreement["id"], "council_approved", "2019-01-05", reference="1", final_on="2019-01-10")
    signed = step(agreement["id"], "signed", "2019-02-01").json()
    response = api_client_for("officer").patch(f"/api/agreements/{agreement['id']}/", {
        "effective_on": "2019-01-15", "version": signed["version"]}, format="json")
    assert response.status_code == 400
    assert "effective date cannot be before the signing date" in response.json()["error"]["message"]
    stored = Agreement.objects.get(pk=agreement["id"])
    assert stored.effective_on is None and stored.version == signed["version"]
    bad_final = step(create(partners["izmir"])["id"], "in_committee", "2019-01-02")
    response = step(bad_final.json()["id"], "council_approved", "2019-01-05", reference="1", final_on="2019-01-01")
    assert response.status_code == 400 and "final before it is taken" in response.json()["error"]["message"]


def test_unknown_country_is_refused(users, api_client_for):
    response = api_client_for("officer").get("/api/agreements/?partner_country=ZZ")
    assert response.status_code == 400 and "ZZ" in response.json()["error"]["message"]
    response = api_client_for("oversight").post("/api/country-relations/", {
        "country_code": "ZZ", "status": "frozen"}, format="json")
    assert response.status_code == 400
    assert api_client_for("officer").get("/api/policy/impact/?country=QQ&status=frozen&on=2017-01-01").status_code == 400


PDF = MINIMAL_PDF


def upload(client, pk, name, content, kind="council_decision"):
    return client.post(f"/api/agreements/{pk}/documents/",
                       {"file": SimpleUploadedFile(name, content), "kind": kind}, format="multipart")


def test_documents_keep_sha256_and_refuse_bad_files(users, partners, create, api_client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.CITYDIPLOMACY_MAX_UPLOAD_BYTES = 1024
    officer = api_client_for("officer")
    pk = create(partners["berlin"])["id"]
    ok = upload(officer, pk, "karar.pdf", PDF)
    assert ok.status_code == 201, ok.json()
    import hashlib
    assert ok.json()["sha256"] == hashlib.sha256(PDF).hexdigest()
    again = upload(officer, pk, "karar.pdf", PDF)
    assert again.status_code == 201 and again.json()["id"] != ok.json()["id"]  # never overwritten
    for name, content, text in [
        ("tool.exe", b"MZ\x90\x00" + b"0" * 40, "Only PDF"),
        ("fake.pdf", b"just text, not a pdf", "Only PDF"),
        ("big.pdf", PDF + b"0" * 2048, "the limit is"),
    ]:
        response = upload(officer, pk, name, content)
        assert response.status_code == 400 and text in response.json()["error"]["message"], name
    assert Document.objects.count() == 2
    assert upload(api_client_for("viewer"), pk, "v.pdf", PDF).status_code == 403
    assert upload(api_client_for("other_officer"), pk, "v.pdf", PDF).status_code == 404
    listed = api_client_for("viewer").get(f"/api/agreements/{pk}/documents/").json()
    assert [d["original_name"] for d in listed] == ["karar.pdf", "karar.pdf"]


def test_office_and_image_files_are_accepted(users, partners, create, api_client_for, settings, tmp_path):
    import zipfile
    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
    pk = create(partners["berlin"])["id"]
    officer = api_client_for("officer")
    assert upload(officer, pk, "protocol.docx", buffer.getvalue()).status_code == 201
    assert upload(officer, pk, "photo.png", MINIMAL_PNG, kind="photo").status_code == 201


def test_archive_never_deletes(users, partners, create, api_client_for):
    agreement = create(partners["berlin"])
    officer = api_client_for("officer")
    response = officer.post(f"/api/agreements/{agreement['id']}/archive/",
                            {"version": agreement["version"], "reason": "duplicate"}, format="json")
    assert response.status_code == 200 and "archived" in response.json()["flags"]
    assert Agreement.objects.filter(pk=agreement["id"]).exists()
    assert officer.get("/api/agreements/").json()["count"] == 0
    assert officer.delete(f"/api/agreements/{agreement['id']}/").status_code == 405


def test_activities_crud_and_dormancy(users, partners, create, api_client_for, settings):
    from citydiplomacy.agreements.transitions import transition
    agreement = create(partners["izmir"], instrument="letter_of_goodwill")
    transition(Agreement.objects.get(pk=agreement["id"]), actor=users["officer"], to="signed", on="2015-01-01")
    transition(Agreement.objects.get(pk=agreement["id"]), actor=users["officer"], to="active", on="2015-01-01")
    officer = api_client_for("officer")
    assert agreement["id"] in [r["id"] for r in officer.get("/api/agreements/?flag=dormant").json()["results"]]
    created = officer.post("/api/activities/", {
        "agreement": agreement["id"], "kind": "incoming_delegation", "title": "Visit",
        "starts_on": "2024-05-02", "status": "held", "cost_try": "1500.00", "area": "culture_arts",
        "participants": 12}, format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["partner"] == partners["izmir"].pk
    assert agreement["id"] not in [r["id"] for r in officer.get("/api/agreements/?flag=dormant").json()["results"]]
    bad = officer.post("/api/activities/", {"partner": partners["izmir"].pk, "kind": "event", "title": "x",
                                            "starts_on": "2024-05-02", "ends_on": "2024-05-01"}, format="json")
    assert bad.status_code == 400 and "before the start date" in bad.json()["error"]["message"]
    url = f"/api/activities/{body['id']}/"
    assert officer.patch(url, {"outcome": "MoU drafted", "version": body["version"]}, format="json").status_code == 200
    assert officer.patch(url, {"outcome": "stale", "version": body["version"]}, format="json").status_code == 409
    assert api_client_for("other_officer").get(url).status_code == 404
    assert api_client_for("oversight").get(url).status_code == 200
    assert api_client_for("oversight").patch(url, {"outcome": "x", "version": 2}, format="json").status_code == 403
    assert officer.delete(url).status_code == 204
    assert Activity.objects.get(pk=body["id"]).archived_at is not None


def test_reminders_and_calendar_feed(users, partners, create, api_client_for, step, policy_tables):
    import datetime as dt
    pk = create(partners["izmir"], instrument="letter_of_goodwill")["id"]
    ten_years_ago = dt.date.today().replace(year=dt.date.today().year - 10) + dt.timedelta(days=5)
    step(pk, "signed", ten_years_ago.isoformat())
    officer = api_client_for("officer")
    reminders = officer.get("/api/reminders/?days=30").json()
    assert [r["kind"] for r in reminders] == ["anniversary"] and "10th" in reminders[0]["title"]
    feed = officer.get("/api/calendar/feed/").json()
    anonymous = api_client_for("anonymous")
    ics = anonymous.get(f"/api/calendar/{feed['token']}/")
    assert ics.status_code == 200 and b"10th anniversary" in ics.content
    assert anonymous.get("/api/calendar/not-a-token/").status_code == 404
    assert officer.post("/api/calendar/feed/").json()["token"] != feed["token"]
    assert anonymous.get(f"/api/calendar/{feed['token']}/").status_code == 404
