"""The PDF the reference subscriber sends back: a test Meldebescheinigung or Abmeldebestätigung.

Written with fpdf2 and its built-in Helvetica (Latin-1: German umlauts work; other characters
become "?"). Every page says plainly that it is a test document of the development server.
fpdf2 writes an ``/OpenAction`` destination array (open at page 1), which the portal's PDF
check (``config.pdf``) accepts as what it is: no action.
"""

import datetime as dt

from fpdf import FPDF

__all__ = ["certificate_pdf", "person_from_data"]

_GIVEN = ("vorname", "vornamen", "givenname", "given_name", "first_name", "firstname")
_FAMILY = ("familienname", "nachname", "familyname", "family_name", "last_name", "lastname", "surname")
_BIRTH = ("geburtsdatum", "birthdate", "date_of_birth", "birth_date", "dateofbirth")
_ADDRESS = ("anschrift", "adresse", "address", "wohnanschrift")
# Flat address parts as OpenID Connect names them (the portal sends the identity's claims).
_ADDRESS_PARTS = ("street_address", "postal_code", "locality")


def _walk(value, found: dict) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            k = key.lower().replace("-", "_")
            for field, names in (("given", _GIVEN), ("family", _FAMILY), ("birth", _BIRTH), ("address", _ADDRESS)):
                if k in names and field not in found and item not in (None, "", {}, []):
                    found[field] = item
            if k == "name" and "name" not in found and isinstance(item, str):
                found["name"] = item
            if k in _ADDRESS_PARTS and isinstance(item, str) and item:
                found.setdefault("parts", {}).setdefault(k, item)
            _walk(item, found)
    elif isinstance(value, list):
        for item in value:
            _walk(item, found)


def _address_text(value) -> str:
    if isinstance(value, dict):
        parts = [value.get(k) for k in ("strasse", "street", "hausnummer", "house_number", "plz", "postcode",
                                         "postal_code", "ort", "city", "land", "country")]
        return " ".join(str(p) for p in parts if p) or ", ".join(str(v) for v in value.values() if v)
    return str(value)


def person_from_data(data) -> dict:
    """Name, birth date and address found anywhere in the submission's data (first match wins).

    Senders name fields differently; the subscriber looks for the usual German and English keys
    (``vorname``/``givenName``, ``familienname``/``nachname``/``familyName``, ``name``,
    ``geburtsdatum``/``birthDate``, ``anschrift``/``address``, or the OpenID Connect address
    parts ``street_address``, ``postal_code``, ``locality``).
    """
    found: dict = {}
    # The applicant first: a data set that names a "person" lists household members elsewhere,
    # and the sender's sorted keys put "members" before "person".
    if isinstance(data, dict) and isinstance(data.get("person"), dict):
        _walk(data["person"], found)
    _walk(data, found)
    name = " ".join(str(found[k]) for k in ("given", "family") if k in found) or str(found.get("name", "")).strip()
    parts = found.get("parts", {})
    if "address" not in found and parts:
        town = " ".join(parts[k] for k in ("postal_code", "locality") if k in parts)
        found["address"] = ", ".join(p for p in (parts.get("street_address", ""), town) if p)
    return {
        "name": name or "(Name nicht angegeben)",
        "birth_date": str(found.get("birth", "")),
        "address": _address_text(found["address"]) if "address" in found else "",
    }


def _latin1(text: str) -> str:
    return text.encode("latin-1", "replace").decode("latin-1")


def certificate_pdf(*, title: str, person: dict, case_id: str, issued: dt.date | None = None) -> bytes:
    """A one-page PDF certificate naming the person; ``title`` e.g. ``"Meldebescheinigung"``."""
    issued = issued or dt.date.today()
    pdf = FPDF(format="A4")
    pdf.compress = False  # a one-page certificate: readable content streams help tests and curious readers
    pdf.set_title(_latin1(title))
    pdf.set_author("Stadtmelder FIT-Connect Referenz-Fachverfahren")
    pdf.set_creation_date(dt.datetime.combine(issued, dt.time(), tzinfo=dt.UTC))
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 20)
    pdf.cell(0, 14, _latin1(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "I", 10)
    pdf.multi_cell(0, 6, _latin1("Testdokument des lokalen FIT-Connect-Entwicklungsservers - kein amtliches "
                                 "Dokument."), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("Helvetica", "", 12)
    rows = [("Name", person.get("name", "")), ("Geburtsdatum", person.get("birth_date", "")),
            ("Anschrift", person.get("address", "")), ("Vorgang (caseId)", case_id),
            ("Ausgestellt am", issued.strftime("%d.%m.%Y"))]
    for label, value in rows:
        if not value:
            continue
        pdf.set_font("Helvetica", "B", 12)
        pdf.cell(50, 8, _latin1(label + ":"))
        pdf.set_font("Helvetica", "", 12)
        pdf.multi_cell(0, 8, _latin1(str(value)), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)
    pdf.multi_cell(0, 6, _latin1("Demo-Meldebehörde (Referenz-Fachverfahren, fitconnect_dev)"),
                   new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
