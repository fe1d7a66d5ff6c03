import pytest

from trajectoires.geo.selectors import area_from_reference, area_search

pytestmark = pytest.mark.django_db


def names(query: str, count: int = 3) -> list[tuple[str, str]]:
    return [(hit.area.name, hit.area.code) for hit in area_search(query)[:count]]


@pytest.mark.parametrize(
    "query", ["saint etienne", "Saint-Étienne", "SAINT ETIENNE", "st etienne", "saint-etienne "]
)
def test_accents_case_hyphens_and_abbreviations_do_not_matter(query):
    assert names(query, 2) == [("Saint-Étienne", "42218"), ("Saint-Étienne Métropole", "244200770")]


def test_ligatures_fold():
    assert names("vandoeuvre", 1) == [("Vandœuvre-lès-Nancy", "54547")]


def test_a_postal_code_finds_every_commune_it_serves():
    assert names("42000") == [("Saint-Étienne", "42218")]
    assert names("13001") == [("Aix-en-Provence", "13001"), ("Marseille", "13055")]


def test_insee_code_and_siren():
    assert names("2A004") == [("Ajaccio", "2A004")]
    assert names("2a004") == [("Ajaccio", "2A004")]
    assert names("244200770") == [("Saint-Étienne Métropole", "244200770")]
    assert names("214202186") == [("Saint-Étienne", "42218")]


def test_a_former_or_delegated_commune_finds_the_current_one():
    (hit,) = area_search("Arbignieu")
    assert (hit.area.name, hit.via_alias.name, hit.via_alias.kind) == (
        "Arboys en Bugey",
        "Arbignieu",
        "deleguee",
    )
    (hit,) = area_search("marseille 1er")
    assert (hit.area.name, hit.via_alias.name) == ("Marseille", "Marseille 1er Arrondissement")


def test_exact_names_come_first_then_the_most_populated():
    hits = [(hit.area.kind, hit.area.code) for hit in area_search("paris")[:4]]
    assert set(hits[:2]) == {("departement", "75"), ("commune", "75056")}
    assert hits[2:] == [("ept", "200057982"), ("ept", "200057941")]  # names starting with "Paris" next


def test_nothing_to_search_gives_nothing():
    assert area_search("") == []
    assert area_search(" -- ' ") == []
    assert area_search("zzzqqqxxx") == []


def test_at_most_twenty_results():
    assert len(area_search("saint")) == 20


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        ("42218", ("commune", "42218")),
        ("244200770", ("epci", "244200770")),
        ("214202186", ("commune", "42218")),
        ("42", ("departement", "42")),
        ("region:84", ("region", "84")),
        ("epci:200040715", ("epci", "200040715")),
        ("EPT-200057867", ("ept", "200057867")),
    ],
)
def test_area_references_typed_by_people(reference, expected):
    area = area_from_reference(reference)
    assert (area.kind, area.code) == expected


@pytest.mark.parametrize("reference", ["99999", "region:99", "hello", "", "1234567890"])
def test_unknown_references_find_nothing(reference):
    assert area_from_reference(reference) is None
