"""FIT-Connect: the sender side of the federal Submission API v1 as a delivery route.

A case whose lead department and service have a FIT-Connect destination (`FitConnectDestination`,
set in the admin) is sent, encrypted, to the department's specialist system through the
Zustelldienst; its event log (polled, and on callback) brings back accept or reject, which
become status changes and messages to the citizen (`fitconnect_sender.services`); replies
with documents (Rückkanal) become messages with attachments (`fitconnect_sender.replies`).
Configuration, demo and known deviations: `docs/fitconnect.md`.
"""
