"""REST API of reminders and calendars: the anniversaries, expiries, renewals and permission
requests waiting too long of the agreements a user reads (`/api/reminders/`), and the iCal
feeds of an organisation (`/api/calendar/`: signed in, or behind a secret token URL for
calendar apps; POST to `feed` makes a new token and invalidates the old one)."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from citydiplomacy.accounts import permissions
from citydiplomacy.agreements import selectors, services
from citydiplomacy.agreements.ical import calendar_ics
from citydiplomacy.agreements.models import CalendarFeed
from citydiplomacy.core.api_contract import int_param, int_schema, parse_date_param


class ReminderSerializer(serializers.Serializer):
    kind = serializers.CharField()
    on = serializers.DateField()
    title = serializers.CharField()
    agreement_id = serializers.IntegerField()
    organisation_id = serializers.IntegerField()


MAX_DAYS = 3660


@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("days", int_schema(0, MAX_DAYS), description="Horizon in days from `start` (default 365)."),
    OpenApiParameter("start", OpenApiTypes.DATE, description="First day (default today)."),
    OpenApiParameter("organisation", int_schema(), description="Id of an organisation (oversight).")]))
class ReminderViewSet(viewsets.GenericViewSet):
    """Anniversaries, expiries and renewals, and permission requests waiting too long."""

    serializer_class = ReminderSerializer
    filter_backends: list = []
    pagination_class = None

    def list(self, request, *args, **kwargs):
        found = selectors.reminders(request.user, start=parse_date_param(request, "start"),
                                    days=int_param(request, "days", minimum=0, maximum=MAX_DAYS, default=365),
                                    organisation=int_param(request, "organisation"))
        return Response(ReminderSerializer(found, many=True).data)


class CalendarFeedSerializer(serializers.Serializer):
    url = serializers.CharField()
    token = serializers.CharField()


class CalendarViewSet(viewsets.GenericViewSet):
    """iCal feeds of your organisation's anniversaries, deadlines and planned activities."""

    serializer_class = CalendarFeedSerializer
    filter_backends: list = []
    pagination_class = None
    lookup_field = "token"
    lookup_value_regex = r"[A-Za-z0-9_\-]+"

    def get_permissions(self):
        if self.action == "retrieve":
            return [AllowAny()]
        return super().get_permissions()

    def get_authenticators(self):
        if self.request is not None and self.request.resolver_match and \
                self.request.resolver_match.kwargs.get("token"):
            return []
        return super().get_authenticators()

    @staticmethod
    def _ics(organisation) -> HttpResponse:
        response = HttpResponse(calendar_ics(organisation), content_type="text/calendar; charset=utf-8")
        response["Content-Disposition"] = 'inline; filename="citydiplomacy.ics"'
        return response

    @extend_schema(operation_id="calendar_own_ics", responses={(200, "text/calendar"): OpenApiTypes.STR})
    def list(self, request, *args, **kwargs):
        """Your organisation's calendar (iCal), for a signed-in client."""
        organisation = getattr(request.user, "organisation", None)
        if organisation is None or permissions.organisation_id_of(request.user) is None:
            raise Http404
        return self._ics(organisation)

    @extend_schema(responses={(200, "text/calendar"): OpenApiTypes.STR})
    def retrieve(self, request, token=None, *args, **kwargs):
        """The calendar behind a secret feed URL, for calendar apps (no sign-in)."""
        feed = CalendarFeed.objects.select_related("organisation").filter(token=token).first()
        if feed is None:
            raise Http404
        return self._ics(feed.organisation)

    @extend_schema(request=None, responses=CalendarFeedSerializer)
    @action(detail=False, methods=["get", "post"])
    def feed(self, request, *args, **kwargs):
        """Your organisation's feed URL; POST makes a new secret URL and invalidates the old one."""
        organisation = getattr(request.user, "organisation", None)
        if organisation is None:
            raise Http404
        feed = services.calendar_feed(actor=request.user, organisation=organisation,
                                      rotate=request.method == "POST")
        url = request.build_absolute_uri(f"/api/calendar/{feed.token}/")
        return Response({"url": url, "token": feed.token})

