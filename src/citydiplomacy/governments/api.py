"""REST API for the registry of local governments and the corrections of their identity
(proposed by editors, decided by registry stewards: see governments.corrections)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from citydiplomacy.accounts.api_permissions import (
    IdentityCorrectionPermission,
    LocalGovernmentPermission,
)
from citydiplomacy.core.api_base import field_rule
from citydiplomacy.core.api_contract import int_param
from citydiplomacy.governments import corrections, selectors, services
from citydiplomacy.governments.models import (
    WIKIDATA_ID_PATTERN,
    GovernmentKind,
    IdentityCorrection,
    LocalGovernment,
)


class LocalGovernmentSerializer(serializers.ModelSerializer):
    country_code = serializers.CharField(max_length=2, allow_blank=True, required=False)
    wikidata_id = serializers.RegexField(
        WIKIDATA_ID_PATTERN, max_length=20, allow_blank=True, required=False,
        help_text=_("Wikidata item id, Q followed by digits (Q406); blank when not known."),
        error_messages={"invalid": _("A Wikidata id looks like Q406.")})

    class Meta:
        model = LocalGovernment
        fields = [
            "id", "name", "official_name", "kind", "country_code", "parent", "wikidata_id",
            "geonameid", "region_code", "latitude", "longitude", "population",
            "is_unresolved", "raw_name", "raw_country",
        ]
        read_only_fields = ["id", "is_unresolved", "raw_name", "raw_country"]
        extra_kwargs = {"latitude": {"min_value": -90, "max_value": 90},
                        "longitude": {"min_value": -180, "max_value": 180}}

    def validate_country_code(self, value: str) -> str:
        return field_rule(services.validate_country_code, value, "country_code")

    def create(self, validated_data):
        return services.create_local_government(actor=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        return services.update_local_government(
            instance, actor=self.context["request"].user, **validated_data
        )


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("country", str, description=str(_("ISO 3166-1 alpha-2 country code"))),
            OpenApiParameter("search", str, description=str(_("Words matched against every name"))),
            OpenApiParameter("kind", str),
        ]
    )
)
class LocalGovernmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                             mixins.CreateModelMixin, mixins.UpdateModelMixin,
                             viewsets.GenericViewSet):
    """The shared registry of local governments of the world (partners and organisations)."""

    serializer_class = LocalGovernmentSerializer
    permission_classes = [LocalGovernmentPermission]
    filter_backends: list = []

    def get_queryset(self):
        params = self.request.query_params
        if self.action == "list":
            return selectors.local_governments(
                country=params.get("country"), search=params.get("search"), kind=params.get("kind")
            )
        return LocalGovernment.objects.all()


# --- corrections of identity ------------------------------------------------------------------
class IdentityChangesSerializer(serializers.Serializer):
    """The proposed identity: only the fields to change."""

    country_code = serializers.CharField(max_length=2, allow_blank=True, required=False)
    geonameid = serializers.IntegerField(allow_null=True, required=False, min_value=1,
                                         max_value=2**31 - 1)
    kind = serializers.ChoiceField(GovernmentKind.choices, required=False)
    parent = serializers.PrimaryKeyRelatedField(queryset=LocalGovernment.objects.all(),
                                                allow_null=True, required=False)
    region_code = serializers.CharField(max_length=10, allow_blank=True, required=False)
    latitude = serializers.FloatField(allow_null=True, required=False, min_value=-90, max_value=90)
    longitude = serializers.FloatField(allow_null=True, required=False, min_value=-180,
                                       max_value=180)

    def validate_country_code(self, value: str) -> str:
        return field_rule(services.validate_country_code, value, "country_code")


class IdentityCorrectionSerializer(serializers.ModelSerializer):
    proposed_by = serializers.SerializerMethodField()
    decided_by = serializers.SerializerMethodField()
    government_name = serializers.CharField(source="government.name", read_only=True)

    class Meta:
        model = IdentityCorrection
        fields = ["id", "government", "government_name", "proposed", "previous", "reason", "state",
                  "proposed_by", "proposed_at", "decided_by", "decided_at", "decision_note",
                  "recheck"]
        read_only_fields = fields

    def get_proposed_by(self, obj) -> str:
        return obj.proposed_by.get_username()

    def get_decided_by(self, obj) -> str | None:
        return obj.decided_by.get_username() if obj.decided_by_id else None


class ProposalSerializer(serializers.Serializer):
    government = serializers.PrimaryKeyRelatedField(queryset=LocalGovernment.objects.all())
    changes = IdentityChangesSerializer()
    reason = serializers.CharField(max_length=2000)


class DecisionSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


@extend_schema_view(
    list=extend_schema(parameters=[OpenApiParameter("state", str, enum=IdentityCorrection.State.values),
                                   OpenApiParameter("government", int)]),
    create=extend_schema(request=ProposalSerializer, responses={201: IdentityCorrectionSerializer}),
)
class IdentityCorrectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                                viewsets.GenericViewSet):
    """Proposed corrections of a local government's identity (country, GeoNames id, kind,
    parent, region, coordinates). Stewards (national oversight; an organisation's admin for
    its own record) accept or reject them; accepting re-runs the policy check of its ties."""

    serializer_class = IdentityCorrectionSerializer
    permission_classes = [IdentityCorrectionPermission]
    filter_backends: list = []

    def get_queryset(self):
        params = self.request.query_params
        government = int_param(self.request, "government")
        state = params.get("state")
        if state is not None and state not in IdentityCorrection.State.values:
            raise serializers.ValidationError({"state": [_("Unknown state.")]})
        return selectors.identity_corrections(state=state or None, government=government)

    def create(self, request, *args, **kwargs):
        data = ProposalSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        correction = corrections.propose_correction(
            data.validated_data["government"], actor=request.user,
            changes=dict(data.validated_data["changes"]), reason=data.validated_data["reason"])
        return Response(IdentityCorrectionSerializer(correction).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=DecisionSerializer, responses=IdentityCorrectionSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Accept: the record takes the proposed identity; ties in force are re-checked."""
        correction, note = self._decision(request)
        counts = corrections.accept_correction(correction, actor=request.user, note=note)
        correction.refresh_from_db()
        return Response({**IdentityCorrectionSerializer(correction).data, "policy_check": counts})

    @extend_schema(request=DecisionSerializer, responses=IdentityCorrectionSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        correction, note = self._decision(request)
        correction = corrections.reject_correction(correction, actor=request.user, note=note)
        return Response(IdentityCorrectionSerializer(correction).data)

    def _decision(self, request):
        """The correction decided on (404 first) and the decision's note (400 for a bad body)."""
        correction = self.get_object()
        body = DecisionSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return correction, body.validated_data["note"]


def register(router) -> None:
    router.register("local-governments", LocalGovernmentViewSet, basename="local-government")
    router.register("identity-corrections", IdentityCorrectionViewSet, basename="identity-correction")
    from citydiplomacy.governments import activation_api

    activation_api.register(router)
