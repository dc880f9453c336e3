"""URLs of the account pages: your account and password, your organisation's members, the
one-time set-password link of a new account."""

from django.urls import path

from citydiplomacy.accounts import views
from citydiplomacy.accounts.set_password_views import SetPasswordView

app_name = "accounts"

urlpatterns = [
    path("account/", views.account, name="account"),
    path("account/password/", views.password_change, name="password-change"),
    path("account/members/<int:pk>/password/", views.member_password, name="member-password"),
    path("account/set-password/<uidb64>/<token>/", SetPasswordView.as_view(), name="set-password"),
]
