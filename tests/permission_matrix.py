"""The permission matrix: every URL pattern × every role, with the expected HTTP status.

`all_routes()` enumerates the URL configuration automatically, so a new endpoint without
cases here makes tests/test_permission_matrix.py fail. Each app adds its cases to CASES
and, if its URLs need objects, creates them in `build_objects`.

Roles: anonymous, viewer, officer (own organisation), other_officer (another organisation),
approver, admin, oversight, authority (the permitting authority's staff).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

from tests.sample_files import MINIMAL_PDF

ROLES = ("anonymous", "viewer", "officer", "other_officer", "approver", "admin", "oversight", "authority")
# Namespaces and names covered by their own tests or not ours to police.
EXCLUDED_PREFIXES = ("admin:", "set_language")


def expect(default: int, **overrides: int) -> dict[str, int]:
    """The expected status per role. Unless given, the permitting authority (a national role
    outside every organisation, reading only agreements with a permission request) answers
    like oversight where oversight is singled out, else like another organisation's user
    where an organisation's records are private (404), else as the default."""
    table = {role: default for role in ROLES}
    table.update(overrides)
    if "authority" not in overrides:
        if "oversight" in overrides:
            table["authority"] = overrides["oversight"]
        elif overrides.get("other_officer") == 404:
            table["authority"] = 404
    return table


# Common answer patterns -----------------------------------------------------------------
WEB_READ_ALL = expect(200, anonymous=302)
API_READ_ALL = expect(200, anonymous=401)
PUBLIC = expect(200)
# Web pages of one organisation's records: the owner's members read, other organisations 404.
WEB_OWN_ORG_READ = expect(200, anonymous=302, other_officer=404)
WEB_OWN_ORG_EDIT = expect(403, anonymous=302, other_officer=404, officer=200, admin=200)
WEB_OWN_ORG_EDIT_POST = expect(403, anonymous=302, other_officer=404, officer=302, admin=302)
# Forms that create a record for the user's own organisation: any officer or admin.
WEB_OWN_EDIT_ANY_ORG = expect(403, anonymous=302, officer=200, other_officer=200, admin=200)


def _today() -> str:
    from django.utils import timezone

    return timezone.localdate().isoformat()


def _pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("decision.pdf", MINIMAL_PDF, content_type="application/pdf")


@dataclass
class Case:
    name: str
    method: str
    expected: dict[str, int]
    kwargs: Callable[[dict], dict] = field(default=lambda objects: {})
    data: Callable[[dict], Any] | None = None
    query: str | Callable[[dict], str] = ""  # a callable is given the objects
    api: bool = True  # JSON body for API calls; form-encoded for web
    query_label: str = ""  # the label's query when `query` is a callable

    @property
    def label(self) -> str:
        query = self.query if isinstance(self.query, str) else self.query_label
        return f"{self.method} {self.name}{('?' + query) if query else ''}"

    def query_of(self, objects: dict) -> str:
        return self.query if isinstance(self.query, str) else self.query(objects)


def _lg_payload(objects: dict) -> dict:
    return {"name": "Matrixville", "kind": "municipality", "country_code": "NL"}


