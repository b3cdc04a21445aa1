"""The mailbox way in, against a real IMAP server (Dovecot on localhost): unseen mails are
taken and flagged seen (or moved) only once handled; a failure leaves the mail unseen for the
next run; a mail handled before the flag was set is only flagged; the beat task; TLS."""
import time

import pytest
from django.core.exceptions import ImproperlyConfigured

from cases.models import Case
from notifications.models import Notification
from services.anliegen.mail.imap import ImapMailbox, MailboxError, imap_mailbox_parse, mailbox_fetch
from services.anliegen.mail.intake import mail_receive
from services.anliegen.models import InboundMail
from services.anliegen.tasks import anliegen_mail_fetch_task
from tests.cases.conftest import PDF
from tests.factories import DepartmentFactory

from .mails import build_mail

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _intake_address(settings):
    settings.ANLIEGEN = {**getattr(settings, "ANLIEGEN", {}), "MAIL_ADDRESS": "anliegen@stadt.example"}


def test_unseen_mails_are_taken_and_flagged_seen(org, imap_server):
    imap_server.deliver(
        build_mail(message_id="<a@x>", attachments=[("brief.pdf", PDF, "application/pdf")]),
        build_mail(message_id="<b@x>", headers={"Auto-Submitted": "auto-replied"}),
        build_mail(message_id="<c@x>", subject="", body=""),
    )
    assert mailbox_fetch(url=imap_server.url()) == {"case": 1, "dropped": 1, "refused": 1}
    case = Case.objects.get()
    assert (case.channel, case.contact_email, case.attachments.count()) == ("email", "erika@example.org", 1)
    assert sorted(Notification.objects.values_list("event", "recipient")) == [
        ("anliegen.mail_received", "erika@example.org"), ("anliegen.mail_refused", "erika@example.org")]
    assert (imap_server.uids("UNSEEN"), len(imap_server.uids("SEEN"))) == ([], 3)
    assert mailbox_fetch(url=imap_server.url()) == {}
    assert Case.objects.count() == 1


def test_handled_mails_are_moved_to_the_done_folder(org, imap_server, settings):
    settings.ANLIEGEN = {**settings.ANLIEGEN, "MAIL_IMAP_DONE_FOLDER": "Erledigt"}
    imap_server.deliver(build_mail(message_id="<a@x>"), build_mail(message_id="<b@x>", body="Zweites Anliegen."))
    assert mailbox_fetch(url=imap_server.url()) == {"case": 2}
    assert imap_server.uids("ALL") == []
    assert len(imap_server.uids("ALL", folder="Erledigt")) == 2


def test_a_failure_leaves_the_mail_unseen_for_the_next_run(org, imap_server):
    imap_server.deliver(build_mail(subject="Frage", body="Öffnungszeiten?"))
    org.triage.delete()
    assert mailbox_fetch(url=imap_server.url()) == {"failed": 1}
    assert (len(imap_server.uids("UNSEEN")), Case.objects.count(), Notification.objects.count()) == (1, 0, 0)
    DepartmentFactory(slug="buergerservice", name="Bürgerservice")
    assert mailbox_fetch(url=imap_server.url()) == {"case": 1}
    assert (imap_server.uids("UNSEEN"), Case.objects.get().department.slug) == ([], "buergerservice")


def test_a_mail_handled_before_its_flag_was_set_is_only_flagged(org, imap_server):
    raw = build_mail()
    imap_server.deliver(raw)
    mail_receive(raw=raw)  # the process died after the commit, before STORE \Seen
    assert mailbox_fetch(url=imap_server.url()) == {"duplicate": 1}
    assert (Case.objects.count(), InboundMail.objects.count(), Notification.objects.count()) == (1, 1, 1)
    assert imap_server.uids("UNSEEN") == []


def test_a_mail_over_the_limit_is_refused_from_its_header(org, imap_server, settings):
    settings.ANLIEGEN = {**settings.ANLIEGEN, "MAIL_MAX_BYTES": 3000}
    imap_server.deliver(build_mail(attachments=[("gross.pdf", PDF * 30, "application/pdf")]))
    assert mailbox_fetch(url=imap_server.url()) == {"refused": 1}
    told = Notification.objects.get()
    assert told.event == "anliegen.mail_refused"
    assert "Die E-Mail ist zu groß (" in told.body
    assert Case.objects.count() == 0 and imap_server.uids("UNSEEN") == []


