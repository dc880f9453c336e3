"""REST API for the registry of local governments."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets

from citydiplomacy.accounts.api_permissions import RegistryPermission
from citydiplomacy.governments import selectors, services
from citydiplomacy.governments.models import WIKIDATA_ID_PATTERN, LocalGovernment


class LocalGovernmentSerializer(serializers.ModelSerializer):
    country_code = serializers.CharField(max_length=2, allow_blank=True, required=False)
    wikidata_id = serializers.RegexField(
        WIKIDATA_ID_PATTERN, max_length=20, allow_blank=True, required=False,
        help_text=_("Wikidata item id, Q followed by digits (Q406); blank when not known."),
        error_messages={"invalid": _("A Wikidata id looks like Q406.")})

    class Meta:
        model = LocalGovernment
        fields = [
            "id", "name", "official_name", "kind", "country_code", "parent", "wikidata_id",
            "geonameid", "region_code", "latitude", "longitude", "population",
            "is_unresolved", "raw_name", "raw_country",
        ]
        read_only_fields = ["id", "is_unresolved", "raw_name", "raw_country"]
        extra_kwargs = {"latitude": {"min_value": -90, "max_value": 90},
                        "longitude": {"min_value": -180, "max_value": 180}}

    def validate_country_code(self, value: str) -> str:
        from django.core.exceptions import ValidationError

        try:
            return services.validate_country_code(value)
        except ValidationError as exc:
            raise serializers.ValidationError(exc.message_dict["country_code"]) from exc

    def create(self, validated_data):
        return services.create_local_government(actor=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        return services.update_local_government(
            instance, actor=self.context["request"].user, **validated_data
        )


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("country", str, description=str(_("ISO 3166-1 alpha-2 country code"))),
            OpenApiParameter("search", str, description=str(_("Words matched against every name"))),
            OpenApiParameter("kind", str),
        ]
    )
)
class LocalGovernmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                             mixins.CreateModelMixin, mixins.UpdateModelMixin,
                             viewsets.GenericViewSet):
    """The shared registry of local governments of the world (partners and organisations)."""

    serializer_class = LocalGovernmentSerializer
    permission_classes = [RegistryPermission]
    filter_backends: list = []

    def get_queryset(self):
        params = self.request.query_params
        if self.action == "list":
            return selectors.local_governments(
                country=params.get("country"), search=params.get("search"), kind=params.get("kind")
            )
        return LocalGovernment.objects.all()


def register(router) -> None:
    router.register("local-governments", LocalGovernmentViewSet, basename="local-government")
