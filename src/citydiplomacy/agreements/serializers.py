"""Serializers of the agreements API (`api.py`): an agreement as read (full, and the lighter
registry row), its partner, contacts, events and documents, and the bodies the agreement
endpoints accept (create, edit with version, transition, document upload, archive). A row's
status and flags come from the registry rows (`context["rows"]`), never from stored columns."""

from __future__ import annotations

from rest_framework import serializers

from citydiplomacy.agreements import lifecycle
from citydiplomacy.agreements.lifecycle import Instrument, State
from citydiplomacy.agreements.models import (
    Agreement,
    AgreementEvent,
    Contact,
    CooperationArea,
    Document,
    InternationalOrganisation,
    Renewal,
)
from citydiplomacy.core.api_base import field_rule
from citydiplomacy.governments.models import LocalGovernment
from citydiplomacy.policy.selectors import policy_country


class PartnerSerializer(serializers.ModelSerializer):
    country_code = serializers.SerializerMethodField()

    class Meta:
        model = LocalGovernment
        fields = ["id", "name", "country_code", "geonameid", "latitude", "longitude", "is_unresolved"]

    def get_country_code(self, obj) -> str:
        return policy_country(obj)


class InternationalOrganisationSerializer(serializers.ModelSerializer):
    class Meta:
        model = InternationalOrganisation
        fields = ["id", "name", "acronym", "country_code", "website"]
        read_only_fields = ["id"]

    def validate_country_code(self, value):
        from citydiplomacy.policy.services import validate_country_code

        return field_rule(validate_country_code, value, "country_code") if value else value


class ContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = ["side", "name", "position", "email", "phone"]


class AgreementSerializer(serializers.ModelSerializer):
    """An agreement as read; `status` and `flags` are as of the requested date (or today)."""

    status = serializers.SerializerMethodField()
    flags = serializers.SerializerMethodField()
    organisation = serializers.SerializerMethodField()
    partner = PartnerSerializer(read_only=True, allow_null=True)
    partner_organisation = InternationalOrganisationSerializer(read_only=True, allow_null=True)
    permitting_authority = serializers.SerializerMethodField()
    allowed_transitions = serializers.SerializerMethodField()
    contacts = ContactSerializer(many=True, read_only=True)
    as_of = serializers.SerializerMethodField()
    needs_review = serializers.SerializerMethodField()
    review_note = serializers.SerializerMethodField()

    class Meta:
        model = Agreement
        fields = [
            "id", "organisation", "instrument", "title", "status", "partner",
            "partner_organisation", "areas", "operative_commitments",
            "council_decision_on", "council_decision_number", "council_decision_final_on",
            "permission_requested_on", "permission_decided_on", "permission_granted",
            "permission_reference", "permitting_authority", "policy_clearance_reference",
            "signed_on", "signed_on_precision", "signed_place", "effective_on", "term_years",
            "expires_on", "renewal", "ended_on", "end_reason", "notes", "source", "is_imported",
            "needs_review", "review_note", "archived_at", "flags", "version",
            "allowed_transitions", "contacts", "as_of",
        ]

    def _row(self, obj):
        return self.context.get("rows", {}).get(obj.pk)

    def get_status(self, obj) -> str:
        row = self._row(obj)
        return row.state if row else obj.state

    def get_flags(self, obj) -> list[str]:
        row = self._row(obj)
        return row.flags if row else []

    def get_needs_review(self, obj) -> bool:
        """Computed with the flags (policy.rules), never stored."""
        row = self._row(obj)
        return bool(row and row.needs_review)

    def get_review_note(self, obj) -> str:
        row = self._row(obj)
        return row.review_note if row else ""

    def get_as_of(self, obj) -> str | None:
        row = self._row(obj)
        return row.as_of.isoformat() if row and row.as_of else None

    def get_organisation(self, obj) -> dict:
        return {"id": obj.organisation_id, "name": obj.organisation.name}

    def get_permitting_authority(self, obj) -> dict | None:
        authority = obj.permitting_authority
        return {"name_en": authority.name_en, "name_tr": authority.name_tr} if authority else None

    def get_allowed_transitions(self, obj) -> list[str]:
        return lifecycle.targets_from(obj.state) if not obj.archived_at else []