CASES: list[Case] = [
    # --- web shell -------------------------------------------------------------------
    Case("web:dashboard", "GET", PUBLIC, api=False),  # anonymous: the public start page
    Case("web:login", "GET", expect(302, anonymous=200), api=False),
    Case("web:logout", "POST", expect(302), api=False),
    Case("web:health", "GET", PUBLIC, api=False),
    Case("web:local-governments", "GET", WEB_READ_ALL, api=False),
    Case("web:local-government", "GET", WEB_READ_ALL, api=False,
         kwargs=lambda o: {"pk": o["partner"].pk}),
    Case("web:local-government-create", "GET", WEB_OWN_EDIT_ANY_ORG, api=False),
    Case("web:local-government-create", "POST",
         expect(403, anonymous=302, officer=302, other_officer=302, admin=302), api=False,
         data=lambda o: {"name": "Formville", "kind": "municipality", "country_code": "NL"}),
    # --- agreements web UI (İstanbul's draft; other organisations get 404) -------------------
    Case("agreements:list", "GET", WEB_READ_ALL, api=False),
    Case("agreements:dormant", "GET", WEB_READ_ALL, api=False),
    Case("agreements:reminders", "GET", WEB_READ_ALL, api=False),
    Case("agreements:partner-options", "GET", WEB_READ_ALL, api=False, query="partner_query=rot"),
    Case("agreements:create", "GET", WEB_OWN_EDIT_ANY_ORG, api=False),
    Case("agreements:create", "POST", expect(403, anonymous=302, officer=302, other_officer=302, admin=302),
         api=False, data=lambda o: {"instrument": "cooperation_protocol", "title": "Web protocol",
                                    "partner": o["partner"].pk,
                                    # İstanbul has a tie with Rotterdam already: confirmed
                                    "confirm_existing_tie": "on"}),
    Case("agreements:detail", "GET", WEB_OWN_ORG_READ, api=False, kwargs=lambda o: {"pk": o["agreement"].pk}),
    Case("agreements:edit", "GET", WEB_OWN_ORG_EDIT, api=False, kwargs=lambda o: {"pk": o["agreement"].pk}),
    Case("agreements:edit", "POST", WEB_OWN_ORG_EDIT_POST, api=False,
         kwargs=lambda o: {"pk": o["agreement"].pk},
         data=lambda o: {"version": o["agreement"].version, "title": "Edited"}),
    Case("agreements:transition", "POST", WEB_OWN_ORG_EDIT_POST, api=False,
         kwargs=lambda o: {"pk": o["agreement"].pk},
         data=lambda o: {"to": "in_committee", "date": _today(), "version": o["agreement"].version}),
    Case("agreements:document-upload", "POST", WEB_OWN_ORG_EDIT_POST, api=False,
         kwargs=lambda o: {"pk": o["agreement"].pk},
         data=lambda o: {"kind": "other", "upload": _pdf()}),
    Case("agreements:activity-create", "POST", WEB_OWN_ORG_EDIT_POST, api=False,
         kwargs=lambda o: {"pk": o["agreement"].pk},
         data=lambda o: {"kind": "event", "title": "Forum", "starts_on": "2025-05-01", "status": "held"}),
    # reported ties of the world list offered to İstanbul to claim or dispute
    Case("agreements:permission-requests", "GET", expect(403, anonymous=302, oversight=200, authority=200),
         api=False),
    Case("agreements:permission-request", "GET", expect(403, anonymous=302, oversight=200, authority=200),
         api=False, kwargs=lambda o: {"pk": o["requested"].pk}),
    # By default the municipality records the authority's letter: nobody decides on this page.
    Case("agreements:permission-request", "POST", expect(403, anonymous=302), api=False,
         kwargs=lambda o: {"pk": o["requested"].pk},
         data=lambda o: {"decision": "permission_granted", "date": _today(), "reference": "M-1"}),
    Case("agreements:directives", "GET", expect(403, anonymous=302, oversight=200, authority=200), api=False),
    Case("agreements:directives", "POST", expect(403, anonymous=302, oversight=302, authority=302), api=False,
         data=lambda o: _DIRECTIVE_POST),
    Case("agreements:directive", "GET", expect(403, anonymous=302, oversight=200, authority=200), api=False,
         kwargs=lambda o: {"pk": o["directive"].pk}),
    Case("agreements:directive-tasks", "GET", expect(200, anonymous=302, authority=403), api=False),
    Case("agreements:directive-task-keep", "POST",
         expect(403, anonymous=302, other_officer=404, approver=302, admin=302, authority=404), api=False,
         kwargs=lambda o: {"pk": o["directive_task"].pk},
         data=lambda o: {"date": "2017-04-01", "reference": "Meclis 2017/1"}),
    Case("notifications:list", "GET", expect(200, anonymous=302), api=False),
    Case("notifications:list", "POST", expect(302, anonymous=302), api=False),
    Case("notifications:settings", "GET", expect(200, anonymous=302), api=False),
    Case("notifications:settings", "POST", expect(302, anonymous=302), api=False),
    Case("agreements:reported-ties", "GET", expect(200, anonymous=302, oversight=404), api=False),
    Case("agreements:reported-tie-answer", "POST",
         expect(403, anonymous=302, officer=302, other_officer=302, admin=302, oversight=404),
         api=False, kwargs=lambda o: {"tie_id": o["reported_tie"].pk},
         data=lambda o: {"decision": "dispute", "reason": "no such tie in our files"}),
    Case("policy:board", "GET", WEB_READ_ALL, api=False),
    # --- API base --------------------------------------------------------------------
    Case("api-token", "POST", expect(400), data=lambda o: {"username": "nobody", "password": "x"}),
    Case("api-me", "GET", API_READ_ALL),
    Case("api-schema", "GET", PUBLIC),  # the API description is public; data is not
    Case("api-docs", "GET", PUBLIC),
    # --- members of an organisation (admins manage them) -------------------------------
    Case("member-list", "GET", API_READ_ALL),
    Case("member-list", "POST", expect(403, anonymous=401, admin=201),
         data=lambda o: {"username": "new-member", "role": "viewer"}),
    Case("member-detail", "GET", expect(200, anonymous=401, other_officer=404),
         kwargs=lambda o: {"pk": o["users"]["viewer"].pk}),
    Case("member-detail", "PATCH", expect(403, anonymous=401, admin=200),
         kwargs=lambda o: {"pk": o["users"]["viewer"].pk}, data=lambda o: {"role": "officer"}),
    Case("member-detail", "PUT", expect(403, anonymous=401, admin=200),
         kwargs=lambda o: {"pk": o["users"]["viewer"].pk},
         data=lambda o: {"username": "ibb-viewer", "role": "approver"}),
    # --- local governments (shared registry) -----------------------------------------
    Case("local-government-list", "GET", API_READ_ALL, query="country=NL&search=rotter"),
    Case("local-government-list", "POST",
         expect(403, anonymous=401, officer=201, other_officer=201, admin=201), data=_lg_payload),
    Case("local-government-detail", "GET", API_READ_ALL, kwargs=lambda o: {"pk": o["partner"].pk}),
    Case("local-government-detail", "PATCH",
         expect(403, anonymous=401, officer=200, other_officer=200, admin=200),
         kwargs=lambda o: {"pk": o["partner"].pk}, data=lambda o: {"official_name": "Gemeente Rotterdam"}),
    Case("local-government-detail", "PUT",
         expect(403, anonymous=401, officer=200, other_officer=200, admin=200),
         kwargs=lambda o: {"pk": o["partner"].pk},
         data=lambda o: {"name": "Rotterdam", "kind": "municipality", "country_code": "NL"}),
    # --- places: gazetteer search, review of unresolved names, merging -----------------
    Case("place-search-list", "GET", API_READ_ALL, query="q=rot"),
    Case("places:review", "GET", WEB_READ_ALL, api=False),
    Case("places:review-detail", "GET", WEB_READ_ALL, api=False,
         kwargs=lambda o: {"pk": o["unresolved"].pk}),
    Case("places:review-choose", "POST",
         expect(403, anonymous=302, officer=302, other_officer=302, admin=302), api=False,
         kwargs=lambda o: {"pk": o["unresolved"].pk}, data=lambda o: {"kind": "unresolved"}),
    Case("places:merge", "POST",
         expect(403, anonymous=302, officer=302, other_officer=302, admin=302), api=False,
         data=lambda o: {"keep": o["partner"].pk, "drop": o["unresolved"].pk}),
]


