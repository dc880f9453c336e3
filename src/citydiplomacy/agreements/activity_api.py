"""REST API of an organisation's activities (delegations, events, projects; planned or held):
list, create, edit with version, and DELETE that archives. An agreement named in an activity
must be one the user may read (another organisation's answers as a missing one)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from citydiplomacy.accounts import permissions
from citydiplomacy.accounts.api_permissions import OrganisationWritePermission
from citydiplomacy.agreements import selectors, services
from citydiplomacy.agreements.api import DomainErrorsMixin
from citydiplomacy.agreements.models import Activity, Agreement
from citydiplomacy.core.api_contract import int_param, int_schema, parse_choice_param
from citydiplomacy.governments.models import LocalGovernment


class ReadableAgreementField(serializers.PrimaryKeyRelatedField):
    """An agreement id among those the user may read: another organisation's agreement gets
    exactly the answer a missing one gets (no existence oracle)."""

    default_error_messages = {"does_not_exist": _lazy("No such agreement.")}

    def get_queryset(self):
        request = self.context.get("request")
        return permissions.scope_to_readable(Agreement.objects.all(), getattr(request, "user", None))


class ActivitySerializer(serializers.ModelSerializer):
    agreement = ReadableAgreementField(required=False, allow_null=True)
    partner = serializers.PrimaryKeyRelatedField(queryset=LocalGovernment.objects.all(), required=False, allow_null=True)
    version = serializers.IntegerField(required=False)

    class Meta:
        model = Activity
        fields = ["id", "organisation", "agreement", "partner", "kind", "title", "starts_on",
                  "ends_on", "area", "participants", "participants_note", "cost_try", "outcome",
                  "status", "archived_at", "version"]
        read_only_fields = ["id", "organisation", "archived_at"]

    def create(self, validated_data):
        validated_data.pop("version", None)
        return services.create_activity(actor=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        if "version" not in validated_data:
            raise serializers.ValidationError({"version": [_("Send the version you edited (optimistic locking).")]})
        version = validated_data.pop("version")
        return services.update_activity(instance, actor=self.context["request"].user,
                                        version=version, **validated_data)


@extend_schema_view(list=extend_schema(parameters=[
    OpenApiParameter("agreement", int_schema(), description="Only this agreement's activities."),
    OpenApiParameter("status", str, enum=Activity.Status.values)]))
class ActivityViewSet(DomainErrorsMixin, viewsets.ModelViewSet):
    """Activities (delegations, events, projects, …), planned or held. DELETE archives."""

    serializer_class = ActivitySerializer
    filter_backends: list = []
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]
    permission_classes = [OrganisationWritePermission]

    def get_queryset(self):
        return selectors.activities_for(
            self.request.user, agreement=int_param(self.request, "agreement"),
            status=parse_choice_param(self.request, "status", Activity.Status.values))

    def get_object(self):
        return selectors.get_activity(self.request.user, self.kwargs["pk"])

    def perform_destroy(self, instance):
        services.archive_activity(instance, actor=self.request.user)

