"""Requests by email: one mail becomes one request (rows, attachments, internal note and the
acknowledgement queued), a reply becomes a message on its case, machines' mails and loops are
dropped, a mail delivered twice stores one case, and the MTA pipe answers with sysexits codes.
"""
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core import mail as django_mail
from django.core.management import call_command
from django.core.management.base import CommandError

from cases.models import Case, CaseAttachment, CaseEvent, CaseLink, CaseMessage
from cases.services import case_status_change
from notifications.models import Notification
from services.anliegen.mail.intake import MailTemporaryError, Outcome, mail_receive
from services.anliegen.mail.parse import mail_parse
from services.anliegen.mail.replies import case_message_id, reply_text
from services.anliegen.management.commands.anliegen_receive_mail import Command as ReceiveCommand
from services.anliegen.models import InboundMail
from tests.cases.conftest import JPEG, PDF
from tests.fixtures_worker import database_url_for_tests

from .mails import build_mail

pytestmark = pytest.mark.django_db

PROJECT_DIR = Path(__file__).resolve().parents[3]
EXE = b"MZ\x90\x00" + b"\x00" * 60


@pytest.fixture(autouse=True)
def _intake_address(settings):
    settings.ANLIEGEN = {**getattr(settings, "ANLIEGEN", {}), "MAIL_ADDRESS": "anliegen@stadt.example"}
    settings.DEFAULT_FROM_EMAIL = "stadtmelder@stadt.example"
    settings.SITE_URL = "https://portal.stadt.example"


def receive(raw: bytes, *, tell_sender: bool = False):
    return mail_receive(raw=raw, tell_sender=tell_sender)


def nothing_written():
    return (Case.objects.count(), CaseMessage.objects.count(), InboundMail.objects.count(),
            Notification.objects.count()) == (0, 0, 0, 0)


# --- a new request -------------------------------------------------------------------------

def test_a_mail_becomes_a_request_with_its_attachments_a_note_and_the_acknowledgement(org):
    raw = build_mail(subject="Sperrmüll am Spielplatz", body="Seit Montag liegt dort Sperrmüll.\n\nErika",
                     attachments=[("foto.jpg", JPEG, "image/jpeg"), ("brief.pdf", PDF, "application/pdf"),
                                  ("tool.exe", EXE, "application/octet-stream")])
    result = receive(raw)
    case = Case.objects.get()
    assert (result.outcome, result.case) == (Outcome.CASE, case)
    assert (case.service, case.channel, case.title, case.description, case.contact_name, case.contact_email,
            case.department, case.status, case.language, case.data["topic"], case.data["routed_by"]) == (
        "anliegen", "email", "Sperrmüll am Spielplatz", "Seit Montag liegt dort Sperrmüll.\n\nErika",
        "Erika Muster", "erika@example.org", org.parks, "new", "de", "sonstiges", "Müll → Grün")
    assert re.fullmatch(r"mail:[0-9a-f]{64}", case.submission_key)
    assert sorted(CaseAttachment.objects.values_list("original_name", "content_type", "uploaded_by")) == [
        ("brief.pdf", "application/pdf", "citizen"), ("foto.jpg", "image/jpeg", "citizen")]
    note = case.events.get(kind=CaseEvent.Kind.NOTE)
    assert note.note_internal == ("Per E-Mail nicht übernommene Anhänge:\n"
                                  "- tool.exe: Erlaubt sind nur PDF-, JPEG- und PNG-Dateien.")
    assert note.note_public == ""
    assert list(InboundMail.objects.values_list("key", "outcome", "case")) == [(case.submission_key, "case", case.pk)]
    ack = Notification.objects.get()
    assert (ack.channel, ack.recipient, ack.event, ack.object_id, ack.subject) == (
        "email", "erika@example.org", "anliegen.mail_received", str(case.pk),
        f"[{case.reference}] Ihr Anliegen ist eingegangen: Sperrmüll am Spielplatz")
    assert ack.body == (
        "Guten Tag,\n\nvielen Dank für Ihre E-Mail. Wir haben Ihr Anliegen als Vorgang "
        f"{case.reference} erfasst und an die zuständige Stelle weitergegeben.\n\n"
        f"Den Stand Ihres Anliegens sehen Sie hier: https://portal.stadt.example/vorgang/{case.tracking_token}/\n\n"
        "Wenn Sie etwas ergänzen möchten, antworten Sie auf diese E-Mail: Ihre Antwort wird dem Vorgang zugeordnet."
        "\n\nDiese Anhänge konnten wir nicht übernehmen:\n- tool.exe: Erlaubt sind nur PDF-, JPEG- und PNG-Dateien.\n"
        "Bitte senden Sie Dateien als PDF, JPEG oder PNG.")
    headers = ack.payload["email_headers"]
    assert re.fullmatch(rf"<case\.{case.reference}\.[0-9a-f]{{16}}\.[0-9a-z]{{8}}@stadt\.example>",
                        headers["Message-ID"])
    assert (headers["In-Reply-To"], headers["References"], headers["Reply-To"]) == (
        "<m1@example.org>", "<m1@example.org>", "anliegen@stadt.example")