def build_objects(istanbul, ankara, users) -> dict[str, Any]:
    """Objects the URL kwargs refer to. Apps append what their routes need."""
    from citydiplomacy.governments.models import LocalGovernment

    partner = LocalGovernment.objects.create(
        name="Rotterdam", kind="municipality", country_code="NL", geonameid=2747891,
        latitude=51.9225, longitude=4.47917,
    )
    from citydiplomacy.agreements import services as agreement_services

    agreement = agreement_services.create_agreement(
        actor=users["officer"], instrument="cooperation_protocol", title="Matrix protocol",
        partner=partner)
    unresolved = LocalGovernment.objects.create(
        name="Roterdamm", kind="other", is_unresolved=True, raw_name="Roterdamm",
        raw_country="Netherlands")
    from citydiplomacy.places.models import ReportedTie

    reported_partner = LocalGovernment.objects.create(
        name="Bordeaux", kind="municipality", country_code="FR", latitude=44.84, longitude=-0.58)
    reported_tie = ReportedTie.objects.create(low=istanbul, high=reported_partner, source="matrix.csv")
    requested = _requested_agreement(istanbul, partner)
    directive, directive_task = _directive(istanbul, agreement)
    kadikoy = LocalGovernment.objects.create(name="Kadıköy Belediyesi", kind="district_municipality",
                                             country_code="TR", official_code="TR-34-D1421")
    return {"kadikoy": kadikoy, "directive": directive, "directive_task": directive_task,"istanbul": istanbul, "ankara": ankara, "users": users, "partner": partner,
            "agreement": agreement, "unresolved": unresolved, "reported_tie": reported_tie,
            "requested": requested}


def _wdqs_export():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("query.csv", b"item,geonames,itemLabel\nhttp://www.wikidata.org/entity/Q34370,2747891,Rotterdam\n")


def _pending_wikidata_match(objects):
    """Rotterdam = Q34370 waiting for İstanbul's confirmation (created inside each role's savepoint)."""
    from citydiplomacy.governments.models import WikidataMatch

    return WikidataMatch.objects.create(organisation=objects["istanbul"], government=objects["partner"],
                                        wikidata_id="Q34370", method="label", state="pending",
                                        proposed_by=objects["users"]["officer"])


def _directive(istanbul, agreement):
    """A call to review ties with the Netherlands, with a task for İstanbul."""
    import datetime as dt

    from citydiplomacy.agreements.models import Directive, DirectiveTask

    directive = Directive.objects.create(country_code="NL", issued_on=dt.date(2017, 3, 15), action="review",
                                         reason="matrix", source="matrix", deadline=dt.date(2017, 4, 15))
    return directive, DirectiveTask.objects.create(directive=directive, agreement=agreement, organisation=istanbul)


_NATIONAL_ACTIVATION_WEB_GET = expect(403, anonymous=302, oversight=200, authority=403)
_NATIONAL_ACTIVATION_API_GET = expect(403, anonymous=401, oversight=200, authority=403)


def _set_password_of_new_admin(objects: dict) -> dict:
    """A valid link of a new administrator (created inside the role's rolled-back savepoint)."""
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from citydiplomacy.accounts.models import User

    new = User(username="kadikoy-admin", role="admin", organisation=objects["kadikoy"])
    new.set_unusable_password()
    new.save()
    return {"uidb64": urlsafe_base64_encode(force_bytes(new.pk)), "token": default_token_generator.make_token(new)}


_DIRECTIVE_POST = {"country": "NL", "issued_on": "2017-03-15", "action": "review", "reason": "matrix",
                   "source": "https://example.org/matrix"}


def _requested_agreement(istanbul, partner):
    """An İstanbul agreement waiting for the permitting authority (state written directly)."""
    import datetime as dt

    from citydiplomacy.agreements.models import Agreement, AgreementEvent

    agreement = Agreement.objects.create(
        organisation=istanbul, partner=partner, instrument="twinning", title="Matrix request",
        state="permission_requested", council_decision_on=dt.date(2024, 1, 10),
        council_decision_number="2024/1", council_decision_final_on=dt.date(2024, 1, 17),
        permission_requested_on=dt.date(2024, 2, 1))
    AgreementEvent.objects.create(agreement=agreement, from_state="council_approved",
                                  to_state="permission_requested", occurred_on=dt.date(2024, 2, 1))
    return agreement


