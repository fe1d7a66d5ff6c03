"""The API's documentation works in a browser under the Content Security Policy."""

from playwright.sync_api import expect

OPERATIONS = [
    "/api/v1/areas/",
    "/api/v1/areas/{ref}",
    "/api/v1/territories/",
    "/api/v1/territories/",
    "/api/v1/territories/{slug}",
    "/api/v1/territories/{slug}/journal/",
    "/api/v1/territories/{slug}/journal/",
    "/api/v1/territories/{slug}/journal/{pk}",
    "/api/v1/territories/{slug}/journal/{pk}",
    "/api/v1/territories/{slug}/vision",
    "/api/v1/territories/{slug}/vision",
    "/api/v1/referential/",
    "/api/v1/referential/{grid}",
    "/api/v1/me",
    "/api/v1/me/memberships",
]


def test_the_docs_list_every_operation_and_try_one(page, platform_url):
    response = page.goto(f"{platform_url}/api/v1/docs")
    assert "script-src 'self'; style-src 'self'" in response.headers["content-security-policy"]
    page.wait_for_selector(".opblock-summary-path")
    assert page.locator(".opblock-summary-path").all_inner_texts() == OPERATIONS
    # Try one operation from the page, as a reader would.
    page.locator(".opblock-summary", has_text="/api/v1/referential/").first.click()
    page.locator("button.try-out__btn").first.click()
    page.locator("button.execute").first.click()
    answer = page.locator(".live-responses-table tbody .response").first
    expect(answer.locator(".response-col_status")).to_have_text("200")
    expect(answer.locator(".response-col_description")).to_contain_text(
        '"label": "Référentiel Trajectoires 2026"'
    )
