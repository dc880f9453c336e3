"""REST API of the gazetteer: autocomplete search over places (any signed-in user)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.response import Response

from citydiplomacy.core.api_contract import int_param, int_schema

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
    """Places of the gazetteer whose name begins with `q` (any language), biggest first."""

    @extend_schema(
        parameters=[
            OpenApiParameter("q", str, required=True, description="Any name or its beginning"),
            OpenApiParameter("country", str, required=False, description="ISO 3166-1 alpha-2"),
            OpenApiParameter("limit", int_schema(1, 25), required=False, description="How many places (1-25, default 10)."),
        ],
        responses=PlaceHitSerializer(many=True),
    )
    def list(self, request, *args, **kwargs):
        limit = int_param(request, "limit", maximum=25, default=10)
        if "q" not in request.query_params:
            raise serializers.ValidationError({"q": [_("This parameter is required.")]})
        hits = selectors.search_places(
            request.query_params["q"], request.query_params.get("country", ""), limit
        )
        return Response(PlaceHitSerializer(hits, many=True).data)


def register(router) -> None:
    router.register("places/search", PlaceSearchViewSet, basename="place-search")
