"""Check the running demo (`scripts/run.sh`) the way a citizen uses it, over HTTP only.

    .venv/bin/python scripts/demo_check.py [--url http://127.0.0.1:8000] [--timeout 120]

Logs in at the demo OpenID provider as `demo-buerger` (Erika Mustermann, level hoch), applies
for a Meldebescheinigung (PDF into the account) and pays with the test provider, files an
Abmeldung ins Ausland, and waits until both documents — sent back through the local
FIT-Connect test server by the reference subscriber — are listed in `/konto/`; downloads them.
Prints each step; exit status 0 when everything arrived, 1 otherwise. Uses only the demo's
published demo credentials (`accounts/demo_provider/citizens.py`).
"""
import argparse
import datetime as dt
import re
import sys
import time
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import requests

PERSON = ("demo-buerger", "demo-buerger")


class _Forms(HTMLParser):
    """Per POST form of a page: the names of its fields and its hidden values."""

    def __init__(self):
        super().__init__()
        self.forms: list[tuple[set, dict]] = []
        self.open = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.open = (attrs.get("method") or "").lower() == "post"
            if self.open:
                self.forms.append((set(), {}))
        elif self.open and tag in ("input", "select", "textarea", "button") and attrs.get("name"):
            names, values = self.forms[-1]
            names.add(attrs["name"])
            if attrs.get("type") == "hidden":
                values[attrs["name"]] = attrs.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self.open = False


def hidden(html: str, field: str) -> dict[str, str]:
    """The hidden values (CSRF token, submission key, next) of the POST form with `field`
    (the page also has other forms, e.g. the language switch with its own `next`)."""
    parser = _Forms()
    parser.feed(html)
    return next((values for names, values in parser.forms if field in names), {})


def step(text: str) -> None:
    print(f"- {text}", flush=True)


def login(session: requests.Session, base: str) -> None:
    """OpenID Connect login at level hoch, following the redirects like a browser."""
    url = f"{base}/konto/anmelden/oidc/?stufe=hoch&next=/konto/"
    for _hop in range(12):
        response = session.get(url, allow_redirects=False, timeout=30)
        if response.status_code in (301, 302, 303):
            url = urljoin(url, response.headers["Location"])
            continue
        if response.status_code == 200 and 'name="password"' in response.text:  # the provider's login page
            fields = {**hidden(response.text, "password"), "username": PERSON[0], "password": PERSON[1]}
            response = session.post(url, data=fields, allow_redirects=False, timeout=30,
                                    headers={"Referer": url})
            if response.status_code != 302:
                raise SystemExit(f"login at the provider failed: {response.status_code}")
            url = urljoin(url, response.headers["Location"])
            continue
        if urlsplit(url).path == "/konto/" and response.status_code == 200:
            step("logged in at the demo provider as demo-buerger (level hoch)")
            return
        raise SystemExit(f"login stopped at {url}: {response.status_code}")
    raise SystemExit("login: too many redirects")


def post_form(session: requests.Session, url: str, data: dict, *, field: str) -> requests.Response:
    page = session.get(url, timeout=30)
    page.raise_for_status()
    return session.post(url, data={**hidden(page.text, field), **data}, allow_redirects=False, timeout=30,
                        headers={"Referer": url})


def apply_meldebescheinigung(session: requests.Session, base: str) -> str:
    response = post_form(session, f"{base}/meldebescheinigung/", {
        "kind": "einfach", "for_whom": "ich", "purpose": "Demo-Prüfung", "delivery": "konto", "declaration": "on",
        "_submit": "1"}, field="kind")
    if response.status_code != 303 or "/bezahlen/" not in response.headers.get("Location", ""):
        raise SystemExit(f"Meldebescheinigung: form answered {response.status_code}")
    payment = urljoin(base, response.headers["Location"])
    step(f"Meldebescheinigung filled in; test payment at {payment}")
    response = post_form(session, payment, {"action": "bezahlen"}, field="action")
    sent = session.get(urljoin(base, response.headers["Location"]), timeout=30)
    return _reference(sent, "Meldebescheinigung")


def apply_abmeldung(session: requests.Session, base: str) -> str:
    data = {"move_date": (dt.date.today() + dt.timedelta(days=3)).strftime("%d.%m.%Y"),
            "new_street": "Praterstraße 1", "new_postcode": "1020", "new_city": "Wien", "new_country": "AT",
            "declaration": "on", "_submit": "1"}
    for group, most in (("members", 10), ("documents", 12)):
        data.update({f"{group}-TOTAL_FORMS": "0", f"{group}-INITIAL_FORMS": "0", f"{group}-MIN_NUM_FORMS": "0",
                     f"{group}-MAX_NUM_FORMS": str(most)})
    response = post_form(session, f"{base}/abmeldung-ausland/", data, field="move_date")
    if response.status_code != 303:
        raise SystemExit(f"Abmeldung: form answered {response.status_code}")
    return _reference(session.get(urljoin(base, response.headers["Location"]), timeout=30), "Abmeldung")


def _reference(page: requests.Response, name: str) -> str:
    match = re.search(r"\b(MB|AB)-\d{4}-\d{6}\b", page.text)
    if page.status_code != 200 or not match:
        raise SystemExit(f"{name}: no receipt with a reference ({page.status_code} {page.url})")
    step(f"{name} filed as {match.group(0)}")
    return match.group(0)


def document_wait(session: requests.Session, base: str, reference: str, timeout: float) -> bytes:
    """Poll /konto/ until the case lists a document; download it."""
    deadline = time.monotonic() + timeout
    pattern = re.compile(rf'href="(/konto/vorgaenge/{reference}/dateien/\d+/)"[^>]*>([^<]+)<')
    while time.monotonic() < deadline:
        match = pattern.search(session.get(f"{base}/konto/", timeout=30).text)
        if match:
            pdf = session.get(urljoin(base, match.group(1)), timeout=30).content
            step(f"{reference}: {match.group(2)} in /konto/ ({len(pdf)} bytes, starts {pdf[:5]!r})")
            return pdf
        time.sleep(2)
    raise SystemExit(f"{reference}: no document in /konto/ after {timeout:.0f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args()
    base = args.url.rstrip("/")
    session = requests.Session()
    login(session, base)
    references = [apply_meldebescheinigung(session, base), apply_abmeldung(session, base)]
    ok = True
    for reference in references:
        pdf = document_wait(session, base, reference, args.timeout)
        ok = ok and pdf.startswith(b"%PDF-") and b"Mustermann" in pdf
    print("OK: both documents arrived" if ok else "FAILED: a document is not the expected PDF")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
