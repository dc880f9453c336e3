"""REST API of the central-government policy layer: the dated country-relation table
(everyone signed in reads; only oversight writes), the permitting authorities, and the
impact analysis ("if country X becomes status S on date D" — nothing is saved)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.response import Response

from citydiplomacy.agreements.api import (
    AgreementSerializer,
    DomainErrorsMixin,
    parse_choice_param,
    parse_date_param,
)
from citydiplomacy.agreements.selectors import policy_impact
from citydiplomacy.policy import selectors, services
from citydiplomacy.policy.models import CountryRelation, PermittingAuthority, RelationStatus


class CountryRelationSerializer(serializers.ModelSerializer):
    class Meta:
        model = CountryRelation
        fields = ["id", "country_code", "region_code", "status", "valid_from", "valid_to", "basis", "reference",
                  "source", "created_at"]
        read_only_fields = ["id", "created_at"]

    def validate_country_code(self, value: str) -> str:
        try:
            return services.validate_country_code(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict["country_code"]) from exc

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


class ImpactAgreementSerializer(serializers.Serializer):
    agreement = AgreementSerializer()
    effects = serializers.ListField(child=serializers.CharField())
    effect_labels = serializers.ListField(child=serializers.CharField())


class ImpactActivitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    organisation = serializers.IntegerField(source="organisation_id")
    title = serializers.CharField()
    starts_on = serializers.DateField()
    partner = serializers.CharField(source="partner.name")


class ImpactSerializer(serializers.Serializer):
    country = serializers.CharField()
    status = serializers.CharField()
    on = serializers.DateField()
    saved = serializers.BooleanField()
    agreements = ImpactAgreementSerializer(many=True)
    activities = ImpactActivitySerializer(many=True)


@extend_schema_view(list=extend_schema(
    parameters=[OpenApiParameter("country", str, required=True),
                OpenApiParameter("status", str, enum=RelationStatus.values, required=True),
                OpenApiParameter("on", OpenApiTypes.DATE, required=True)],
    responses=ImpactSerializer))
class PolicyImpactViewSet(DomainErrorsMixin, viewsets.GenericViewSet):
    """If country X took status S on date D: every affected agreement and planned activity
    (across organisations for oversight users, else your own). Nothing is saved."""

    serializer_class = ImpactSerializer
    filter_backends: list = []
    pagination_class = None

    def list(self, request, *args, **kwargs):
        from citydiplomacy.agreements.api import parse_country_param

        country = parse_country_param(request, "country")
        status = parse_choice_param(request, "status", RelationStatus.values)
        on = parse_date_param(request, "on")
        missing = {name: [_("This parameter is required.")] for name, value in
                   (("country", country), ("status", status), ("on", on)) if not value}
        if missing:
            raise serializers.ValidationError(missing)
        result = policy_impact(request.user, country=country, status=status, on=on)
        rows = {item["row"].agreement.pk: item["row"] for item in result["agreements"]}
        context = {"rows": rows}
        data = {
            "country": result["country"], "status": result["status"], "on": on.isoformat(),
            "saved": False,
            "agreements": [{"agreement": AgreementSerializer(item["row"].agreement, context=context).data,
                            "effects": item["effects"], "effect_labels": item["effect_labels"]}
                           for item in result["agreements"]],
            "activities": ImpactActivitySerializer(result["activities"], many=True).data,
        }
        return Response(data)


def register(router) -> None:
    router.register("country-relations", CountryRelationViewSet, basename="country-relation")
    router.register("permitting-authorities", PermittingAuthorityViewSet, basename="permitting-authority")
    router.register("policy/impact", PolicyImpactViewSet, basename="policy-impact")
