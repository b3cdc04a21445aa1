"""In Chromium with a fake camera: the checker page scans a card's QR code from a real video
stream. Headless Chromium has no camera, but it can play a file as one
(`--use-fake-device-for-media-stream --use-file-for-fake-video-capture=…`; the permission
prompt is answered by `--use-fake-ui-for-media-stream`). The file is the current dynamic code of
an activated card (segno's QR code, Pillow), written here as a one-frame Y4M video that Chromium
plays in a loop. The checker signs in with a till key, starts the camera, `checker.js` decodes the
frames (BarcodeDetector where the platform has one, else jsQR) and submits the code: the page
shows "valid", the programme and the first name, and the verification log counts the check. A
second scan of the same code — the camera still shows it — is refused as replayed. A QR code of
no card (a web address) is read but not sent, and the camera can be switched off; without any
camera (the session's Chromium) the page says so and moves to the typed code.

Y4M (YUV4MPEG2) is a header line, then per frame "FRAME\\n" and the raw Y, U and V planes
(4:2:0, U and V at half width and height). A black-and-white picture needs no colour: Y is the
grey value (full range, "C420jpeg"), U and V are 128. A few lines of numpy, no ffmpeg."""
import io
from urllib.parse import urlparse

import numpy
import pytest
import segno
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from services.sozialcard.codes import dynamic_code
from services.sozialcard.models import VerificationCount
from services.sozialcard.services import card_activate, card_issue, till_create
from tests.fixtures_browser import PHONE, screenshot

from .conftest import PERSON

pytestmark = pytest.mark.django_db(transaction=True)

#: The fake camera's picture (even sides: 4:2:0 halves them).
FRAME = (640, 480)

#: An init script: the page decodes with jsQR (no BarcodeDetector, whatever the platform has),
#: and `window.qrReads` lists the text of every QR code jsQR found in the stream.
COUNT_JSQR_READS = """
delete window.BarcodeDetector;
window.qrReads = [];
let jsQR;
Object.defineProperty(window, "jsQR", {configurable: true, get: () => jsQR, set(decode) {
    jsQR = (...args) => { const found = decode(...args); if (found) window.qrReads.push(found.data); return found; };
}});
"""


