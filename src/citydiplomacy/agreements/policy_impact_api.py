"""REST API of the policy impact analysis over the agreements registry: "if country X took
status S on date D", every affected agreement and planned activity (`GET /api/policy/impact/`;
nothing is saved). It lives beside the agreements it lists; the policy app only says what a
status means (policy.rules) and which row judges a partner (policy.selectors)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from citydiplomacy.agreements.api import AgreementSerializer, DomainErrorsMixin, parse_country_param
from citydiplomacy.agreements.selectors import policy_impact
from citydiplomacy.core.api_contract import parse_choice_param, parse_date_param
from citydiplomacy.policy.models import RelationStatus


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
    router.register("policy/impact", PolicyImpactViewSet, basename="policy-impact")
