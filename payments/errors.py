"""The errors of payments, each with its HTTP status code and a German message (English via i18n)."""

__all__ = ["PaymentError", "PaymentNotFound", "PaymentStateError"]


class PaymentError(Exception):
    """Base class: `status_code` is the HTTP answer, `message` the text for the user."""

    status_code = 400

    def __init__(self, message: str):
        self.message = str(message)
        super().__init__(self.message)


class PaymentNotFound(PaymentError):
    """No such payment, or not this user's (404: existence is not disclosed)."""

    status_code = 404


class PaymentStateError(PaymentError):
    """The payment is already in another final state (409)."""

    status_code = 409