class AgreementListSerializer(AgreementSerializer):
    """A registry row: what a list needs (the full record is at /api/agreements/{id}/)."""

    class Meta(AgreementSerializer.Meta):
        fields = [
            "id", "organisation", "instrument", "title", "status", "partner", "partner_organisation",
            "areas", "council_decision_on", "permission_decided_on", "permission_granted",
            "signed_on", "signed_on_precision", "ended_on", "is_imported", "needs_review",
            "archived_at", "flags", "version", "as_of",
        ]


# The columns a registry row reads (AgreementListSerializer, its nested partners and the
# flags): the list query loads only these (tests/agreements/test_api_queries.py counts queries).
LIST_COLUMNS = [
    "id", "organisation_id", "organisation__name", "instrument", "title", "state", "areas",
    "council_decision_on", "permission_decided_on", "permission_granted", "signed_on",
    "signed_on_precision", "effective_on", "ended_on", "is_imported", "archived_at", "version",
    *(f"partner__{f}" for f in ("id", "name", "country_code", "raw_country", "geonameid",
                                "region_code", "latitude", "longitude", "is_unresolved")),
    *(f"partner_organisation__{f}" for f in ("id", "name", "acronym", "country_code", "website")),
]

class AgreementCreateSerializer(serializers.Serializer):
    instrument = serializers.ChoiceField(Instrument.choices)
    title = serializers.CharField(max_length=300)
    partner = serializers.PrimaryKeyRelatedField(queryset=LocalGovernment.objects.all(), required=False, allow_null=True)
    partner_organisation = serializers.PrimaryKeyRelatedField(
        queryset=InternationalOrganisation.objects.all(), required=False, allow_null=True)
    areas = serializers.ListField(child=serializers.ChoiceField(CooperationArea.choices), required=False)
    operative_commitments = serializers.BooleanField(required=False)
    notes = serializers.CharField(required=False, allow_blank=True)
    source = serializers.CharField(required=False, allow_blank=True)
    signed_place = serializers.CharField(required=False, allow_blank=True, max_length=200)
    term_years = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=100)
    renewal = serializers.ChoiceField(Renewal.choices, required=False)
    contacts = ContactSerializer(many=True, required=False)


class AgreementUpdateSerializer(AgreementCreateSerializer):
    version = serializers.IntegerField(help_text="The version you read; a stale one answers 409.")
    instrument = serializers.ChoiceField(Instrument.choices, required=False)
    title = serializers.CharField(max_length=300, required=False)
    effective_on = serializers.DateField(required=False, allow_null=True)
    expires_on = serializers.DateField(required=False, allow_null=True)
    council_decision_final_on = serializers.DateField(required=False, allow_null=True)
    policy_clearance_reference = serializers.CharField(required=False, allow_blank=True, max_length=200)


class TransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(State.choices)
    date = serializers.DateField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    reference = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    final_on = serializers.DateField(required=False, allow_null=True,
                                     help_text="Date the council decision became final.")
    clearance = serializers.CharField(required=False, allow_blank=True, default="", max_length=200,
                                      help_text="Extra central approval (restricted countries).")
    place = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)
    document = serializers.IntegerField(required=False, allow_null=True)
    version = serializers.IntegerField(required=False, allow_null=True)


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()

    class Meta:
        model = AgreementEvent
        fields = ["id", "kind", "from_state", "to_state", "occurred_on", "recorded_at", "actor",
                  "reason", "reference", "document", "policy_status", "facts"]

    def get_actor(self, obj) -> str | None:
        return obj.actor.get_username() if obj.actor_id else None


class DocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Document
        fields = ["id", "agreement", "activity", "kind", "title", "original_name", "content_type",
                  "size", "sha256", "uploaded_at"]
        read_only_fields = fields


class DocumentUploadSerializer(serializers.Serializer):
    file = serializers.FileField()
    kind = serializers.ChoiceField(Document.Kind.choices, default=Document.Kind.OTHER)
    title = serializers.CharField(required=False, allow_blank=True, default="")


class ArchiveSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    reason = serializers.CharField(required=False, allow_blank=True, default="")

