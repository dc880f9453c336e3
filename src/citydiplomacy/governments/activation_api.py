"""API of activating a Turkish municipality as an organisation (national oversight):
GET /api/municipality-activations/?q= lists the registry's municipalities matching a name or
official code, with whether each is active; POST /api/municipality-activations/ (`code`,
`username`, optional `email`) activates one with its first administrator and answers the
one-time set-password link. Thin: governments.activation decides."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from citydiplomacy.accounts import permissions
from citydiplomacy.governments import activation


class ActivationInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40)
    username = serializers.CharField(max_length=150)
    email = serializers.CharField(max_length=254, required=False, allow_blank=True, default="")


class MunicipalitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    official_code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    province = serializers.CharField(source="region_code")
    active = serializers.BooleanField(source="is_organisation_record")


class ActivationSerializer(serializers.Serializer):
    organisation = serializers.IntegerField(source="municipality.pk")
    official_code = serializers.CharField(source="municipality.official_code")
    name = serializers.CharField(source="municipality.name")
    admin = serializers.CharField(source="admin.username")
    set_password_url = serializers.CharField()


class MunicipalityActivationViewSet(viewsets.GenericViewSet):
    """Turkish municipalities of the registry, and their activation as organisations."""

    serializer_class = MunicipalitySerializer
    filter_backends: list = []
    pagination_class = None
    queryset = activation.municipalities().none()

    def _require(self, request):
        if not permissions.can_activate_municipalities(request.user):
            raise PermissionDenied("Only national oversight activates municipalities.")

    @extend_schema(parameters=[OpenApiParameter("q", str, description="name or official code")],
                   responses={200: MunicipalitySerializer(many=True)})
    def list(self, request):
        self._require(request)
        return Response(MunicipalitySerializer(activation.search(request.query_params.get("q", "")), many=True).data)

    @extend_schema(request=ActivationInputSerializer, responses={201: ActivationSerializer})
    def create(self, request):
        self._require(request)
        serializer = ActivationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            done = activation.activate_municipality(actor=request.user, site_url=request.build_absolute_uri("/"),
                                                    **serializer.validated_data)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages) from exc
        done_data = {"municipality": done.municipality, "admin": done.admin,
                     "set_password_url": request.build_absolute_uri(done.set_password_path)}
        return Response(ActivationSerializer(done_data).data, status=status.HTTP_201_CREATED)


def register(router) -> None:
    router.register("municipality-activations", MunicipalityActivationViewSet, basename="municipality-activation")
