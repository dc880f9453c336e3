"""Every page reachable from the navigation, rendered in Turkish as every role, shows words, not
codes: no raw lifecycle, instrument or reminder code in visible text, and no English country or
world-region name (nor a bare country code) used as a label. Text quoted from imported sources (an element with a `lang`
other than Turkish: the quotation of its own language) and <code> are not the interface's words.

The crawl starts at / and follows same-site links two steps deep (the navigation, then what its
pages link to), at most two addresses per route, leaving out downloads and the API."""

from __future__ import annotations

import csv
import datetime as dt
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pycountry
import pytest
from django.conf import settings
from django.urls import Resolver404, resolve

from citydiplomacy.agreements.lifecycle import Instrument, State
from citydiplomacy.agreements.services import create_activity, create_agreement
from citydiplomacy.agreements.transitions import transition
from citydiplomacy.governments.models import LocalGovernment
from citydiplomacy.places.countries import country_name
from citydiplomacy.web.templatetags.words import REMINDER_KINDS
from tests.analytics.conftest import ibb_relations  # noqa: F401

pytestmark = pytest.mark.django_db

CODES = sorted({*State.values, *Instrument.values, *REMINDER_KINDS}, key=len, reverse=True)
CODE_RE = re.compile(r"(?<![\w/.-])(" + "|".join(map(re.escape, CODES)) + r")(?![\w/-])")
SKIP_TAGS = {"script", "style", "code", "template", "noscript", "svg", "datalist"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
DOWNLOADS = re.compile(r"\.(csv|xlsx|pdf|ics|geojson|json|txt|png|svg)$|format=|/api/|/admin/|/static/|/i18n/|/logout/")
COUNTRY_CODES = {c.alpha_2 for c in pycountry.countries} - {"TR"}  # TR/EN: the language switch
ROLES = ("anonymous", "viewer", "officer", "approver", "admin", "oversight", "other_officer", "authority")


def english_labels() -> set[str]:
    """English country and world-region names that differ from their Turkish names."""
    names = set()
    for c in pycountry.countries:
        if country_name(c.alpha_2, "tr") != country_name(c.alpha_2, "en"):
            names.add(country_name(c.alpha_2, "en"))
            names.add(c.name)
    with open(settings.DATA_DIR / "recommend" / "un_subregions.csv", encoding="utf-8") as f:
        names |= {row["subregion"] for row in csv.DictReader(f) if row["subregion"]}
    return names | {"Africa", "Americas", "Asia", "Europe", "Oceania", "Antarctica"}


class VisibleText(HTMLParser):
    """Text nodes a reader sees, each with the nearest element that encloses it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []  # (tag, hidden or quoted in another language)
        self.texts: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag in VOID:
            return
        lang = (attrs.get("lang") or "").lower()
        skipped = bool(tag in SKIP_TAGS or "hidden" in attrs or (lang and not lang.startswith("tr") and tag != "html")
                       or (self.stack and self.stack[-1][1]))
        self.stack.append((tag, skipped))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data):
        if data.strip() and not (self.stack and self.stack[-1][1]):
            self.texts.append(" ".join(data.split()))


@pytest.fixture
def registry(ibb_relations, users, istanbul):  # noqa: F811
    """İBB's imported relations plus a tie walked through some steps, a reminder-worthy
    planned activity and a partner in a country whose Turkish name differs (Hollanda)."""
    officer, approver = users["officer"], users["approver"]
    sarajevo = LocalGovernment.objects.create(name="Sarajevo", country_code="BA", latitude=43.85,
                                              longitude=18.36)
    tie = create_agreement(actor=officer, instrument="cooperation_protocol", partner=sarajevo,
                           title="İBB–Saraybosna afet yönetimi işbirliği protokolü")
    tie = transition(tie, actor=officer, to="in_committee", on=dt.date(2026, 1, 5), version=tie.version)
    tie = transition(tie, actor=approver, to="council_approved", on=dt.date(2026, 2, 5), version=tie.version,
                     reference="İBB Meclisi 2026/1234", final_on=dt.date(2026, 2, 20))
    active = ibb_relations.filter(state="active", partner__isnull=False).first()
    create_activity(actor=officer, agreement=active, partner=active.partner, title="Heyet ziyareti",
                    kind="outgoing_delegation", starts_on=dt.date.today() + dt.timedelta(days=20), status="planned")
    return tie


def _crawl(client, start="/", depth=2, per_route=2):
    seen_routes: dict[str, int] = {}
    seen: set[str] = set()
    frontier = [start]
    pages = {}
    for _level in range(depth + 1):
        following = []
        for url in frontier:
            if url in seen:
                continue
            seen.add(url)
            response = client.get(url, HTTP_ACCEPT_LANGUAGE="tr")
            if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
                continue
            parser = VisibleText()
            parser.feed(response.content.decode())
            pages[url] = parser.texts
            for href in parser.links:
                target = urljoin(url, href)
                parts = urlsplit(target)
                if parts.netloc or not parts.path.startswith("/") or DOWNLOADS.search(target):
                    continue
                path = parts.path + (f"?{parts.query}" if parts.query else "")
                try:
                    route = resolve(parts.path).route
                except Resolver404:
                    continue
                if seen_routes.get(route, 0) >= per_route or path in seen:
                    continue
                seen_routes[route] = seen_routes.get(route, 0) + 1
                following.append(path)
        frontier = following
    return pages


@pytest.mark.parametrize("role", ROLES)
def test_every_page_speaks_turkish_words_not_codes(registry, client_for, role, settings):
    settings.LANGUAGE_CODE = "tr"
    english = english_labels()
    pages = _crawl(client_for(role))
    assert len(pages) >= (3 if role == "anonymous" else 12), sorted(pages)
    problems = []
    for url, texts in pages.items():
        for text in texts:
            code = CODE_RE.search(text)
            if code:
                problems.append(f"{url}: raw code {code.group(1)!r} in {text[:120]!r}")
            label = text.strip(" :·()")
            if re.fullmatch(r"[A-Z]{2}", label) and label in COUNTRY_CODES:
                problems.append(f"{url}: bare country code {label!r} where a name belongs")
            if label in english:
                problems.append(f"{url}: English name {label!r} used as a label")
            for inner in re.findall(r"\(([^()]+)\)", text):
                if inner in english:
                    problems.append(f"{url}: English name {inner!r} in {text[:120]!r}")
    assert not problems, "\n".join(sorted(set(problems))[:80])
