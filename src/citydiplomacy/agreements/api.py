"""REST API of the agreements registry: agreements (list with filters and as-of view,
create, edit with version, transitions, events, documents, archive), activities, international
organisations, reminders and the iCal feed.

Domain errors: RuleViolation → 409 {"error": {"code": "rule_violation", "rule": ...}},
StaleVersion → 409 {"error": {"code": "stale_version", "current_version": n}}; validation
→ 400; another organisation's records → 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from citydiplomacy.accounts import permissions
from citydiplomacy.accounts.api_permissions import OrganisationWritePermission, RegistryPermission
from citydiplomacy.agreements import lifecycle, selectors, services
from citydiplomacy.agreements.filters import RegistryFilter, order_by_state, order_registry
from citydiplomacy.agreements.ical import calendar_ics
from citydiplomacy.agreements.lifecycle import Instrument, State
from citydiplomacy.agreements.models import (
    Activity,
    Agreement,
    AgreementEvent,
    CalendarFeed,
    Contact,
    CooperationArea,
    Document,
    InternationalOrganisation,
    Renewal,
)
from citydiplomacy.agreements.rules import Flag
from citydiplomacy.core.api_base import Conflict
from citydiplomacy.core.api_contract import (
    bool_param,
    int_param,
    int_schema,
    parse_choice_param,
    parse_date_param,
)
from citydiplomacy.governments.models import LocalGovernment
from citydiplomacy.policy.selectors import policy_country

FLAGS = Flag.values  # the one flag vocabulary: agreements.rules


class DomainErrorsMixin:
    # Translates the services' RuleViolation and StaleVersion into 409 answers (a comment, not
    # a docstring: drf-spectacular would publish an inherited docstring as the API description).

    def handle_exception(self, exc):
        if isinstance(exc, services.RuleViolation):
            conflict = Conflict(detail=exc.message, code="rule_violation")
            conflict.extra = {"rule": exc.rule, "violations": [
                {"rule": v.rule, "message": v.message} for v in exc.violations]}
            exc = conflict
        elif isinstance(exc, services.StaleVersion):
            conflict = Conflict(detail=exc.message, code="stale_version")
            conflict.extra = {"current_version": exc.current}
            exc = conflict
        return super().handle_exception(exc)


def parse_country_param(request, name: str) -> str | None:
    from citydiplomacy.places.countries import NORTHERN_CYPRUS_CODE
    from citydiplomacy.policy.services import validate_country_code

    value = (request.query_params.get(name) or "").strip().upper()
    if not value or value == NORTHERN_CYPRUS_CODE:
        return value or None
    try:
        return validate_country_code(value)
    except DjangoValidationError as exc:
        raise serializers.ValidationError({name: exc.message_dict["country_code"]}) from exc


# --- serializers -----------------------------------------------------------------------------
class PartnerSerializer(serializers.ModelSerializer):
    country_code = serializers.SerializerMethodField()

    class Meta:
        model = LocalGovernment
        fields = ["id", "name", "country_code", "geonameid", "latitude", "longitude", "is_unresolved"]

    def get_country_code(self, obj) -> str:
        return policy_country(obj)


class InternationalOrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = InternationalOrganisation
        fields = ["id", "name", "acronym", "country_code", "website"]
        read_only_fields = ["id"]

    def validate_country_code(self, value):
        from citydiplomacy.policy.services import validate_country_code

        if not value:
            return value
        try:
            return validate_country_code(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict["country_code"]) from exc


class ContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = ["side", "name", "position", "email", "phone"]


class AgreementSerializer(serializers.ModelSerializer):
    """An agreement as read; `status` and `flags` are as of the requested date (or today)."""

    status = serializers.SerializerMethodField()
    flags = serializers.SerializerMethodField()
    organisation = serializers.SerializerMethodField()
    partner = PartnerSerializer(read_only=True, allow_null=True)
    partner_organisation = InternationalOrganisationSerializer(read_only=True, allow_null=True)
    permitting_authority = serializers.SerializerMethodField()
    allowed_transitions = serializers.SerializerMethodField()
    contacts = ContactSerializer(many=True, read_only=True)
    as_of = serializers.SerializerMethodField()
    needs_review = serializers.SerializerMethodField()
    review_note = serializers.SerializerMethodField()

    class Meta:
        model = Agreement
        fields = [
            "id", "organisation", "instrument", "title", "status", "partner",
            "partner_organisation", "areas", "operative_commitments",
            "council_decision_on", "council_decision_number", "council_decision_final_on",
            "permission_requested_on", "permission_decided_on", "permission_granted",
            "permission_reference", "permitting_authority", "policy_clearance_reference",
            "signed_on", "signed_on_precision", "signed_place", "effective_on", "term_years",
            "expires_on", "renewal", "ended_on", "end_reason", "notes", "source", "is_imported",
            "needs_review", "review_note", "archived_at", "flags", "version",
            "allowed_transitions", "contacts", "as_of",
        ]

    def _row(self, obj):
        return self.context.get("rows", {}).get(obj.pk)

    def get_status(self, obj) -> str:
        row = self._row(obj)
        return row.state if row else obj.state

    def get_flags(self, obj) -> list[str]:
        row = self._row(obj)
        return row.flags if row else []

    def get_needs_review(self, obj) -> bool:
        """Computed with the flags (policy.rules), never stored."""
        row = self._row(obj)
        return bool(row and row.needs_review)

    def get_review_note(self, obj) -> str:
        row = self._row(obj)
        return row.review_note if row else ""

    def get_as_of(self, obj) -> str | None:
        row = self._row(obj)
        return row.as_of.isoformat() if row and row.as_of else None

    def get_organisation(self, obj) -> dict:
        return {"id": obj.organisation_id, "name": obj.organisation.name}

    def get_permitting_authority(self, obj) -> dict | None:
        authority = obj.permitting_authority
        return {"name_en": authority.name_en, "name_tr": authority.name_tr} if authority else None

    def get_allowed_transitions(self, obj) -> list[str]:
        return lifecycle.targets_from(obj.state) if not obj.archived_at else []


class AgreementListSerializer(AgreementSerializer):
    """A registry row: what a list needs (the full record is at /api/agreements/{id}/)."""

    class Meta(AgreementSerializer.Meta):
        fields = [
            "id", "organisation", "instrument", "title", "status", "partner", "partner_organisation",
            "areas", "council_decision_on", "permission_decided_on", "permission_granted",
            "signed_on", "signed_on_precision", "ended_on", "is_imported", "needs_review",
            "archived_at", "flags", "version", "as_of",
        ]


# The columns a registry row reads (AgreementListSerializer, its nested partners and the
# flags): the list query loads only these (tests/agreements/test_api_queries.py counts queries).
LIST_COLUMNS = [
    "id", "organisation_id", "organisation__name", "instrument", "title", "state", "areas",
    "council_decision_on", "permission_decided_on", "permission_granted", "signed_on",
    "signed_on_precision", "effective_on", "ended_on", "is_imported", "archived_at", "version",
    *(f"partner__{f}" for f in ("id", "name", "country_code", "raw_country", "geonameid",
                                "region_code", "latitude", "longitude", "is_unresolved")),
    *(f"partner_organisation__{f}" for f in ("id", "name", "acronym", "country_code", "website")),
]


class AgreementCreateSerializer(serializers.Serializer):
    instrument = serializers.ChoiceField(Instrument.choices)
    title = serializers.CharField(max_length=300)
    partner = serializers.PrimaryKeyRelatedField(queryset=LocalGovernment.objects.all(), required=False, allow_null=True)
    partner_organisation = serializers.PrimaryKeyRelatedField(
        queryset=InternationalOrganisation.objects.all(), required=False, allow_null=True)
    areas = serializers.ListField(child=serializers.ChoiceField(CooperationArea.choices), required=False)
    operative_commitments = serializers.BooleanField(required=False)
    notes = serializers.CharField(required=False, allow_blank=True)
    source = serializers.CharField(required=False, allow_blank=True)
    signed_place = serializers.CharField(required=False, allow_blank=True, max_length=200)
    term_years = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=100)
    renewal = serializers.ChoiceField(Renewal.choices, required=False)
    contacts = ContactSerializer(many=True, required=False)


class AgreementUpdateSerializer(AgreementCreateSerializer):
    version = serializers.IntegerField(help_text="The version you read; a stale one answers 409.")
    instrument = serializers.ChoiceField(Instrument.choices, required=False)
    title = serializers.CharField(max_length=300, required=False)
    effective_on = serializers.DateField(required=False, allow_null=True)
    expires_on = serializers.DateField(required=False, allow_null=True)
    council_decision_final_on = serializers.DateField(required=False, allow_null=True)
    policy_clearance_reference = serializers.CharField(required=False, allow_blank=True, max_length=200)


class TransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(State.choices)
    date = serializers.DateField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    reference = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    final_on = serializers.DateField(required=False, allow_null=True,
                                     help_text="Date the council decision became final.")
    clearance = serializers.CharField(required=False, allow_blank=True, default="", max_length=200,
                                      help_text="Extra central approval (restricted countries).")
    place = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    document = serializers.IntegerField(required=False, allow_null=True)
    version = serializers.IntegerField(required=False, allow_null=True)


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()

    class Meta:
        model = AgreementEvent
        fields = ["id", "kind", "from_state", "to_state", "occurred_on", "recorded_at", "actor",
                  "reason", "reference", "document", "policy_status", "facts"]

    def get_actor(self, obj) -> str | None:
        return obj.actor.get_username() if obj.actor_id else None


class DocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Document
        fields = ["id", "agreement", "activity", "kind", "title", "original_name", "content_type",
                  "size", "sha256", "uploaded_at"]
        read_only_fields = fields


class DocumentUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    kind = serializers.ChoiceField(Document.Kind.choices, default=Document.Kind.OTHER)
    title = serializers.CharField(required=False, allow_blank=True, default="")


class ArchiveSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")


def _validated(serializer_class, data, partial=False) -> dict:
    serializer = serializer_class(data=data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# --- agreements ------------------------------------------------------------------------------
@extend_schema_view(
    list=extend_schema(parameters=[
        OpenApiParameter("partner_country", str, description="ISO 3166-1 alpha-2 (XC: Northern Cyprus) "
                         "or the country's name in Turkish or English"),
        OpenApiParameter("country", str, description="Same as partner_country"),
        OpenApiParameter("q", str, description="Text search: title, partner (any of its names), "
                         "partner country name, reference numbers"),
        OpenApiParameter("area", str, enum=CooperationArea.values),
        OpenApiParameter("year", int, description="Signing year"),
        OpenApiParameter("sort", str, enum=["partner", "-signed_on", "signed_on", "status", "country"]),
        OpenApiParameter("status", str, enum=State.values),
        OpenApiParameter("instrument", str, enum=Instrument.values),
        OpenApiParameter("organisation", int_schema(), description="Id of an organisation."),
        OpenApiParameter("as_of", OpenApiTypes.DATE, description="The registry as it stood on this date."),
        OpenApiParameter("flag", str, enum=FLAGS),
        OpenApiParameter("include_archived", bool),
    ], responses=AgreementListSerializer(many=True)),
    create=extend_schema(request=AgreementCreateSerializer, responses={201: AgreementSerializer}),
    partial_update=extend_schema(request=AgreementUpdateSerializer, responses=AgreementSerializer),
)
class AgreementViewSet(DomainErrorsMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                       viewsets.GenericViewSet):
    """Agreements of your organisation (oversight: of all). Their status and flags are as of
    `as_of` (default today). Another organisation's agreement answers 404."""
    serializer_class = AgreementSerializer
    filter_backends: list = []
    # a role that may not write is refused before the body is read; a transition is either
    # an "edit" or a "decide" step (which one: services.transition and the lifecycle table)
    permission_classes = [OrganisationWritePermission]
    write_needs = {"transition": "step"}
    http_method_names = ["get", "post", "patch", "head", "options"]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return selectors.agreements_for(self.request.user, include_archived=True)

    def get_object(self):
        return selectors.get_agreement(self.request.user, self.kwargs["pk"])

    def _respond(self, agreement, *, code=status.HTTP_200_OK, fresh=False):
        """The agreement as stored now (re-read after a write unless `fresh`), with its flags."""
        if not fresh:
            agreement = selectors.get_agreement(self.request.user, agreement.pk)
        row = selectors.row_of(agreement)
        data = AgreementSerializer(agreement, context={"rows": {agreement.pk: row} if row else {}}).data
        return Response(data, status=code)

    def list(self, request, *args, **kwargs):
        """The registry: one row per agreement, filtered, newest first, paginated."""
        params = request.query_params
        int_param(request, "organisation")  # a whole number within the database's range, else 400
        include_archived = bool_param(request, "include_archived")
        status_param = parse_choice_param(request, "status", State.values)
        parse_choice_param(request, "instrument", Instrument.values)
        parse_choice_param(request, "area", CooperationArea.values)
        as_of = parse_date_param(request, "as_of")
        flag = parse_choice_param(request, "flag", FLAGS)
        # The registry's filters, shared with the web list (search, country by code or name,
        # instrument, status, area, year, organisation, sort).
        filterset = RegistryFilter(params, request=request, queryset=selectors.agreements_for(
            request.user, include_archived=include_archived)
            .select_related(None).select_related("organisation", "partner", "partner_organisation")
            .only(*LIST_COLUMNS))
        if not filterset.is_valid():
            raise serializers.ValidationError(filterset.errors)
        sort = params.get("sort") and filterset.chosen_sort  # else the registry's own order
        rows = selectors.agreement_rows(
            request.user, status=status_param, as_of=as_of, flag=flag,
            lazy=True,  # flags are computed for the page only
            queryset=order_registry(filterset.qs, sort) if sort else filterset.qs,
        )
        if as_of and sort == "status":
            rows = order_by_state(rows)
        page = self.paginate_queryset(rows)
        context = {"rows": {row.agreement.pk: row for row in page}}
        return self.get_paginated_response(
            AgreementListSerializer([row.agreement for row in page], many=True, context=context).data)

    def retrieve(self, request, *args, **kwargs):
        """One agreement in full; with `as_of`, as it stood on that date (404 if it did not exist)."""
        agreement = self.get_object()
        as_of = parse_date_param(request, "as_of")
        if as_of:
            row = selectors.row_of(agreement, as_of=as_of)
            if row is None:
                raise Http404
            return Response(AgreementSerializer(agreement, context={"rows": {agreement.pk: row}}).data)
        return self._respond(agreement, fresh=True)

    def create(self, request, *args, **kwargs):
        """Record a new agreement as a draft; give exactly one of `partner` (a local government) or
        `partner_organisation` (an international organisation)."""
        data = _validated(AgreementCreateSerializer, request.data)
        agreement = services.create_agreement(actor=request.user, **data)
        return self._respond(agreement, code=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        """Edit an agreement; send the `version` you read. A stale version answers 409 with the
        current one; instrument and partner change only while it is a draft."""
        agreement = self.get_object()
        data = _validated(AgreementUpdateSerializer, request.data, partial=True)
        if "version" not in data:
            raise serializers.ValidationError({"version": [_("Send the version you edited (optimistic locking).")]})
        version = data.pop("version")
        agreement = services.update_agreement(agreement, actor=request.user, version=version, **data)
        return self._respond(agreement)

    @extend_schema(request=TransitionSerializer, responses=AgreementSerializer)
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the agreement to another state; 409 names the rule that blocks it."""
        agreement = self.get_object()
        data = _validated(TransitionSerializer, request.data)
        document = None
        if data.get("document"):
            document = Document.objects.filter(pk=data["document"], agreement=agreement).first()
            if document is None:
                raise serializers.ValidationError({"document": [_("No such document on this agreement.")]})
        agreement = services.transition(
            agreement, actor=request.user, to=data["to"], on=data["date"], reason=data["reason"],
            reference=data["reference"], final_on=data.get("final_on"), clearance=data["clearance"],
            place=data["place"], document=document, version=data.get("version"))
        return self._respond(agreement)

    @extend_schema(responses=EventSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None)
    def events(self, request, pk=None):
        """The agreement's history: every lifecycle step, who took it and on what basis."""
        agreement = self.get_object()
        return Response(EventSerializer(selectors.events_of(agreement), many=True).data)

    @extend_schema(request={"multipart/form-data": DocumentUploadSerializer},
                   responses={200: DocumentSerializer(many=True), 201: DocumentSerializer})
    @action(detail=True, methods=["get", "post"], pagination_class=None,
            parser_classes=[MultiPartParser, FormParser, JSONParser])
    def documents(self, request, pk=None):
        """List documents, or upload one (PDF, image or office file; SHA-256 recorded)."""
        agreement = self.get_object()
        if request.method == "GET":
            return Response(DocumentSerializer(selectors.documents_of(agreement), many=True).data)
        if not permissions.can_edit_organisation(request.user, agreement.organisation_id):
            raise PermissionDenied(_("Only officers and administrators of this organisation may add documents."))
        data = _validated(DocumentUploadSerializer, request.data)
        document = services.add_document(actor=request.user, agreement=agreement,
                                         upload=data["file"], kind=data["kind"], title=data["title"])
        return Response(DocumentSerializer(document).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ArchiveSerializer, responses=AgreementSerializer)
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        """Archive (never delete) the agreement."""
        agreement = self.get_object()
        data = _validated(ArchiveSerializer, request.data)
        agreement = services.archive_agreement(agreement, actor=request.user, **data)
        return self._respond(agreement)


# --- activities ------------------------------------------------------------------------------
class ReadableAgreementField(serializers.PrimaryKeyRelatedField):
    """An agreement id among those the user may read: another organisation's agreement gets
    exactly the answer a missing one gets (no existence oracle)."""

    default_error_messages = {"does_not_exist": _lazy("No such agreement.")}

    def get_queryset(self):
        request = self.context.get("request")
        return permissions.scope_to_readable(Agreement.objects.all(), getattr(request, "user", None))


class ActivitySerializer(serializers.ModelSerializer):
    agreement = ReadableAgreementField(required=False, allow_null=True)
    partner = serializers.PrimaryKeyRelatedField(queryset=LocalGovernment.objects.all(), required=False, allow_null=True)
    version = serializers.IntegerField(required=False)

    class Meta:
        model = Activity
        fields = ["id", "organisation", "agreement", "partner", "kind", "title", "starts_on",
                  "ends_on", "area", "participants", "participants_note", "cost_try", "outcome",
                  "status", "archived_at", "version"]
        read_only_fields = ["id", "organisation", "archived_at"]

    def create(self, validated_data):
        validated_data.pop("version", None)
        return services.create_activity(actor=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        if "version" not in validated_data:
            raise serializers.ValidationError({"version": [_("Send the version you edited (optimistic locking).")]})
        version = validated_data.pop("version")
        return services.update_activity(instance, actor=self.context["request"].user,
                                        version=version, **validated_data)


@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("agreement", int_schema(), description="Only this agreement's activities."),
    OpenApiParameter("status", str, enum=Activity.Status.values)]))
