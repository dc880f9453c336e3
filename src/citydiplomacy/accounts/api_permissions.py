"""DRF permission classes that delegate to accounts.permissions (the one rule book)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import SAFE_METHODS, BasePermission

from citydiplomacy.accounts import permissions


class SignedInReadsPermission(BasePermission):
    """Every signed-in user reads; whether a write may start at all (before its body is read) is
    `may_write`'s answer (here: no). Anonymous users get nothing."""

    def has_permission(self, request, view) -> bool:
        if not permissions.is_signed_in(request.user):
            return False
        return request.method in SAFE_METHODS or self.may_write(request, view)

    def may_write(self, request, view) -> bool:
        return False


class RegistryPermission(SignedInReadsPermission):
    """Shared registry: every signed-in user reads; officers and admins write."""

    message = "Only officers and administrators may change the registry."

    def may_write(self, request, view) -> bool:
        return permissions.can_edit_registry(request.user)


class OrganisationRecordPermission(SignedInReadsPermission):
    """Records owned by an organisation (object has organisation_id)."""

    def may_write(self, request, view) -> bool:
        return permissions.organisation_id_of(request.user) is not None

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            return permissions.can_read_organisation(request.user, obj.organisation_id)
        return permissions.can_edit_organisation(request.user, obj.organisation_id)


class LocalGovernmentPermission(RegistryPermission):
    """The registry of local governments: as RegistryPermission, and an organisation's own
    record is changed only by that organisation's admin (checked before the body is read)."""

    message = _("Only officers and administrators may change local governments.")

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            return True
        if permissions.can_edit_registry_record(request.user, obj):
            return True
        self.message = _("Only this organisation's administrator may change its record.")
        return False


class OrganisationWritePermission(SignedInReadsPermission):
    """Viewsets over one organisation's records (agreements, activities): every signed-in user
    reads (querysets are scoped), and a write is refused with 403 before its body is validated
    when the user's role may not write such records at all. The view names what each action
    needs in `write_needs` ({action: "edit" | "decide" | "step"}; default "edit"). Whether the
    user may write *this* organisation's record is decided after the object is found (another
    organisation's records answer 404, as missing ones)."""

    def may_write(self, request, view) -> bool:
        needs = getattr(view, "write_needs", {}).get(getattr(view, "action", None), "edit")
        return permissions.can_write_own_records(request.user, needs)


class IdentityCorrectionPermission(SignedInReadsPermission):
    """Every signed-in user reads the proposals; only those who may edit the registry or
    steward a record may write at all (refused before the body is read)."""

    def may_write(self, request, view) -> bool:
        if view.action == "create":
            return (permissions.can_edit_registry(request.user)
                    or permissions.can_review_registry_corrections(request.user))
        return permissions.can_review_registry_corrections(request.user)

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return permissions.can_steward_registry_record(request.user, obj.government)