# --- enumeration ---------------------------------------------------------------------
def _walk(patterns, namespace: str = "") -> list[tuple[str, Any]]:
    found = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found.extend(_walk(entry.url_patterns, ns))
        elif isinstance(entry, URLPattern) and entry.name:
            found.append((f"{namespace}{entry.name}", entry.callback))
    return found


def all_routes() -> dict[str, set[str]]:
    """Every named route with the HTTP methods it accepts (DRF actions when known)."""
    routes: dict[str, set[str]] = {}
    for name, callback in _walk(get_resolver().url_patterns):
        if name.startswith(EXCLUDED_PREFIXES) or name.endswith("-root"):
            continue
        methods: set[str] = set()
        actions = getattr(callback, "actions", None)
        if actions:
            methods = {m.upper() for m in actions}
        routes.setdefault(name, set()).update(methods)
    return routes


# --- analytics (maps, network, timelines, reports, exports, public page) ------------------------
def _published_organisation(objects: dict):
    """İstanbul with one active (public) tie, so the public pages answer 200."""
    from citydiplomacy.agreements.models import Agreement

    if not Agreement.objects.filter(organisation=objects["istanbul"], state="active").exists():
        Agreement.objects.create(organisation=objects["istanbul"], partner=objects["partner"],
                                 instrument="twinning", title="Published tie", state="active")
    return objects["istanbul"]


_ASSESSMENT = {"form": "assessment", "score_strategy": "3"}
_MEMBER_EDIT = expect(403, anonymous=302, other_officer=404, officer=302, admin=302)
_PDF_FIRST = expect(202, anonymous=302, authority=404)


def _ankara_query(objects: dict) -> str:
    return f"organisation={objects['ankara'].pk}"


CASES += [
    Case("analytics:map", "GET", WEB_READ_ALL, api=False),
    Case("analytics:map", "GET", expect(404, anonymous=302), api=False, query="organisation=0"),
    Case("analytics:world", "GET", WEB_READ_ALL, api=False),
    # before the background task's first computation the network answers 202 ("being computed")
    Case("analytics:world-data", "GET", expect(202, anonymous=302), api=False),
    Case("analytics:network", "GET", WEB_READ_ALL, api=False),
    Case("analytics:timelines", "GET", WEB_READ_ALL, api=False),
    Case("analytics:timelines", "GET", WEB_READ_ALL, api=False, query="scope=country&country=TR"),
    Case("analytics:proximity", "GET", WEB_READ_ALL, api=False),
    Case("analytics:compare", "GET", WEB_READ_ALL, api=False),
    Case("analytics:compliance", "GET", WEB_READ_ALL, api=False),
    Case("analytics:agreement-health", "GET", expect(200, anonymous=302, other_officer=404),
         api=False, kwargs=lambda o: {"pk": o["agreement"].pk}),
    Case("analytics:agreement-health", "POST", _MEMBER_EDIT, api=False,
         kwargs=lambda o: {"pk": o["agreement"].pk}, data=lambda o: _ASSESSMENT),
    # a report (page, PDF, API) is its organisation's members' and oversight's, never the
    # permitting authority's (permissions.can_read_annual_report); other_officer is Ankara's
    Case("analytics:report", "GET", expect(200, anonymous=302, authority=404), api=False,
         kwargs=lambda o: {"year": 2017}),
    Case("analytics:report", "GET", expect(404, anonymous=302, other_officer=200, oversight=200, authority=404), api=False,
         kwargs=lambda o: {"year": 2017}, query=_ankara_query, query_label="organisation=ankara"),
    Case("analytics:report-pdf", "GET", expect(404, anonymous=302, other_officer=202, oversight=202, authority=404), api=False,
         kwargs=lambda o: {"year": 2017}, query=_ankara_query, query_label="organisation=ankara"),
    # the PDF is made by the task runner: the first download answers 202 ("being prepared")
    Case("analytics:report-pdf", "GET", _PDF_FIRST, api=False, kwargs=lambda o: {"year": 2017}),
    Case("analytics:report-pdf-status", "GET", expect(200, anonymous=302, authority=404), api=False,
         kwargs=lambda o: {"year": 2017}),
    Case("analytics:export-table", "GET", WEB_READ_ALL, api=False,
         kwargs=lambda o: {"dataset": "agreements", "fmt": "xlsx"}),
    Case("analytics:export-geojson", "GET", WEB_READ_ALL, api=False),
    Case("analytics:export-ics", "GET", WEB_READ_ALL, api=False),
    # the matrix's ties have no Wikidata ids: every reader is sent to the page listing why
    Case("analytics:export-quickstatements", "GET", expect(302), api=False),
    Case("analytics:reconcile", "GET", WEB_READ_ALL, api=False),
    Case("analytics:reconcile", "POST", WEB_READ_ALL, api=False),
    # attaching Wikidata ids: the organisation's officers and admins (the page answers with the result)
    Case("analytics:reconcile-import", "POST", expect(403, anonymous=302, officer=200, other_officer=200, admin=200),
         api=False, data=lambda o: {"wdqs": _wdqs_export()}),
    Case("analytics:reconcile-decide", "POST",
         expect(403, anonymous=302, other_officer=404, officer=302, admin=302), api=False,
         kwargs=lambda o: {"pk": _pending_wikidata_match(o).pk}, data=lambda o: {"decision": "confirm"}),
    Case("analytics:public", "GET", PUBLIC, api=False),
    Case("analytics:public-catalogue", "GET", PUBLIC, api=False),
    Case("analytics:public-register", "GET", PUBLIC, api=False),
    Case("analytics:public-register-csv", "GET", PUBLIC, api=False),
    Case("analytics:public-register-geojson", "GET", PUBLIC, api=False),
    Case("analytics:public-register-map", "GET", PUBLIC, api=False),
    Case("analytics:public-organisation", "GET", PUBLIC, api=False,
         kwargs=lambda o: {"pk": _published_organisation(o).pk}),
    Case("analytics:public-organisation", "GET", expect(404), api=False,
         kwargs=lambda o: {"pk": o["ankara"].pk}),
    Case("analytics:public-geojson", "GET", PUBLIC, api=False,
         kwargs=lambda o: {"pk": _published_organisation(o).pk}),
    Case("analytics:public-csv", "GET", PUBLIC, api=False,
         kwargs=lambda o: {"pk": _published_organisation(o).pk}),
    Case("analytics-network-list", "GET", expect(202, anonymous=401)),
    Case("analytics-report-pdf-detail", "GET", expect(202, anonymous=401, authority=404),
         kwargs=lambda o: {"year": 2017}),
    Case("analytics-report-pdf-detail", "GET", expect(404, anonymous=401, other_officer=202, oversight=202, authority=404),
         kwargs=lambda o: {"year": 2017}, query=_ankara_query, query_label="organisation=ankara"),
]


