"""URLs of the Sozialcard (German paths: the city's language)."""
from django.urls import path

from . import activation, pos_api, staff, views, wallet

app_name = "sozialcard"

urlpatterns = [
    path("sozialcard/", views.sozialcard_start, name="start"),
    path("sozialcard/<slug:programme>/antrag/", views.sozialcard_apply, name="apply"),
    path("sozialcard/verlaengern/<int:pk>/", views.sozialcard_renew, name="renew"),
    path("sozialcard/gesendet/<str:token>/", views.sozialcard_sent, name="sent"),
    path("sachbearbeitung/sozialcard/<int:pk>/", staff.decision, name="decision"),
    path("api/pos/v1/verify", pos_api.VerifyView.as_view(), name="pos-verify"),
    path("konto/karten/sw.js", wallet.card_service_worker, name="card-sw"),
    path("konto/karten/<int:pk>/", wallet.card_page, name="card"),
    path("konto/karten/<int:pk>/geraet.json", wallet.card_device_json, name="card-device"),
    path("konto/karten/<int:pk>/aktivierungscode/", activation.activation_code_view, name="card-activation-code"),
    path("karte/aktivieren/", activation.activate_with_code, name="activate-code"),
    path("konto/karten/<int:pk>/aktivieren/", wallet.card_activate_view, name="card-activate"),
    path("konto/karten/<int:pk>/code.svg", wallet.card_code_svg, name="card-code"),
    path("konto/karten/<int:pk>/karte.pdf", wallet.card_pdf, name="card-pdf"),
]
