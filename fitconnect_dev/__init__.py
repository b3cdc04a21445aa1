"""Local FIT-Connect development side: a Zustelldienst test server and a reference subscriber.

FIT-Connect (docs.fitko.de/fit-connect) carries a submission from an online service (the
sender) to a specialist system (Fachverfahren, the subscriber) through the Zustelldienst and
its Submission API v1. This package ships both ends the portal talks to, for development,
tests and the demo — never for production:

- ``python -m fitconnect_dev.server init --state DIR`` creates a test CA, one demo destination
  (encryption and signature keys, certificates signed by the test CA) and OAuth client
  credentials for one sender and one subscriber, written as JSON into DIR;
- ``python -m fitconnect_dev.server --host H --port P --state DIR`` serves the Submission API;
- ``python -m fitconnect_dev.subscriber --state DIR --server URL`` is the Fachverfahren
  stand-in: it fetches, decrypts and checks each submission, accepts or rejects it, and
  answers an accepted Meldebescheinigung / Abmeldung with a PDF through the reply route.

It is not a Django app and must never be imported by the web application.
"""
