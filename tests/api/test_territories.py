"""Territories through the API: the same list as the page, and creation through the page's form and
service, refused in the one error shape with nothing written."""

import json
import re

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from trajectoires.accounts.models import TokenScope
from trajectoires.core.models import AuditEntry
from trajectoires.territories.models import Territory, TerritoryArea

pytestmark = pytest.mark.django_db
URL = "/api/v1/territories/"
ONE_COMMUNE = (
    "Un territoire de type « Commune » correspond exactement à un territoire administratif de ce type."
)
OVERLAP = (
    "Saint-Étienne (42218) est déjà inclus dans Saint-Étienne Métropole (244200770) : "
    "indiquez l'un ou l'autre."
)
NOT_FOUND = {"error": {"status": 404, "code": "not_found", "message": "Rien n'a été trouvé à cette adresse."}}
SEM_BODY = {
    "name": "Saint-Étienne Métropole",
    "kind": "epci",
    "areas": ["244200770"],
    "alliance_joined_on": "2025-01-15",
    "description": "Métropole <b>en</b> transition",
}
SEM_CREATED = {
    "slug": "saint-etienne-metropole",
    "name": "Saint-Étienne Métropole",
    "kind": "epci",
    "kind_label": "Intercommunalité (EPCI)",
    "description": "Métropole <b>en</b> transition",
    "alliance_joined_on": "2025-01-15",
    "population": 407700,
    "perimeter": [
        {
            "ref": "epci-244200770",
            "kind": "epci",
            "code": "244200770",
            "name": "Saint-Étienne Métropole",
            "population": 407700,
        }
    ],
}


def post(client, body, **headers):
    data = body if isinstance(body, str | bytes) else json.dumps(body)
    return client.post(URL, data, content_type="application/json", **headers)


def nothing_written() -> bool:
    return (
        Territory.objects.count(),
        TerritoryArea.objects.count(),
        AuditEntry.objects.filter(action="territory.create").count(),
    ) == (0, 0, 0)


def test_the_list_pages_the_territories_by_name(client, make_territory):
    make_territory("Ungersheim", "commune", "68343")
    make_territory("Biovallée", "other", "242600252", "200040509", "242600534", description="Drôme")
    assert client.get(URL, {"page_size": 1}).json() == {
        "count": 2,
        "page": 1,
        "pages": 2,
        "next": "http://testserver/api/v1/territories/?page_size=1&page=2",
        "previous": None,
        "results": [
            {
                "slug": "biovallee",
                "name": "Biovallée",
                "kind": "other",
                "kind_label": "Autre périmètre",
                "alliance_joined_on": "2024-03-01",
                "area_count": 3,
                "population": 59232,
            }
        ],
    }


def test_the_list_holds_the_territories_of_the_page_in_its_order(client, member, make_territory):
    for name, kind, reference in [("Ungersheim", "commune", "68343"), ("Loire", "departement", "42")]:
        make_territory(name, kind, reference)
    make_territory("Pays test", "pays", "42218")
    client.force_login(member)
    page = client.get("/territoires/").content.decode()
    on_page = re.findall(r'<th scope="row"><a href="/territoires/([\w-]+)/">', page)
    assert [item["slug"] for item in client.get(URL).json()["results"]] == on_page
    assert on_page == ["loire", "pays-test", "ungersheim"]


def test_a_territory_with_its_perimeter_in_english(client, make_territory):
    make_territory("Biovallée", "other", "242600252", "200040509", "242600534", description="Drôme")
    response = client.get(f"{URL}biovallee", HTTP_ACCEPT_LANGUAGE="en")
    assert response.headers["Content-Language"] == "en"
    assert response.json() == {
        "slug": "biovallee",
        "name": "Biovallée",
        "kind": "other",
        "kind_label": "Other perimeter",
        "description": "Drôme",
        "alliance_joined_on": "2024-03-01",
        "population": 59232,
        "perimeter": [
            {
                "ref": "epci-200040509",
                "kind": "epci",
                "code": "200040509",
                "name": "CC du Crestois et de Pays de Saillans Coeur de Drôme",
                "population": 16118,
            },
            {
                "ref": "epci-242600534",
                "kind": "epci",
                "code": "242600534",
                "name": "CC du Diois",
                "population": 12081,
            },
            {
                "ref": "epci-242600252",
                "kind": "epci",
                "code": "242600252",
                "name": "CC du Val de Drôme en Biovallée",
                "population": 31033,
            },
        ],
    }