class ActivityViewSet(DomainErrorsMixin, viewsets.ModelViewSet):
    """Activities (delegations, events, projects, …), planned or held. DELETE archives."""

    serializer_class = ActivitySerializer
    filter_backends: list = []
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    permission_classes = [OrganisationWritePermission]

    def get_queryset(self):
        return selectors.activities_for(
            self.request.user, agreement=int_param(self.request, "agreement"),
            status=parse_choice_param(self.request, "status", Activity.Status.values))

    def get_object(self):
        return selectors.get_activity(self.request.user, self.kwargs["pk"])

    def perform_destroy(self, instance):
        services.archive_activity(instance, actor=self.request.user)


# --- international organisations -------------------------------------------------------------
class InternationalOrganisationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                                       mixins.CreateModelMixin, viewsets.GenericViewSet):
    """International organisations of local governments (partners of memberships)."""

    serializer_class = InternationalOrganisationSerializer
    permission_classes = [RegistryPermission]
    filter_backends: list = []

    def get_queryset(self):
        return selectors.international_organisations()


# --- reminders and calendar ------------------------------------------------------------------
class ReminderSerializer(serializers.Serializer):
    kind = serializers.CharField()
    on = serializers.DateField()
    title = serializers.CharField()
    agreement_id = serializers.IntegerField()
    organisation_id = serializers.IntegerField()


