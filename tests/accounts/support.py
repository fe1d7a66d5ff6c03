"""Helpers for the account tests."""

import re

from tests.pages import page_text


class _Fragment:
    def __init__(self, html: str):
        self.content = html.encode()


def main_text(response) -> str:
    """The visible text of the page's <main> landmark only (no menu, no footer), on one line."""
    match = re.search(r"<main\b.*?</main>", response.content.decode(), re.S)
    assert match, "the page has no <main>"
    return page_text(_Fragment(match.group(0)))
