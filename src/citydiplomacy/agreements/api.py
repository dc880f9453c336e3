"""REST API of the agreements registry: agreements (list with filters and as-of view,
create, edit with version, transitions, events, documents, archive) and international
organisations; `register` mounts them with the activities (`activity_api`), reminders and
calendars (`calendar_api`), the permission queue and directives. Serializers: `serializers.py`.

Domain errors: RuleViolation → 409 {"error": {"code": "rule_violation", "rule": ...}},
StaleVersion → 409 {"error": {"code": "stale_version", "current_version": n}}; validation
→ 400; another organisation's records → 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from citydiplomacy.accounts import permissions
from citydiplomacy.accounts.api_permissions import OrganisationWritePermission, RegistryPermission
from citydiplomacy.agreements import selectors, services, transitions
from citydiplomacy.agreements.errors import RuleViolation, StaleVersion
from citydiplomacy.agreements.filters import RegistryFilter, order_by_state, order_registry
from citydiplomacy.agreements.lifecycle import Instrument, State
from citydiplomacy.agreements.models import CooperationArea, Document
from citydiplomacy.agreements.rules import Flag
from citydiplomacy.agreements.serializers import (
    LIST_COLUMNS,
    AgreementCreateSerializer,
    AgreementListSerializer,
    AgreementSerializer,
    AgreementUpdateSerializer,
    ArchiveSerializer,
    DocumentSerializer,
    DocumentUploadSerializer,
    EventSerializer,
    InternationalOrganisationSerializer,
    TransitionSerializer,
)
from citydiplomacy.core.api_base import Conflict
from citydiplomacy.core.api_contract import (
    bool_param,
    int_param,
    int_schema,
    parse_choice_param,
    parse_date_param,
)

FLAGS = Flag.values  # the one flag vocabulary: agreements.rules


class DomainErrorsMixin:
    # Translates the services' RuleViolation and StaleVersion into 409 answers (a comment, not
    # a docstring: drf-spectacular would publish an inherited docstring as the API description).

    def handle_exception(self, exc):
        if isinstance(exc, RuleViolation):
            conflict = Conflict(detail=exc.message, code="rule_violation")
            conflict.extra = {"rule": exc.rule, "violations": [
                {"rule": v.rule, "message": v.message} for v in exc.violations]}
            exc = conflict
        elif isinstance(exc, StaleVersion):
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
    # an "edit" or a "decide" step (which one: transitions.transition and the lifecycle table)
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
        agreement = transitions.transition(
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


# --- international organisations -------------------------------------------------------------
class InternationalOrganisationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                                       mixins.CreateModelMixin, viewsets.GenericViewSet):
    """International organisations of local governments (partners of memberships)."""

    serializer_class = InternationalOrganisationSerializer
    permission_classes = [RegistryPermission]
    filter_backends: list = []

    def get_queryset(self):
        return selectors.international_organisations()


def register(router) -> None:
    # imported here: these modules build on this one (DomainErrorsMixin, the agreement routes)
    from citydiplomacy.agreements.activity_api import ActivityViewSet
    from citydiplomacy.agreements.calendar_api import CalendarViewSet, ReminderViewSet
    from citydiplomacy.agreements.directive_api import DirectiveViewSet
    from citydiplomacy.agreements.permission_api import PermissionRequestViewSet

    router.register("agreements", AgreementViewSet, basename="agreement")
    router.register("activities", ActivityViewSet, basename="activity")
    router.register("international-organisations", InternationalOrganisationViewSet,
                    basename="international-organisation")
    router.register("reminders", ReminderViewSet, basename="reminder")
    router.register("calendar", CalendarViewSet, basename="calendar")
    router.register("permission-requests", PermissionRequestViewSet, basename="permission-request")
    router.register("directives", DirectiveViewSet, basename="directive")
