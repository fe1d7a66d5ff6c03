"""Browser journeys: a platform served by `trajectoires serve` on its own SQLite database, with the
real geography and the demo alliance, driven by Debian's Chromium through Playwright."""

import os
import quopri
import re
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import sync_playwright

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
TRAJECTOIRES = str(Path(sys.executable).with_name("trajectoires"))
SERIOUS = {"serious", "critical"}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@dataclass(frozen=True)
class Platform:
    url: str
    data: Path

    def last_link(self, prefix: str) -> str:
        """The last link starting with `prefix` in the e-mails printed by the server."""
        # The console e-mail backend prints messages quoted-printable encoded, as they are sent.
        log = quopri.decodestring((self.data / "server.log").read_bytes()).decode("utf-8", "replace")
        links = re.findall(rf"{re.escape(self.url)}{re.escape(prefix)}\S+", log)
        assert links, f"no link {prefix} in the server's e-mails"
        return links[-1]


@pytest.fixture(scope="session")
def platform_url(platform) -> str:
    return platform.url


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def platform(tmp_path_factory):
    """The served platform: its address and the folder of its data (its log holds the e-mails
    the console backend prints)."""
    data = tmp_path_factory.mktemp("platform")
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env["TRAJECTOIRES_DATA_DIR"] = str(data)
    for command in (["migrate", "--noinput"], ["geo", "import"], ["demo"], ["collectstatic", "--noinput"]):
        subprocess.run([TRAJECTOIRES, *command], env=env, check=True, capture_output=True)
    port = _free_port()
    log = (data / "server.log").open("w")
    server = subprocess.Popen([TRAJECTOIRES, "serve", "--port", str(port)], env=env, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:  # noqa: S310 — our own server
                if response.status == 200:
                    break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise RuntimeError(f"The platform did not start: see {data / 'server.log'}") from None
            time.sleep(0.2)
    yield Platform(url, data)
    server.terminate()
    server.wait(timeout=10)
    log.close()


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A French-speaking visitor's tab; console errors (a CSP refusal among them) fail the test."""
    context = browser.new_context(locale="fr-FR")
    tab = context.new_page()
    errors: list[str] = []
    tab.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    tab.on("pageerror", lambda error: errors.append(str(error)))
    yield tab
    context.close()
    assert errors == []


@pytest.fixture(scope="session")
def axe():
    return Axe()


@pytest.fixture
def check_accessibility(axe):
    """Run axe-core on the page as it is now: no serious or critical violation."""

    def check(tab):
        violations = axe.run(tab).response["violations"]
        serious = [
            f"{violation['id']} ({violation['impact']}): {[node['target'] for node in violation['nodes']]}"
            for violation in violations
            if violation["impact"] in SERIOUS
        ]
        assert serious == [], f"{tab.url}: {serious}"

    return check
