"""Authentication endpoints: token for API clients, the current user."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from citydiplomacy.accounts import permissions


class ObtainTokenView(ObtainAuthToken):
    """POST username and password; answers {"token": "..."} for `Authorization: Token ...`."""

    throttle_scope = "token"

    @extend_schema(
        request=inline_serializer("TokenRequest", {"username": serializers.CharField(),
                                                   "password": serializers.CharField()}),
        responses=inline_serializer("TokenResponse", {"token": serializers.CharField()}),
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    role = serializers.CharField()
    organisation = serializers.SerializerMethodField()
    can_edit = serializers.SerializerMethodField()
    can_decide = serializers.SerializerMethodField()

    def get_organisation(self, user) -> dict | None:
        org = user.organisation
        return {"id": org.id, "name": org.name, "country_code": org.country_code} if org else None

    def get_can_edit(self, user) -> bool:
        return permissions.can_edit_organisation(user, user.organisation_id)

    def get_can_decide(self, user) -> bool:
        return permissions.can_decide_for_organisation(user, user.organisation_id)


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)
