"""Names and formats taken from the FIT-Connect Submission API v1 and its schemas.

One place for every URI, scope, header and limit the server, the subscriber and the tests share,
so a reader can compare them with the published documentation (docs.fitko.de/fit-connect:
"Submission API", "Event Log", "Security Event Token", "Callbacks", "Metadaten").
"""

__all__ = [
    "PROBLEM_PREFIX", "EVENT_PREFIX", "EVENT_PROBLEM_PREFIX", "SET_SCHEMA", "METADATA_SCHEMA_URI",
    "CALLBACK_NEW_SUBMISSIONS", "CALLBACK_NEW_EVENTS", "CALLBACK_NEW_REPLIES",
    "SCOPE_SEND", "scope_subscribe", "event_uri", "LEIKA_URN_PREFIX", "DEMO_SERVICES",
    "JWE_ALG", "JWE_ENC", "SET_ALG", "SET_TYP", "ACCESS_TOKEN_SECONDS", "MAX_LIST_LIMIT",
    "CALLBACK_MAX_AGE_SECONDS",
]

# RFC 7807 problem types of the Submission API: PROBLEM_PREFIX + name ("destination-not-found").
PROBLEM_PREFIX = "https://schema.fitko.de/fit-connect/submission-api/problems/"

# Event types of the event log (Security Event Tokens, RFC 8417); EVENT_PREFIX + name.
EVENT_PREFIX = "https://schema.fitko.de/fit-connect/events/"
# Problem types a subscriber names in a reject-submission event.
EVENT_PROBLEM_PREFIX = "https://schema.fitko.de/fit-connect/events/problems/"
SET_SCHEMA = "https://schema.fitko.de/fit-connect/set-payload/1.0.0/set-payload.schema.json"
SET_ALG = "PS512"  # SETs are signed with RSASSA-PSS / SHA-512
SET_TYP = "secevent+jwt"

METADATA_SCHEMA_URI = "https://schema.fitko.de/fit-connect/metadata/1.0.0/metadata.schema.json"

# Content encryption of data, metadata and attachments: JWE compact, RSA-OAEP-256 key wrap, A256GCM.
JWE_ALG = "RSA-OAEP-256"
JWE_ENC = "A256GCM"

# Callback payload types (header callback-authentication = hex HMAC-SHA512 over
# "<callback-timestamp>.<body>", header callback-timestamp = Unix seconds).
CALLBACK_NEW_SUBMISSIONS = "https://schema.fitko.de/fit-connect/submission-api/callbacks/new-submissions"
CALLBACK_NEW_EVENTS = "https://schema.fitko.de/fit-connect/submission-api/callbacks/new-events"
CALLBACK_NEW_REPLIES = "https://schema.fitko.de/fit-connect/submission-api/callbacks/new-replies"
CALLBACK_MAX_AGE_SECONDS = 5 * 60  # receivers must refuse older timestamps

# OAuth 2.0 scopes (client credentials): senders may send anywhere in Germany, a subscriber only
# reads the destinations it is registered for.
SCOPE_SEND = "send:region:DE"


def scope_subscribe(destination_id: str) -> str:
    """The scope that lets a subscriber client read submissions of one destination."""
    return f"subscribe:destination:{destination_id}"


def event_uri(name: str) -> str:
    """Full event type URI for a short name such as ``"accept-submission"``."""
    return EVENT_PREFIX + name


ACCESS_TOKEN_SECONDS = 30 * 60
MAX_LIST_LIMIT = 500  # largest page of submissions/events/replies the API hands out

LEIKA_URN_PREFIX = "urn:de:fim:leika:leistung:"
# The demo destination's services. The LeiKa keys are the ones this project uses for the two
# registration-office services; `server init --service KEY=NAME` replaces them.
DEMO_SERVICES = {
    "99115005000000": "Meldebescheinigung erteilen",
    "99115002017000": "Abmeldung ins Ausland",
}
