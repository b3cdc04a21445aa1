"""URLs of the Sozialcard (German paths: the city's language)."""
from django.urls import path

from . import activation, checker, pos_api, publicpages, staff, views, wallet

app_name = "sozialcard"

urlpatterns = [
    path("sozialcard/", views.sozialcard_start, name="start"),
    path("sozialcard/<slug:programme>/antrag/", views.sozialcard_apply, name="apply"),
    path("sozialcard/verlaengern/<int:pk>/", views.sozialcard_renew, name="renew"),
    path("sozialcard/gesendet/<str:token>/", views.sozialcard_sent, name="sent"),
    path("sozialcard/akzeptanzstellen/", publicpages.partners_page, name="partners"),
    path("sozialcard/statistik/", publicpages.statistics_page, name="statistics"),
    path("sozialcard/pruefen/", checker.checker_page, name="checker"),
    path("sozialcard/pruefen/anmelden/", checker.checker_sign_in, name="checker-sign-in"),
    path("sozialcard/pruefen/abmelden/", checker.checker_sign_out, name="checker-sign-out"),
    path("sozialcard/pruefen/manifest.webmanifest", checker.checker_manifest, name="checker-manifest"),
    path("sachbearbeitung/sozialcard/<int:pk>/", staff.decision, name="decision"),
    path("api/pos/v1/verify", pos_api.VerifyView.as_view(), name="pos-verify"),
    path("konto/karten/sw.js", wallet.card_service_worker, name="card-sw"),
    path("konto/karten/<int:pk>/", wallet.card_page, name="card"),
    path("konto/karten/<int:pk>/geraet.json", wallet.card_device_json, name="card-device"),
    path("konto/karten/<int:pk>/aktivierungscode/", activation.activation_code_view, name="card-activation-code"),
    path("sozialcard/aktivieren/", activation.activate_with_code, name="activate-code"),
    path("konto/karten/<int:pk>/aktivieren/", wallet.card_activate_view, name="card-activate"),
    path("konto/karten/<int:pk>/code.svg", wallet.card_code_svg, name="card-code"),
    path("konto/karten/<int:pk>/karte.pdf", wallet.card_pdf, name="card-pdf"),
]
