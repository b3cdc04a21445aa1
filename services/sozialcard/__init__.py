"""Sozialcard and further discount programmes (Familienpass, Ehrenamtskarte …), a plug-in service.

Programmes are data (`models.Programme`): eligibility, proofs, validity rules, discount
categories and the partners' discounts. A citizen applies (a case of the service "sozialcard",
decided by the social welfare office); every approved person gets a `Card`. Privacy by design
after the Ehrenamtskarte (digitalfabrik/entitlementcard): the server keeps a keyed hash of
the card's data (`cardhash`), its validity and a revocation flag — not the social data; a
till learns valid or not, programme, discount category, first name and year of birth, never
the benefit type or the address. See docs in the README section "Sozialcard".
"""
