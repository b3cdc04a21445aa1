"""A real IMAP server for the mail intake's tests: Dovecot (Debian's dovecot-imapd, installed
by scripts/setup.sh) started on a free port of 127.0.0.1 with its own configuration, one user
and a Maildir in a throw-away directory; plain IMAP and IMAPS with a self-signed certificate
(trusted by the test through SSL_CERT_FILE)."""
import contextlib
import datetime
import imaplib
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.fixtures_worker import _free_port

__all__ = ["ImapServer", "imap_server"]

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER, PASSWORD = "anliegen", "geh eim/1"  # a space and a slash: the URL must percent-encode them

_CONFIG = """\
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
{users}
ssl = yes
ssl_cert = <{root}/cert.pem
ssl_key = <{root}/key.pem
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:~/Maildir
first_valid_uid = 1
first_valid_gid = 1
passdb {{
  driver = passwd-file
  args = scheme=PLAIN {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    address = 127.0.0.1
    port = {tls_port}
  }}
}}
service anvil {{
  chroot =
}}
"""


def _certificate(root: Path) -> None:
    """A self-signed certificate for 127.0.0.1 and localhost."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost"),
                                                        x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    (root / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (root / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                     serialization.NoEncryption()))


@dataclass
class ImapServer:
    root: Path
    port: int
    tls_port: int

    def url(self, folder: str = "INBOX", *, tls: bool = False) -> str:
        from urllib.parse import quote

        scheme, port = ("imaps", self.tls_port) if tls else ("imap", self.port)
        return f"{scheme}://{quote(USER, safe='')}:{quote(PASSWORD, safe='')}@127.0.0.1:{port}/{folder}"

    @contextlib.contextmanager
    def session(self, folder: str = "INBOX"):
        connection = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        connection.login(USER, PASSWORD)
        connection.create(folder)
        connection.select(folder)
        try:
            yield connection
        finally:
            connection.logout()

    def deliver(self, *raws: bytes, folder: str = "INBOX") -> None:
        """Put mails into a folder, unseen (as the MTA's local delivery would)."""
        with self.session(folder) as connection:
            for raw in raws:
                assert connection.append(folder, None, None, raw)[0] == "OK"

    def uids(self, criterion: str, folder: str = "INBOX") -> list[bytes]:
        with self.session(folder) as connection:
            return connection.uid("SEARCH", None, criterion)[1][0].split()


@pytest.fixture
def imap_server(monkeypatch):
    """Dovecot on 127.0.0.1 (plain IMAP and IMAPS), stopped afterwards."""
    if not os.path.exists(DOVECOT):
        pytest.fail("Dovecot is missing: scripts/setup.sh installs the Debian package dovecot-imapd.")
    # Not under pytest's tmp_path: the mail processes run as `nobody` when the tests run as root,
    # and must reach the Maildir.
    root = Path(tempfile.mkdtemp(prefix="sm-imap-"))
    root.chmod(0o755)
    for name in ("run", "state", "home"):
        (root / name).mkdir()
    if os.geteuid() == 0:
        account = pwd.getpwnam("nobody")
        users = ""
        os.chown(root / "home", account.pw_uid, account.pw_gid)
    else:
        account = pwd.getpwuid(os.geteuid())
        users = (f"default_internal_user = {account.pw_name}\ndefault_login_user = {account.pw_name}\n"
                 f"default_internal_group = {account.pw_gid}")
    _certificate(root)
    (root / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
    server = ImapServer(root=root, port=_free_port(), tls_port=_free_port())
    (root / "dovecot.conf").write_text(_CONFIG.format(root=root, users=users, uid=account.pw_uid,
                                                      gid=account.pw_gid, port=server.port,
                                                      tls_port=server.tls_port))
    process = subprocess.Popen([DOVECOT, "-F", "-c", str(root / "dovecot.conf")], stdout=subprocess.DEVNULL,
                               stderr=subprocess.STDOUT, start_new_session=True)
    monkeypatch.setenv("SSL_CERT_FILE", str(root / "cert.pem"))
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                imaplib.IMAP4("127.0.0.1", server.port, timeout=2).logout()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log = (root / "dovecot.log").read_text() if (root / "dovecot.log").exists() else ""
                    pytest.fail(f"dovecot did not start (exit code {process.poll()}):\n{log}")
                time.sleep(0.1)
        yield server
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)
        shutil.rmtree(root, ignore_errors=True)
