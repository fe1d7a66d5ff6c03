"""The API docs (ninja's Swagger UI) in Chromium, under the site's Content Security Policy.

A platform is served by `trajectoires serve` on its own database (migrated, static files collected;
no geography needed); any console error — a refused script or style among them — fails the test.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

pytestmark = pytest.mark.e2e
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
TRAJECTOIRES = str(Path(sys.executable).with_name("trajectoires"))
OPERATIONS = [
    "/api/v1/areas/",
    "/api/v1/areas/{ref}",
    "/api/v1/territories/",
    "/api/v1/territories/",
    "/api/v1/territories/{slug}",
    "/api/v1/referential/",
    "/api/v1/referential/{grid}",
    "/api/v1/me",
    "/api/v1/me/memberships",
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(url: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2):  # noqa: S310 — our own server
                return
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError("The platform did not start.") from None
            time.sleep(0.2)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    data = tmp_path_factory.mktemp("api-docs")
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env["TRAJECTOIRES_DATA_DIR"] = str(data)
    for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
        subprocess.run([TRAJECTOIRES, *command], env=env, check=True, capture_output=True)
    port = _free_port()
    with (data / "server.log").open("w") as log:
        server = subprocess.Popen(
            [TRAJECTOIRES, "serve", "--port", str(port)], env=env, stdout=log, stderr=log
        )
        url = f"http://127.0.0.1:{port}"
        _wait_until_up(url, server)
        yield url
        server.terminate()
        server.wait(timeout=10)


def test_the_docs_work_under_the_content_security_policy(served):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"], headless=True
        )
        tab = browser.new_page()
        errors: list[str] = []
        tab.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        tab.on("pageerror", lambda error: errors.append(str(error)))
        response = tab.goto(f"{served}/api/v1/docs")
        assert "script-src 'self'; style-src 'self'" in response.headers["content-security-policy"]
        tab.wait_for_selector(".opblock-summary-path")
        assert tab.locator(".opblock-summary-path").all_inner_texts() == OPERATIONS
        # Try one operation from the page, as a reader would.
        tab.locator(".opblock-summary", has_text="/api/v1/referential/").first.click()
        tab.locator("button.try-out__btn").first.click()
        tab.locator("button.execute").first.click()
        answer = tab.locator(".live-responses-table tbody .response").first
        assert answer.locator(".response-col_status").inner_text() == "200"
        assert (
            '"label": "Référentiel Trajectoires 2026"'
            in answer.locator(".response-col_description").inner_text()
        )
        browser.close()
    assert errors == []
