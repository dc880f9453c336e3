"""API of directives: GET /api/directives/ (oversight, the authority), POST /api/directives/
(oversight: `country` or `region`, `issued_on`, `action`, `reason`, `source`, optional
`deadline`; answers 201 at once with the directive, whose tasks are then created in the
background), GET /api/directives/{id}/ with the progress of that fan-out (`progress`: state,
tasks created, agreements affected), the affected agreements of every municipality and their
answer."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from citydiplomacy.accounts import permissions
from citydiplomacy.agreements import directive_fanout, directives
from citydiplomacy.agreements.models import Directive
from citydiplomacy.core.api_base import StandardPagination


class DirectiveInputSerializer(serializers.Serializer):
    country = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    region = serializers.CharField(max_length=10, required=False, allow_blank=True, default="")
    issued_on = serializers.DateField()
    action = serializers.ChoiceField(choices=Directive.Action.choices)
    reason = serializers.CharField(max_length=5000)
    source = serializers.CharField(max_length=500)
    deadline = serializers.DateField(required=False, allow_null=True, default=None)


class DirectiveTaskSerializer(serializers.Serializer):
    agreement = serializers.IntegerField(source="agreement_id")
    organisation = serializers.IntegerField(source="organisation_id")
    organisation_name = serializers.CharField(source="organisation.name")
    title = serializers.CharField(source="agreement.title")
    agreement_status = serializers.CharField(source="agreement.state")
    response_state = serializers.CharField(source="state")
    answered_on = serializers.DateField(allow_null=True)
    answer = serializers.CharField()
    council_reference = serializers.CharField()


class ProgressSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=Directive.Fanout.choices)
    tasks_created = serializers.IntegerField()
    agreements_affected = serializers.IntegerField(allow_null=True)
    percent = serializers.IntegerField()


class DirectiveSerializer(serializers.ModelSerializer):
    place = serializers.SerializerMethodField()
    progress = serializers.SerializerMethodField()
    answered = serializers.SerializerMethodField()
    open = serializers.SerializerMethodField()

    class Meta:
        model = Directive
        fields = ["id", "country_code", "region_code", "place", "issued_on", "action", "reason", "source",
                  "deadline", "answered", "open", "progress"]

    def get_place(self, obj) -> str:
        return directives.place_label(obj)

    @extend_schema_field(ProgressSerializer)
    def get_progress(self, obj) -> dict:
        return ProgressSerializer(directive_fanout.progress(obj, directives.compliance(obj).total)).data

    def get_answered(self, obj) -> int:
        return directives.compliance(obj).counts.get("done", 0)

    def get_open(self, obj) -> int:
        return directives.compliance(obj).counts.get("open", 0)


class DirectiveDetailSerializer(DirectiveSerializer):
    agreements = DirectiveTaskSerializer(source="tasks_for_api", many=True,
                                         help_text="One page of the affected agreements (`page`, `page_size`).")
    agreements_count = serializers.IntegerField(help_text="All affected agreements.")
    agreements_next = serializers.CharField(allow_null=True, help_text="The next page of agreements, if any.")

    class Meta(DirectiveSerializer.Meta):
        fields = [*DirectiveSerializer.Meta.fields, "agreements", "agreements_count", "agreements_next"]


class DirectiveViewSet(viewsets.GenericViewSet):
    """Directives of the central government and their compliance across municipalities."""

    serializer_class = DirectiveSerializer
    filter_backends: list = []
    pagination_class = None
    queryset = Directive.objects.none()

    def _require_reader(self, request):
        if not permissions.can_read_directives(request.user):
            raise PermissionDenied("Directives are for national oversight and the permitting authority.")

    @extend_schema(responses={200: DirectiveSerializer(many=True)})
    def list(self, request):
        self._require_reader(request)
        return Response(DirectiveSerializer(directives.directives(), many=True).data)

    @extend_schema(request=DirectiveInputSerializer, responses={201: DirectiveDetailSerializer})
    def create(self, request):
        if not permissions.can_issue_directives(request.user):
            raise PermissionDenied("Only national oversight and the permitting authority issue directives.")
        serializer = DirectiveInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            directive = directives.issue_directive(actor=request.user, **serializer.validated_data)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages) from exc
        return Response(self._detail(directive), status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: DirectiveDetailSerializer})
    def retrieve(self, request, pk=None):
        self._require_reader(request)
        if not str(pk).isdigit():
            raise serializers.ValidationError({"id": "Not a directive id."})
        return Response(self._detail(get_object_or_404(Directive, pk=int(pk))))

    def paginate_tasks(self, directive):
        pager = StandardPagination()
        directive.tasks_for_api = pager.paginate_queryset(directives.tasks_of_directive(directive), self.request, self)
        directive.agreements_count = pager.page.paginator.count
        directive.agreements_next = pager.get_next_link()

    def _detail(self, directive):
        """The directive with one page of its affected agreements: a directive on a country
        can touch thousands of ties (50 a page by default)."""
        self.paginate_tasks(directive)
        return DirectiveDetailSerializer(directive).data
