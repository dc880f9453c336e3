"""API of the permitting authority's queue: GET /api/permission-requests/ lists the open
permission requests of every municipality with the facts to decide them, a page at a time. The decision is
POST /api/agreements/{id}/transition/ with to = permission_granted | permission_denied,
date and reference (agreements.api)."""

from __future__ import annotations

from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied

from citydiplomacy.accounts import permissions
from citydiplomacy.agreements import permission_requests


class OtherTieSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    title = serializers.CharField()
    status = serializers.CharField(source="state")
    signed_on = serializers.DateField(allow_null=True)


class DocumentRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    kind = serializers.CharField()
    title = serializers.CharField()
    original_name = serializers.CharField()


class PermissionRequestSerializer(serializers.Serializer):
    agreement = serializers.IntegerField(source="agreement.pk")
    organisation = serializers.IntegerField(source="agreement.organisation_id")
    organisation_name = serializers.CharField(source="agreement.organisation.name")
    title = serializers.CharField(source="agreement.title")
    instrument = serializers.CharField(source="agreement.instrument")
    partner = serializers.CharField(source="agreement.partner_name")
    partner_country = serializers.CharField(source="country")
    requested_on = serializers.DateField(source="agreement.permission_requested_on", allow_null=True)
    age_days = serializers.IntegerField()
    council_decision_on = serializers.DateField(source="agreement.council_decision_on", allow_null=True)
    council_decision_number = serializers.CharField(source="agreement.council_decision_number")
    council_decision_final_on = serializers.DateField(source="agreement.council_decision_final_on",
                                                      allow_null=True)
    policy_status_on_request = serializers.CharField(source="status_on_request")
    policy_status_today = serializers.CharField(source="status_today")
    other_ties_in_country = OtherTieSerializer(source="other_ties", many=True)
    documents = DocumentRefSerializer(many=True)


class PermissionRequestViewSet(viewsets.GenericViewSet):
    """Open permission requests (Municipal Law 5393 art. 74) of every municipality, oldest
    first: for the permitting authority's staff and national oversight (others: 403)."""

    serializer_class = PermissionRequestSerializer
    filter_backends: list = []

    def get_queryset(self):
        return permission_requests.open_requests()

    def list(self, request):
        """One page of the queue (`page`, `page_size`; 50 by default), oldest first."""
        if not permissions.can_read_permission_requests(request.user):
            raise PermissionDenied("The queue of permission requests is for the permitting authority "
                                   "and national oversight.")
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(
            PermissionRequestSerializer(permission_requests.queue(page), many=True).data)
