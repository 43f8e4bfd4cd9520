"""How the console is served: a strict Content-Security-Policy, no referrer, the page always
revalidated, its fingerprinted assets cached for good; and what the assets may not contain
(inline script or style, HTML built from strings, the token in web storage)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from casebridge.api.console import ASSETS_PREFIX, CONTENT_SECURITY_POLICY, STATIC_DIR, ConsoleBundle, build_console_router

EXPECTED_CSP = ("default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self'; "
                "script-src 'self'; frame-ancestors 'none'")
SCRIPTS = sorted(STATIC_DIR.rglob("*.js"))


@pytest.fixture(scope="module")
def bundle() -> ConsoleBundle:
    return ConsoleBundle.load()


@pytest.fixture(scope="module")
def http(bundle) -> TestClient:
    app = FastAPI()
    app.include_router(build_console_router(bundle))
    return TestClient(app)


def test_the_page_is_served_at_the_root_and_at_the_callback_with_a_strict_policy(http):
    for path in ("/", "/console/callback?code=abc&state=xyz"):
        response = http.get(path)
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/html")
        assert response.headers["content-security-policy"] == EXPECTED_CSP == CONTENT_SECURITY_POLICY
        assert response.headers["referrer-policy"] == "no-referrer"  # the code in the callback URL stays here
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["cache-control"] == "no-cache"


def test_the_page_has_no_inline_script_or_style_and_names_the_current_build(http, bundle):
    page = http.get("/").text
    scripts = re.findall(r"<script\b[^>]*>(.*?)</script>", page, flags=re.S)
    assert scripts and all(body.strip() == "" for body in scripts)
    assert re.search(r"<script[^>]*type=\"module\"[^>]*src=\"" + re.escape(f"{ASSETS_PREFIX}/{bundle.build}/main.js"), page)
    assert "<style" not in page and " style=" not in page and "{{assets}}" not in page


def test_assets_are_fingerprinted_and_cached_for_a_year(http, bundle):
    response = http.get(f"{ASSETS_PREFIX}/{bundle.build}/main.js")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/javascript")
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.headers["content-security-policy"] == EXPECTED_CSP
    css = http.get(f"{ASSETS_PREFIX}/{bundle.build}/console.css")
    assert css.headers["content-type"].startswith("text/css")
    assert http.get(f"{ASSETS_PREFIX}/{bundle.build}/views/inbox.js").status_code == 200


def test_an_unchanged_page_is_revalidated_with_its_etag(http):
    first = http.get("/")
    again = http.get("/", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert http.head("/").headers["content-length"] == str(len(first.content))


def test_an_older_build_or_an_unknown_file_is_not_found(http, bundle):
    assert http.get(f"{ASSETS_PREFIX}/0000000000000000/main.js").status_code == 404
    assert http.get(f"{ASSETS_PREFIX}/{bundle.build}/nothing.js").status_code == 404
    assert http.get(f"{ASSETS_PREFIX}/{bundle.build}/../console.py").status_code == 404
    assert http.get(f"{ASSETS_PREFIX}/{bundle.build}/index.html").status_code == 404  # the page only at / (with its policy)


def test_a_changed_asset_changes_the_build(tmp_path, bundle):
    for path in STATIC_DIR.rglob("*"):
        if path.is_file():
            target = tmp_path / path.relative_to(STATIC_DIR)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(path.read_bytes())
    (tmp_path / "console.css").write_text((STATIC_DIR / "console.css").read_text() + "\n/* changed */\n")
    assert ConsoleBundle.load(tmp_path).build != bundle.build


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: str(p.relative_to(STATIC_DIR)))
def test_no_script_builds_html_from_strings_or_styles_inline(script: Path):
    source = script.read_text()
    code = re.sub(r"^\s*//.*$", "", source, flags=re.M)  # comments may name what is avoided
    for forbidden in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function", ".style.",
                      "'style'"):
        assert forbidden not in code, f"{script.name} uses {forbidden}"


def test_only_the_pkce_verifier_and_the_language_touch_web_storage():
    for script in SCRIPTS:
        code = re.sub(r"^\s*//.*$", "", script.read_text(), flags=re.M)
        for call in re.findall(r"(?:localStorage|sessionStorage)\.setItem\(([^,]+),", code):
            assert call.strip() in {"LANG_KEY", "PKCE_KEY"}, f"{script.name} stores {call}"
