"""The payment's outcome for a registration certificate: paid → file the case, cancelled or
failed → drop the waiting application. Each receiver calls one service."""
from django.dispatch import receiver

from payments.models import Payment
from payments.signals import payment_finished

from .conf import SERVICE
from .models import PendingApplication
from .services import meldebescheinigung_application_drop, meldebescheinigung_file_paid


@receiver(payment_finished, dispatch_uid="meldebescheinigung_payment_finished")
def payment_finished_receiver(sender, payment: Payment, **kwargs):
    if payment.service != SERVICE:
        return
    if payment.status == Payment.Status.PAID:
        application = PendingApplication.objects.filter(payment=payment).first()
        if application is not None:
            meldebescheinigung_file_paid(application=application)
    else:
        meldebescheinigung_application_drop(payment=payment)
