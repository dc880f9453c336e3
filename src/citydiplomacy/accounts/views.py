"""Account pages: your account, changing your own password, an organisation admin setting a
member's new password. Thin: accounts.services checks the rules (AUTH_PASSWORD_VALIDATORS) and
revokes API tokens; accounts.permissions decides who may reset whose password."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm, SetPasswordForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from citydiplomacy.accounts import permissions, selectors, services


@login_required
def account(request):
    can_manage = permissions.can_manage_users(request.user, request.user.organisation_id)
    return render(request, "accounts/account.html", {
        "members": selectors.own_organisation_members(request.user), "can_manage": can_manage})


def _add_service_errors(form, exc: ValidationError, field: str) -> None:
    messages_by_field = getattr(exc, "message_dict", {None: exc.messages})
    for name, texts in messages_by_field.items():
        target = field if name in ("password", "new_password") else (name if name in form.fields else None)
        for text in texts:
            form.add_error(target, text)


@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_own_password(request.user, old_password=form.cleaned_data["old_password"],
                                         new_password=form.cleaned_data["new_password1"])
        except ValidationError as exc:
            _add_service_errors(form, exc, "new_password2")
        else:
            update_session_auth_hash(request, request.user)  # stay signed in here
            messages.success(request, _("Your password has been changed. API tokens you had were revoked."))
            return redirect("accounts:account")
    return render(request, "accounts/password_form.html", {"form": form, "member": None})


@login_required
@require_http_methods(["GET", "POST"])
def member_password(request, pk: int):
    member = get_object_or_404(selectors.members_visible_to(request.user), pk=pk)
    if not permissions.can_manage_users(request.user, member.organisation_id):
        raise PermissionDenied(_("Only an administrator of this organisation may change its users."))
    form = SetPasswordForm(member, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reset_member_password(member, actor=request.user,
                                           password=form.cleaned_data["new_password1"])
        except ValidationError as exc:
            _add_service_errors(form, exc, "new_password2")
        else:
            if member.pk == request.user.pk:
                update_session_auth_hash(request, member)
            messages.success(request, _("The new password of %(username)s is set; their sessions and "
                                        "API tokens have ended.") % {"username": member.username})
            return redirect("accounts:account")
    return render(request, "accounts/password_form.html", {"form": form, "member": member})