def test_imaps_checks_the_certificate(org, imap_server, monkeypatch):
    imap_server.deliver(build_mail())
    assert mailbox_fetch(url=imap_server.url(tls=True)) == {"case": 1}
    monkeypatch.delenv("SSL_CERT_FILE")
    monkeypatch.setenv("SSL_CERT_DIR", "/nonexistent")
    monkeypatch.setenv("SSL_CERT_FILE", "/nonexistent")
    imap_server.deliver(build_mail(message_id="<z@x>"))
    with pytest.raises(MailboxError, match="CERTIFICATE_VERIFY_FAILED"):
        mailbox_fetch(url=imap_server.url(tls=True))
    assert len(imap_server.uids("UNSEEN")) == 1


def test_the_beat_task_reads_the_configured_mailbox(org, imap_server, settings):
    assert anliegen_mail_fetch_task() == {}
    imap_server.deliver(build_mail())
    settings.ANLIEGEN = {**settings.ANLIEGEN, "MAIL_IMAP_URL": imap_server.url()}
    assert anliegen_mail_fetch_task() == {"case": 1}
    settings.ANLIEGEN = {**settings.ANLIEGEN, "MAIL_IMAP_URL": imap_server.url().replace("%2F1", "%2F2")}
    assert anliegen_mail_fetch_task() == {"mailbox_error": 1}


def test_mailbox_urls():
    assert imap_mailbox_parse("imaps://anliegen%40stadt.example:p%40ss%2Fw@mail.stadt.example/Anliegen") == (
        ImapMailbox(host="mail.stadt.example", port=993, tls=True, user="anliegen@stadt.example",
                    password="p@ss/w", folder="Anliegen"))
    assert imap_mailbox_parse("imap://u:p@127.0.0.1:10143") == ImapMailbox(
        host="127.0.0.1", port=10143, tls=False, user="u", password="p", folder="INBOX")
    assert "p@ss" not in repr(imap_mailbox_parse("imaps://u:p%40ss@h/INBOX"))
    for url in ("pop3://u:p@h/", "imaps://h/INBOX", "imaps://u:p@h:zz/", ""):
        with pytest.raises(ImproperlyConfigured):
            imap_mailbox_parse(url)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_fetches_the_mailbox_and_the_acknowledgement_reaches_smtp(org, imap_server, monkeypatch,
                                                                                 request):
    imap_server.deliver(build_mail(subject="Laub auf dem Gehweg", body="Bitte räumen."))
    monkeypatch.setenv("ANLIEGEN_MAIL_IMAP_URL", imap_server.url())
    monkeypatch.setenv("ANLIEGEN_MAIL_ADDRESS", "anliegen@stadt.example")
    worker = request.getfixturevalue("celery_worker")  # started with the variables above
    smtp_server = request.getfixturevalue("smtp_server")
    anliegen_mail_fetch_task.delay()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not Notification.objects.filter(state="sent").exists():
        time.sleep(0.2)
    case = Case.objects.get()
    assert (case.channel, case.department, case.title) == ("email", org.parks, "Laub auf dem Gehweg"), worker.log()
    assert Notification.objects.get().state == "sent", worker.log()
    (received,) = smtp_server.messages
    assert received.rcpt_tos == ["erika@example.org"]
    assert received.message["Subject"] == f"[{case.reference}] Ihr Anliegen ist eingegangen: Laub auf dem Gehweg"
    assert received.message["In-Reply-To"] == "<m1@example.org>"
    assert received.message["Reply-To"] == "anliegen@stadt.example"
    assert received.message["Message-ID"].strip().startswith(f"<case.{case.reference}.")
    assert imap_server.uids("UNSEEN") == []


def test_settings_set_up_wrongly_fail_at_start_up(settings):
    from services.anliegen.checks import mail_intake_settings_check

    assert mail_intake_settings_check() == []
    settings.ANLIEGEN = {"MAIL_IMAP_URL": "pop3://u:p@h/", "MAIL_ADDRESS": "kein@", "MAIL_MAX_BYTES": 0}
    assert [(e.id, e.msg) for e in mail_intake_settings_check()] == [
        ("anliegen.E001", "ANLIEGEN['MAIL_IMAP_URL'] must look like imaps://user:password@host/INBOX."),
        ("anliegen.E002", "ANLIEGEN['MAIL_ADDRESS']: 'kein@' is no email address."),
        ("anliegen.E003", "ANLIEGEN['MAIL_MAX_BYTES'] must be a positive number."),
    ]
