"""Residents read Simplified Chinese: the catalogue is complete, compiled, and used.

The platform speaks Chinese by default whatever the browser says, English only when
chosen in the language switcher, and no English text from our own catalogue slips
through on the Chinese pages.
"""

import re
from html import escape
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
PO_FILES = sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po"))
ZH_PO = LOCALE_DIR / "zh_Hans" / "LC_MESSAGES" / "django.po"
ENGLISH_BROWSER = {"HTTP_ACCEPT_LANGUAGE": "en-US,en"}
PAGES = ["/", "/accounts/signup/"]
CJK = re.compile(r"[\u4e00-\u9fff]")


def _key(entry: polib.POEntry | polib.MOEntry) -> tuple[str | None, str, str]:
    return (entry.msgctxt, entry.msgid, entry.msgid_plural)


def _translation(entry: polib.POEntry | polib.MOEntry) -> tuple[str, ...]:
    if entry.msgid_plural:
        return tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
    return (entry.msgstr,)


def _zh_catalogue() -> dict[str, str]:
    """msgid → Chinese, singular form (msgstr[0] for plurals)."""
    return {entry.msgid: _translation(entry)[0] for entry in polib.pofile(str(ZH_PO))}


@pytest.fixture(autouse=True)
def _static_without_manifest(settings):
    # Tests run with DEBUG off, whose manifest storage needs `collectstatic` first; the
    # pages' text is what matters here, not hashed file names.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def test_there_is_a_simplified_chinese_catalogue():
    assert ZH_PO in PO_FILES
    assert polib.pofile(str(ZH_PO)).metadata.get("Plural-Forms") == "nplurals=1; plural=0;"


@pytest.mark.parametrize("po_path", PO_FILES, ids=lambda p: str(p.relative_to(LOCALE_DIR)))
def test_every_entry_is_translated_and_none_is_fuzzy(po_path):
    po = polib.pofile(str(po_path))

    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]

    assert not untranslated, f"{po_path}: untranslated entries: {untranslated}"
    assert not fuzzy, f"{po_path}: fuzzy entries (check them, then drop the flag): {fuzzy}"
    assert not po.metadata_is_fuzzy, f"{po_path}: the header is marked fuzzy"


@pytest.mark.parametrize("po_path", PO_FILES, ids=lambda p: str(p.relative_to(LOCALE_DIR)))
def test_compiled_mo_matches_the_po(po_path):
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.exists(), f"{mo_path} is missing: run `make messages`"
    po = polib.pofile(str(po_path))
    mo = polib.mofile(str(mo_path))

    expected = {_key(e): _translation(e) for e in po.translated_entries()}
    compiled = {_key(e): _translation(e) for e in mo if e.msgid}

    stale = sorted(k[1] for k in expected.keys() ^ compiled.keys())
    stale += sorted(k[1] for k in expected.keys() & compiled.keys() if expected[k] != compiled[k])
    assert not stale, f"{mo_path} does not match {po_path.name}: run `make messages`. {stale}"


def test_the_catalogue_translates_into_chinese():
    zh = _zh_catalogue()
    for msgid in ["Sign up", "Residents' committees", "Townhall"]:
        assert CJK.search(zh[msgid]), (msgid, zh[msgid])
    assert zh["Townhall"] == "议事厅"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "msgids"),
    [
        ("/", ["Residents' committees", "Sign up to take part", "Sign up"]),
        ("/accounts/signup/", ["Sign up", "Read the privacy notice", "Display name"]),
    ],
)
def test_an_english_browser_still_gets_chinese_by_default(client, path, msgids):
    zh = _zh_catalogue()

    response = client.get(path, **ENGLISH_BROWSER)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="zh-hans"' in html
    assert response["Content-Language"] == "zh-hans"
    for msgid in msgids:
        assert escape(zh[msgid]) in html, (msgid, zh[msgid])
    assert "Residents deciding together" not in html


@pytest.mark.django_db
def test_choosing_english_in_the_switcher_shows_english_next(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, **ENGLISH_BROWSER)

    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    for path in PAGES:
        html = client.get(path, **ENGLISH_BROWSER).content.decode()
        assert '<html lang="en"' in html, path
        assert "Sign up" in html, path
        assert _zh_catalogue()["Sign up"] not in html, path


@pytest.mark.django_db
def test_the_language_cookie_alone_chooses_english_and_back(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get("/accounts/signup/").content.decode()
    assert '<html lang="en"' in html
    assert "Sign up" in html

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    html = client.get("/accounts/signup/").content.decode()
    assert '<html lang="zh-hans"' in html
    assert _zh_catalogue()["Sign up"] in html


@pytest.mark.django_db
def test_an_unknown_language_cookie_falls_back_to_chinese(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"

    html = client.get("/", **ENGLISH_BROWSER).content.decode()

    assert '<html lang="zh-hans"' in html


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_no_english_from_our_catalogue_leaks_into_chinese_pages(client, path):
    # Short ids ("Home", "Save", "New") could match unrelated text; sentences cannot.
    sentences = [m for m in _zh_catalogue() if len(m) >= 12 and " " in m]
    assert sentences

    html = client.get(path, **ENGLISH_BROWSER).content.decode()

    assert '<html lang="zh-hans"' in html
    leaked = [m for m in sentences if m in html or escape(m) in html]
    assert not leaked, f"untranslated English on {path}: {leaked}"
