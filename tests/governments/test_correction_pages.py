"""The web pages of identity corrections (issue 19 item 1): proposed from a local government's
page, decided in the stewards' queue, in Turkish; bad input changes nothing."""

from __future__ import annotations

import pytest

from citydiplomacy.governments.models import IdentityCorrection, LocalGovernment

pytestmark = pytest.mark.django_db


@pytest.fixture
def yerevan(db):
    return LocalGovernment.objects.create(name="Yerevan", country_code="AM", kind="municipality")


def test_local_government_page_links_to_the_proposal_form_in_turkish(users, yerevan, client_for):
    page = client_for("officer").get(f"/local-governments/{yerevan.pk}/").content.decode()
    assert f"/local-governments/{yerevan.pk}/correct/" in page
    assert "Kimliği için düzeltme öner" in page
    # a viewer cannot propose, so is not offered the form
    page = client_for("viewer").get(f"/local-governments/{yerevan.pk}/").content.decode()
    assert "/correct/" not in page


def test_propose_then_accept_through_the_web(users, yerevan, client_for):
    officer = client_for("officer")
    form = officer.get(f"/local-governments/{yerevan.pk}/correct/")
    assert form.status_code == 200
    assert "Düzeltme öner" in form.content.decode() and "Gerekçe ve kaynak" in form.content.decode()
    response = officer.post(f"/local-governments/{yerevan.pk}/correct/", {
        "country_code": "GE", "kind": "municipality", "reason": "GeoNames"})
    assert response.status_code == 302
    correction = IdentityCorrection.objects.get()
    assert correction.proposed == {"country_code": "GE"} and correction.state == "open"
    yerevan.refresh_from_db()
    assert yerevan.country_code == "AM"
    page = client_for("oversight").get("/local-governments/corrections/").content.decode()
    assert "Kimlik düzeltmeleri" in page and "Kararınızı bekleyenler" in page and "Yerevan" in page
    assert client_for("officer").post(
        f"/local-governments/corrections/{correction.pk}/accept/").status_code == 403
    response = client_for("oversight").post(
        f"/local-governments/corrections/{correction.pk}/accept/", {"note": "checked"}, follow=True)
    assert "Düzeltme kabul edildi" in response.content.decode()
    yerevan.refresh_from_db()
    assert yerevan.country_code == "GE"
    correction.refresh_from_db()
    assert correction.state == "accepted" and correction.decision_note == "checked"
    detail = client_for("viewer").get(f"/local-governments/corrections/{correction.pk}/")
    page = detail.content.decode()
    assert detail.status_code == 200 and "Kimlik düzeltmesi" in page and "Geçmiş" in page
    assert "Kabul edildi" in page and "checked" in page and "ibb-officer" in page
    assert "/accept/" not in page  # decided: no form
    page = client_for("viewer").get(f"/local-governments/{yerevan.pk}/").content.decode()
    assert f"/local-governments/corrections/{correction.pk}/" in page and "Kabul edildi" in page


def test_bad_proposal_reshows_the_form_with_a_turkish_message(users, yerevan, client_for):
    officer = client_for("officer")
    response = officer.post(f"/local-governments/{yerevan.pk}/correct/", {
        "country_code": "AM", "kind": "municipality", "reason": "same"})
    assert response.status_code == 200
    assert "Öneri hiçbir şeyi değiştirmiyor" in response.content.decode()
    response = officer.post(f"/local-governments/{yerevan.pk}/correct/", {
        "country_code": "GE", "kind": "municipality", "latitude": "123", "reason": "x"})
    assert response.status_code == 200
    assert not IdentityCorrection.objects.exists()


def test_organisation_record_is_proposed_and_decided_by_its_own_admin(users, istanbul, client_for):
    assert client_for("officer").get(f"/local-governments/{istanbul.pk}/correct/").status_code == 403
    admin = client_for("admin")
    response = admin.post(f"/local-governments/{istanbul.pk}/correct/", {
        "country_code": "TR", "kind": "metropolitan_municipality", "latitude": "41.0082",
        "longitude": "28.94966", "geonameid": "745044", "reason": "city hall"})
    assert response.status_code == 302
    correction = IdentityCorrection.objects.get()
    assert correction.proposed == {"latitude": 41.0082}
    page = admin.get("/local-governments/corrections/").content.decode()
    assert f"/local-governments/corrections/{correction.pk}/accept/" in page
    page = admin.get(f"/local-governments/corrections/{correction.pk}/").content.decode()
    assert f"/local-governments/corrections/{correction.pk}/accept/" in page
    assert "/accept/" not in client_for("officer").get(
        f"/local-governments/corrections/{correction.pk}/").content.decode()
    # the other organisation's officer sees the history but cannot decide
    page = client_for("other_officer").get("/local-governments/corrections/").content.decode()
    assert f"/corrections/{correction.pk}/accept/" not in page
    admin.post(f"/local-governments/corrections/{correction.pk}/reject/", {"note": "keep"})
    correction.refresh_from_db()
    istanbul.refresh_from_db()
    assert correction.state == "rejected" and istanbul.latitude == 41.01384
