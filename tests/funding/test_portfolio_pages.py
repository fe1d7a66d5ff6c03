"""The portfolio pages: a funder's members read its portfolio (others get a 404); every signed-in
member reads the alliance-wide figures, which name no contract, territory or funder."""

import pytest
from django.urls import reverse

from tests.funding.builders import a_contract, a_line, active, build_funding_world
from tests.pages import page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def fw():
    world = build_funding_world()
    contract = a_contract(world)
    a_line(world, contract, planned="60000.00")
    a_line(world, contract, category="material_investment", label="Vélos cargos", planned="20000.00")
    active(world, contract)
    return world


def test_a_funders_members_read_its_portfolio_with_charts_and_tables(client, fw):
    client.force_login(fw.people["partner_funder"])
    response = client.get(reverse("funding:portfolio", args=[fw.world.partner.slug]))
    text = page_text(response)
    assert (
        "En bref Les chiffres comptent les contrats une fois signés : "
        "signés, actifs, revus à mi-parcours ou clos. "
        "Contrats signés 1 Montant engagé 200 000,00 € "
        "Part consacrée aux capacités plutôt qu’aux projets (S1) 75,0 % "
        "Part cofinancée 100,0 % (1 contrat avec d’autres financeurs) "
        "Conditions préalables levées 0 / 1 Rapports annuels en retard 0"
    ) in text
    assert "2027 66 666,67 € 0,00 € 0,00 €" in text
    assert "Capacités 60 000,00 € Projets 20 000,00 €" in text
    assert "3 ans 1" in text
    assert "Contrat de transition 2027-2029 Ungersheim 2027–2029 Actif 200 000,00 € 2" in text
    assert response.content.decode().count('data-chart="') == 3


@pytest.mark.parametrize("who", ["admin", "other_funder", "region_officer"])
def test_who_is_no_member_of_the_funder_gets_a_404(client, fw, who):
    client.force_login(fw.region_officer if who == "region_officer" else fw.people[who])
    assert client.get(reverse("funding:portfolio", args=[fw.world.partner.slug])).status_code == 404


def test_the_alliance_view_names_no_one(client, fw):
    client.force_login(fw.people["member_elsewhere"])
    text = page_text(client.get(reverse("alliance_funding:index")))
    assert "Contrats signés 1 Montant engagé 300 000,00 €" in text
    assert "État (services déconcentrés, préfecture) 200 000,00 € Région 100 000,00 €" in text
    for name in ("Ungersheim", "Contrat de transition", "Préfecture du Haut-Rhin", "Région Grand Est"):
        assert name not in text


def test_signing_in_is_asked_first(client, fw):
    response = client.get(reverse("alliance_funding:index"))
    assert response.status_code == 302