# --- agreements and policy API ---------------------------------------------------------------
def _activity(objects: dict):
    """A fresh activity of İstanbul (each role's request runs in a rolled-back savepoint)."""
    from citydiplomacy.agreements.services import create_activity

    return create_activity(actor=objects["users"]["officer"], agreement=objects["agreement"],
                           kind="event", title="Matrix forum", starts_on="2020-01-01", status="held")


def _feed_token(objects: dict) -> str:
    from citydiplomacy.agreements.services import calendar_feed

    return calendar_feed(actor=objects["users"]["viewer"], organisation=objects["istanbul"]).token


def _country_relation(objects: dict):
    from citydiplomacy.policy.models import CountryRelation

    return CountryRelation.objects.create(country_code="AM", status="no_relations")


_AGREEMENT = lambda o: {"pk": o["agreement"].pk}
API_OWN_READ = expect(200, anonymous=401, other_officer=404)
API_OWN_EDIT = expect(403, anonymous=401, other_officer=404, officer=200, admin=200)
# the same write by a role that may not write such records at all: refused before the body or
# the object is looked at (F18), so the answer says nothing about the record
API_OWN_WRITE = expect(403, anonymous=401, other_officer=404, officer=200, admin=200, authority=403)
API_MEMBER_CREATE = expect(403, anonymous=401, officer=201, other_officer=201, admin=201)

