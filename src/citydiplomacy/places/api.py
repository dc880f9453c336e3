"""REST API of the gazetteer: autocomplete search over places (any signed-in user)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from . import selectors


class PlaceHitSerializer(serializers.Serializer):
    geonameid = serializers.IntegerField()
    name = serializers.CharField()
    country_code = serializers.CharField()
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    population = serializers.IntegerField()
    matched = serializers.CharField(help_text="The (folded) name that matched the query.")


class PlaceSearchViewSet(viewsets.ViewSet):
    """GET /api/places/search/?q=köln[&country=DE][&limit=10] — biggest places first."""

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, required=True, description="Any name or its beginning"),
            OpenApiParameter("country", str, required=False, description="ISO 3166-1 alpha-2"),
            OpenApiParameter("limit", int, required=False, description="1-25, default 10"),
        ],
        responses=PlaceHitSerializer(many=True),
    )
    def list(self, request):
        try:
            limit = max(1, min(25, int(request.query_params.get("limit", 10))))
        except ValueError:
            limit = 10
        hits = selectors.search_places(
            request.query_params.get("q", ""), request.query_params.get("country", ""), limit
        )
        return Response(PlaceHitSerializer(hits, many=True).data)


def register(router) -> None:
    router.register("places/search", PlaceSearchViewSet, basename="place-search")
