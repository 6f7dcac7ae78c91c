"""A stand-in for the user's browser in the sign-in tests.

Python's ``webbrowser`` runs ``$BROWSER`` with the URL and waits for it, so
setting BROWSER to ``"<python> tests/helpers/fake_browser.py %s"`` makes
``webbrowser.open`` do what a person would: load the server's consent page,
pick an account (env FAKE_BROWSER_USER, default alice) and follow the redirect
to Parloir's loopback callback. With FAKE_BROWSER_DENY=1 it declines instead,
as the "Deny" button of a real server does (``error=access_denied``).

Exit 0 when the callback was delivered; 1 (and a line on stderr) otherwise,
which ``webbrowser.open`` reports as "no browser".
"""

from __future__ import annotations

import os
import sys
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin

import requests

TIMEOUT = 10


class ConsentForm(HTMLParser):
    """The consent page's form: its action and hidden inputs."""

    def __init__(self) -> None:
        super().__init__()
        self.action = ""
        self.hidden: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.action = values.get("action", "")
        elif tag == "input" and values.get("type") == "hidden" and values.get("name"):
            self.hidden[values["name"]] = values.get("value", "")


def consent_form(url: str) -> ConsentForm:
    """GET the authorize page and parse its form."""
    page = requests.get(url, timeout=TIMEOUT)
    page.raise_for_status()
    form = ConsentForm()
    form.feed(page.text)
    return form


def approve(url: str, user: str) -> str:
    """Pick ``user`` on the consent page; return where the server redirects to."""
    form = consent_form(url)
    answer = requests.post(
        urljoin(url, form.action or url),
        data={**form.hidden, "username": user},
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    location = answer.headers.get("Location")
    if answer.status_code not in (301, 302, 303, 307) or not location:
        raise RuntimeError(f"expected a redirect, got {answer.status_code}")
    return urljoin(url, location)


def deny(url: str) -> str:
    """The callback address a server sends a browser to when the user declines."""
    form = consent_form(url)
    query = urlencode({"error": "access_denied", "state": form.hidden.get("state", "")})
    return f"{form.hidden['redirect_uri']}?{query}"


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: fake_browser.py URL", file=sys.stderr)
        return 1
    url = argv[1]
    try:
        if os.environ.get("FAKE_BROWSER_DENY") == "1":
            target = deny(url)
        else:
            target = approve(url, os.environ.get("FAKE_BROWSER_USER", "alice"))
        requests.get(target, timeout=TIMEOUT).raise_for_status()
    except (requests.RequestException, RuntimeError, KeyError) as exc:
        print(f"fake_browser: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
