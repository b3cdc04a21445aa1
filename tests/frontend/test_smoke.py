"""Every citizen page renders in German by default and in English on request, with the shared header:
skip link first, the site name, "Melden", the "Menü" disclosure button and the menu it controls (main
navigation and the language form). Its behaviour in a browser is in test_header_browser.py."""
import re

import lxml.html
import pytest

pytestmark = pytest.mark.django_db

PAGES = ["/", "/melden/", "/meine-meldungen/", "/statistik/", "/offline/"]


@pytest.mark.parametrize("url", PAGES)
def test_page_renders_german_with_skip_link_and_language_switch(client, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="de">' in html
    assert 'class="skip-link" href="#main"' in html
    assert 'action="/i18n/setlang/"' in html


def test_english_on_request(client):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in html


def test_manifest_and_service_worker(client):
    manifest = client.get("/manifest.webmanifest")
    assert manifest.status_code == 200
    assert manifest["Content-Type"] == "application/manifest+json"
    assert {icon["sizes"] for icon in manifest.json()["icons"]} == {"192x192", "512x512"}
    sw = client.get("/sw.js")
    assert sw.status_code == 200 and sw["Service-Worker-Allowed"] == "/"
    assert sw["Content-Type"] == "text/javascript"


NAV = [("Leistungen", "/leistungen/"), ("Karte", "/"), ("Melden", "/melden/"), ("Anliegen", "/anliegen/"),
       ("Meine Meldungen", "/meine-meldungen/"), ("Statistik", "/statistik/"), ("Offene Daten", "/dataset/"),
       ("Mein Konto", "/konto/")]
FOCUSABLE = "//body//*[self::a[@href] or self::button or self::select or self::input[not(@type='hidden')]]"


def _doc(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return lxml.html.fromstring(response.content)


def _text(element) -> str:
    return " ".join(element.text_content().split())


@pytest.mark.parametrize("url", PAGES + ["/dataset/"])
def test_header_structure_skip_link_first_then_bar_then_menu(client, url):
    doc = _doc(client, url)
    focusable = doc.xpath(FOCUSABLE)
    skip = focusable[0]
    assert (skip.get("class"), skip.get("href"), _text(skip)) == ("skip-link", "#main", "Zum Inhalt springen")
    assert doc.xpath("//main/@id") == ["main"]
    [header] = doc.xpath("//header")
    assert header.get("id") == "site-header"
    in_header = [el for el in focusable if header in el.iterancestors()]
    brand, report, toggle, *menu_items = in_header
    assert (brand.get("class"), brand.get("href"), _text(brand)) == ("brand", "/", "Stadtmelder Gera (Demo)")
    assert (report.get("class"), report.get("href"), _text(report)) == ("header-report", "/melden/", "Melden")
    assert (toggle.tag, toggle.get("type"), toggle.get("id"), _text(toggle)) == ("button", "button", "menu-toggle",
                                                                                 "Menü")
    assert (toggle.get("aria-expanded"), toggle.get("aria-controls")) == ("false", "site-menu")
    assert toggle.xpath(".//svg/@aria-hidden") == ["true"]
    # The menu follows its button in the document (and so in the tab order): nav links, then the language form.
    [menu] = doc.xpath('//*[@id="site-menu"]')
    assert menu.getparent() is header and menu.getprevious() is toggle
    assert all(menu in el.iterancestors() for el in menu_items)
    [nav] = menu.xpath(".//nav")
    assert nav.get("aria-label") == "Hauptnavigation"
    assert [(_text(a), a.get("href")) for a in nav.xpath(".//a")] == NAV
    assert [(el.tag, el.get("name") or el.get("type")) for el in menu_items[len(NAV):]] == [
        ("select", "language"), ("button", "submit")]


@pytest.mark.parametrize("url, current", [("/", ["Karte"]), ("/melden/", ["Melden", "Melden"]),
                                          ("/meine-meldungen/", ["Meine Meldungen"]), ("/statistik/", ["Statistik"]),
                                          ("/offline/", []), ("/dataset/", ["Offene Daten"])])
def test_header_marks_the_current_page(client, url, current):
    doc = _doc(client, url)
    assert [_text(a) for a in doc.xpath('//header//a[@aria-current="page"]')] == current


def test_header_marks_the_open_data_section_inside_the_portal(client):
    doc = _doc(client, "/organization/")
    assert [(_text(a), a.get("aria-current")) for a in doc.xpath("//header//a[@aria-current]")] == [
        ("Offene Daten", "true")]


def test_language_switch_is_a_labelled_post_form_with_csrf(client):
    doc = _doc(client, "/statistik/?seite=1")
    [form] = doc.xpath('//*[@id="site-menu"]//form')
    assert (form.get("action"), form.get("method"), form.get("class")) == ("/i18n/setlang/", "post", "lang-switch")
    hidden = {el.get("name"): el.get("value") for el in form.xpath('.//input[@type="hidden"]')}
    assert set(hidden) == {"csrfmiddlewaretoken", "next"} and hidden["csrfmiddlewaretoken"]
    assert hidden["next"] == "/statistik/?seite=1"
    [label] = form.xpath(".//label")
    assert (label.get("for"), _text(label)) == ("lang-select", "Sprache")
    [select] = form.xpath(".//select")
    assert (select.get("id"), select.get("name")) == ("lang-select", "language")
    assert [(o.get("value"), o.get("lang"), _text(o), o.get("selected") is not None)
            for o in select.xpath("option")] == [("de", "de", "Deutsch", True), ("en", "en", "English", False)]
    assert [_text(b) for b in form.xpath(".//button[@type='submit']")] == ["Wechseln"]


def test_head_marks_javascript_before_the_stylesheet(client):
    """The menu collapses under html.js; the class is set before the first paint (no open-menu flash)."""
    html = client.get("/melden/").content.decode()
    mark = html.index('document.documentElement.classList.add("js");</script>')
    assert re.search(r'<script nonce="[^"]+">document\.documentElement\.classList\.add\("js"\);</script>', html)
    assert html.index("</head>") > html.index('href="/static/frontend/css/app.css"') > mark
