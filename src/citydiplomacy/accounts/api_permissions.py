"""DRF permission classes that delegate to accounts.permissions (the one rule book)."""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission

from citydiplomacy.accounts import permissions


class RegistryPermission(BasePermission):
    """Shared registry: every signed-in user reads; officers and admins write."""

    message = "Only officers and administrators may change the registry."

    def has_permission(self, request, view) -> bool:
        if not permissions.is_signed_in(request.user):
            return False
        return request.method in SAFE_METHODS or permissions.can_edit_registry(request.user)


class OrganisationRecordPermission(BasePermission):
    """Records owned by an organisation (object has organisation_id)."""

    def has_permission(self, request, view) -> bool:
        if not permissions.is_signed_in(request.user):
            return False
        if request.method in SAFE_METHODS:
            return True
        return permissions.organisation_id_of(request.user) is not None

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            return permissions.can_read_organisation(request.user, obj.organisation_id)
        return permissions.can_edit_organisation(request.user, obj.organisation_id)
