"""URLs of the registration certificate (German paths: the city's language)."""
from django.urls import path

from . import views

app_name = "meldebescheinigung"

urlpatterns = [
    path("meldebescheinigung/", views.meldebescheinigung_new, name="new"),
    path("meldebescheinigung/zahlung/<str:token>/", views.payment_return, name="payment-return"),
    path("meldebescheinigung/gesendet/<str:token>/", views.meldebescheinigung_sent, name="sent"),
]
