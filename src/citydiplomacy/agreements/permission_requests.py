"""Permission requests (Municipal Law 5393 art. 74): the permitting authority's queue with the
facts it decides on, and who is told when a request is made or decided.

The decision itself is the lifecycle's transition (agreements.transitions.transition, rule table
in agreements.lifecycle); who may record it is accounts.permissions.can_fire_transition.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from citydiplomacy.accounts import notifications, permissions
from citydiplomacy.accounts.models import NotificationKind
from citydiplomacy.agreements.lifecycle import IN_FORCE, State
from citydiplomacy.agreements.models import Agreement, Document
from citydiplomacy.places.countries import NORTHERN_CYPRUS_CODE
from citydiplomacy.policy import selectors as policy

OPEN = State.PERMISSION_REQUESTED


@dataclass
class RequestEntry:
    """One open request and what the authority needs to decide it."""

    agreement: Agreement
    country: str
    age_days: int
    status_on_request: str
    status_today: str
    other_ties: list[Agreement] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)

    @property
    def council_final(self) -> bool:
        return bool(self.agreement.council_decision_final_on)


def open_requests():
    """Every open permission request of every municipality, oldest first."""
    return (Agreement.objects.filter(state=OPEN, archived_at__isnull=True)
            .select_related("organisation", "partner", "partner_organisation", "permitting_authority")
            .order_by("permission_requested_on", "id"))


PAGE_SIZE = 50


def _other_ties_query(countries: dict[int, str], requests: list[Agreement]) -> Q:
    """The municipalities' ties that can be in the requests' countries: one (organisation,
    partner country) pair per request, so a page reads its own rows and not every tie of a
    municipality. Northern Cyprus is decided per partner (national_country_code), so for XC
    all of that municipality's ties are read and sorted out by policy_country_of."""
    query = Q()
    for a in requests:
        code = countries[a.pk]
        if code == NORTHERN_CYPRUS_CODE or not code:
            query |= Q(organisation_id=a.organisation_id)
        else:
            query |= Q(organisation_id=a.organisation_id) & (
                Q(partner__country_code__iexact=code) | Q(partner_organisation__country_code__iexact=code))
    return query


def queue(agreements=None, *, today: dt.date | None = None) -> list[RequestEntry]:
    """The queue entries for these requests (default: every open one; pages pass one page of
    `open_requests()`), with the facts: age, the partner country's policy status on the
    request date and today, the municipality's other ties in that country, and the
    documents. A fixed number of queries, reading only the rows of these requests."""
    from citydiplomacy.agreements.partner_country import policy_country_of

    today = today or timezone.localdate()
    requests = list(open_requests() if agreements is None else agreements)
    index = policy.PolicyIndex()
    countries = {a.pk: policy_country_of(a) for a in requests}
    others = defaultdict(list)
    if requests:
        candidates = (Agreement.objects.filter(_other_ties_query(countries, requests), archived_at__isnull=True)
                      .exclude(state__in=[State.DRAFT])
                      .select_related("partner", "partner_organisation").order_by("signed_on", "id"))
        for tie in candidates:
            others[(tie.organisation_id, policy_country_of(tie))].append(tie)
    documents = defaultdict(list)
    for document in Document.objects.filter(agreement__in=requests).order_by("uploaded_at", "id"):
        documents[document.agreement_id].append(document)
    entries = []
    for a in requests:
        country = countries[a.pk]
        asked = a.permission_requested_on or today
        partner = None if a.partner_organisation_id else a.partner  # its region's row, where one judges
        on_request, now = (index.relation_for(partner, day, country) for day in (asked, today))
        entries.append(RequestEntry(
            agreement=a, country=country, age_days=(today - asked).days,
            status_on_request=on_request.status if on_request else "normal",
            status_today=now.status if now else "normal",
            other_ties=[t for t in others[(a.organisation_id, country)] if t.pk != a.pk],
            documents=documents[a.pk]))
    return entries


def in_force_ties(entry: RequestEntry) -> list[Agreement]:
    return [t for t in entry.other_ties if t.state in IN_FORCE]


def after_step(agreement: Agreement, to: str) -> None:
    """Tell those who act next: the authority of a new request (when it decides in the
    system), the municipality of the authority's decision. Written in the installation's
    language, whoever made the step."""
    with translation.override(settings.LANGUAGE_CODE):
        _tell(agreement, to)


def _tell(agreement: Agreement, to: str) -> None:
    title = agreement.title
    if to == State.PERMISSION_REQUESTED and permissions.authority_decides_in_system():
        notifications.notify(
            notifications.authority_staff(), NotificationKind.PERMISSION_REQUESTED,
            subject=_("Permission requested: %(title)s") % {"title": title},
            body=_("%(organisation)s asks for permission for “%(title)s”.") % {
                "organisation": agreement.organisation.name, "title": title},
            link=reverse("agreements:permission-request", args=[agreement.pk]))
    elif to in (State.PERMISSION_GRANTED, State.PERMISSION_DENIED):
        facts = {"title": title, "reference": agreement.permission_reference or "—",
                 "date": agreement.permission_decided_on.strftime("%d.%m.%Y") if agreement.permission_decided_on else "—"}
        if to == State.PERMISSION_GRANTED:
            subject = _("Permission granted: %(title)s") % facts
            body = _("The permitting authority granted permission for “%(title)s” on %(date)s "
                     "(reference %(reference)s).") % facts
        else:
            subject = _("Permission refused: %(title)s") % facts
            body = _("The permitting authority refused permission for “%(title)s” on %(date)s "
                     "(reference %(reference)s).") % facts
        notifications.notify(
            notifications.organisation_staff(agreement.organisation_id), NotificationKind.PERMISSION_DECIDED,
            subject=subject, body=body, link=reverse("agreements:detail", args=[agreement.pk]))
