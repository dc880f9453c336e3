"""REST API of the central-government policy layer: the dated country-relation table
(everyone signed in reads; only oversight writes) and the permitting authorities. The impact
analysis over the agreements ("if country X becomes status S on date D") is
agreements/policy_impact_api.py: this app imports nothing of agreements."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response

from citydiplomacy.core.api_base import field_rule
from citydiplomacy.core.api_contract import parse_choice_param, parse_date_param
from citydiplomacy.policy import selectors, services
from citydiplomacy.policy.models import CountryRelation, PermittingAuthority, RelationStatus


class CountryRelationSerializer(serializers.ModelSerializer):
    class Meta:
        model = CountryRelation
        fields = ["id", "country_code", "region_code", "status", "valid_from", "valid_to", "basis", "reference",
                  "source", "created_at"]
        read_only_fields = ["id", "created_at"]

    def validate_country_code(self, value: str) -> str:
        return field_rule(services.validate_country_code, value, "country_code")

    def validate(self, attrs):
        if attrs.get("valid_from") and attrs.get("valid_to") and attrs["valid_to"] < attrs["valid_from"]:
            raise serializers.ValidationError({"valid_to": [_("The end date is before the start date.")]})
        if attrs.get("region_code"):
            try:
                attrs["region_code"] = services.validate_region_code(attrs["region_code"],
                                                                     attrs.get("country_code", ""))
            except DjangoValidationError as exc:
                raise serializers.ValidationError(exc.message_dict) from exc
        return attrs

    def create(self, validated_data):
        return services.record_country_relation(actor=self.context["request"].user, **validated_data)


@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("country", str), OpenApiParameter("status", str, enum=RelationStatus.values),
    OpenApiParameter("as_of", OpenApiTypes.DATE, description="Rows in force on this date.")]))
class CountryRelationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                             mixins.CreateModelMixin, viewsets.GenericViewSet):
    """The national government's relation status with each country over time.
    Every signed-in user reads it; only the oversight role adds rows."""

    serializer_class = CountryRelationSerializer
    filter_backends: list = []

    def get_queryset(self):
        if self.action != "list":
            return CountryRelation.objects.all()
        return selectors.country_relations(
            country=self.request.query_params.get("country"),
            status=parse_choice_param(self.request, "status", RelationStatus.values),
            as_of=parse_date_param(self.request, "as_of"))


class PermittingAuthoritySerializer(serializers.ModelSerializer):
    class Meta:
        model = PermittingAuthority
        fields = ["id", "valid_from", "valid_to", "name_en", "name_tr", "basis", "source"]


@extend_schema_view(list=extend_schema(parameters=[OpenApiParameter("on", OpenApiTypes.DATE)]))
class PermittingAuthorityViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Which ministry grants the art. 74 permission, by date of request (`?on=` picks one)."""

    serializer_class = PermittingAuthoritySerializer
    filter_backends: list = []
    pagination_class = None

    def list(self, request, *args, **kwargs):
        on = parse_date_param(request, "on")
        if on:
            authority = selectors.permitting_authority_on(on)
            return Response(PermittingAuthoritySerializer([authority] if authority else [], many=True).data)
        return Response(PermittingAuthoritySerializer(selectors.permitting_authorities(), many=True).data)


def register(router) -> None:
    router.register("country-relations", CountryRelationViewSet, basename="country-relation")
    router.register("permitting-authorities", PermittingAuthorityViewSet, basename="permitting-authority")
