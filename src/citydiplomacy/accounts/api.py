"""Authentication endpoints: API tokens (django-rest-knox: hashed, expiring, revocable), the
current user and their password, the organisation's members."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from citydiplomacy.accounts import permissions, selectors, services
from citydiplomacy.accounts.api_permissions import SignedInReadsPermission
from citydiplomacy.accounts.models import NATIONAL_ROLES, Role, User
from citydiplomacy.core.throttling import ScopedThrottle


class ObtainTokenView(APIView):
    """Send your username and password (POST): a new token for `Authorization: Token ...` and its expiry.
    DELETE (with that header): revoke the token the request carries."""

    throttle_scope = "token"
    throttle_classes = (ScopedThrottle,)

    def get_permissions(self):
        return [AllowAny()] if self.request.method == "POST" else [IsAuthenticated()]

    @extend_schema(
        request=inline_serializer("TokenRequest", {"username": serializers.CharField(),
                                                   "password": serializers.CharField()}),
        responses=inline_serializer("TokenResponse", {"token": serializers.CharField(),
                                                      "expiry": serializers.DateTimeField()}),
    )
    def post(self, request, *args, **kwargs):
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        instance, token = services.issue_api_token(serializer.validated_data["user"])
        return Response({"token": token, "expiry": serializers.DateTimeField().to_representation(
            instance.expiry)})

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, *args, **kwargs):
        if not isinstance(request.successful_authenticator, KnoxTokenAuthentication):
            raise exceptions.ValidationError(
                _("This request carries no API token to revoke; send it in the Authorization header."))
        services.revoke_api_token(request.auth)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RevokeAllTokensView(APIView):
    """DELETE: revoke every API token of the signed-in user (log out everywhere)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, *args, **kwargs):
        services.revoke_all_api_tokens(request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PasswordChangeSerializer(serializers.Serializer):
    old_password = serializers.CharField(write_only=True)
    new_password = serializers.CharField(write_only=True)


class OwnPasswordView(APIView):
    """POST old_password and new_password: change your own password (checked against the
    password rules). Every API token of yours is revoked: ask for a new one."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=PasswordChangeSerializer, responses={204: None})
    def post(self, request, *args, **kwargs):
        serializer = PasswordChangeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.change_own_password(request.user, old_password=serializer.validated_data["old_password"],
                                     new_password=serializer.validated_data["new_password"])
        return Response(status=status.HTTP_204_NO_CONTENT)


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
    """You: your username, role and organisation, and what you may do."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)


class MemberSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    username = serializers.RegexField(r"^[\w.@+-]{3,150}$", max_length=150)
    role = serializers.ChoiceField(choices=[r for r in Role.values if r not in NATIONAL_ROLES])
    is_active = serializers.BooleanField(required=False)
    organisation = serializers.IntegerField(source="organisation_id", read_only=True)
    # checked by the password rules (AUTH_PASSWORD_VALIDATORS) in accounts.services; on update,
    # an admin's reset of the member's password
    password = serializers.CharField(write_only=True, required=False)

    def validate_username(self, value):
        if self.instance is None and User.objects.filter(username=value).exists():
            raise serializers.ValidationError("This username is taken.")
        return value

    def create(self, validated):
        request = self.context["request"]
        return services.add_member(actor=request.user, organisation=request.user.organisation,
                                   username=validated["username"], role=validated["role"],
                                   password=validated.get("password"))

    def update(self, instance, validated):
        actor = self.context["request"].user
        member = services.update_member(instance, actor=actor, role=validated.get("role"),
                                        is_active=validated.get("is_active"))
        if validated.get("password"):
            services.reset_member_password(member, actor=actor, password=validated["password"])
        return member


class MemberPermission(SignedInReadsPermission):
    """Members read their organisation's user list; only its admin changes it."""

    def may_write(self, request, view) -> bool:
        return permissions.can_manage_users(request.user, request.user.organisation_id)


class MemberViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                    mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Users of the caller's organisation (oversight sees all). Another organisation's
    member is not found (404), so not even its existence leaks."""

    serializer_class = MemberSerializer
    permission_classes = [MemberPermission]
    filter_backends: list = []

    def get_queryset(self):
        return selectors.members_visible_to(self.request.user)


def register(router) -> None:
    router.register("members", MemberViewSet, basename="member")
