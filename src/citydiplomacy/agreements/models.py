"""The agreements registry: agreements (ties) with their legal lifecycle, the append-only
event log of every transition, documents (SHA-256, never overwritten), contacts,
international organisations (partners of memberships), and activities under agreements.

Writes go through agreements.services only. Every registry model keeps its history
(django-simple-history); editable records carry a `version` for compare-and-swap updates;
agreements and activities are archived, never hard-deleted.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from citydiplomacy.agreements import lifecycle
from citydiplomacy.agreements.lifecycle import Instrument, State
from citydiplomacy.core.fields import acting_user

__all__ = [
    "Activity",
    "Agreement",
    "AgreementEvent",
    "CalendarFeed",
    "Contact",
    "CooperationArea",
    "Document",
    "Instrument",
    "InternationalOrganisation",
    "ReportedTieDecision",
    "State",
]


class CooperationArea(models.TextChoices):
    CULTURE_ARTS = "culture_arts", _("Culture and arts")
    TOURISM = "tourism", _("Tourism")
    TRANSPORT = "transport", _("Transport")
    URBAN_PLANNING = "urban_planning", _("Urban planning and renewal")
    ENVIRONMENT_CLIMATE = "environment_climate", _("Environment and climate")
    DISASTER_MANAGEMENT = "disaster_management", _("Disaster management")
    HEALTH = "health", _("Health")
    EDUCATION_YOUTH = "education_youth", _("Education and youth")
    SPORTS = "sports", _("Sports")
    ECONOMY_TRADE = "economy_trade", _("Economy and trade")
    MUNICIPAL_SERVICES = "municipal_services", _("Municipal services know-how")
    HUMANITARIAN_AID = "humanitarian_aid", _("Humanitarian aid")


class DatePrecision(models.TextChoices):
    DAY = "day", _("Day")
    YEAR = "year", _("Year only")


class Renewal(models.TextChoices):
    NONE = "none", _("No renewal")
    AUTOMATIC = "automatic", _("Renews automatically")
    BY_DECISION = "by_decision", _("Renewal by decision")


class InternationalOrganisation(models.Model):
    """An international organisation of local governments (UCLG, Metropolis, ...)."""

    name = models.CharField(_("name"), max_length=300, unique=True)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    country_code = models.CharField(_("seat country"), max_length=2, blank=True)
    website = models.URLField(_("website"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("international organisation")
        verbose_name_plural = _("international organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name


# an agreement with at least one reference number (the partial index the text search reads)
HAS_REFERENCE = ~Q(council_decision_number="") | ~Q(permission_reference="") | ~Q(policy_clearance_reference="")


class Agreement(models.Model):
    organisation = models.ForeignKey("governments.LocalGovernment", verbose_name=_("organisation"),
                                     on_delete=models.PROTECT, related_name="agreements")
    partner = models.ForeignKey("governments.LocalGovernment", verbose_name=_("partner"),
                                null=True, blank=True, on_delete=models.PROTECT,
                                related_name="partner_agreements")
    partner_organisation = models.ForeignKey(
        InternationalOrganisation, verbose_name=_("partner organisation"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="agreements")
    instrument = models.CharField(_("instrument"), max_length=40, choices=Instrument.choices)
    title = models.CharField(_("title"), max_length=300)
    areas = models.JSONField(_("cooperation areas"), default=list, blank=True)
    operative_commitments = models.BooleanField(
        _("operative commitments"), default=True,
        help_text=_("For memoranda: whether it creates operative commitments (then ministry "
                    "permission is needed for a foreign partner)."))
    state = models.CharField(_("status"), max_length=30, choices=State.choices, default=State.DRAFT,
                             db_index=True)
    # council
    council_decision_on = models.DateField(_("council decision date"), null=True, blank=True)
    council_decision_number = models.CharField(_("council decision number"), max_length=100, blank=True)
    council_decision_final_on = models.DateField(_("decision final on"), null=True, blank=True)
    # ministry permission (Law 5393 art. 74)
    permission_requested_on = models.DateField(_("permission requested on"), null=True, blank=True)
    permission_decided_on = models.DateField(_("permission decided on"), null=True, blank=True)
    permission_granted = models.BooleanField(_("permission granted"), null=True, blank=True)
    permission_reference = models.CharField(_("permission reference"), max_length=200, blank=True)
    permitting_authority = models.ForeignKey("policy.PermittingAuthority",
                                             verbose_name=_("permitting authority"), null=True,
                                             blank=True, on_delete=models.PROTECT, related_name="+")
    policy_clearance_reference = models.CharField(
        _("policy clearance reference"), max_length=200, blank=True,
        help_text=_("Extra central approval required for ties with a restricted country."))
    # signing and term
    signed_on = models.DateField(_("signing date"), null=True, blank=True)
    signed_on_precision = models.CharField(_("signing date precision"), max_length=4,
                                           choices=DatePrecision.choices, default=DatePrecision.DAY)
    signed_place = models.CharField(_("signing place"), max_length=200, blank=True)
    effective_on = models.DateField(_("effective date"), null=True, blank=True)
    term_years = models.PositiveSmallIntegerField(_("term (years)"), null=True, blank=True)
    expires_on = models.DateField(_("expiry date"), null=True, blank=True)
    renewal = models.CharField(_("renewal"), max_length=20, choices=Renewal.choices,
                               default=Renewal.NONE)
    ended_on = models.DateField(_("end date"), null=True, blank=True)
    end_reason = models.TextField(_("end reason"), blank=True)
    # record keeping
    notes = models.TextField(_("notes"), blank=True)
    source = models.TextField(_("source of the record"), blank=True)
    is_imported = models.BooleanField(
        _("imported, steps not recorded"), default=False,
        help_text=_("Entered from a list in its known state; the legal steps were not recorded "
                    "or verified here."))
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    archive_reason = models.TextField(_("archive reason"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = acting_user()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        ordering = ["organisation_id", "-signed_on", "id"]
        indexes = [
            # the public register's count and page choice read this index only, never the wide
            # rows (benchmarks/national.py: the count of 40,000 published ties 37 → 3 ms on SQLite)
            models.Index(fields=["state", "signed_on", "organisation", "partner", "partner_organisation"],
                         condition=Q(archived_at__isnull=True), name="agreement_published_idx"),
            # the text search's reference numbers: few ties have one, so the search reads this
            # small index instead of every row (the query repeats the condition: agreements.filters)
            models.Index(fields=["council_decision_number", "permission_reference", "policy_clearance_reference"],
                         condition=HAS_REFERENCE, name="agreement_reference_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(partner__isnull=False) & Q(partner_organisation__isnull=True))
                | (Q(partner__isnull=True) & Q(partner_organisation__isnull=False)),
                name="agreement_exactly_one_partner",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_state_display(self) -> str:
        """The state in the words of the installation's legal profile."""
        return lifecycle.state_label(self.state)

    @property
    def partner_name(self) -> str:
        return str(self.partner.name if self.partner_id else self.partner_organisation.name)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Agreements are archived, never deleted."))