def test_the_acknowledgement_goes_out_with_threading_headers(org, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        case = receive(build_mail()).case
    sent = django_mail.outbox[-1]
    message = sent.message()
    assert (sent.to, sent.from_email) == (["erika@example.org"], "stadtmelder@stadt.example")
    assert message["Message-ID"] == Notification.objects.get().payload["email_headers"]["Message-ID"]
    assert (message["In-Reply-To"], message["Reply-To"], message["Auto-Submitted"]) == (
        "<m1@example.org>", "anliegen@stadt.example", "auto-generated")
    assert Notification.objects.get().state == "sent"
    assert case.reference in message["Subject"]


def test_an_english_mail_is_acknowledged_in_english(org):
    case = receive(build_mail(headers={"Content-Language": "en-GB"}, subject="Broken lamp")).case
    assert case.language == "en"
    ack = Notification.objects.get()
    assert ack.subject == f"[{case.reference}] We have received your request: Broken lamp"
    assert ack.body.startswith("Hello,\n\nthank you for your email. We have recorded your request as case "
                               f"{case.reference}")


def test_html_only_mail_is_read_as_text_without_its_scripts(org):
    html = ("<html><head><style>p{color:red}</style><script>alert('x')</script></head><body>"
            "<p>Die Ampel an der <b>Hauptstraße</b> ist aus.</p><p>Grüße<br>Otto</p></body></html>")
    case = receive(build_mail(body=None, html=html)).case
    assert "alert" not in case.description and "color" not in case.description
    assert [line.strip() for line in case.description.splitlines() if line.strip()] == [
        "Die Ampel an der Hauptstraße ist aus.", "Grüße", "Otto"]


def test_text_and_html_alternatives_take_the_text(org):
    case = receive(build_mail(body="Nur der Text zählt.", html="<p>Das HTML nicht.</p>")).case
    assert case.description == "Nur der Text zählt."
    assert CaseAttachment.objects.count() == 0


def test_a_mail_without_subject_takes_the_topic_as_title_and_one_without_text_its_subject(org):
    first = receive(build_mail(subject=None, message_id="<a@x>")).case
    second = receive(build_mail(body="", message_id="<b@x>")).case
    assert (first.title, first.description) == ("Sonstiges", "Die Laterne vor Haus 5 ist kaputt.")
    assert (second.title, second.description) == ("Laterne defekt", "Laterne defekt")


def test_a_long_text_is_cut_not_refused(org):
    case = receive(build_mail(body="x" * 25000)).case
    assert (len(case.description), case.description[-4:]) == (20000, "\n[…]")


def test_more_attachments_than_allowed_are_refused_one_by_one(org, settings):
    settings.CASES = {**settings.CASES, "ATTACHMENT_MAX_PER_UPLOAD": 2}
    files = [(f"seite{n}.pdf", PDF, "application/pdf") for n in range(1, 4)]
    case = receive(build_mail(attachments=files)).case
    assert list(case.attachments.values_list("original_name", flat=True)) == ["seite1.pdf", "seite2.pdf"]
    assert case.events.get(kind="note").note_internal.endswith("- seite3.pdf: Höchstens 2 Dateien auf einmal.")


# --- delivered twice, machines, loops --------------------------------------------------------

def test_a_mail_delivered_twice_stores_one_case_and_sends_one_acknowledgement(org):
    raw = build_mail()
    first, second = receive(raw), receive(raw)
    assert (first.outcome, second.outcome, second.case) == (Outcome.CASE, Outcome.DUPLICATE, first.case)
    assert (Case.objects.count(), InboundMail.objects.count(), Notification.objects.count()) == (1, 1, 1)


def test_a_mail_without_message_id_is_recognised_by_its_content(org):
    raw = build_mail(message_id=None)
    assert [receive(raw).outcome, receive(raw).outcome] == [Outcome.CASE, Outcome.DUPLICATE]
    assert InboundMail.objects.get().key.startswith("mail-noid:")
    assert receive(build_mail(message_id=None, body="Anderer Text")).outcome == Outcome.CASE


@pytest.mark.parametrize(("change", "reason"), [
    ({"headers": {"Auto-Submitted": "auto-replied"}}, "Auto-Submitted: auto-replied"),
    ({"headers": {"Precedence": "bulk"}}, "Precedence: bulk"),
    ({"headers": {"Precedence": "junk"}}, "Precedence: junk"),
    ({"headers": {"X-Autoreply": "yes"}}, "X-Autoreply"),
    ({"headers": {"Return-Path": "<>"}}, "Return-Path: <>"),
    ({"sender": "Mail Delivery System <MAILER-DAEMON@mx.example.org>"}, "From: mailer-daemon"),
    ({"sender": "anliegen@stadt.example"}, "From: own address"),
    ({"sender": "Stadt <STADTMELDER@stadt.example>"}, "From: own address"),
    ({"headers": {"X-Loop": "anliegen@stadt.example"}}, "X-Loop"),
    ({"headers": {"Received": [f"from hop{n}.example by mx.example" for n in range(51)]}},
     "Received: too many hops"),
])
def test_mails_of_machines_and_loops_are_dropped(org, change, reason):
    result = receive(build_mail(**change), tell_sender=True)
    assert (result.outcome, result.reason) == (Outcome.DROPPED, reason)
    assert nothing_written()


def test_a_delivery_report_is_dropped(org):
    raw = (b"From: MAILER-DAEMON@mx.example.org\r\nTo: anliegen@stadt.example\r\nSubject: Undelivered\r\n"
           b"Message-ID: <dsn@mx>\r\nMIME-Version: 1.0\r\n"
           b"Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n"
           b"--b\r\nContent-Type: text/plain\r\n\r\nThe mail could not be delivered.\r\n--b--\r\n")
    assert receive(raw).outcome == Outcome.DROPPED
    assert nothing_written()


def test_an_auto_submitted_no_mail_is_a_persons_mail(org):
    assert receive(build_mail(headers={"Auto-Submitted": "no"})).outcome == Outcome.CASE


# --- refused mails ---------------------------------------------------------------------------

@pytest.mark.parametrize(("raw", "message"), [
    (build_mail(sender=None), "Die E-Mail hat keine gültige Absenderadresse."),
    (build_mail(sender="kein-absender"), "Die E-Mail hat keine gültige Absenderadresse."),
    (build_mail(subject="", body=""), "Die E-Mail hat weder Betreff noch Text. Bitte beschreiben Sie Ihr Anliegen "
                                      "in der E-Mail."),
    (b"", "Die E-Mail hat keine gültige Absenderadresse."),
])
def test_mails_that_cannot_be_a_request_are_refused_and_nothing_is_written(org, raw, message):
    result = receive(raw)
    assert (result.outcome, result.reason) == (Outcome.REFUSED, message)
    assert nothing_written()


def test_a_refused_mail_from_the_mailbox_is_answered_in_the_senders_language(org):
    result = receive(build_mail(subject="", body="", headers={"Content-Language": "en"}), tell_sender=True)
    assert result.outcome == Outcome.REFUSED
    told = Notification.objects.get()
    assert (told.recipient, told.event, told.subject) == (
        "erika@example.org", "anliegen.mail_refused", "Your email could not be accepted")
    assert told.body == ("Hello,\n\nyour email “(no subject)” could not be recorded as a request:\n"
                         "The email has neither a subject nor a text. Please describe your request in the email.\n\n"
                         "You can also send your request online: https://portal.stadt.example/anliegen/")
    assert told.payload["email_headers"] == {"In-Reply-To": "<m1@example.org>", "References": "<m1@example.org>"}
    assert (Case.objects.count(), InboundMail.objects.count()) == (0, 0)


def test_a_mail_over_the_size_limit_is_refused(org, settings):
    settings.ANLIEGEN = {**settings.ANLIEGEN, "MAIL_MAX_BYTES": 2000}
    result = receive(build_mail(attachments=[("gross.pdf", PDF * 40, "application/pdf")]))
    assert result.outcome == Outcome.REFUSED
    assert re.fullmatch(r"Die E-Mail ist zu groß \(\d+,\d\sKB, erlaubt sind 2,0\sKB\)\.", result.reason)
    assert nothing_written()


def test_a_missing_triage_department_keeps_the_mail_for_later(org):
    org.triage.delete()
    with pytest.raises(MailTemporaryError, match="TRIAGE_DEPARTMENT"):
        receive(build_mail(subject="Frage", body="Wann ist das Bürgerbüro geöffnet?"))
    assert nothing_written()


def test_a_mail_topic_that_is_no_topic_keeps_the_mail_for_later(org, settings):
    settings.ANLIEGEN = {**settings.ANLIEGEN, "MAIL_TOPIC": "erfunden"}
    with pytest.raises(MailTemporaryError, match="MAIL_TOPIC"):
        receive(build_mail())
    assert nothing_written()


# --- replies ---------------------------------------------------------------------------------

@pytest.fixture
def filed(org):
    """A request filed by mail from erika@example.org, its acknowledgement's Message-ID."""
    case = receive(build_mail(message_id="<first@example.org>")).case
    ack_id = Notification.objects.get().payload["email_headers"]["Message-ID"]
    Notification.objects.all().delete()
    return case, ack_id


REPLY = "Ich habe noch ein Foto.\n\nAm 07.12.2026 um 10:00 schrieb Stadt <anliegen@stadt.example>:\n> Guten Tag,\n> …"


def test_a_reply_with_the_reference_in_the_subject_becomes_a_message(org, filed):
    case, _ack = filed
    raw = build_mail(subject=f"Re: [{case.reference}] Ihr Anliegen ist eingegangen: Laterne defekt", body=REPLY,
                     message_id="<reply1@example.org>", sender="ERIKA@example.org",
                     attachments=[("foto.png", JPEG, "image/jpeg")])
    result = receive(raw)
    assert (result.outcome, result.case) == (Outcome.MESSAGE, case)
    message = CaseMessage.objects.get()
    assert (message.case, message.direction, message.body) == (case, "from_citizen", "Ich habe noch ein Foto.")
    assert list(message.attachments.values_list("original_name", "content_type")) == [("foto.png", "image/jpeg")]
    assert Case.objects.count() == 1
    assert list(InboundMail.objects.filter(outcome="message").values_list("case", flat=True)) == [case.pk]
    told = Notification.objects.get()
    assert (told.event, told.recipient) == ("case.message_from_citizen", "buergerservice@stadt.example")
    assert receive(raw).outcome == Outcome.DUPLICATE
    assert CaseMessage.objects.count() == 1


def test_a_reply_found_by_in_reply_to_of_our_acknowledgement(org, filed):
    case, ack_id = filed
    raw = build_mail(subject="Noch etwas", body="Es ist auch sehr dunkel.", message_id="<reply2@example.org>",
                     headers={"In-Reply-To": ack_id, "References": f"<first@example.org> {ack_id}"})
    assert receive(raw).outcome == Outcome.MESSAGE
    assert CaseMessage.objects.get().body == "Es ist auch sehr dunkel."


def test_a_reply_to_a_case_mail_without_brackets(org, filed):
    case, _ack = filed
    raw = build_mail(subject=f"AW: Neue Nachricht zu Ihrem Vorgang {case.reference}", body="Ja, Hausnummer 5.",
                     message_id="<reply3@example.org>")
    assert (receive(raw).outcome, CaseMessage.objects.get().case) == (Outcome.MESSAGE, case)


def test_a_forged_message_id_of_ours_names_no_case(org, filed):
    case, ack_id = filed
    forged = re.sub(r"\.[0-9a-f]{16}\.", ".0123456789abcdef.", ack_id)
    assert forged != ack_id
    result = receive(build_mail(subject="Hallo", message_id="<reply4@example.org>",
                                headers={"In-Reply-To": forged}))
    assert result.outcome == Outcome.CASE and result.case != case
    assert CaseMessage.objects.count() == 0


def test_a_reply_from_another_address_becomes_a_new_request_with_a_note(org, filed):
    case, _ack = filed
    result = receive(build_mail(subject=f"Re: [{case.reference}] Laterne", body="Ich bin nicht Erika.",
                                sender="mallory@example.net", message_id="<reply5@example.org>"))
    assert result.outcome == Outcome.CASE and result.case != case
    assert CaseMessage.objects.count() == 0
    assert result.case.events.get(kind="note").note_internal == (
        f"Die E-Mail nennt den Vorgang {case.reference}, kommt aber nicht von dessen E-Mail-Adresse: "
        "als neues Anliegen erfasst.")
    assert Notification.objects.get().recipient == "mallory@example.net"


def test_a_reply_to_a_closed_case_becomes_a_new_linked_request(org, filed):
    case, _ack = filed
    case_status_change(case=case, status="done")
    Notification.objects.all().delete()
    result = receive(build_mail(subject=f"Re: [{case.reference}] Laterne", body="Sie ist wieder kaputt.",
                                message_id="<reply6@example.org>"))
    assert result.outcome == Outcome.CASE and result.case != case
    assert CaseLink.objects.filter(first=case, second=result.case).exists()
    assert result.case.events.get(kind="note").note_internal == (
        f"Antwort auf den abgeschlossenen Vorgang {case.reference}, als neues Anliegen erfasst.")
    assert Notification.objects.get().event == "anliegen.mail_received"


def test_a_reply_with_refused_attachments_tells_the_sender(org, filed):
    case, _ack = filed
    receive(build_mail(subject=f"Re: [{case.reference}]", body="Anbei.", message_id="<reply7@example.org>",
                       attachments=[("bild.svg", b"<svg xmlns='http://www.w3.org/2000/svg'/>", "image/svg+xml")]))
    assert CaseMessage.objects.get().attachments.count() == 0
    assert case.events.filter(kind="note").last().note_internal == (
        "Per E-Mail nicht übernommene Anhänge:\n- bild.svg: Erlaubt sind nur PDF-, JPEG- und PNG-Dateien.")
    told = Notification.objects.get(event="anliegen.mail_attachments_refused")
    assert (told.recipient, told.subject) == ("erika@example.org", f"[{case.reference}] Anhänge nicht übernommen")


def test_reply_text_cuts_the_quoted_mail():
    assert reply_text("Danke!\n\nOn Mon, 7 Dec 2026 at 10:00, Stadt <a@b> wrote:\n> Hallo") == "Danke!"
    assert reply_text("Gut.\n\n-----Ursprüngliche Nachricht-----\nVon: Stadt") == "Gut."
    assert reply_text("Oben.\n> zitiert\n> mehr\n") == "Oben."
    assert reply_text("> nur Zitat") == "> nur Zitat"


def test_our_message_ids_are_unique_per_mail(org, filed):
    case, _ack = filed
    assert case_message_id(case) != case_message_id(case)


def test_parse_keeps_a_forwarded_mail_as_one_attachment():
    inner = build_mail(subject="Innen", message_id="<inner@x>")
    outer = (b"From: erika@example.org\r\nSubject: Fwd\r\nMessage-ID: <outer@x>\r\nMIME-Version: 1.0\r\n"
             b"Content-Type: multipart/mixed; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n"
             b"Siehe unten.\r\n--b\r\nContent-Type: message/rfc822\r\n\r\n" + inner + b"\r\n--b--\r\n")
    parsed = mail_parse(outer)
    assert (parsed.text, [a.name for a in parsed.attachments]) == ("Siehe unten.", ["anhang"])
    assert b"Subject: Innen" in parsed.attachments[0].content


# --- the MTA pipe ----------------------------------------------------------------------------

class _Stdin(ReceiveCommand):
    data = b""

    def stdin(self):
        return io.BytesIO(self.data)


def pipe(raw: bytes):
    command = _Stdin()
    command.data = raw
    out, err = io.StringIO(), io.StringIO()
    call_command(command, stdout=out, stderr=err)
    return out.getvalue()


def test_pipe_takes_a_mail_and_exits_0(org):
    assert pipe(build_mail()) == f"case {Case.objects.get().reference}\n"
    assert pipe(build_mail()) == f"duplicate {Case.objects.get().reference}\n"
    assert pipe(build_mail(headers={"Auto-Submitted": "auto-replied"}, message_id="<x@y>")) == "dropped\n"


def test_pipe_refuses_with_65_and_the_reason_in_both_languages(org, settings):
    with pytest.raises(CommandError) as refused:
        pipe(build_mail(sender=None))
    assert refused.value.returncode == 65
    assert str(refused.value) == ("Die E-Mail hat keine gültige Absenderadresse. / "
                                  "The email has no valid sender address.")
    settings.ANLIEGEN = {**settings.ANLIEGEN, "MAIL_MAX_BYTES": 1000}
    with pytest.raises(CommandError) as too_large:
        pipe(build_mail(body="x" * 5000))
    assert too_large.value.returncode == 65
    assert str(too_large.value).startswith("Die E-Mail ist zu groß (")
    assert nothing_written()


def test_pipe_answers_75_when_the_mail_must_be_kept(org):
    org.triage.delete()
    with pytest.raises(CommandError) as failed:
        pipe(build_mail(subject="Frage", body="Öffnungszeiten?"))
    assert failed.value.returncode == 75
    assert str(failed.value).startswith("temporary failure, deliver again later: ImproperlyConfigured")
    assert nothing_written()


@pytest.mark.django_db(transaction=True)
def test_the_command_as_the_mta_runs_it(org, tmp_path):
    env = {**os.environ, "DATABASE_URL": database_url_for_tests(), "DJANGO_SETTINGS_MODULE": "config.settings",
           "PRIVATE_MEDIA_ROOT": str(tmp_path / "private"), "MEDIA_ROOT": str(tmp_path / "media"),
           "CELERY_BROKER_URL": "redis://127.0.0.1:1/0", "SITE_URL": "https://portal.stadt.example"}
    command = [sys.executable, "manage.py", "anliegen_receive_mail"]
    raw = build_mail(attachments=[("brief.pdf", PDF, "application/pdf")])
    done = subprocess.run(command, input=raw, cwd=PROJECT_DIR, env=env, capture_output=True, timeout=120)
    case = Case.objects.get()
    assert (done.returncode, done.stdout.decode()) == (0, f"case {case.reference}\n")
    assert (case.channel, case.attachments.count(), Notification.objects.get().state) == ("email", 1, "pending")
    refused = subprocess.run(command, input=b"Subject: ohne Absender\n\nText\n", cwd=PROJECT_DIR, env=env,
                             capture_output=True, timeout=120)
    assert refused.returncode == 65
    assert "Die E-Mail hat keine gültige Absenderadresse." in refused.stderr.decode()
    assert Case.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_deliveries_at_the_same_time_store_one_case(org):
    """The second delivery waits for the first one's key (a row lock on the unique index) and
    then finds the mail stored: one case, one acknowledgement."""
    import threading
    import time

    from django.db import connection, connections, transaction

    raw = build_mail()
    results = []

    def deliver():
        try:
            results.append(mail_receive(raw=raw))
        finally:
            connections.close_all()

    with transaction.atomic():
        first = mail_receive(raw=raw)  # not committed yet: the key and the case are held
        worker = threading.Thread(target=deliver)
        worker.start()
        deadline = time.monotonic() + 30
        with connection.cursor() as cursor:
            while True:  # until the second delivery waits for our key
                cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")  # live, unlike pg_stat_activity
                waited = cursor.fetchone()[0] > 0
                if waited or time.monotonic() > deadline or not worker.is_alive():
                    break
                time.sleep(0.05)
    worker.join(timeout=30)
    assert waited, "the second delivery did not wait for the first one's key"
    assert (first.outcome, [r.outcome for r in results]) == (Outcome.CASE, [Outcome.DUPLICATE])
    assert results[0].case == first.case
    assert (Case.objects.count(), InboundMail.objects.count(), Notification.objects.count()) == (1, 1, 1)


def test_the_mails_taken_in_are_listed_for_superusers_only(client, org, admin_user):
    case = receive(build_mail()).case
    client.force_login(org.tina)
    assert client.get("/admin/anliegen/inboundmail/").status_code == 403
    client.force_login(admin_user)
    page = client.get("/admin/anliegen/inboundmail/")
    assert page.status_code == 200
    html = page.content.decode()
    assert case.reference in html and "erika@example.org" not in html
    assert client.post(f"/admin/anliegen/inboundmail/{InboundMail.objects.get().pk}/delete/",
                       {"post": "yes"}).status_code == 403
    assert InboundMail.objects.count() == 1