CASES += [
    Case("agreement-list", "GET", API_READ_ALL, query="partner_country=NL&as_of=2017-03-14"),
    Case("agreement-list", "POST", API_MEMBER_CREATE,
         data=lambda o: {"instrument": "twinning", "partner": o["partner"].pk, "title": "Matrix twin"}),
    Case("agreement-detail", "GET", API_OWN_READ, kwargs=_AGREEMENT),
    Case("directive-list", "GET", expect(403, anonymous=401, oversight=200, authority=200)),
    Case("directive-list", "POST", expect(403, anonymous=401, oversight=201, authority=201),
         data=lambda o: _DIRECTIVE_POST),
    Case("directive-detail", "GET", expect(403, anonymous=401, oversight=200, authority=200),
         kwargs=lambda o: {"pk": o["directive"].pk}),
    Case("permission-request-list", "GET", expect(403, anonymous=401, oversight=200, authority=200)),
    Case("agreement-detail", "PATCH", API_OWN_WRITE, kwargs=_AGREEMENT,
         data=lambda o: {"title": "Edited", "version": o["agreement"].version}),
    Case("agreement-transition", "POST", API_OWN_EDIT, kwargs=_AGREEMENT,
         data=lambda o: {"to": "in_committee", "date": _today()}),
    Case("agreement-events", "GET", API_OWN_READ, kwargs=_AGREEMENT),
    Case("agreement-documents", "GET", API_OWN_READ, kwargs=_AGREEMENT),
    # JSON without a file: members who may upload get the validation error, the rest 403/404
    Case("agreement-documents", "POST", expect(403, anonymous=401, other_officer=404, officer=400,
                                               admin=400, authority=403), kwargs=_AGREEMENT,
         data=lambda o: {}),
    Case("agreement-archive", "POST", API_OWN_WRITE, kwargs=_AGREEMENT,
         data=lambda o: {"version": o["agreement"].version, "reason": "matrix"}),
    Case("activity-list", "GET", API_READ_ALL),
    Case("activity-list", "POST", API_MEMBER_CREATE,
         data=lambda o: {"partner": o["partner"].pk, "kind": "event", "title": "Forum",
                         "starts_on": "2020-01-01", "status": "held"}),
    Case("activity-detail", "GET", API_OWN_READ, kwargs=lambda o: {"pk": _activity(o).pk}),
    Case("activity-detail", "PATCH", API_OWN_WRITE, kwargs=lambda o: {"pk": _activity(o).pk},
         data=lambda o: {"outcome": "Agreed", "version": 1}),
    # edits are PATCH with a version; roles that may not write are refused first (F18)
    Case("activity-detail", "PUT", expect(405, anonymous=401, viewer=403, approver=403, oversight=403),
         kwargs=lambda o: {"pk": _activity(o).pk}, data=lambda o: {}),
    Case("activity-detail", "DELETE", expect(403, anonymous=401, other_officer=404, officer=204, admin=204,
                                             authority=403),
         kwargs=lambda o: {"pk": _activity(o).pk}),
    Case("international-organisation-list", "GET", API_READ_ALL),
    Case("international-organisation-list", "POST", API_MEMBER_CREATE,
         data=lambda o: {"name": "Matrix Cities Network", "acronym": "MCN"}),
    Case("international-organisation-detail", "GET", API_READ_ALL, kwargs=lambda o: {
        "pk": __import__("citydiplomacy.agreements.models", fromlist=["x"]).InternationalOrganisation
        .objects.create(name="UCLG Matrix").pk}),
    Case("reminder-list", "GET", API_READ_ALL, query="days=365"),
    Case("calendar-list", "GET", expect(200, anonymous=401, oversight=404)),
    Case("calendar-detail", "GET", PUBLIC, kwargs=lambda o: {"token": _feed_token(o)}),
    Case("calendar-feed", "GET", expect(200, anonymous=401, oversight=404)),
    Case("calendar-feed", "POST", expect(200, anonymous=401, viewer=403, approver=403, oversight=404)),
    # the national policy table: everyone reads, only oversight writes
    Case("country-relation-list", "GET", API_READ_ALL, query="as_of=2017-03-14"),
    Case("country-relation-list", "POST", expect(403, anonymous=401, oversight=201, authority=403),
         data=lambda o: {"country_code": "NL", "status": "restricted", "valid_from": "2030-01-01"}),
    Case("country-relation-detail", "GET", API_READ_ALL, kwargs=lambda o: {"pk": _country_relation(o).pk}),
    Case("permitting-authority-list", "GET", API_READ_ALL, query="on=2018-07-10"),
    Case("policy-impact-list", "GET", API_READ_ALL, query="country=NL&status=frozen&on=2017-03-11"),
]


# --- recommend (partner suggestions, draft from a suggestion, partner-seeking profiles) -------
_MEMBERS_ONLY = expect(200, anonymous=302, oversight=403)
CASES += [
    Case("recommend:recommendations", "GET", _MEMBERS_ONLY, api=False),
    Case("recommend:recommendations", "GET", _MEMBERS_ONLY, api=False,
         query="emphasis=history_culture&region=Western+Europe&as_of=2017-03-12"),
    Case("recommend:add-draft", "POST",
         expect(403, anonymous=302, officer=302, other_officer=302, admin=302), api=False,
         data=lambda o: {"geonameid": "2747891"}),
    Case("recommend:profile", "GET", _MEMBERS_ONLY, api=False),
    Case("recommend:profile", "POST",
         expect(403, anonymous=302, officer=302, other_officer=302, admin=302), api=False,
         data=lambda o: {"is_open": "on", "countries": "DE, NL", "text": "Matrix profile"}),
    Case("recommend:public-profiles", "GET", PUBLIC, api=False),
    Case("recommendation-list", "GET", expect(200, anonymous=401, oversight=403),
         query="emphasis=urban_services&top=5"),
    Case("partner-profile-list", "GET", API_READ_ALL),
]


# --- the registry's tenant boundary and identity corrections (issue 19: F1, F2, F18) ---------
def _correction(objects: dict, government_key: str = "partner", **changes):
    """An open proposal (made in the request's rolled-back savepoint)."""
    from citydiplomacy.governments.models import IdentityCorrection

    government = objects[government_key]
    return IdentityCorrection.objects.create(
        government=government, proposed=changes or {"country_code": "BE"},
        previous={field: getattr(government, field) for field in (changes or {"country_code": 0})},
        reason="matrix", proposed_by=objects["users"]["officer"])


_OWN_RECORD_CORRECTION = lambda o: {"pk": _correction(o, "istanbul", kind="municipality").pk}
_PARTNER_CORRECTION = lambda o: {"pk": _correction(o).pk}
# the permitting authority is no registry steward (it decides permissions, not identities)
_STEWARD_OF_PARTNER = expect(403, anonymous=401, oversight=200, authority=403)
_STEWARD_OF_OWN_RECORD = expect(403, anonymous=401, admin=200, oversight=200, authority=403)
_WEB_STEWARD_OF_PARTNER = expect(403, anonymous=302, oversight=302, authority=403)
_WEB_STEWARD_OF_OWN_RECORD = expect(403, anonymous=302, admin=302, oversight=302, authority=403)

