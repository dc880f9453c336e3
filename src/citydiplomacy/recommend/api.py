"""API: the organisation's recommendations (same data as the page) and open partner profiles."""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import PermissionDenied as DRFPermissionDenied
from rest_framework.response import Response

from citydiplomacy.accounts import permissions
from citydiplomacy.core.api_contract import (
    int_param,
    int_schema,
    parse_choice_param,
    parse_date_param,
)
from citydiplomacy.core.throttling import HeavyAPIMixin

from . import selectors, services
from .learn import EMPHASIS
from .models import PartnerProfile
from .world import MISSING_FACTS


class PartnerProfileSerializer(serializers.ModelSerializer):
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    country_code = serializers.CharField(source="organisation.country_code", read_only=True)

    class Meta:
        model = PartnerProfile
        fields = ["id", "organisation", "organisation_name", "country_code", "countries", "regions",
                  "min_population", "max_population", "areas", "text", "updated_at"]


class RecommendationSerializer(serializers.Serializer):
    rank = serializers.IntegerField()
    geonameid = serializers.IntegerField(allow_null=True)
    local_government_id = serializers.IntegerField(allow_null=True)
    name = serializers.CharField()
    country_code = serializers.CharField()
    lat = serializers.FloatField(allow_null=True)
    lng = serializers.FloatField(allow_null=True)
    population = serializers.IntegerField()
    score = serializers.FloatField()
    reasons = serializers.ListField(child=serializers.CharField())
    policy_status = serializers.CharField()
    mutual_match = serializers.BooleanField()


class RecommendationListSerializer(serializers.Serializer):
    organisation = serializers.IntegerField()
    trained = serializers.BooleanField()
    missing_features = serializers.ListField(
        child=serializers.ChoiceField(choices=MISSING_FACTS),
        help_text="Features of your organisation the ranking could not use (e.g. `position` for "
                  "a name the gazetteer does not place: network-only features).")
    note = serializers.CharField(allow_blank=True, help_text="The missing features in words, in "
                                 "the language of the request; empty when none is missing.")
    results = RecommendationSerializer(many=True)
    excluded = RecommendationSerializer(many=True, help_text="Blocked by the national policy; "
                                        "the first reason says why.")


class _OneObjectSchema(AutoSchema):
    """The list action answers one object (results + policy-excluded), not an array."""

    def _is_list_view(self, serializer=None) -> bool:
        return False


class RecommendationViewSet(HeavyAPIMixin, viewsets.ViewSet):
    """Partner suggestions for your organisation, each with its reasons; partners the national
    policy blocks are listed apart under `excluded`."""

    serializer_class = RecommendationListSerializer
    schema = _OneObjectSchema()

    @extend_schema(
        responses=RecommendationListSerializer,
        parameters=[
            OpenApiParameter("emphasis", str, enum=list(EMPHASIS)),
            OpenApiParameter("country", str, description="ISO 3166-1 alpha-2 code"),
            OpenApiParameter("region", str, description="UN M49 sub-region, e.g. Western Europe"),
            OpenApiParameter("top", int_schema(1, 200), description="How many suggestions (1–200, default 20)."),
            OpenApiParameter("as_of", OpenApiTypes.DATE, description="policy as it stood that day"),
        ],
    )
    def list(self, request, *args, **kwargs):
        organisation = getattr(request.user, "organisation", None)
        if organisation is None or not permissions.can_see_recommendations(request.user, organisation.pk):
            raise DRFPermissionDenied()
        q = request.query_params
        top = int_param(request, "top", maximum=200, default=20)
        as_of = parse_date_param(request, "as_of")
        ranking = services.recommend_for_organisation(
            organisation, top=top, emphasis=parse_choice_param(request, "emphasis", list(EMPHASIS)),
            country=(q.get("country") or "").upper(), region=q.get("region") or "", as_of=as_of)
        if ranking is None:
            return Response({"organisation": organisation.pk, "trained": False,
                             "missing_features": [], "note": "", "results": [], "excluded": []})
        return Response({
            "organisation": organisation.pk, "trained": True,
            "missing_features": ranking.missing, "note": ranking.note,
            "results": [s.as_dict() for s in ranking.suggestions],
            "excluded": [s.as_dict() for s in ranking.excluded],
        })


class PartnerProfileViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Open partner-seeking profiles of every organisation."""

    serializer_class = PartnerProfileSerializer

    def get_queryset(self):
        return selectors.open_profiles()


def register(router) -> None:
    router.register("recommendations", RecommendationViewSet, basename="recommendation")
    router.register("partner-profiles", PartnerProfileViewSet, basename="partner-profile")