MAX_DAYS = 3660


@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("days", int_schema(0, MAX_DAYS), description="Horizon in days from `start` (default 365)."),
    OpenApiParameter("start", OpenApiTypes.DATE, description="First day (default today)."),
    OpenApiParameter("organisation", int_schema(), description="Id of an organisation (oversight).")]))
class ReminderViewSet(viewsets.GenericViewSet):
    """Anniversaries, expiries and renewals, and permission requests waiting too long."""

    serializer_class = ReminderSerializer
    filter_backends: list = []
    pagination_class = None

    def list(self, request, *args, **kwargs):
        found = selectors.reminders(request.user, start=parse_date_param(request, "start"),
                                    days=int_param(request, "days", minimum=0, maximum=MAX_DAYS, default=365),
                                    organisation=int_param(request, "organisation"))
        return Response(ReminderSerializer(found, many=True).data)


class CalendarFeedSerializer(serializers.Serializer):
    url = serializers.CharField()
    token = serializers.CharField()


class CalendarViewSet(viewsets.GenericViewSet):
    """iCal feeds of your organisation's anniversaries, deadlines and planned activities."""

    serializer_class = CalendarFeedSerializer
    filter_backends: list = []
    pagination_class = None
    lookup_field = "token"
    lookup_value_regex = r"[A-Za-z0-9_\-]+"

    def get_permissions(self):
        if self.action == "retrieve":
            return [AllowAny()]
        return super().get_permissions()

    def get_authenticators(self):
        if self.request is not None and self.request.resolver_match and \
                self.request.resolver_match.kwargs.get("token"):
            return []
        return super().get_authenticators()

    @staticmethod
    def _ics(organisation) -> HttpResponse:
        response = HttpResponse(calendar_ics(organisation), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="citydiplomacy.ics"'
        return response

    @extend_schema(operation_id="calendar_own_ics", responses={(200, "text/calendar"): OpenApiTypes.STR})
    def list(self, request, *args, **kwargs):
        """Your organisation's calendar (iCal), for a signed-in client."""
        organisation = getattr(request.user, "organisation", None)
        if organisation is None or permissions.organisation_id_of(request.user) is None:
            raise Http404
        return self._ics(organisation)

    @extend_schema(responses={(200, "text/calendar"): OpenApiTypes.STR})
    def retrieve(self, request, token=None, *args, **kwargs):
        """The calendar behind a secret feed URL, for calendar apps (no sign-in)."""
        feed = CalendarFeed.objects.select_related("organisation").filter(token=token).first()
        if feed is None:
            raise Http404
        return self._ics(feed.organisation)

    @extend_schema(request=None, responses=CalendarFeedSerializer)
    @action(detail=False, methods=["get", "post"])
    def feed(self, request, *args, **kwargs):
        """Your organisation's feed URL; POST makes a new secret URL and invalidates the old one."""
        organisation = getattr(request.user, "organisation", None)
        if organisation is None:
            raise Http404
        feed = services.calendar_feed(actor=request.user, organisation=organisation,
                                      rotate=request.method == "POST")
        url = request.build_absolute_uri(f"/api/calendar/{feed.token}/")
        return Response({"url": url, "token": feed.token})


def register(router) -> None:
    router.register("agreements", AgreementViewSet, basename="agreement")
    router.register("activities", ActivityViewSet, basename="activity")
    router.register("international-organisations", InternationalOrganisationViewSet,
                    basename="international-organisation")
    router.register("reminders", ReminderViewSet, basename="reminder")
    router.register("calendar", CalendarViewSet, basename="calendar")
    from citydiplomacy.agreements.permission_api import PermissionRequestViewSet

    router.register("permission-requests", PermissionRequestViewSet, basename="permission-request")
    from citydiplomacy.agreements.directive_api import DirectiveViewSet

    router.register("directives", DirectiveViewSet, basename="directive")