CASES += [
    # an organisation's own record: only its admin edits it (F2)
    Case("local-government-detail", "PATCH", expect(403, anonymous=401, admin=200),
         kwargs=lambda o: {"pk": o["istanbul"].pk},
         data=lambda o: {"official_name": "İstanbul Büyükşehir Belediye Başkanlığı"}),
    Case("local-government-detail", "PUT", expect(403, anonymous=401, admin=200),
         kwargs=lambda o: {"pk": o["istanbul"].pk},
         data=lambda o: {"name": o["istanbul"].name, "kind": o["istanbul"].kind, "country_code": "TR"}),
    Case("local-government-detail", "PATCH", expect(403, anonymous=401),
         kwargs=lambda o: {"pk": o["ankara"].pk}, data=lambda o: {"name": "Edited by İstanbul"}),
    # a partner's identity is never edited directly (F1): refused whoever may edit the record
    Case("local-government-detail", "PATCH",
         expect(403, anonymous=401, officer=400, other_officer=400, admin=400),
         kwargs=lambda o: {"pk": o["partner"].pk}, data=lambda o: {"country_code": "TR"}),
    # corrections of identity: proposed by editors and stewards, decided by stewards
    Case("identity-correction-list", "GET", API_READ_ALL, query="state=open"),
    Case("identity-correction-list", "POST",
         expect(403, anonymous=401, officer=201, other_officer=201, admin=201, oversight=201,
                authority=403),
         data=lambda o: {"government": o["partner"].pk, "changes": {"country_code": "BE"},
                         "reason": "The gazetteer says Belgium"}),
    Case("identity-correction-list", "POST",
         expect(403, anonymous=401, admin=201, oversight=201, authority=403),
         data=lambda o: {"government": o["istanbul"].pk, "changes": {"kind": "municipality"},
                         "reason": "matrix"}),
    Case("identity-correction-detail", "GET", API_READ_ALL, kwargs=_PARTNER_CORRECTION),
    Case("identity-correction-accept", "POST", _STEWARD_OF_PARTNER, kwargs=_PARTNER_CORRECTION),
    Case("identity-correction-accept", "POST", _STEWARD_OF_OWN_RECORD, kwargs=_OWN_RECORD_CORRECTION),
    Case("identity-correction-reject", "POST", _STEWARD_OF_PARTNER, kwargs=_PARTNER_CORRECTION,
         data=lambda o: {"note": "not so"}),
    Case("identity-correction-reject", "POST", _STEWARD_OF_OWN_RECORD, kwargs=_OWN_RECORD_CORRECTION),
    Case("governments:corrections", "GET", WEB_READ_ALL, api=False),
    Case("governments:correction", "GET", WEB_READ_ALL, api=False, kwargs=_PARTNER_CORRECTION),
    Case("governments:correction-propose", "GET",
         expect(200, anonymous=302, viewer=403, approver=403, authority=403), api=False,
         kwargs=lambda o: {"pk": o["partner"].pk}),
    Case("governments:correction-propose", "GET",
         expect(403, anonymous=302, admin=200, oversight=200, authority=403),
         api=False, kwargs=lambda o: {"pk": o["istanbul"].pk}),
    Case("governments:correction-propose", "POST",
         expect(302, viewer=403, approver=403, authority=403), api=False,
         kwargs=lambda o: {"pk": o["partner"].pk},
         data=lambda o: {"country_code": "BE", "kind": "municipality", "reason": "matrix"}),
    Case("governments:correction-accept", "POST", _WEB_STEWARD_OF_PARTNER, api=False,
         kwargs=_PARTNER_CORRECTION),
    Case("governments:correction-accept", "POST", _WEB_STEWARD_OF_OWN_RECORD, api=False,
         kwargs=_OWN_RECORD_CORRECTION),
    Case("governments:correction-reject", "POST", _WEB_STEWARD_OF_PARTNER, api=False,
         kwargs=_PARTNER_CORRECTION),
    Case("governments:correction-reject", "POST", _WEB_STEWARD_OF_OWN_RECORD, api=False,
         kwargs=_OWN_RECORD_CORRECTION),
    # activating a Turkish municipality as an organisation: national oversight only
    Case("governments:municipality-activate", "GET", _NATIONAL_ACTIVATION_WEB_GET, api=False, query="q=Kadıköy"),
    Case("governments:municipality-activate", "POST", _NATIONAL_ACTIVATION_WEB_GET, api=False,
         data=lambda o: {"code": o["kadikoy"].official_code, "username": "kadikoy-admin"}),
    Case("municipality-activation-list", "GET", _NATIONAL_ACTIVATION_API_GET, query="q=TR-34-D1421"),
    Case("municipality-activation-list", "POST",
         expect(403, anonymous=401, oversight=201, authority=403),
         data=lambda o: {"code": o["kadikoy"].official_code, "username": "kadikoy-admin"}),
    # the one-time set-password link of a new account: public; a valid link moves its token
    # out of the address (302), a wrong one says so (200)
    Case("accounts:set-password", "GET", PUBLIC, api=False,
         kwargs=lambda o: {"uidb64": "MQ", "token": "wrong-token"}),
    Case("accounts:set-password", "POST", PUBLIC, api=False,
         kwargs=lambda o: {"uidb64": "MQ", "token": "wrong-token"},
         data=lambda o: {"new_password1": "a-Long-pass-1234", "new_password2": "a-Long-pass-1234"}),
    Case("accounts:set-password", "GET", expect(302), api=False, kwargs=_set_password_of_new_admin),
    # roles that may not write are refused before the body is read (F18)
    Case("activity-detail", "PATCH", expect(403, anonymous=401, other_officer=404, officer=400,
                                            admin=400, authority=403),
         kwargs=lambda o: {"pk": _activity(o).pk}, data=lambda o: {"outcome": "no version"}),
    Case("activity-list", "POST", expect(400, anonymous=401, viewer=403, approver=403, oversight=403),
         data=lambda o: {"agreement": o["agreement"].pk, "kind": "zzz-invalid"}),
]