def write_y4m(path, picture: Image.Image) -> None:
    """Write `picture` (centred on white, grey) as a one-frame Y4M video of FRAME's size."""
    canvas = Image.new("L", FRAME, 255)
    canvas.paste(picture.convert("L"), ((FRAME[0] - picture.width) // 2, (FRAME[1] - picture.height) // 2))
    luma = numpy.asarray(canvas, dtype=numpy.uint8)
    chroma = numpy.full((FRAME[1] // 2, FRAME[0] // 2), 128, dtype=numpy.uint8)
    with open(path, "wb") as video:
        video.write(f"YUV4MPEG2 W{FRAME[0]} H{FRAME[1]} F10:1 Ip A1:1 C420jpeg\n".encode("ascii"))
        video.write(b"FRAME\n" + luma.tobytes() + chroma.tobytes() + chroma.tobytes())


def qr_picture(text: str) -> Image.Image:
    """The QR code of `text` as the card page draws it (error correction M, quiet zone 4)."""
    png = io.BytesIO()
    segno.make(text, error="m").save(png, kind="png", scale=8, border=4)
    png.seek(0)
    return Image.open(png)


def _counts() -> dict[tuple[str, str], int]:
    return {(row.card_type, row.result): row.count for row in VerificationCount.objects.all()}


def _camera_showing(launch_browser, tmp_path, text: str):
    """A Chromium whose only camera shows the QR code of `text`."""
    camera = tmp_path / "camera.y4m"
    write_y4m(camera, qr_picture(text))
    return launch_browser("--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream",
                          f"--use-file-for-fake-video-capture={camera}")


def _sign_in(page, key: str) -> None:
    page.goto("/sozialcard/pruefen/")
    page.get_by_label("Schlüssel der Kasse").fill(key)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.locator("#checker-till")).to_contain_text("Stadtbad Beispiel, Kasse Foyer")


def _expect_camera_off(page) -> None:
    """Only the start button of the camera shows (no video, no stop button)."""
    expect(page.locator("#checker-scan")).to_be_visible()
    expect(page.locator("#checker-stop")).to_be_hidden()
    expect(page.locator("#checker-video")).to_be_hidden()


def test_the_checker_scans_a_dynamic_code_with_the_camera(new_context, launch_browser, live_server, sc, tmp_path):
    today = timezone.localdate()
    card = card_activate(card=card_issue(programme=sc.programme, category=sc.adults, **PERSON, valid_from=today,
                                         valid_until=today + relativedelta(months=6), owner=sc.citizen))
    _till, key = till_create(partner=sc.partner, name="Kasse Foyer")
    # Valid in its 30-second step and one either side: the test has at least 30 seconds.
    code = dynamic_code(card_hash=card.card_hash, generation=card.device_generation, secret=card.totp_secret)
    context = new_context(in_browser=_camera_showing(launch_browser, tmp_path, code), viewport=PHONE)
    requested = []
    context.on("request", lambda request: requested.append(urlparse(request.url).path))
    page = context.new_page()

    _sign_in(page, key)
    _expect_camera_off(page)
    page.get_by_role("button", name="Mit der Kamera scannen").click()
    result = page.locator("#checker-result")
    expect(result.locator("h2")).to_have_text("✓ Gültig")
    expect(page.locator("#checker-programme")).to_have_text("Sozialcard")
    expect(page.locator("#checker-category")).to_have_text("Erwachsene")
    expect(page.locator("#checker-given-name")).to_have_text("Karla")
    expect(page.locator("#checker-birth-year")).to_have_text("1990")
    expect(page.locator("#checker-card-type")).to_have_text("dynamisch (App, wechselnder Code)")
    expect(page.locator("#checker-static")).to_have_count(0)
    expect(result).to_be_focused()
    assert "Kanarienvogel" not in page.content()
    _expect_camera_off(page)
    screenshot(page, "sozialcard-checker-camera-valid")
    # Which decoder read the stream: jsQR (served by us) unless Chromium reads QR codes itself
    # (Debian's Chromium on Linux has no BarcodeDetector).
    native = page.evaluate("""'BarcodeDetector' in window
        ? BarcodeDetector.getSupportedFormats().then(formats => formats.includes('qr_code')) : false""")
    assert ("/static/vendor/jsqr/jsQR.js" in requested) is not native
    assert _counts() == {("dynamic", "valid"): 1}
    row = VerificationCount.objects.get()
    assert (row.day, row.partner_id, row.programme_id) == (today, sc.partner.pk, sc.programme.pk)

    # The camera still shows the same code: the second scan is refused.
    page.get_by_role("button", name="Mit der Kamera scannen").click()
    expect(result.locator("h2")).to_have_text("✗ Nicht gültig")
    expect(page.locator("#checker-message")).to_have_text(
        "Dieser Code wurde schon verwendet. Bitte den aktuellen Code zeigen lassen.")
    expect(page.locator("#checker-given-name")).to_have_count(0)
    assert _counts() == {("dynamic", "valid"): 1, ("dynamic", "replayed"): 1}


def test_a_qr_code_of_no_card_is_not_sent_and_the_camera_can_be_stopped(new_context, launch_browser, live_server,
                                                                         sc, tmp_path):
    _till, key = till_create(partner=sc.partner, name="Kasse Foyer")
    chromium = _camera_showing(launch_browser, tmp_path, "https://www.gera.de/")
    page = new_context(in_browser=chromium, viewport=PHONE).new_page()
    page.add_init_script(COUNT_JSQR_READS)
    _sign_in(page, key)
    page.get_by_role("button", name="Mit der Kamera scannen").click()
    expect(page.locator("#checker-status")).to_have_text("Halten Sie den QR-Code der Karte vor die Kamera.")
    video = page.locator("#checker-video")
    expect(video).to_be_visible()
    assert video.evaluate("video => [video.videoWidth, video.videoHeight]") == list(FRAME)  # the fake camera
    expect(page.locator("#checker-stop")).to_be_focused()
    expect(page.locator("#checker-scan")).to_be_hidden()
    # Read twice: after the first read the page went on scanning instead of sending the code.
    page.wait_for_function("window.qrReads.filter(text => text === 'https://www.gera.de/').length >= 2")
    expect(page.locator("#checker-result")).to_have_count(0)
    assert page.locator("input[name=code]").input_value() == ""
    page.get_by_role("button", name="Kamera ausschalten").click()
    _expect_camera_off(page)
    expect(page.locator("#checker-scan")).to_be_focused()
    expect(page.locator("#checker-status")).to_have_text("")
    assert video.evaluate("video => video.srcObject.getVideoTracks()[0].readyState") == "ended"
    assert VerificationCount.objects.count() == 0


def test_without_a_camera_the_page_asks_for_the_typed_code(new_context, live_server, sc):
    _till, key = till_create(partner=sc.partner, name="Kasse Foyer")
    page = new_context(viewport=PHONE).new_page()  # the session's Chromium has no camera
    _sign_in(page, key)
    page.get_by_role("button", name="Mit der Kamera scannen").click()
    expect(page.locator("#checker-status")).to_have_text(
        "Die Kamera ist nicht verfügbar. Bitte geben Sie den Code ein.")
    expect(page.get_by_label("Code der Karte")).to_be_focused()
    _expect_camera_off(page)
