"""import-pairs, resolve and the review services on a small gazetteer."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command

from citydiplomacy.governments.models import LocalGovernment
from citydiplomacy.places import services
from citydiplomacy.places.models import ImportBatch, ReportedTie, ReviewChoice

PAIRS = [
    ["city1", "country1", "city2", "country2"],
    ["Rotterdam", "Netherlands", "İstanbul", "Turkey"],
    ["Istanbul", "Türkiye", "Rotterdam", "Netherlands"],  # same tie from the other side
    ["Durrës", "Albania", "Istanbul", "Turkey"],
    ["Durres", "Albania", "Bari", "Italy"],
    ["Nowhereville", "Atlantis", "Istanbul", "Turkey"],  # unresolved, kept
    ["", "", "", ""],  # empty row
    ["Kyrenia", "Northern Cyprus", "Ankara", "Turkey"],
]


def write_csv(path, rows, encoding="utf-8"):
    with open(path, "w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def snapshot():
    govs = sorted(LocalGovernment.objects.values_list(
        "name", "country_code", "geonameid", "region_code", "is_unresolved", "raw_name",
        "raw_country"))
    ties = sorted(ReportedTie.objects.values_list(
        "low__name", "high__name", "source"))
    return govs, ties


def test_import_merges_keeps_unresolved_and_is_idempotent(gazetteer, tmp_path):
    path = write_csv(tmp_path / "pairs.csv", PAIRS)
    out = io.StringIO()
    summary = services.import_pairs(path, stdout=out)
    assert summary.rows_read == 7
    assert summary.ties_created == 5
    assert summary.merged_duplicates == 1
    assert summary.unresolved_names == 1
    assert "Rows read: 7" in out.getvalue() or "7" in out.getvalue()
    istanbul = LocalGovernment.objects.get(geonameid=745044)
    assert istanbul.country_code == "TR"
    ghost = LocalGovernment.objects.get(is_unresolved=True)
    assert (ghost.raw_name, ghost.raw_country) == ("Nowhereville", "Atlantis")
    assert LocalGovernment.objects.get(name="Kyrenia").country_code == "XC"
    before = snapshot()
    again = services.import_pairs(path)
    assert again.ties_created == 0 and snapshot() == before
    assert ImportBatch.objects.count() == 1


def test_existing_records_are_not_changed(gazetteer, tmp_path):
    mine = LocalGovernment.objects.create(name="Gemeente Rotterdam", country_code="NL",
                                          geonameid=2747891, official_name="Rotterdam")
    services.import_pairs(write_csv(tmp_path / "p.csv", PAIRS))
    mine.refresh_from_db()
    assert mine.name == "Gemeente Rotterdam" and mine.official_name == "Rotterdam"


@pytest.mark.parametrize("encoding", ["cp1254", "utf-8-sig"])
def test_excel_encodings_keep_turkish_letters(gazetteer, tmp_path, encoding):
    rows = [PAIRS[0], ["Şişli", "Türkiye", "Çankaya", "Türkiye"],
            ["İzmir", "Türkiye", "Rotterdam", "Netherlands"]]
    services.import_pairs(write_csv(tmp_path / "excel.csv", rows, encoding=encoding))
    raw = set(LocalGovernment.objects.values_list("raw_name", flat=True))
    assert {"Şişli", "Çankaya"} <= raw | set(LocalGovernment.objects.values_list("name", flat=True))
    assert LocalGovernment.objects.filter(name="İzmir").exists()


def test_xlsx_import(gazetteer, tmp_path):
    import openpyxl

    wb = openpyxl.Workbook()
    for row in PAIRS[:3]:
        wb.active.append(row)
    wb.save(tmp_path / "pairs.xlsx")
    summary = services.import_pairs(tmp_path / "pairs.xlsx")
    assert summary.ties_created == 1 and summary.merged_duplicates == 1


def test_wrong_header_and_junk_are_refused_cleanly(gazetteer, tmp_path):
    with pytest.raises(services.ImportError_, match="city1,country1,city2,country2"):
        services.import_pairs(write_csv(tmp_path / "bad.csv", [["a", "b"], ["x", "y"]]))
    junk = tmp_path / "junk.csv"
    junk.write_bytes(bytes(range(256)) * 40 * 1024)  # 10 MB of binary junk
    with pytest.raises(services.ImportError_):
        services.import_pairs(junk)
    text_junk = tmp_path / "junk.txt"
    text_junk.write_text("lorem ipsum, dolor\n" * 550_000)
    with pytest.raises(services.ImportError_, match="city1,country1,city2,country2"):
        services.import_pairs(text_junk)
    assert LocalGovernment.objects.count() == 0 and ReportedTie.objects.count() == 0


def test_command_reports_errors(gazetteer, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("import-pairs", str(write_csv(tmp_path / "bad.csv", [["x"]])))


def test_resolve_command_writes_one_row_per_input(gazetteer, tmp_path):
    src = write_csv(tmp_path / "in.csv", [["name", "country"], ["Köln", "Germany"],
                                          ["Nowhere", "Atlantis"], ["Rotterdam", "Netherlands"]])
    call_command("resolve", str(src), "--out", str(tmp_path / "out.csv"))
    with open(tmp_path / "out.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["name"] for r in rows] == ["Köln", "Nowhere", "Rotterdam"]
    assert rows[0]["status"] == "resolved" and rows[0]["geonameid"] == "2886242"
    assert rows[1]["status"] == "unresolved"
    assert set(rows[0]) == {"name", "country", "status", "geonameid", "resolved_name",
                            "country_code", "lat", "lng", "confidence"}


def test_review_choice_is_recorded_and_reused(gazetteer, users, tmp_path):
    rows = [PAIRS[0], ["Rottrdm", "Netherlands", "Ankara", "Turkey"]]
    path = write_csv(tmp_path / "typo.csv", rows)
    services.import_pairs(path)
    ghost = LocalGovernment.objects.get(is_unresolved=True, raw_name="Rottrdm")
    with pytest.raises(PermissionDenied):
        services.record_choice(ghost, "place", "2747891", users["viewer"])
    chosen = services.record_choice(ghost, "place", "2747891", users["officer"])
    assert chosen.geonameid == 2747891 and not chosen.is_unresolved
    choice = ReviewChoice.objects.get()
    assert choice.chosen_by == users["officer"]
    # a later import of another file reuses the choice
    services.import_pairs(write_csv(tmp_path / "later.csv", [PAIRS[0], ["Rottrdm", "Netherlands", "Bari", "Italy"]]))
    assert not LocalGovernment.objects.filter(is_unresolved=True, raw_name="Rottrdm").exists()


def test_merge_moves_ties(gazetteer, users, tmp_path):
    services.import_pairs(write_csv(tmp_path / "p.csv", PAIRS))
    ghost = LocalGovernment.objects.get(is_unresolved=True)
    istanbul = LocalGovernment.objects.get(geonameid=745044)
    bari = LocalGovernment.objects.get(name="Bari")
    services.merge_local_governments(bari, ghost, users["admin"])
    assert not LocalGovernment.objects.filter(pk=ghost.pk).exists()
    assert ReportedTie.objects.filter(low_id=min(bari.pk, istanbul.pk),
                                      high_id=max(bari.pk, istanbul.pk)).exists()
    with pytest.raises(PermissionDenied):
        services.merge_local_governments(bari, istanbul, users["oversight"])


@pytest.mark.parametrize("name,country", [
    ("Köln", "Germany"), ("Saraybosna", "Bosnia and Herzegovina"), ("Albany", "United States"),
    ("Kyrenia", "Northern Cyprus"), ("County Limerick", "Ireland"), ("Nowhere", "Atlantis"),
    ("Xicheng (Beijing)", "China"), ("Rotterdam", "Netherlands"),
])
def test_web_resolver_agrees_with_import_resolver(gazetteer, name, country):
    full = services.get_resolver().resolve(name, country)
    web = services.get_web_resolver().resolve(name, country)
    assert (web.status, web.code, web.country_code) == (full.status, full.code, full.country_code)
    assert {c.ref for c in web.alternatives} == {c.ref for c in full.alternatives}
