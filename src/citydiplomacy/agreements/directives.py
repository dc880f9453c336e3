"""Directives of the central government (issue, answer, read): a dated call about the ties
with a country or a region, a task for each affected agreement's municipality with a deadline,
and the compliance of every municipality with it.

A tie is affected when it is in force (signed, active, suspended) and its partner counts as
being in that country for national policy (agreements.partner_country.policy_country_of: Northern
Cyprus is never Cyprus) or lies in that region. The answer is a council decision recorded
through the lifecycle: a suspension or termination answers a call to review or suspend, a
termination answers a call to end. A review may also be answered by the council's decision to
keep the tie (`answer_review`). Who may issue and read: accounts.permissions.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

import pycountry
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from citydiplomacy.accounts import notifications, permissions
from citydiplomacy.accounts.models import NotificationKind
from citydiplomacy.agreements import directive_fanout
from citydiplomacy.agreements.lifecycle import IN_FORCE, State
from citydiplomacy.agreements.models import Agreement, Directive, DirectiveTask
from citydiplomacy.places.countries import country_code_from_text, country_name, region_name

DEFAULT_DAYS = 30
# Which lifecycle steps answer which call.
ANSWERING_STEPS = {
    Directive.Action.REVIEW: frozenset({State.SUSPENDED, State.TERMINATED}),
    Directive.Action.SUSPEND: frozenset({State.SUSPENDED, State.TERMINATED}),
    Directive.Action.END: frozenset({State.TERMINATED}),
}


def place_label(directive: Directive) -> str:
    return region_name(directive.region_code) if directive.region_code else country_name(directive.country_code)


def _clean_place(country: str, region: str) -> tuple[str, str]:
    country, region = (country or "").strip(), (region or "").strip().upper()
    if bool(country) == bool(region):
        raise ValidationError({"country": _("Name either a country or a region (ISO 3166-2), not both.")})
    if region:
        if pycountry.subdivisions.get(code=region) is None:
            raise ValidationError({"region": _("Unknown region code “%(code)s”: give an ISO 3166-2 code "
                                               "such as UA-43.") % {"code": region}})
        return "", region
    code = country_code_from_text(country)
    if code is None:
        raise ValidationError({"country": _("Unknown country “%(value)s”: type its name (for example "
                                            "Hollanda or Netherlands) or its two-letter code.") % {"value": country}})
    return code, ""


def affected_agreements(country_code: str, region_code: str) -> list[Agreement]:
    """Ties in force, of every municipality, with a partner in that country or region."""
    from citydiplomacy.agreements.partner_country import policy_country_of

    queryset = (Agreement.objects.filter(state__in=IN_FORCE, archived_at__isnull=True)
                .select_related("organisation", "partner", "partner_organisation").order_by("id"))
    if region_code:
        from citydiplomacy.policy.selectors import in_region_q

        return list(queryset.filter(in_region_q(region_code)))
    near = Q(partner__country_code__iexact=country_code) | Q(partner_organisation__country_code__iexact=country_code)
    if country_code in ("XC", "CY"):
        near |= Q(partner__country_code__in=["CY", "XC"])
    return [a for a in queryset.filter(near) if policy_country_of(a) == country_code]


@transaction.atomic
def issue_directive(*, actor, country: str = "", region: str = "", issued_on, action: str, reason: str,
                    source: str, deadline=None) -> Directive:
    """Record the directive and queue its fan-out (agreements.directive_fanout: a task for each
    affected agreement's municipality, its staff told), which runs in the background."""
    if actor is not None and not permissions.can_issue_directives(actor):
        raise PermissionDenied(_("Only national oversight and the permitting authority issue directives."))
    country_code, region_code = _clean_place(country, region)
    if action not in Directive.Action.values:
        raise ValidationError({"action": _("Choose review, suspend or end.")})
    if not (reason or "").strip() or not (source or "").strip():
        raise ValidationError({"reason": _("A directive states its reason and its source.")})
    if isinstance(issued_on, str):
        try:
            issued_on = dt.date.fromisoformat(issued_on)
        except ValueError as exc:
            raise ValidationError({"issued_on": _("Give a date as YYYY-MM-DD.")}) from exc
    deadline = deadline or issued_on + dt.timedelta(days=DEFAULT_DAYS)
    if deadline < issued_on:
        raise ValidationError({"deadline": _("The deadline cannot be before the directive is issued.")})
    directive = Directive.objects.create(
        country_code=country_code, region_code=region_code, issued_on=issued_on, action=action,
        reason=reason.strip(), source=source.strip(), deadline=deadline, issued_by=actor,
        fanout=Directive.Fanout.QUEUED)
    directive_fanout.enqueue(directive)
    return directive


def tell_municipalities(directive: Directive, organisation_ids: set[int]) -> None:
    """Tell the staff of these municipalities about the directive (once each, however often asked)."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("Directive about %(place)s: %(action)s by %(deadline)s") % {
            "place": place_label(directive), "action": directive.get_action_display().lower(),
            "deadline": directive.deadline.strftime("%d.%m.%Y")}
        staff = notifications.staff_of_organisations(organisation_ids)
        notifications.notify_groups([staff[pk] for pk in sorted(staff)], NotificationKind.DIRECTIVE,
                                    subject=subject, body=directive.reason,
                                    link=reverse("agreements:directive-tasks"), key=f"directive:{directive.pk}")


def after_step(agreement: Agreement, to: str, on: dt.date, reference: str) -> int:
    """A lifecycle step that answers open tasks closes them; returns how many."""
    open_tasks = DirectiveTask.objects.filter(agreement=agreement, state=DirectiveTask.State.OPEN).select_related("directive")
    closed = [t.pk for t in open_tasks if to in ANSWERING_STEPS[t.directive.action]]
    if closed:
        DirectiveTask.objects.filter(pk__in=closed).update(
            state=DirectiveTask.State.DONE, answered_on=on, council_reference=reference,
            answer=str(State(to).label))
    return len(closed)


@transaction.atomic
def answer_review(task: DirectiveTask, *, actor, on, reference: str) -> DirectiveTask:
    """The council decided to keep the tie after a call to review it."""
    if not permissions.can_decide_for_organisation(actor, task.organisation_id):
        raise PermissionDenied(_("Only approvers and administrators record council decisions."))
    if task.directive.action != Directive.Action.REVIEW:
        raise ValidationError(_("This directive asks for a suspension or an end: record it as a step of the agreement."))
    if task.state != DirectiveTask.State.OPEN:
        raise ValidationError(_("This task is already answered."))
    if not (reference or "").strip():
        raise ValidationError({"reference": _("Give the council decision's reference.")})
    task.state, task.answered_on = DirectiveTask.State.DONE, on
    task.council_reference, task.answer = reference.strip(), _("kept after review")
    task.save()
    return task


# --- reads ------------------------------------------------------------------------------
def directives() -> QuerySet[Directive]:
    return Directive.objects.order_by("-issued_on", "-id")


@dataclass
class Compliance:
    directive: Directive
    counts: Counter
    overdue: int

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def compliance(directive: Directive, *, today: dt.date | None = None) -> Compliance:
    today = today or timezone.localdate()
    counts = Counter(dict(directive.tasks.order_by().values_list("state").annotate(n=Count("id"))))
    overdue = directive.tasks.filter(state=DirectiveTask.State.OPEN).count() if directive.deadline < today else 0
    return Compliance(directive, counts, overdue)


def tasks_of_directive(directive: Directive) -> QuerySet[DirectiveTask]:
    return directive.tasks.select_related("agreement", "organisation", "agreement__partner",
                                          "agreement__partner_organisation").order_by("organisation__name", "id")


def tasks_for(user) -> QuerySet[DirectiveTask]:
    """The tasks of the user's own organisation (oversight: every task)."""
    queryset = DirectiveTask.objects.select_related("directive", "agreement", "agreement__partner",
                                                    "agreement__partner_organisation")
    return permissions.scope_to_readable(queryset, user).order_by("state", "directive__deadline", "id")
