"""URLs of the account pages: your account and password, your organisation's members."""

from django.urls import path

from citydiplomacy.accounts import views

app_name = "accounts"

urlpatterns = [
    path("account/", views.account, name="account"),
    path("account/password/", views.password_change, name="password-change"),
    path("account/members/<int:pk>/password/", views.member_password, name="member-password"),
]
