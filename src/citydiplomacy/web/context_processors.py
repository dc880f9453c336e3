"""Template context: who is signed in, for which organisation, in which role."""

from __future__ import annotations

from citydiplomacy.accounts import notifications, permissions


def membership(request):
    user = getattr(request, "user", None)
    if not permissions.is_signed_in(user):
        return {"membership": None}
    return {
        "membership": {
            "organisation": user.organisation,
            "role": user.get_role_display(),
            "role_code": user.role,
            "can_edit": permissions.can_edit_organisation(user, user.organisation_id),
            "can_decide": permissions.can_decide_for_organisation(user, user.organisation_id),
            "can_edit_registry": permissions.can_edit_registry(user),
            "can_review_registry_corrections": permissions.can_review_registry_corrections(user),
            "is_oversight": permissions.is_oversight(user),
            "can_activate_municipalities": permissions.can_activate_municipalities(user),
            "reads_permission_requests": permissions.can_read_permission_requests(user),
            "unread_notifications": notifications.unread_count(user),
            "reads_directives": permissions.can_read_directives(user),
            # oversight reads every report, a member its own; the permitting authority none
            "reads_annual_report": permissions.can_read_annual_report(user, user.organisation_id),
            "open_directive_tasks": _open_directive_tasks(user),
        }
    }


def _open_directive_tasks(user) -> int:
    from citydiplomacy.agreements.models import DirectiveTask

    organisation_id = permissions.organisation_id_of(user)
    if organisation_id is None:
        return 0
    return DirectiveTask.objects.filter(organisation_id=organisation_id, state=DirectiveTask.State.OPEN).count()
