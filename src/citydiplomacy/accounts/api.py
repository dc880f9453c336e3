"""Authentication endpoints: token for API clients, the current user."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import mixins, serializers, viewsets
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from citydiplomacy.accounts import permissions, selectors, services
from citydiplomacy.accounts.models import NATIONAL_ROLES, Role, User


class ObtainTokenView(ObtainAuthToken):
    """Send your username and password; the answer's token goes in `Authorization: Token …`."""

    throttle_scope = "token"
    throttle_classes = (ScopedRateThrottle,)  # ObtainAuthToken sets () and would switch it off

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
    password = serializers.CharField(write_only=True, required=False, min_length=10)

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
        return services.update_member(instance, actor=self.context["request"].user,
                                      role=validated.get("role"), is_active=validated.get("is_active"))


class MemberPermission(BasePermission):
    """Members read their organisation's user list; only its admin changes it."""

    def has_permission(self, request, view) -> bool:
        if not permissions.is_signed_in(request.user):
            return False
        if request.method in SAFE_METHODS:
            return True
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
