"""Analytics API: the whole-network statistics and the map data as JSON (read-only)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.response import Response

from citydiplomacy.analytics.selectors import network_summary
from citydiplomacy.web.throttling import HeavyAPIMixin


class NetworkStatsViewSet(HeavyAPIMixin, viewsets.ViewSet):
    """Statistics of the world twinning network (cached; recomputed when ties change)."""

    @extend_schema(responses=OpenApiTypes.OBJECT)
    def list(self, request, *args, **kwargs):
        # the summary is shared (cached in process): answer a copy without the focus part
        return Response({k: v for k, v in network_summary().items() if k != "focus"})


def register(router) -> None:
    router.register("analytics/network", NetworkStatsViewSet, basename="analytics-network")
