"""`citydiplomacy recommend`: ranked, explained partner suggestions for one city or a CSV of them.

    citydiplomacy recommend --for "İstanbul, Turkey" --top 20 [--emphasis NAME] [--format table|json]
    citydiplomacy recommend --queries FILE.csv --top 10 --format jsonl   # columns name,country
"""

from __future__ import annotations

import csv
import datetime as dt
import json

from django.core.management.base import BaseCommand, CommandError

from citydiplomacy.recommend.engine import Recommender
from citydiplomacy.recommend.learn import EMPHASIS, LinearModel
from citydiplomacy.recommend.services import model_path, policy_for_ranking
from citydiplomacy.recommend.world import load_world


def country_code(text: str) -> str:
    text = (text or "").strip()
    if not text:
        return ""
    if len(text) == 2 and text.isalpha():
        return text.upper()
    try:
        from citydiplomacy.agreements.partners import country_code_for

        return country_code_for(text)
    except Exception:  # noqa: BLE001 - unknown country text: search every country
        return ""


class Command(BaseCommand):
    help = "Recommend partners for a city (--for) or for every row of a CSV file (--queries)."

    def add_arguments(self, parser):
        parser.add_argument("--for", dest="for_", help='"City, Country", e.g. "İstanbul, Turkey"')
        parser.add_argument("--queries", help="CSV file with columns name,country")
        parser.add_argument("--top", type=int, default=20)
        parser.add_argument("--emphasis", choices=sorted(EMPHASIS), default="balanced")
        parser.add_argument("--format", choices=("table", "json", "jsonl"), default="table")
        parser.add_argument("--as-of", help="apply the policy table as it stood on this date")
        parser.add_argument("--include-domestic", action="store_true")
        parser.add_argument("--source", choices=("auto", "db", "packages"), default="auto")
        parser.add_argument("--language", default=None, help="language of the reasons (tr, en); "
                            "default: the project's LANGUAGE_CODE")

    def handle(self, *args, **o):
        from django.conf import settings
        from django.utils import translation

        translation.activate(o["language"] or settings.LANGUAGE_CODE)
        if not o["for_"] and not o["queries"]:
            raise CommandError("Give --for \"City, Country\" or --queries FILE.csv")
        path = model_path()
        if not path.exists():
            raise CommandError("No trained model; run `citydiplomacy train-recommender` first.")
        try:
            as_of = dt.date.fromisoformat(o["as_of"]) if o["as_of"] else None
        except ValueError as exc:
            raise CommandError(f"--as-of: {exc}") from exc
        rec = Recommender(load_world(o["source"]), LinearModel.load(path))  # loaded once
        policy = policy_for_ranking(as_of)
        if o["queries"]:
            try:
                with open(o["queries"], encoding="utf-8-sig", newline="") as fh:
                    rows = list(csv.DictReader(fh))
            except OSError as exc:
                raise CommandError(str(exc)) from exc
            if rows and not {"name", "country"} <= set(rows[0]):
                raise CommandError("The queries file needs the columns name,country")
            for row in rows:
                answer = self.answer(rec, row.get("name", ""), row.get("country", ""), o, policy)
                self.stdout.write(json.dumps(answer, ensure_ascii=False))
            return
        name, _sep, country = o["for_"].rpartition(",")
        if not name:
            name, country = country, ""
        answer = self.answer(rec, name.strip(), country.strip(), o, policy, excluded=True)
        if answer["resolved"] is None:
            raise CommandError(f"Cannot find {o['for_']!r} among the candidates.")
        if o["format"] in ("json", "jsonl"):
            self.stdout.write(json.dumps(answer, ensure_ascii=False, indent=1 if o["format"] == "json" else None))
            return
        r = answer["resolved"]
        self.stdout.write(f"Suggestions for {r['name']} ({r['country_code']}), emphasis {o['emphasis']}:")
        if answer["note"]:
            self.stdout.write(answer["note"])
        for s in answer["recommendations"]:
            self.stdout.write(f"{s['rank']:3}. {s['name'][:28]:28} {s['country_code']}  "
                              f"{s['score']:7.2f}  {'; '.join(s['reasons'])}")
        if answer["excluded"]:
            self.stdout.write("Excluded by national policy:")
            for s in answer["excluded"][:10]:
                self.stdout.write(f"     {s['name'][:28]:28} {s['country_code']}  {s['reasons'][0]}")

    def answer(self, rec: Recommender, name: str, country: str, o, policy, excluded=False) -> dict:
        code = country_code(country)
        node = rec.node_for(name=name, country=code) if name else None
        out: dict = {"query": {"name": name, "country": country}, "resolved": None,
                     "recommendations": []}
        if node is None:
            return out
        w = rec.world
        out["resolved"] = {"geonameid": int(w.geonameid[node]) if w.geonameid[node] >= 0 else None,
                           "name": str(w.name[node]), "country_code": str(w.country[node])}
        ranking = rec.rank(node, top=o["top"], emphasis=o["emphasis"],
                           include_domestic=o["include_domestic"], status_of=policy[0],
                           region_status=policy[1])
        keys = ("rank", "geonameid", "name", "country_code", "lat", "lng", "score", "reasons")
        out["missing_features"], out["note"] = ranking.missing, ranking.note
        out["recommendations"] = [{k: s.as_dict()[k] for k in keys} for s in ranking.suggestions]
        if excluded:
            out["excluded"] = [s.as_dict() for s in ranking.excluded]
        return out
