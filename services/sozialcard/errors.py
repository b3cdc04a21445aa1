"""The errors of the Sozialcard's services: subclasses of `cases.errors.CaseError` (the
portal's one mapping to HTTP: status code, German message, English through i18n)."""
from cases.errors import CaseError

__all__ = ["CardInvalid"]


class CardInvalid(CaseError):
    """The data of a card to issue are not acceptable (400; the message says why, `field`
    names the input)."""

    status_code = 400
    code = "card_invalid"
