from django.contrib.auth.views import LogoutView
from django.urls import path

from . import password_reset, views

app_name = "people"

urlpatterns = [
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    path("accounts/logout/", LogoutView.as_view(), name="logout"),
    path(
        "accounts/password-reset/",
        password_reset.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        password_reset.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/password-reset/<uidb64>/<token>/",
        password_reset.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password-reset/done/",
        password_reset.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/preferences/", views.preferences, name="preferences"),
    path("accounts/two-factor/", views.two_factor, name="two_factor"),
    path("accounts/tokens/", views.token_create, name="token_create"),
    path("accounts/tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("accounts/tokens/<int:token_id>/confirm/", views.token_confirm, name="token_confirm"),
    path("people/<str:username>/", views.person_detail, name="detail"),
]
