"""Abmeldung ins Ausland (deregistration when moving abroad, § 17 BMG): a citizen logged in
at level hoch (online ID) names the moving date, the new address abroad (country from the
ISO 3166 list), the household members moving too and the identity documents to be
invalidated; the person comes from the identity and cannot be edited.

The case goes to the registration office (a delivery route such as FIT-Connect takes it on
commit; without one, the clerk works it in the back office and sends the confirmation,
Abmeldebestätigung, as a PDF message). Form contents and documents are deleted a retention
period after completion (`retention`, a nightly Celery beat task); the case keeps its
history. No fee.

Modules: `conf` (settings `ABMELDUNG`), `services` (the date window, filing), `retention`,
`tasks`, `views`, `portal_hooks` (catalogue, case type).
"""
