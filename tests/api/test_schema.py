"""The OpenAPI schema, checked against the API itself by schemathesis, in-process through the WSGI app.

Each operation gets up to 20 generated calls (valid and invalid inputs), derandomised so a run is
the same every time, with no example database and no network. Every answer must be a declared
status, in JSON, matching the declared schema, and never a 5xx.
"""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance

from trajectoires.accounts.models import TokenScope

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _one_transaction_per_test():
    """Serve the WSGI app inside the test's database transaction.

    A WSGI server closes the database connection around each request (`close_old_connections`);
    inside the test's transaction that would discard it, so — as Django's test client does — the
    signal is off while the test runs.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


# Loaded once, when the tests are collected (the schema is static: no database involved).
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())
BOUNDED = settings(
    max_examples=20,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


# Rules a schema cannot state, so a request the schema allows may still get a 422 there: the check
# that every schema-valid request is accepted is left out for these two operations only.
BEYOND_THE_SCHEMA = {
    ("GET", "/api/v1/areas/"): "kind is required when there is no q",
    ("POST", "/api/v1/territories/"): "the areas must exist and fit the kind of territory",
}


def call_and_validate(case, **kwargs):
    beyond = (case.method.upper(), case.path) in BEYOND_THE_SCHEMA
    case.call_and_validate(excluded_checks=[positive_data_acceptance] if beyond else [], **kwargs)


@schema.parametrize()
@BOUNDED
def test_the_api_answers_anonymous_callers_as_its_schema_says(case):
    call_and_validate(case)


@schema.parametrize()
@BOUNDED
def test_the_api_answers_a_staff_token_as_its_schema_says(case, staff, token_of):
    """With a read-and-write token of platform staff, who may also create territories."""
    call_and_validate(case, headers={"Authorization": f"Bearer {token_of(staff, TokenScope.READ_WRITE)}"})


def test_the_schema_describes_every_operation(client):
    schema = client.get("/api/v1/openapi.json").json()
    operations = sorted(
        f"{method.upper()} {path}" for path, methods in schema["paths"].items() for method in methods
    )
    assert operations == [
        "DELETE /api/v1/territories/{slug}/actions/{pk}",
        "DELETE /api/v1/territories/{slug}/actors/{pk}",
        "DELETE /api/v1/territories/{slug}/assessments/{pk}",
        "DELETE /api/v1/territories/{slug}/assessments/{pk}/responses/{response}",
        "DELETE /api/v1/territories/{slug}/celebrations/{pk}",
        "DELETE /api/v1/territories/{slug}/change-domains/{pk}",
        "DELETE /api/v1/territories/{slug}/coherence/{document}/{orientation}",
        "DELETE /api/v1/territories/{slug}/contracts/{pk}",
        "DELETE /api/v1/territories/{slug}/contracts/{pk}/requirements/{requirement}",
        "DELETE /api/v1/territories/{slug}/controversies/{pk}",
        "DELETE /api/v1/territories/{slug}/controversies/{pk}/parties/{party}",
        "DELETE /api/v1/territories/{slug}/decisions/{pk}",
        "DELETE /api/v1/territories/{slug}/diagnostics/{pk}",
        "DELETE /api/v1/territories/{slug}/diagnostics/{pk}/shares/{share}",
        "DELETE /api/v1/territories/{slug}/documents/{pk}",
        "DELETE /api/v1/territories/{slug}/effects/{pk}",
        "DELETE /api/v1/territories/{slug}/indicators/{pk}",
        "DELETE /api/v1/territories/{slug}/indicators/{pk}/values/{period}",
        "DELETE /api/v1/territories/{slug}/journal/{pk}/attachments/{attachment_pk}",
        "DELETE /api/v1/territories/{slug}/narratives/{pk}",
        "DELETE /api/v1/territories/{slug}/narratives/{pk}/file",
        "DELETE /api/v1/territories/{slug}/outcomes/{pk}",
        "DELETE /api/v1/territories/{slug}/pilots/{pk}",
        "DELETE /api/v1/territories/{slug}/reporting-periods/{pk}",
        "DELETE /api/v1/territories/{slug}/rounds/{pk}",
        "DELETE /api/v1/territories/{slug}/rounds/{pk}/ties/{tie_pk}",
        "DELETE /api/v1/territories/{slug}/selection-rounds/{pk}",
        "DELETE /api/v1/territories/{slug}/spaces/{pk}",
        "DELETE /api/v1/territories/{slug}/stories/{pk}",
        "DELETE /api/v1/territories/{slug}/trainings/{pk}",
        "GET /api/v1/areas/",
        "GET /api/v1/areas/{ref}",
        "GET /api/v1/funders/{slug}/contracts/",
        "GET /api/v1/funders/{slug}/portfolio",
        "GET /api/v1/funders/{slug}/programmes/",
        "GET /api/v1/funders/{slug}/programmes/{programme_slug}",
        "GET /api/v1/funders/{slug}/reports",
        "GET /api/v1/funding/360giving",
        "GET /api/v1/funding/alliance",
        "GET /api/v1/me",
        "GET /api/v1/me/memberships",
        "GET /api/v1/referential/",
        "GET /api/v1/referential/{grid}",
        "GET /api/v1/territories/",
        "GET /api/v1/territories/{slug}",
        "GET /api/v1/territories/{slug}/actions/",
        "GET /api/v1/territories/{slug}/actions/{pk}",
        "GET /api/v1/territories/{slug}/actors/",
        "GET /api/v1/territories/{slug}/actors/{pk}",
        "GET /api/v1/territories/{slug}/assessments/",
        "GET /api/v1/territories/{slug}/assessments/history",
        "GET /api/v1/territories/{slug}/assessments/{pk}",
        "GET /api/v1/territories/{slug}/assessments/{pk}/responses/",
        "GET /api/v1/territories/{slug}/celebrations/",
        "GET /api/v1/territories/{slug}/celebrations/{pk}",
        "GET /api/v1/territories/{slug}/change-domains/",
        "GET /api/v1/territories/{slug}/coherence",
        "GET /api/v1/territories/{slug}/coherence/{document}/{orientation}",
        "GET /api/v1/territories/{slug}/contracts/",
        "GET /api/v1/territories/{slug}/contracts/reports",
        "GET /api/v1/territories/{slug}/contracts/{pk}",
        "GET /api/v1/territories/{slug}/contracts/{pk}/coherence",
        "GET /api/v1/territories/{slug}/contracts/{pk}/reports/{year}",
        "GET /api/v1/territories/{slug}/controversies/",
        "GET /api/v1/territories/{slug}/controversies/{pk}",
        "GET /api/v1/territories/{slug}/decisions/",
        "GET /api/v1/territories/{slug}/decisions/levels",
        "GET /api/v1/territories/{slug}/decisions/{pk}",
        "GET /api/v1/territories/{slug}/diagnostics/",
        "GET /api/v1/territories/{slug}/diagnostics/{pk}",
        "GET /api/v1/territories/{slug}/diagnostics/{pk}/interviews/",
        "GET /api/v1/territories/{slug}/documents/",
        "GET /api/v1/territories/{slug}/documents/legal-links",
        "GET /api/v1/territories/{slug}/documents/{pk}",
        "GET /api/v1/territories/{slug}/effects/",
        "GET /api/v1/territories/{slug}/effects/{pk}",
        "GET /api/v1/territories/{slug}/evaluation-reports/",
        "GET /api/v1/territories/{slug}/evaluation-reports/{pk}",
        "GET /api/v1/territories/{slug}/evaluation-reports/{pk}/pdf",
        "GET /api/v1/territories/{slug}/indicators/",
        "GET /api/v1/territories/{slug}/indicators/{pk}",
        "GET /api/v1/territories/{slug}/journal/",
        "GET /api/v1/territories/{slug}/journal/{pk}",
        "GET /api/v1/territories/{slug}/journal/{pk}/attachments/{attachment_pk}",
        "GET /api/v1/territories/{slug}/narratives/",
        "GET /api/v1/territories/{slug}/narratives/orientations",
        "GET /api/v1/territories/{slug}/narratives/{pk}",
        "GET /api/v1/territories/{slug}/narratives/{pk}/file",
        "GET /api/v1/territories/{slug}/outcomes/",
        "GET /api/v1/territories/{slug}/outcomes/{pk}",
        "GET /api/v1/territories/{slug}/pilots/",
        "GET /api/v1/territories/{slug}/pilots/{pk}",
        "GET /api/v1/territories/{slug}/pilots/{pk}/sheet",
        "GET /api/v1/territories/{slug}/reporting-periods/",
        "GET /api/v1/territories/{slug}/reporting-periods/{pk}/evaluation",
        "GET /api/v1/territories/{slug}/rounds/",
        "GET /api/v1/territories/{slug}/rounds/{pk}",
        "GET /api/v1/territories/{slug}/rounds/{pk}/network",
        "GET /api/v1/territories/{slug}/rounds/{pk}/ties/",
        "GET /api/v1/territories/{slug}/selection-rounds/",
        "GET /api/v1/territories/{slug}/selection-rounds/{pk}",
        "GET /api/v1/territories/{slug}/services",
        "GET /api/v1/territories/{slug}/spaces/",
        "GET /api/v1/territories/{slug}/spaces/{pk}",
        "GET /api/v1/territories/{slug}/spaces/{pk}/meetings/{meeting}",
        "GET /api/v1/territories/{slug}/stories/",
        "GET /api/v1/territories/{slug}/stories/{pk}",
        "GET /api/v1/territories/{slug}/team-structure",
        "GET /api/v1/territories/{slug}/training-coverage",
        "GET /api/v1/territories/{slug}/trainings/",
        "GET /api/v1/territories/{slug}/trainings/{pk}",
        "GET /api/v1/territories/{slug}/trajectory",
        "GET /api/v1/territories/{slug}/vision",
        "GET /api/v1/transferability-sheets/",
        "PATCH /api/v1/funders/{slug}/programmes/{programme_slug}",
        "PATCH /api/v1/territories/{slug}/actors/{pk}",
        "PATCH /api/v1/territories/{slug}/assessments/{pk}",
        "PATCH /api/v1/territories/{slug}/change-domains/{pk}",
        "PATCH /api/v1/territories/{slug}/contracts/{pk}",
        "PATCH /api/v1/territories/{slug}/controversies/{pk}",
        "PATCH /api/v1/territories/{slug}/controversies/{pk}/follow-ups/{follow_up}",
        "PATCH /api/v1/territories/{slug}/controversies/{pk}/parties/{party}",
        "PATCH /api/v1/territories/{slug}/diagnostics/{pk}",
        "PATCH /api/v1/territories/{slug}/diagnostics/{pk}/interviews/{number}",
        "PATCH /api/v1/territories/{slug}/effects/{pk}",
        "PATCH /api/v1/territories/{slug}/indicators/{pk}",
        "PATCH /api/v1/territories/{slug}/outcomes/{pk}",
        "PATCH /api/v1/territories/{slug}/reporting-periods/{pk}",
        "PATCH /api/v1/territories/{slug}/selection-rounds/{pk}",
        "PATCH /api/v1/territories/{slug}/stories/{pk}",
        "POST /api/v1/funders/{slug}/contracts/",
        "POST /api/v1/funders/{slug}/programmes/",
        "POST /api/v1/territories/",
        "POST /api/v1/territories/{slug}/actions/",
        "POST /api/v1/territories/{slug}/actors/",
        "POST /api/v1/territories/{slug}/actors/{pk}/erase",
        "POST /api/v1/territories/{slug}/actors/{pk}/export",
        "POST /api/v1/territories/{slug}/assessments/",
        "POST /api/v1/territories/{slug}/assessments/{pk}/close",
        "POST /api/v1/territories/{slug}/assessments/{pk}/responses/",
        "POST /api/v1/territories/{slug}/celebrations/",
        "POST /api/v1/territories/{slug}/change-domains/",
        "POST /api/v1/territories/{slug}/contracts/{pk}/conditions",
        "POST /api/v1/territories/{slug}/contracts/{pk}/lines",
        "POST /api/v1/territories/{slug}/contracts/{pk}/lines/{line}/spend",
        "POST /api/v1/territories/{slug}/contracts/{pk}/objectives",
        "POST /api/v1/territories/{slug}/contracts/{pk}/objectives/{objective}/close",
        "POST /api/v1/territories/{slug}/contracts/{pk}/objectives/{objective}/readjust",
        "POST /api/v1/territories/{slug}/contracts/{pk}/objectives/{objective}/versions/{number}/agree",
        "POST /api/v1/territories/{slug}/contracts/{pk}/parties",
        "POST /api/v1/territories/{slug}/contracts/{pk}/reports",
        "POST /api/v1/territories/{slug}/contracts/{pk}/reports/{year}/reviews",
        "POST /api/v1/territories/{slug}/contracts/{pk}/reports/{year}/submit",
        "POST /api/v1/territories/{slug}/contracts/{pk}/requirements",
        "POST /api/v1/territories/{slug}/contracts/{pk}/tranches",
        "POST /api/v1/territories/{slug}/contracts/{pk}/tranches/{tranche}/commit",
        "POST /api/v1/territories/{slug}/contracts/{pk}/tranches/{tranche}/pay",
        "POST /api/v1/territories/{slug}/contracts/{pk}/transitions",
        "POST /api/v1/territories/{slug}/controversies/",
        "POST /api/v1/territories/{slug}/controversies/{pk}/expertise",
        "POST /api/v1/territories/{slug}/controversies/{pk}/follow-ups",
        "POST /api/v1/territories/{slug}/controversies/{pk}/parties",
        "POST /api/v1/territories/{slug}/controversies/{pk}/states",
        "POST /api/v1/territories/{slug}/controversies/{pk}/states/{number}/signatures",
        "POST /api/v1/territories/{slug}/controversies/{pk}/transitions",
        "POST /api/v1/territories/{slug}/decisions/",
        "POST /api/v1/territories/{slug}/diagnostics/",
        "POST /api/v1/territories/{slug}/diagnostics/{pk}/interviews/",
        "POST /api/v1/territories/{slug}/diagnostics/{pk}/interviews/{number}/erase",
        "POST /api/v1/territories/{slug}/diagnostics/{pk}/move",
        "POST /api/v1/territories/{slug}/diagnostics/{pk}/shares",
        "POST /api/v1/territories/{slug}/documents/",
        "POST /api/v1/territories/{slug}/effects/",
        "POST /api/v1/territories/{slug}/evaluation-reports/",
        "POST /api/v1/territories/{slug}/indicators/",
        "POST /api/v1/territories/{slug}/journal/",
        "POST /api/v1/territories/{slug}/journal/{pk}/attachments/",
        "POST /api/v1/territories/{slug}/narratives/",
        "POST /api/v1/territories/{slug}/narratives/{pk}/file",
        "POST /api/v1/territories/{slug}/outcomes/",
        "POST /api/v1/territories/{slug}/outcomes/{pk}/substantiations",
        "POST /api/v1/territories/{slug}/pilots/",
        "POST /api/v1/territories/{slug}/pilots/{pk}/iterations",
        "POST /api/v1/territories/{slug}/pilots/{pk}/sheet/publish",
        "POST /api/v1/territories/{slug}/pilots/{pk}/sheet/unpublish",
        "POST /api/v1/territories/{slug}/reporting-periods/",
        "POST /api/v1/territories/{slug}/rounds/",
        "POST /api/v1/territories/{slug}/rounds/{pk}/ties/",
        "POST /api/v1/territories/{slug}/selection-rounds/",
        "POST /api/v1/territories/{slug}/spaces/",
        "POST /api/v1/territories/{slug}/spaces/{pk}/meetings",
        "POST /api/v1/territories/{slug}/stories/",
        "POST /api/v1/territories/{slug}/stories/{pk}/feedback",
        "POST /api/v1/territories/{slug}/stories/{pk}/verification",
        "POST /api/v1/territories/{slug}/trainings/",
        "PUT /api/v1/territories/{slug}/actions/{pk}",
        "PUT /api/v1/territories/{slug}/assessments/{pk}/responses/{response}",
        "PUT /api/v1/territories/{slug}/celebrations/{pk}",
        "PUT /api/v1/territories/{slug}/coherence/{document}/{orientation}",
        "PUT /api/v1/territories/{slug}/contracts/{pk}/reports/{year}",
        "PUT /api/v1/territories/{slug}/controversies/{pk}/decision",
        "PUT /api/v1/territories/{slug}/decisions/{pk}",
        "PUT /api/v1/territories/{slug}/diagnostics/{pk}/note-readers",
        "PUT /api/v1/territories/{slug}/documents/{pk}",
        "PUT /api/v1/territories/{slug}/indicators/{pk}/values/{period}",
        "PUT /api/v1/territories/{slug}/journal/{pk}",
        "PUT /api/v1/territories/{slug}/narratives/{pk}",
        "PUT /api/v1/territories/{slug}/pilots/{pk}",
        "PUT /api/v1/territories/{slug}/pilots/{pk}/sheet",
        "PUT /api/v1/territories/{slug}/rounds/{pk}",
        "PUT /api/v1/territories/{slug}/spaces/{pk}",
        "PUT /api/v1/territories/{slug}/team-structure",
        "PUT /api/v1/territories/{slug}/trainings/{pk}",
        "PUT /api/v1/territories/{slug}/vision",
    ]
    assert schema["components"]["securitySchemes"] == {
        "BearerToken": {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "trj_…",
            "description": "A personal API token (scope read, or read and write).",
        },
        "SessionCookie": {
            "type": "apiKey",
            "in": "cookie",
            "name": "sessionid",
            "description": "The site's session, after signing in; writes need the X-CSRFToken header.",
        },
    }
    assert schema["paths"]["/api/v1/areas/"]["get"]["security"] == [
        {"BearerToken": []},
        {"SessionCookie": []},
        {},
    ]
    assert schema["paths"]["/api/v1/territories/"]["post"]["security"] == [
        {"BearerToken": []},
        {"SessionCookie": []},
    ]


def test_the_schema_and_docs_only_answer_get(client):
    response = client.post("/api/v1/openapi.json")
    assert (response.status_code, response.headers["Allow"], response.json()["error"]["code"]) == (
        405,
        "GET, HEAD",
        "method_not_allowed",
    )


def test_the_docs_page_runs_under_the_content_security_policy(client):
    """No inline script or style: the page loads Swagger UI and its settings from our static files and
    a JSON data block (not executed, so not subject to script-src)."""
    response = client.get("/api/v1/docs")
    html = response.content.decode()
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "style-src 'self';" in policy
    scripts = [tag for tag in html.split("<script")[1:]]
    assert [tag.split(">", 1)[0].strip() for tag in scripts] == [
        'type="application/json" id="swagger-settings"',
        'src="/static/ninja/swagger-ui-bundle.js"',
        'src="/static/ninja/swagger-ui-init.js"',
    ]
    assert "<style" not in html and "style=" not in html
    assert '"url": "/api/v1/openapi.json"' in html and '"validatorUrl": null' in html
