from django.urls import path

from . import views

app_name = "exchange"

urlpatterns = [
    path("", views.home, name="home"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<str:code>/accounts/", views.account_open, name="account_open"),
    path("accounts/<uuid:uuid>/", views.account_detail, name="account"),
    path("accounts/<uuid:uuid>/limits/", views.account_limits, name="account_limits"),
    path("accounts/<uuid:uuid>/freeze/", views.account_freeze, name="account_freeze"),
]
