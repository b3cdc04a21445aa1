"""Payments: the provider in use comes from the setting and the hook registry (unknown →
ImproperlyConfigured and the check payments.E001), states move pending → final once
(idempotent repeat, other final state 409), the signal is sent after commit only, and the
test provider's page refuses strangers, unknown actions and anonymous visitors."""
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from payments.checks import provider_check
from payments.errors import PaymentError, PaymentStateError
from payments.models import Payment
from payments.providers import PaymentProvider, payment_provider
from payments.services import payment_create, payment_status_set
from payments.signals import payment_finished
from portal import hooks
from tests.accounts.conftest import citizen_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def payer(django_user_model):
    return django_user_model.objects.create(username="zahler")


def _payment(owner, **extra) -> Payment:
    return payment_create(amount_cents=extra.pop("amount_cents", 1000), purpose="Gebühr", service="test-service",
                          return_url="/zurueck/", owner=owner, **extra)


def test_the_provider_comes_from_the_setting_and_the_hook(settings):
    assert payment_provider().key == "test"

    class OtherProvider(PaymentProvider):
        key, label = "andere", "Andere"

        def start(self, *, payment):
            return f"https://pay.example/{payment.token}"

    settings.PAYMENTS = {"PROVIDER": "andere"}
    with pytest.raises(ImproperlyConfigured):
        payment_provider()
    assert [e.id for e in provider_check()] == ["payments.E001"]
    with hooks.register_temporarily("register_payment_provider", OtherProvider):
        assert payment_provider().key == "andere" and provider_check() == []


def test_abstract_provider_cannot_be_built():
    class Incomplete(PaymentProvider):
        key = "halb"

    with pytest.raises(TypeError):
        Incomplete()


def test_states_are_final_and_repeat_is_a_no_op(payer):
    payment = _payment(payer)
    assert (payment.status, payment.provider, payment.currency) == ("pending", "test", "EUR")
    payment, changed = payment_status_set(payment=payment, status="paid", provider_reference="r-1")
    assert changed and payment.finished_at is not None
    assert payment_status_set(payment=payment, status="paid")[1] is False
    with pytest.raises(PaymentStateError) as refused:
        payment_status_set(payment=payment, status="cancelled")
    assert refused.value.status_code == 409
    with pytest.raises(PaymentError, match="Unbekannter Zahlungsstatus."):
        payment_status_set(payment=payment, status="pending")
    with pytest.raises(PaymentError, match="Der Betrag muss größer als null sein."):
        _payment(payer, amount_cents=0)
    assert Payment.objects.get().status == "paid" and Payment.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_signal_is_sent_after_commit_only(payer):
    seen = []

    def listener(sender, payment, **kwargs):
        seen.append(payment.status)

    payment_finished.connect(listener)
    try:
        payment = _payment(payer)
        with pytest.raises(RuntimeError), transaction.atomic():
            payment_status_set(payment=payment, status="paid")
            raise RuntimeError("rolled back")
        assert seen == [] and Payment.objects.get().status == "pending"
        payment_status_set(payment=payment, status="failed")
        payment_status_set(payment=payment, status="failed")
        assert seen == ["failed"]
    finally:
        payment_finished.disconnect(listener)


def test_the_test_page(client, payer, django_user_model):
    payment = _payment(payer)
    url = f"/bezahlen/test/{payment.token}/"
    assert client.get(url).status_code == 404  # anonymous
    stranger = django_user_model.objects.create(username="fremd")
    citizen_login(client, stranger)
    assert client.get(url).status_code == 404
    citizen_login(client, payer)
    page = client.get(url)
    assert page.status_code == 200 and '<dd id="payment-amount">10,00 EUR</dd>' in page.content.decode()
    wrong = client.post(url, {"action": "verschenken"})
    assert wrong.status_code == 400 and "Bitte wählen Sie, ob Sie bezahlen oder abbrechen." in wrong.content.decode()
    assert client.get("/bezahlen/test/unbekannt/").status_code == 404
    done = client.post(url, {"action": "abbrechen"})
    assert (done.status_code, done["Location"]) == (303, "/zurueck/")
    assert Payment.objects.get().status == "cancelled"
    assert 'id="payment-return"' in client.get(url).content.decode()
