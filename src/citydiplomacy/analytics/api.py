"""Analytics API: the whole-network statistics and the map data as JSON (read-only)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import viewsets
from rest_framework.response import Response

from citydiplomacy.analytics.selectors import network_summary
from citydiplomacy.core.throttling import HeavyAPIMixin


class NetworkStatsViewSet(HeavyAPIMixin, viewsets.ViewSet):
    """Statistics of the world twinning network, computed in the background when the ties
    change. `updating` says that newer ties are being taken into account (the figures are
    those of `computed_at`); before the first computation the answer is 202 with no figures."""

    @extend_schema(responses={
        200: OpenApiTypes.OBJECT,
        202: OpenApiResponse(OpenApiTypes.OBJECT, description="Not computed yet: `updating` is true and "
                             "`computed_at` null; ask again in a moment."),
    })
    def list(self, request):
        stored = network_summary()
        if not stored.ready:
            return Response({"updating": True, "computed_at": None}, status=202)
        # the summary is shared (held in process): answer a copy without the focus part
        body = {k: v for k, v in stored.value.items() if k != "focus"}
        body.update(updating=stored.updating,
                    computed_at=stored.computed_at.isoformat(timespec="seconds"))
        return Response(body)


def register(router) -> None:
    router.register("analytics/network", NetworkStatsViewSet, basename="analytics-network")
