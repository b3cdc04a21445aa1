"""URLs of payments: the test provider's payment page (German path: the city's language)."""
from django.urls import path

from . import views

app_name = "payments"

urlpatterns = [
    path("bezahlen/test/<str:token>/", views.test_payment_page, name="test-page"),
]
