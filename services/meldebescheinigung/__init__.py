"""Meldebescheinigung (registration certificate, § 18 BMG): a citizen logged in at the city's
level (default substanziell) asks for a simple or extended certificate, for themselves or
also for members of their household, with an optional purpose, as a PDF in the account or
by post.

Payment comes first: the form's values wait in a `PendingApplication` while the citizen
pays the fee (`payments`, shown on the form and on the payment page); only a paid
application becomes a case (`cases.services.case_create`), which a configured delivery route
(FIT-Connect) takes on commit, or the registration office works in the back office (the
clerk sends the certificate as a message with the PDF attached; it appears in `/konto/`
with an email). A cancelled or failed payment files nothing and deletes the waiting values.
A fee of 0 files at once.

Modules: `conf` (settings `MELDEBESCHEINIGUNG`), `models` (PendingApplication), `services`,
`receivers` (the payment's outcome), `views`, `portal_hooks` (catalogue, case type).
"""
