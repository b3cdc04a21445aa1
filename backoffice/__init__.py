"""The back office for department staff (Sachbearbeitung) under /sachbearbeitung/.

Desktop pages of their own rather than Django admin customisations: the inbox of every
service's items (`portal.inbox`; this app registers the reports as one source), the report
queue per department with filters, a map and bulk assignment, the report work screen (status,
re-routing, duplicates, referral, crews, moderation, photo blurring) and the crew load.
Writes go through `reporter.services` and `reporter.dispatch`; the admin stays for
configuration (departments, categories, rules, crews, answer templates).
"""