class AgreementEvent(models.Model):
    """One transition (or the import) of an agreement. Append-only: never changed or deleted."""

    class Kind(models.TextChoices):
        TRANSITION = "transition", _("Transition")
        IMPORTED = "imported", _("Imported, steps not recorded")
        CREATED = "created", _("Created")

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.TRANSITION)
    from_state = models.CharField(_("from"), max_length=30, blank=True)
    to_state = models.CharField(_("to"), max_length=30)
    occurred_on = models.DateField(_("date"), null=True, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    actor = acting_user(_("by"))
    reason = models.TextField(_("reason"), blank=True)
    reference = models.CharField(_("decision or permission reference"), max_length=200, blank=True)
    document = models.ForeignKey("Document", verbose_name=_("document"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    policy_status = models.CharField(_("policy status at the time"), max_length=20, blank=True)
    # what the step was decided on (agreements.step_facts); empty for imports and creations
    facts = models.JSONField(_("facts decided on"), default=dict, blank=True)

    class Meta:
        verbose_name = _("agreement event")
        verbose_name_plural = _("agreement events")
        ordering = ["agreement_id", "recorded_at", "id"]
        indexes = [  # the text search over step references (agreements.filters), as above
            models.Index(fields=["reference", "agreement"], condition=~Q(reference=""), name="event_reference_idx"),
        ]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("The event log is append-only."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("The event log is append-only."))

    @property
    def facts_summary(self) -> str:
        from citydiplomacy.agreements import step_facts

        return step_facts.summary(self.facts)


def document_path(instance: Document, filename: str) -> str:
    owner = instance.agreement.organisation_id if instance.agreement_id else instance.activity.organisation_id
    return f"documents/{owner}/{instance.sha256[:2]}/{instance.sha256}{instance.extension}"


class Document(models.Model):
    """An uploaded file. Never overwritten: a new upload is a new record (and file)."""

    class Kind(models.TextChoices):
        COUNCIL_DECISION = "council_decision", _("Council decision")
        MINISTRY_PERMISSION = "ministry_permission", _("Ministry permission")
        SIGNED_TEXT = "signed_text", _("Signed text")
        CORRESPONDENCE = "correspondence", _("Correspondence")
        REPORT = "report", _("Report")
        PHOTO = "photo", _("Photo")
        OTHER = "other", _("Other")

    agreement = models.ForeignKey(Agreement, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="documents")
    activity = models.ForeignKey("Activity", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="attachments")
    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("title"), max_length=300, blank=True)
    file = models.FileField(_("file"), upload_to=document_path, max_length=300)
    original_name = models.CharField(_("original file name"), max_length=300)
    extension = models.CharField(max_length=10)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    uploaded_by = acting_user()
    uploaded_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(agreement__isnull=False) | Q(activity__isnull=False),
                name="document_has_owner",
            ),
        ]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("Documents are never overwritten; upload a new one."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Documents are never deleted."))


class Contact(models.Model):
    class Side(models.TextChoices):
        HOME = "home", _("Our side")
        PARTNER = "partner", _("Partner's side")

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="contacts")
    side = models.CharField(_("side"), max_length=10, choices=Side.choices, default=Side.PARTNER)
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["agreement_id", "side", "name"]

    def __str__(self) -> str:
        return self.name


