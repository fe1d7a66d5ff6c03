"""The API's documentation works in a browser under the Content Security Policy."""

import json
import urllib.request

from playwright.sync_api import expect


def test_the_docs_list_every_operation_and_try_one(page, platform_url):
    response = page.goto(f"{platform_url}/api/v1/docs")
    assert "script-src 'self'; style-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector(".opblock-summary-path")
    # Every operation of the schema, once each (the page groups them by tag, in its own order).
    with urllib.request.urlopen(f"{platform_url}/api/v1/openapi.json", timeout=10) as schema:  # noqa: S310
        paths = json.load(schema)["paths"]
    operations = sorted(path for path, methods in paths.items() for _method in methods)
    assert len(operations) > 40
    assert sorted(page.locator(".opblock-summary-path").all_inner_texts()) == operations
    # Try one operation from the page, as a reader would.
    page.locator(".opblock-summary", has_text="/api/v1/referential/").first.click()
    page.locator("button.try-out__btn").first.click()
    page.locator("button.execute").first.click()
    answer = page.locator(".live-responses-table tbody .response").first
    expect(answer.locator(".response-col_status")).to_have_text("200")
    expect(answer.locator(".response-col_description")).to_contain_text(
        '"label": "Référentiel Trajectoires 2026 — échelles d’autoévaluation"'
    )
