"""The HTML of the authorization server's own pages: the login form and the error page.

Plain, accessible HTML in Chinese and English, one small inline stylesheet (allowed by its
hash in the Content-Security-Policy), no scripts and nothing loaded from anywhere else.
Everything from the request is escaped.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from html import escape
from urllib.parse import urlsplit

_STYLE = """
:root { color-scheme: light; font-family: system-ui, "PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif; }
body { margin: 0; background: #f3f5f8; color: #1d2430; }
main { max-width: 24rem; margin: 8vh auto; padding: 2rem; background: #fff; border: 1px solid #d5dae1; border-radius: 8px; }
h1 { font-size: 1.35rem; margin: 0 0 1.25rem; }
label { display: block; margin: 1rem 0 .3rem; font-weight: 600; }
input { box-sizing: border-box; width: 100%; padding: .6rem; font-size: 1rem; border: 1px solid #8a94a3; border-radius: 4px; }
button { margin-top: 1.5rem; width: 100%; padding: .7rem; font-size: 1rem; font-weight: 600; color: #fff;
         background: #1f5fae; border: 0; border-radius: 4px; cursor: pointer; }
input:focus, button:focus { outline: 3px solid #f2b33d; outline-offset: 1px; }
.problem { margin: 0 0 1rem; padding: .75rem; background: #fdecec; border: 1px solid #c0392b; border-radius: 4px; }
.note { color: #4a5462; font-size: .9rem; }
""".strip()
STYLE_HASH = "sha256-" + base64.b64encode(hashlib.sha256(_STYLE.encode("utf-8")).digest()).decode("ascii")

_PROBLEMS = {
    "wrong_credentials": ("用户名或密码错误。", "Wrong username or password."),
    "missing_credentials": ("请输入用户名和密码。", "Enter your username and password."),
    "form_expired": ("登录表单已过期，请重新登录。", "The sign-in form has expired; please sign in again."),
    "throttled": ("登录失败次数过多，请稍后再试。", "Too many failed sign-ins; please try again later."),
    "busy": ("登录服务繁忙，请稍后再试。", "Sign-in is busy; please try again in a moment."),
}


def login_form_page(
    *,
    action: str,
    hidden: Sequence[tuple[str, str]],
    problem: str | None = None,
    username: str = "",
    retry_after: int | None = None,
) -> str:
    problem_html = ""
    if problem in _PROBLEMS:
        zh, en = _PROBLEMS[problem]
        if retry_after and problem == "throttled":
            minutes = max(1, -(-retry_after // 60))
            zh, en = f"{zh}（约 {minutes} 分钟后）", f"{en.rstrip('.')} in about {minutes} minute{'s' if minutes > 1 else ''}."
        problem_html = f'<p class="problem" id="problem" role="alert">{escape(zh)}<br><span lang="en">{escape(en)}</span></p>'
    described = ' aria-describedby="problem"' if problem_html else ""
    focus_username = "" if username else " autofocus"
    focus_password = " autofocus" if username else ""
    fields = "\n".join(f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">' for name, value in hidden)
    body = f"""<h1>CaseBridge 登录 <span lang="en">Sign in</span></h1>
{problem_html}
<form method="post" action="{escape(action)}" novalidate>
{fields}
<label for="username">用户名 <span lang="en">Username</span></label>
<input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false"
       required maxlength="256" value="{escape(username)}"{described}{focus_username}>
<label for="password">密码 <span lang="en">Password</span></label>
<input id="password" name="password" type="password" autocomplete="current-password" required{described}{focus_password}>
<button type="submit">登录 <span lang="en">Sign in</span></button>
</form>"""
    return _page("CaseBridge 登录 Sign in", body)


def error_page(error: str, description: str) -> str:
    body = f"""<h1>无法登录 <span lang="en">Cannot sign in</span></h1>
<p class="problem" role="alert">登录请求无效，请从 CaseBridge 控制台重新开始。<br>
<span lang="en">The sign-in request is not valid. Please start again from the CaseBridge console.</span></p>
<p class="note"><code>{escape(error)}</code>: {escape(description)}</p>"""
    return _page("CaseBridge 无法登录 Cannot sign in", body)


def security_headers(*, form_targets: Sequence[str] = ()) -> dict[str, str]:
    """Headers of every page here: no caching, no framing (clickjacking), no referrer (the URL
    carries the authorization request), and a CSP that allows the one stylesheet and posting
    the form to this server (and following its redirect to the console)."""
    origins = " ".join(dict.fromkeys(_origin(uri) for uri in form_targets if _origin(uri)))
    form_action = f"'self' {origins}".strip()
    return {
        "Cache-Control": "no-store",
        "Pragma": "no-cache",
        "Content-Security-Policy": (
            f"default-src 'none'; style-src '{STYLE_HASH}'; form-action {form_action}; frame-ancestors 'none'; base-uri 'none'"
        ),
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }


def _page(title: str, body: str) -> str:
    return f"""<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>{escape(title)}</title>
<style>{_STYLE}</style>
</head>
<body>
<main>
{body}
</main>
</body>
</html>
"""


def _origin(uri: str) -> str:
    parts = urlsplit(uri)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else ""