class Activity(models.Model):
    class Kind(models.TextChoices):
        INCOMING_DELEGATION = "incoming_delegation", _("Incoming delegation")
        OUTGOING_DELEGATION = "outgoing_delegation", _("Outgoing delegation")
        EVENT = "event", _("Event")
        JOINT_PROJECT = "joint_project", _("Joint project")
        EXCHANGE = "exchange", _("Exchange")
        TRAINING = "training", _("Training")
        AID = "aid", _("Aid")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    organisation = models.ForeignKey("governments.LocalGovernment", on_delete=models.PROTECT,
                                     related_name="activities", verbose_name=_("organisation"))
    agreement = models.ForeignKey(Agreement, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="activities", verbose_name=_("agreement"))
    partner = models.ForeignKey("governments.LocalGovernment", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="partner_activities",
                                verbose_name=_("partner"))
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=300)
    starts_on = models.DateField(_("date"))
    ends_on = models.DateField(_("end date"), null=True, blank=True)
    area = models.CharField(_("cooperation area"), max_length=40, choices=CooperationArea.choices,
                            blank=True)
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    participants_note = models.TextField(_("participants (who)"), blank=True)
    cost_try = models.DecimalField(_("cost (TRY)"), max_digits=14, decimal_places=2, null=True,
                                   blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices,
                              default=Status.PLANNED)
    archived_at = models.DateTimeField(_("archived"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_by = acting_user()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-starts_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                                   name="activity_dates_in_order"),
        ]

    def __str__(self) -> str:
        return self.title

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Activities are archived, never deleted."))


class CalendarFeed(models.Model):
    """Secret token of an organisation's iCal feed (a calendar app cannot log in)."""

    organisation = models.OneToOneField("governments.LocalGovernment", on_delete=models.CASCADE,
                                        related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")


class ReportedTieDecision(models.Model):
    """An organisation's answer to a tie the world twin-town list reports for it: "we have this
    tie" (an agreement record with its steps not recorded is created) or "we dispute it"."""

    class Decision(models.TextChoices):
        CLAIMED = "claimed", _("We have this tie")
        DISPUTED = "disputed", _("We dispute this tie")

    organisation = models.ForeignKey("governments.LocalGovernment", on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("organisation"))
    tie = models.ForeignKey("places.ReportedTie", on_delete=models.CASCADE, related_name="+",
                            verbose_name=_("reported twinning"))
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    reason = models.TextField(_("reason"), blank=True)
    agreement = models.ForeignKey(Agreement, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+", verbose_name=_("agreement"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("decided by"))
    decided_at = models.DateTimeField(_("decided at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("decision on a reported tie")
        verbose_name_plural = _("decisions on reported ties")
        constraints = [models.UniqueConstraint(fields=["organisation", "tie"],
                                               name="one_decision_per_reported_tie")]


from citydiplomacy.agreements.directive_models import Directive, DirectiveTask  # noqa: F401
