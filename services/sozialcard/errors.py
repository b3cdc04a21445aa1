"""The errors of the Sozialcard's services: subclasses of `cases.errors.CaseError` (the
portal's one mapping to HTTP: status code, German message, English through i18n)."""
from cases.errors import CaseError

__all__ = ["ActivationCodeExpired", "ActivationCodeUsed", "ActivationCodeWrong", "CardInvalid"]


class CardInvalid(CaseError):
    """The data of a card to issue are not acceptable (400; the message says why, `field`
    names the input)."""

    status_code = 400
    code = "card_invalid"


class ActivationCodeWrong(CaseError):
    """No activation code like this exists (400)."""

    status_code = 400
    code = "activation_code_wrong"


class ActivationCodeUsed(CaseError):
    """The activation code has activated a card already (409: one use only)."""

    status_code = 409
    code = "activation_code_used"


class ActivationCodeExpired(CaseError):
    """The activation code's time is up (410)."""

    status_code = 410
    code = "activation_code_expired"
