"""Analytics API: the whole-network statistics as JSON and the annual report's PDF, both
produced in the background (read-only)."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, viewsets
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.response import Response

from citydiplomacy.analytics import report_pdf
from citydiplomacy.analytics.report_views import pdf_response, pdf_target
from citydiplomacy.analytics.selectors import network_summary
from citydiplomacy.core.throttling import HeavyAPIMixin

PDF_RETRY_AFTER = 3


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


class FirstRenderer(BaseContentNegotiation):
    """The PDF is answered as it is; everything else (202, errors) as JSON, whatever Accept says."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type

    def select_parser(self, request, parsers):
        return parsers[0]


class ReportPDFViewSet(HeavyAPIMixin, viewsets.ViewSet):
    """The annual report of an organisation (the caller's own; oversight: any, with
    `?organisation=`) as a PDF. It is made by the background task runner: when one of today's
    data is held the answer is the PDF (200); otherwise its production is started (or joined)
    and the answer is 202 with `Location` (this URL: ask again after `Retry-After` seconds) and,
    when an older PDF is held, its date and the URL that downloads it (`previous`). Heavy rate
    and one running request per user, like the other downloads."""

    lookup_field = "year"
    lookup_value_regex = r"\d+"
    content_negotiation_class = FirstRenderer

    @extend_schema(parameters=[OpenApiParameter("organisation", int, required=False)], responses={
        (200, "application/pdf"): OpenApiTypes.BINARY,
        (202, "application/json"): OpenApiResponse(OpenApiTypes.OBJECT, description=(
            "Being prepared: ask `Location` again after `Retry-After` seconds; `previous` downloads "
            "the PDF made on `computed_at` from older data, or is null.")),
    })
    def retrieve(self, request, year=None):
        year = int(year)
        organisation, language = pdf_target(request.user, year, request.query_params.get("organisation"))
        held = report_pdf.state(organisation.pk, year, language)
        previous = request.query_params.get("previous") == "1"
        if held.ready and (previous or not held.updating):
            if "missing" in held.value:
                raise exceptions.NotFound(held.value["missing"] or None)
            return pdf_response(held.value)
        if previous:
            raise exceptions.NotFound()
        report_pdf.start(organisation.pk, year, language, lambda: None)  # counted by HeavyAPIMixin
        here = request.build_absolute_uri(f"{request.path}?organisation={organisation.pk}")
        response = Response({
            "status": "preparing",
            "computed_at": held.computed_at.isoformat(timespec="seconds") if held.ready else None,
            "previous": f"{here}&previous=1" if held.ready and "pdf" in held.value else None,
        }, status=202)
        response["Location"] = here
        response["Retry-After"] = str(PDF_RETRY_AFTER)
        return response


def register(router) -> None:
    router.register("analytics/network", NetworkStatsViewSet, basename="analytics-network")
    router.register("analytics/report-pdf", ReportPDFViewSet, basename="analytics-report-pdf")