# --- accounts: tokens, own password, an admin resetting a member's password (issue 19 F6/F11) ---
NEW_PASSWORD = "Matrix-New-Pass-9876"


def _own_password_change(objects: dict) -> dict:
    from tests.conftest import PASSWORD

    return {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}


CASES += [
    # the matrix signs in with a session: there is no token on the request to revoke (400)
    Case("api-token", "DELETE", expect(400, anonymous=401)),
    Case("api-tokens", "DELETE", expect(204, anonymous=401)),
    Case("api-me-password", "POST", expect(204, anonymous=401),
         data=lambda o: {"old_password": _own_password_change(o)["old_password"],
                         "new_password": NEW_PASSWORD}),
    Case("accounts:account", "GET", WEB_READ_ALL, api=False),
    Case("accounts:password-change", "GET", WEB_READ_ALL, api=False),
    Case("accounts:password-change", "POST", expect(302), api=False, data=_own_password_change),
    Case("accounts:member-password", "GET", expect(403, anonymous=302, other_officer=404, admin=200),
         api=False, kwargs=lambda o: {"pk": o["users"]["viewer"].pk}),
    Case("accounts:member-password", "POST", expect(403, anonymous=302, other_officer=404, admin=302),
         api=False, kwargs=lambda o: {"pk": o["users"]["viewer"].pk},
         data=lambda o: {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}),
]


# --- agreements: partner choice, workflow guidance, activities, stored documents (issue 13) ------
def _document(objects: dict):
    """A stored PDF of İstanbul's agreement (read by its members and oversight, 404 for others)."""
    from citydiplomacy.agreements.services import add_document

    return add_document(actor=objects["users"]["officer"], agreement=objects["agreement"],
                        upload=_pdf(), kind="council_decision", title="Matrix decision")


def _requested_document(objects: dict):
    from citydiplomacy.agreements.services import add_document

    agreement = _requested_agreement(objects["istanbul"], objects["partner"])
    return add_document(actor=objects["users"]["officer"], agreement=agreement, upload=_pdf(),
                        kind="council_decision", title="Matrix decision")


def _gazetteer_place(objects: dict):
    from citydiplomacy.places.models import Place

    return Place.objects.get_or_create(geonameid=3191281, defaults={
        "name": "Sarajevo", "ascii_name": "Sarajevo", "country_code": "BA",
        "latitude": 43.84864, "longitude": 18.35644, "population": 696731})[0]


_ACTIVITY_FORM = {"version": 1, "kind": "event", "title": "Matrix forum (moved)",
                  "starts_on": "2020-01-02", "status": "held"}
CASES += [
    Case("agreements:partner-ties", "GET", WEB_READ_ALL, api=False,
         query="partner=1"),
    Case("agreements:queue", "GET", WEB_READ_ALL, api=False),
    Case("agreements:activity-edit", "GET", WEB_OWN_ORG_EDIT, api=False,
         kwargs=lambda o: {"pk": _activity(o).pk}),
    Case("agreements:activity-edit", "POST", WEB_OWN_ORG_EDIT_POST, api=False,
         kwargs=lambda o: {"pk": _activity(o).pk}, data=lambda o: _ACTIVITY_FORM),
    Case("agreements:activity-cancel", "POST", WEB_OWN_ORG_EDIT_POST, api=False,
         kwargs=lambda o: {"pk": _activity(o).pk}, data=lambda o: {"version": 1}),
    Case("agreements:document", "GET", WEB_OWN_ORG_READ, api=False,
         kwargs=lambda o: {"pk": _document(o).pk}),
    Case("agreements:document-inline", "GET", WEB_OWN_ORG_READ, api=False,
         kwargs=lambda o: {"pk": _document(o).pk}),
    Case("agreements:document-download", "GET", WEB_OWN_ORG_READ, api=False,
         kwargs=lambda o: {"pk": _document(o).pk}),
    # a document of an agreement sent to the permitting authority: it reads that one too
    Case("agreements:document", "GET", expect(200, anonymous=302, other_officer=404, authority=200),
         api=False, kwargs=lambda o: {"pk": _requested_document(o).pk}),
    Case("web:local-government-add-from-gazetteer", "POST",
         expect(403, anonymous=302, officer=302, other_officer=302, admin=302), api=False,
         data=lambda o: {"geonameid": str(_gazetteer_place(o).geonameid)}),
]
