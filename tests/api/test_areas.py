"""The geography through the API: the same answers as the directory, by any reference people type."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db

LOIRE = {"ref": "departement-42", "kind": "departement", "code": "42", "name": "Loire"}
ARA = {"ref": "region-84", "kind": "region", "code": "84", "name": "Auvergne-Rhône-Alpes"}
SEM = {"ref": "epci-244200770", "kind": "epci", "code": "244200770", "name": "Saint-Étienne Métropole"}
SAINT_ETIENNE = {
    "ref": "commune-42218",
    "kind": "commune",
    "code": "42218",
    "name": "Saint-Étienne",
    "siren": "214202186",
    "population": 173136,
    "epci_type": None,
    "is_obsolete": False,
    "obsolete_since": None,
    "scales_above": [ARA, LOIRE, SEM],
    "postal_codes": ["42000", "42100", "42230"],
    "aliases": [{"kind": "associee", "code": "42190", "name": "Rochetaillée"}],
}
NOT_FOUND = {"error": {"status": 404, "code": "not_found", "message": "Rien n'a été trouvé à cette adresse."}}


@pytest.mark.parametrize("reference", ["42218", "commune-42218", "commune:42218", "214202186"])
def test_a_commune_by_any_reference(client, reference):
    response = client.get(f"/api/v1/areas/{reference}")
    assert (response.status_code, response.json()) == (200, SAINT_ETIENNE)


def test_an_epci_a_departement_and_a_region(client):
    assert client.get("/api/v1/areas/244200770").json() == {
        **SEM,
        "siren": "244200770",
        "population": 407700,
        "epci_type": "METRO",
        "is_obsolete": False,
        "obsolete_since": None,
        "scales_above": [ARA, LOIRE],
        "postal_codes": [],
        "aliases": [],
    }
    assert client.get("/api/v1/areas/42").json()["scales_above"] == [ARA]
    region = client.get("/api/v1/areas/region-84").json()
    assert (region["name"], region["population"], region["scales_above"]) == (
        "Auvergne-Rhône-Alpes",
        8205557,
        [],
    )
    assert client.get("/api/v1/areas/epci-200040715").json()["name"] == "Grenoble-Alpes-Métropole"


def test_an_epci_across_two_departements_lists_both(client):
    beaune = client.get("/api/v1/areas/200006682").json()
    assert (beaune["name"], beaune["epci_type"], beaune["scales_above"]) == (
        "CA Beaune, Côte et Sud - Communauté Beaune-Chagny-Nolay",
        "CA",
        [
            {"ref": "region-27", "kind": "region", "code": "27", "name": "Bourgogne-Franche-Comté"},
            {"ref": "departement-21", "kind": "departement", "code": "21", "name": "Côte-d'Or"},
            {"ref": "departement-71", "kind": "departement", "code": "71", "name": "Saône-et-Loire"},
        ],
    )


@pytest.mark.parametrize("reference", ["99999", "commune-99999", "region-00", "nope", "epci-42218"])
def test_an_unknown_area_is_a_404_in_the_one_shape(client, reference):
    response = client.get(f"/api/v1/areas/{reference}")
    assert (response.status_code, response.json()) == (404, NOT_FOUND)


def _page_hits(client, query: str) -> list[str]:
    html = client.get("/annuaire/", {"q": query}).content.decode()
    results = html.split('<ul class="results">', 1)[1].split("</ul>", 1)[0]
    return [f"{kind}-{code}" for kind, code in re.findall(r'<a href="/annuaire/(\w+)/(\w+)/">', results)]


@pytest.mark.parametrize("query", ["saint etienne", "beaune", "42000", "rochetaillee", "st etienne"])
def test_the_search_answers_what_the_directory_page_shows_in_its_order(client, query):
    answer = client.get("/api/v1/areas/", {"q": query}).json()
    refs = [hit["ref"] for hit in answer["results"]]
    assert refs == _page_hits(client, query)
    assert (answer["count"], answer["pages"], answer["next"], answer["previous"]) == (
        len(refs),
        1,
        None,
        None,
    )


def test_a_search_hit_says_its_departements_and_the_other_name_it_matched(client):
    results = client.get("/api/v1/areas/", {"q": "rochetaillee"}).json()["results"]
    assert [(hit["name"], hit["matched_alias"]) for hit in results] == [
        ("Rochetaillée", None),
        ("Rochetaillée-sur-Saône", None),
        ("Saint-Étienne", {"kind": "associee", "code": "42190", "name": "Rochetaillée"}),
    ]
    assert results[2]["departements"] == [LOIRE]


def test_the_search_keeps_one_kind_when_asked(client):
    answer = client.get("/api/v1/areas/", {"q": "beaune", "kind": "epci"}).json()
    assert [hit["ref"] for hit in answer["results"]] == ["epci-200006682"]
    assert answer["results"][0]["departements"] == [
        {"ref": "departement-21", "kind": "departement", "code": "21", "name": "Côte-d'Or"},
        {"ref": "departement-71", "kind": "departement", "code": "71", "name": "Saône-et-Loire"},
    ]


def test_without_a_search_the_areas_of_a_kind_come_by_pages(client):
    answer = client.get("/api/v1/areas/", {"kind": "region", "page": 2, "page_size": 2}).json()
    assert answer == {
        "count": 26,
        "page": 2,
        "pages": 13,
        "next": "http://testserver/api/v1/areas/?kind=region&page=3&page_size=2",
        "previous": "http://testserver/api/v1/areas/?kind=region&page=1&page_size=2",
        "results": [
            {
                "ref": "region-53",
                "kind": "region",
                "code": "53",
                "name": "Bretagne",
                "siren": None,
                "population": 3449370,
                "epci_type": None,
                "is_obsolete": False,
                "departements": [],
                "matched_alias": None,
            },
            {
                "ref": "region-24",
                "kind": "region",
                "code": "24",
                "name": "Centre-Val de Loire",
                "siren": None,
                "population": 2587031,
                "epci_type": None,
                "is_obsolete": False,
                "departements": [],
                "matched_alias": None,
            },
        ],
    }


def test_a_page_of_communes_costs_the_same_queries_whatever_its_size(client):
    def queries(page_size: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            answer = client.get("/api/v1/areas/", {"kind": "commune", "page_size": page_size}).json()
        assert len(answer["results"]) == page_size
        assert all(len(hit["departements"]) == 1 for hit in answer["results"])
        return len(captured)

    assert queries(1) == queries(100) == 3


@pytest.mark.parametrize(
    ("params", "fields"),
    [
        ({}, {"kind": ["Indiquez un type de territoire administratif, ou une recherche avec q."]}),
        ({"q": ""}, {"q": ["Saisissez un nom, un code INSEE, un SIREN ou un code postal."]}),
        ({"q": "x" * 101}, {"q": ["Une recherche compte au plus 100 caractères (la vôtre en compte 101)."]}),
        (
            {"kind": "canton", "page": 0, "page_size": 101},
            {
                "page": ["Assurez-vous que cette valeur est supérieure ou égale à 1."],
                "page_size": ["Assurez-vous que cette valeur est inférieure ou égale à 100."],
                "kind": ["Sélectionnez un choix valide. Ce choix ne fait pas partie de ceux disponibles."],
            },
        ),
        ({"kind": "region", "page": "two"}, {"page": ["Saisissez un nombre entier."]}),
    ],
)
def test_bad_parameters_are_named_with_a_translated_message(client, params, fields):
    response = client.get("/api/v1/areas/", params)
    assert (response.status_code, response.json()) == (
        422,
        {
            "error": {
                "status": 422,
                "code": "invalid",
                "message": "Certains champs ne sont pas valides.",
                "fields": fields,
            }
        },
    )


def test_a_page_past_the_end_is_a_404(client):
    response = client.get("/api/v1/areas/", {"kind": "region", "page": 99})
    assert (response.status_code, response.json()) == (
        404,
        {"error": {"status": 404, "code": "not_found", "message": "Il n'y a pas de page 99."}},
    )