@pytest.mark.parametrize("slug", ["nowhere", "not%20a%20slug"])
def test_an_unknown_territory_is_a_404(client, slug):
    response = client.get(f"{URL}{slug}")
    assert (response.status_code, response.json()) == (404, NOT_FOUND)


def test_the_list_costs_the_same_queries_with_1_and_50_territories(client, make_territory):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL, {"page_size": 100}).status_code == 200
        return len(queries)

    make_territory("T0", "commune", "42218")
    one = count_queries()
    for index in range(1, 50):
        make_territory(f"T{index:02}", "pays", "68343")
    assert count_queries() == one == 2
    assert client.get(URL, {"page_size": 100}).json()["count"] == 50


def test_staff_create_a_territory_with_a_read_and_write_token(client, staff, token_of, bearer):
    response = post(client, SEM_BODY, **bearer(token_of(staff, TokenScope.READ_WRITE)))
    assert (response.status_code, response.json()) == (201, SEM_CREATED)
    entry = AuditEntry.objects.get(action="territory.create")
    assert (entry.actor_label, entry.object_repr, entry.changes["areas"]) == (
        str(staff.pk),
        "Saint-Étienne Métropole",
        [None, ["epci:244200770"]],
    )


def test_staff_create_a_territory_with_their_session_and_the_csrf_token(csrf_client, staff):
    csrf_client.force_login(staff)
    csrf_client.get("/territoires/nouveau/")  # the page sets the CSRF cookie, as a browser would get it
    token = csrf_client.cookies["csrftoken"].value
    response = post(csrf_client, SEM_BODY, HTTP_X_CSRFTOKEN=token)
    assert (response.status_code, response.json()) == (201, SEM_CREATED)
    assert Territory.objects.get().slug == "saint-etienne-metropole"


def test_a_session_write_without_the_csrf_token_is_refused(csrf_client, staff):
    csrf_client.force_login(staff)
    response = post(csrf_client, SEM_BODY)
    assert (response.status_code, response.json()) == (
        403,
        {
            "error": {
                "status": 403,
                "code": "csrf_failed",
                "message": "La vérification CSRF a échoué : envoyez la valeur du cookie csrftoken dans un "
                "en-tête X-CSRFToken.",
            }
        },
    )
    assert nothing_written()


def test_to_others_than_staff_creation_answers_like_a_missing_address(client, member, token_of, bearer):
    client.force_login(member)
    by_session = post(client, SEM_BODY)
    by_token = post(client, SEM_BODY, **bearer(token_of(member, TokenScope.READ_WRITE)))
    missing = client.get(f"{URL}nowhere")
    assert (
        (by_session.status_code, by_session.json())
        == (by_token.status_code, by_token.json())
        == (404, NOT_FOUND)
    )
    assert by_session.content == missing.content
    assert nothing_written()


def test_anonymous_callers_are_asked_to_sign_in(client):
    response = post(client, SEM_BODY)
    assert (response.status_code, response.headers["WWW-Authenticate"], response.json()) == (
        401,
        'Bearer realm="trajectoires"',
        {
            "error": {
                "status": 401,
                "code": "not_authenticated",
                "message": "Connectez-vous, ou envoyez un jeton personnel, pour utiliser ceci.",
            }
        },
    )
    assert nothing_written()


def test_a_read_token_cannot_write_even_for_staff(client, staff, token_of, bearer):
    raw = token_of(staff, TokenScope.READ)
    assert client.get(URL, **bearer(raw)).status_code == 200
    response = post(client, SEM_BODY, **bearer(raw))
    assert (response.status_code, response.json()) == (
        403,
        {
            "error": {
                "status": 403,
                "code": "read_only_token",
                "message": "Ce jeton ne permet que la lecture. Créez un jeton de portée « Lecture et "
                "écriture » pour modifier des données.",
            }
        },
    )
    assert nothing_written()


