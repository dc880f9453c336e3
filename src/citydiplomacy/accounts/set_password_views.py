"""The one-time set-password page of a new account (a municipality's first administrator, see
governments.activation): Django's password-reset confirmation with its signed, expiring token,
the project's password rules (AUTH_PASSWORD_VALIDATORS) and a message on success."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.urls import reverse_lazy
from django.utils.translation import gettext as _


class SetPasswordView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/set_password.html"
    success_url = reverse_lazy("web:login")
    reset_url_token = "choose"

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(self.request, _("Your password is set. Log in with your username and your new password."))
        return response
