import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.pages import page_text

pytestmark = pytest.mark.django_db


def test_the_directory_finds_saint_etienne_from_a_plain_form(client):
    response = client.get("/annuaire/", {"q": "saint etienne"})
    assert response.status_code == 200
    assert "<!doctype html>" in response.content.decode()
    body = page_text(response)
    assert "20 territoires trouvés" in body
    assert "Saint-Étienne · Commune · 42218 · Loire (42) · 173 136 habitants" in body
    assert '<a href="/annuaire/commune/42218/">Saint-Étienne</a>' in response.content.decode()


def test_htmx_gets_only_the_results(client):
    response = client.get("/annuaire/", {"q": "42000"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<!doctype html>" not in html and "<form" not in html
    assert "1 territoire trouvé" in page_text(response)
    assert '<a href="/annuaire/commune/42218/">Saint-Étienne</a>' in html


def test_the_directory_in_english(client):
    response = client.get("/en/annuaire/", {"q": "2A004"})
    assert "1 area found" in page_text(response)
    assert 'href="/en/annuaire/commune/2A004/"' in response.content.decode()


def test_an_empty_search_asks_for_something_to_search(client):
    response = client.get("/annuaire/", {"q": "   "})
    assert response.status_code == 200
    assert "Saisissez un nom, un code INSEE, un SIREN ou un code postal." in page_text(response)


def test_a_300_character_search_is_refused_clearly(client):
    response = client.get("/annuaire/", {"q": "a" * 300})
    assert response.status_code == 200
    assert "Une recherche compte au plus 100 caractères (la vôtre en compte 300)." in page_text(response)
    assert "trouvé" not in page_text(response)


def test_a_search_is_escaped(client):
    response = client.get("/annuaire/", {"q": "<script>alert(1)</script>"})
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_no_match_says_so(client):
    response = client.get("/annuaire/", {"q": "zzzqqqxxx"})
    assert "Aucun territoire ne correspond à « zzzqqqxxx »." in page_text(response)


def test_a_commune_page_shows_population_and_the_scales_above(client):
    response = client.get("/annuaire/commune/42218/")
    html, body = response.content.decode(), page_text(response)
    assert "<h1>Saint-Étienne</h1>" in html
    assert "Population 173 136" in body
    assert "Codes postaux : 42000, 42100, 42230" in body
    above = re.search(r'<section aria-labelledby="above-title">(.*?)</section>', html, re.S).group(1)
    assert re.findall(r'href="([^"]+)">([^<]+)</a>', above) == [
        ("/annuaire/region/84/", "Auvergne-Rhône-Alpes"),
        ("/annuaire/departement/42/", "Loire"),
        ("/annuaire/epci/244200770/", "Saint-Étienne Métropole"),
    ]


def test_an_epci_page_lists_its_communes_and_both_departements(client):
    response = client.get("/annuaire/epci/200006682/")
    html, body = response.content.decode(), page_text(response)
    assert "Communauté d'agglomération" in body
    assert 'href="/annuaire/departement/21/"' in html and 'href="/annuaire/departement/71/"' in html
    assert re.search(r"Communes \(5\d\)", body)
    assert "Établissements publics territoriaux" not in body  # no empty list
    assert '<a href="/annuaire/commune/21054/">Beaune</a>' in html


def test_a_large_departement_pages_its_communes(client):
    first = client.get("/annuaire/departement/62/")
    assert "Page 1 sur 9" in page_text(first)
    last = client.get("/annuaire/departement/62/", {"page_commune": 9})
    assert "Page 9 sur 9" in page_text(last)
    assert '<a href="/annuaire/commune/62906/">Zutkerque</a>' in last.content.decode()


def test_an_unknown_insee_code_is_a_404_that_offers_the_search(client):
    response = client.get("/annuaire/commune/99999/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page introuvable" in html
    assert 'action="/annuaire/"' in html and 'name="q"' in html


@pytest.mark.parametrize(
    ("small", "large"),
    [
        ("/annuaire/commune/68343/", "/annuaire/commune/13055/"),
        ("/annuaire/epci/242600534/", "/annuaire/epci/200093201/"),
        ("/annuaire/departement/90/", "/annuaire/departement/59/"),
    ],
)
def test_an_area_page_costs_the_same_queries_whatever_its_size(client, small, large):
    counts = []
    for url in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_search_costs_the_same_queries_whatever_it_finds(client):
    counts = []
    for query in ("ungersheim", "marseille"):
        with CaptureQueriesContext(connection) as queries:
            client.get("/annuaire/", {"q": query})
        counts.append(len(queries))
    assert counts[0] == counts[1]