def invalid(fields):
    return {
        "error": {
            "status": 422,
            "code": "invalid",
            "message": "Certains champs ne sont pas valides.",
            "fields": fields,
        }
    }


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        (
            {
                "name": "",
                "kind": "epci",
                "areas": ["244200770", "99999", "nope"],
                "alliance_joined_on": "2025-13-45",
            },
            {
                "name": ["Ce champ est obligatoire."],
                "areas": ["Aucun territoire administratif actuel n'a le code 99999, nope."],
                "alliance_joined_on": ["Saisissez une date valide."],
            },
        ),
        (
            {**SEM_BODY, "kind": "commune"},
            {"areas": [ONE_COMMUNE]},
        ),
        (
            {**SEM_BODY, "kind": "petr", "areas": ["42218", "244200770"]},
            {"areas": [OVERLAP]},
        ),
        (
            {**SEM_BODY, "kind": "ville"},
            {"kind": ["Sélectionnez un choix valide. ville n’en fait pas partie."]},
        ),
        (
            {"name": 12, "areas": "42218", "alliance_joined_on": "2025-01-15", "owner": "me"},
            {
                "name": ["Saisissez un texte."],
                "kind": ["Ce champ est obligatoire."],
                "areas": ["Saisissez une liste."],
                "owner": ["Ce champ n'est pas accepté ici."],
            },
        ),
        ([SEM_BODY], {"body": ["Envoyez un objet JSON."]}),
    ],
)
def test_a_bad_creation_names_each_field_and_writes_nothing(client, staff, body, fields):
    client.force_login(staff)
    response = post(client, body)
    assert (response.status_code, response.json()) == (422, invalid(fields))
    assert nothing_written()


def test_an_unknown_field_is_refused_even_beside_valid_ones(client, staff):
    client.force_login(staff)
    response = post(client, {**SEM_BODY, "slug": "chosen"})
    assert (response.status_code, response.json()) == (
        422,
        invalid({"slug": ["Ce champ n'est pas accepté ici."]}),
    )
    assert nothing_written()


def test_validation_messages_follow_the_request_language(client, staff):
    client.force_login(staff)
    response = post(client, {**SEM_BODY, "name": "", "extra": 1}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["error"] == {
        "status": 422,
        "code": "invalid",
        "message": "Some fields are invalid.",
        "fields": {"extra": ["This field is not accepted here."]},
    }
    assert post(client, {**SEM_BODY, "name": ""}, HTTP_ACCEPT_LANGUAGE="en").json()["error"]["fields"] == {
        "name": ["This field is required."]
    }


def test_malformed_json_is_a_400(client, staff):
    client.force_login(staff)
    response = post(client, '{"name": "Loire",')
    assert (response.status_code, response.json()) == (
        400,
        {
            "error": {
                "status": 400,
                "code": "malformed_json",
                "message": "Le corps de la requête n'est pas du JSON valide.",
            }
        },
    )
    assert nothing_written()


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1024)
def test_an_oversize_body_is_a_413(client, staff):
    client.force_login(staff)
    response = post(client, {**SEM_BODY, "description": "x" * 2000})
    assert (response.status_code, response.json()) == (
        413,
        {
            "error": {
                "status": 413,
                "code": "request_too_large",
                "message": "Le corps de la requête est trop volumineux : 1,0\xa0Kio au plus.",
            }
        },
    )
    assert nothing_written()


def test_the_default_limit_on_bodies_is_the_sites(client, staff):
    client.force_login(staff)
    response = post(client, {**SEM_BODY, "description": "x" * 2_621_440}, HTTP_ACCEPT_LANGUAGE="en")
    assert (response.status_code, response.json()["error"]["message"]) == (
        413,
        "The request body is too large: at most 2.5\xa0MB.",
    )


@pytest.mark.parametrize(
    ("method", "allowed"), [("put", "GET, POST"), ("delete", "GET, POST"), ("patch", "GET, POST")]
)
def test_a_method_the_address_does_not_take_is_a_405(client, staff, method, allowed):
    client.force_login(staff)
    response = getattr(client, method)(URL, "{}", content_type="application/json")
    assert (response.status_code, response.headers["Allow"], response.json()) == (
        405,
        allowed,
        {
            "error": {
                "status": 405,
                "code": "method_not_allowed",
                "message": f"Cette adresse n'accepte pas {method.upper()} ; elle accepte {allowed}.",
            }
        },
    )
