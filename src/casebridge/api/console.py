"""The console for people: one HTML page and its ES modules, served at `/`.

No build step: `static/console/` holds plain JavaScript modules and CSS, read into memory
once. Their URLs carry a fingerprint of the whole directory (`/console/assets/<build>/...`),
so they may be cached for a year and a release is picked up on the next page load; the page
itself is revalidated every time (ETag). Every response carries a strict Content-Security-
Policy (no inline script or style) and sends no referrer, so the authorization code in the
callback URL never leaves the page.
"""

from __future__ import annotations

import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

STATIC_DIR = Path(__file__).parent / "static" / "console"
ASSETS_PREFIX = "/console/assets"
CALLBACK_PATH = "/console/callback"
ASSETS_PLACEHOLDER = "{{assets}}"

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self'; "
    "script-src 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
PAGE_CACHE = "no-cache"  # always revalidate: the page names the current build's assets
ASSET_CACHE = "public, max-age=31536000, immutable"  # the URL changes when any asset does

_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
          ".html": "text/html; charset=utf-8", ".svg": "image/svg+xml", ".json": "application/json"}


@dataclass(frozen=True)
class Asset:
    body: bytes
    media_type: str
    etag: str


@dataclass(frozen=True)
class ConsoleBundle:
    """The page and its assets as served by this build."""

    build: str
    page: Asset
    assets: dict[str, Asset]

    @classmethod
    def load(cls, directory: Path = STATIC_DIR) -> ConsoleBundle:
        files = sorted(p for p in directory.rglob("*") if p.is_file() and not p.name.startswith("."))
        fingerprint = hashlib.sha256()
        contents: dict[str, bytes] = {}
        for path in files:
            name = path.relative_to(directory).as_posix()
            contents[name] = path.read_bytes()
            fingerprint.update(name.encode() + b"\0" + contents[name] + b"\0")
        build = fingerprint.hexdigest()[:16]
        assets = {name: _asset(name, body) for name, body in contents.items() if name != "index.html"}
        page_body = contents["index.html"].replace(ASSETS_PLACEHOLDER.encode(), f"{ASSETS_PREFIX}/{build}".encode())
        return cls(build=build, page=_asset("index.html", page_body), assets=assets)


def _asset(name: str, body: bytes) -> Asset:
    suffix = Path(name).suffix
    media_type = _TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"
    return Asset(body=body, media_type=media_type, etag='"' + hashlib.sha256(body).hexdigest()[:32] + '"')


def _serve(request: Request, asset: Asset, cache_control: str) -> Response:
    headers = {**SECURITY_HEADERS, "Cache-Control": cache_control, "ETag": asset.etag}
    if asset.etag in _etags(request.headers.get("if-none-match", "")):
        return Response(status_code=304, headers=headers)
    body = b"" if request.method == "HEAD" else asset.body
    response = Response(body, media_type=asset.media_type, headers=headers)
    if request.method == "HEAD":
        response.headers["Content-Length"] = str(len(asset.body))
    return response


def _etags(header: str) -> set[str]:
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}


def build_console_router(bundle: ConsoleBundle | None = None) -> APIRouter:
    """`GET /` (the page), `/console/callback` (the same page, finishing sign-in) and the
    fingerprinted assets under `/console/assets/<build>/`."""
    bundle = bundle or ConsoleBundle.load()
    router = APIRouter(include_in_schema=False)

    @router.api_route("/", methods=["GET", "HEAD"])
    @router.api_route(CALLBACK_PATH, methods=["GET", "HEAD"])
    def page(request: Request) -> Response:
        return _serve(request, bundle.page, PAGE_CACHE)

    @router.get("/console")
    @router.get("/console/")
    def console_root() -> Response:
        return RedirectResponse("/", status_code=308, headers=SECURITY_HEADERS)

    @router.api_route(ASSETS_PREFIX + "/{build}/{name:path}", methods=["GET", "HEAD"])
    def asset(request: Request, build: str, name: str) -> Response:
        found = bundle.assets.get(name)
        if found is None or build != bundle.build:
            # A page of an older build asks for what this build no longer has: the reload
            # that follows fetches the current page.
            return Response("Not found", status_code=404, media_type="text/plain",
                            headers={**SECURITY_HEADERS, "Cache-Control": "no-store"})
        return _serve(request, found, ASSET_CACHE)

    return router
