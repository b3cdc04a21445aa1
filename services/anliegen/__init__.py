"""The general request (Anliegen): a citizen describes a concern online, or a clerk records one
taken by phone (115), at the counter or by letter; topic rules (Themenregeln) choose the
department, else the central triage team gets it.

The service plugs into the portal through `portal_hooks.py` only (catalogue entry, navigation,
case type); its cases live in `cases` (one lifecycle for every service). Modules: `conf`
(settings `ANLIEGEN`), `models` (TopicRule), `routing` (which department), `rules_file`
(export and import of the topic rules), `services` (file a request), `forms`, `views`,
`mail` (requests by email: the MTA pipe `manage.py anliegen_receive_mail` and the IMAP
mailbox polled by `tasks.anliegen_mail_fetch_task`).
"""
