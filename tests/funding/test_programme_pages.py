"""The pages of a funder's programmes and area of competence: anyone reads them, with the contracts
each programme funds as far as the viewer may read them; the funder's admins write them."""

from decimal import Decimal

import pytest
from django.utils.html import escape

from tests.funding.builders import a_contract, build_funding_world
from tests.pages import page_text, sent_form
from tests.trust.world import client_as
from trajectoires.core.models import AuditEntry
from trajectoires.funding.models import FunderArea, Programme
from trajectoires.referential.selectors import referential_item

pytestmark = pytest.mark.django_db
REGION = "/financeurs/region-grand-est/"
STATE = "/financeurs/prefecture-68/"
CATEGORIES = (
    "Ingénierie humaine Formation-action Accompagnement collectif et pair-à-pair Poste mutualisé "
    "Travail narratif, artistique et participatif Évaluation et essaimage Célébration des étapes"
)


@pytest.fixture
def fw():
    return build_funding_world()


def programme_values(fw, **changes) -> dict:
    values = {
        "name": "Ingénierie de la transition",
        "description": "Des postes et de la formation pour trois à quatre ans.",
        "is_open": "on",
        "territory_kinds": ["commune", "epci"],
        "areas": "region:44",
        "categories": [referential_item("budget_line_category", "human_engineering").pk],
        "diagnostic_categories": [],
        "min_years": "3",
        "max_years": "4",
        "cofinancing_cap": "40.5",
    }
    return values | changes


def test_anyone_reads_a_funder_s_programmes_and_one_programme(client, fw):
    response = client.get(f"{STATE}programmes/")
    body = page_text(response)
    assert (
        "Les programmes de Préfecture du Haut-Rhin Chaque programme finance des parts de contrats selon ses "
        "règles : les territoires qu’il finance, la durée d’un contrat, la plus grande part d’un contrat "
        "qu’il paie, les lignes budgétaires qu’il finance et celles qui attendent un diagnostic sensible "
        "terminé. Les contrats de Préfecture du Haut-Rhin "
        "Les programmes et leurs principales règles Programme Nouveaux contrats Durée "
        "Plafond de cofinancement Fonds vert — ingénierie ouvert 3 à 5 ans 80 % "
        "Territoire de compétence Aucun territoire de compétence enregistré."
    ) in body
    assert "Nouveau programme" not in body and "Définir le territoire de compétence" not in body
    page = response.content.decode()
    assert (
        '<th scope="row"><a href="/financeurs/prefecture-68/programmes/fonds-vert-ingenierie/">'
        "Fonds vert — ingénierie</a></th>"
    ) in page
    body = page_text(client.get(f"{REGION}programmes/territoires-en-transition-grand-est/"))
    assert (
        "Territoires en transition Grand Est Programme de Région Grand Est · ouvert à de nouveaux contrats "
        "Règles Types de territoires éligibles Tous les types "
        "Territoires administratifs éligibles Grand Est · Région "
        "Durée d’un contrat 3 à 6 ans Plafond de cofinancement au plus 50 % du total d’un contrat "
        f"Catégories de lignes budgétaires éligibles {CATEGORIES} "
        "Catégories qui attendent un diagnostic sensible terminé Aucun "
        "Les contrats qu’il finance Aucun contrat que vous pouvez lire."
    ) in body
    assert "Modifier le programme" not in body
    assert client.get(f"{REGION}programmes/fonds-vert-ingenierie/").status_code == 404
    assert client.get("/financeurs/inconnu/programmes/").status_code == 404


def test_a_programme_lists_the_contracts_it_funds_as_the_viewer_may_read_them(client, fw):
    contract = a_contract(fw)
    url = f"{STATE}programmes/fonds-vert-ingenierie/"
    assert "Aucun contrat que vous pouvez lire." in page_text(client.get(url))
    client_as(client, fw.world, "partner_funder")
    response = client.get(url)
    assert (
        "Les contrats qu’il finance Contrat de transition 2027-2029 · Ungersheim · 2027–2029 · Brouillon"
    ) in page_text(response)
    assert f'<a href="/territoires/ungersheim/contrats/{contract.pk}/">' in response.content.decode()


def test_a_funder_admin_creates_a_programme(client, fw):
    client.force_login(fw.region_admin)
    assert "Nouveau programme" in page_text(client.get(f"{REGION}programmes/"))
    url = f"{REGION}nouveau-programme/"
    body = page_text(client.get(url))
    assert (
        "Nouveau programme Les règles s’appliquent à chaque part de contrat que le programme finance ; une "
        "liste vide signifie aucune restriction. Nom : Description : Ouvert à de nouveaux contrats : "
        "Qui il finance Types de territoires éligibles : Aucun coché : tous les types de territoires."
    ) in body
    response = client.post(url, programme_values(fw), follow=True)
    programme = Programme.objects.get(slug="ingenierie-de-la-transition")
    assert response.redirect_chain == [(f"{REGION}programmes/ingenierie-de-la-transition/", 302)]
    assert "Le programme « Ingénierie de la transition » a été créé." in page_text(response)
    assert (
        programme.funder,
        programme.description,
        programme.is_open,
        programme.territory_kinds,
        [area.code for area in programme.areas.all()],
        [item.code for item in programme.categories.all()],
        programme.min_years,
        programme.max_years,
        programme.cofinancing_cap,
    ) == (
        fw.region,
        "Des postes et de la formation pour trois à quatre ans.",
        True,
        ["commune", "epci"],
        ["44"],
        ["human_engineering"],
        3,
        4,
        Decimal("40.50"),
    )
    assert AuditEntry.objects.get(action="programme.create", object_id=str(programme.pk)).scope == (
        f"funder:{fw.region.pk}"
    )
    assert (
        "Types de territoires éligibles Commune, Intercommunalité (EPCI) "
        "Territoires administratifs éligibles Grand Est · Région Durée d’un contrat 3 à 4 ans "
        "Plafond de cofinancement au plus 40,50 % du total d’un contrat "
        "Catégories de lignes budgétaires éligibles Ingénierie humaine"
    ) in page_text(response)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"min_years": "6", "max_years": "4"},
            "min_years",
            "Les durées vont de 1 à 10 ans, la minimale d’abord.",
        ),
        ({"max_years": "12"}, "max_years", "Assurez-vous que cette valeur est inférieure ou égale à 10."),
        (
            {"cofinancing_cap": "120"},
            "cofinancing_cap",
            "Assurez-vous que cette valeur est inférieure ou égale à 100.",
        ),
        (
            {"cofinancing_cap": "0"},
            "cofinancing_cap",
            "Un plafond de cofinancement est une part comprise entre 0 et 100 %.",
        ),
        ({"areas": "region:44 99999"}, "areas", "Aucun territoire administratif actuel n'a le code 99999."),
        ({"name": ""}, "name", "Ce champ est obligatoire."),
    ],
)
def test_bad_programme_input_is_answered_400_next_to_its_field(client, fw, changes, field, message):
    client.force_login(fw.region_admin)
    response = client.post(f"{REGION}nouveau-programme/", programme_values(fw, **changes))
    assert response.status_code == 400
    assert f'<ul class="errorlist" id="id_{field}_error"><li>{escape(message)}</li></ul>' in (
        response.content.decode()
    )
    assert not Programme.objects.filter(slug="ingenierie-de-la-transition").exists()
    assert AuditEntry.objects.filter(action="programme.create").count() == 2  # the world's two


def test_a_funder_admin_changes_a_programme(client, fw):
    client.force_login(fw.prefecture_admin)
    url = f"{STATE}programmes/fonds-vert-ingenierie/modifier/"
    response = client.get(url)
    values = sent_form(response, "name")
    assert (values["name"], values["territory_kinds"], values["min_years"], values["cofinancing_cap"]) == (
        ["Fonds vert — ingénierie"],
        ["commune", "epci"],
        ["3"],
        ["80.00"],
    )
    values.pop("is_open")  # closed to new contracts
    values["cofinancing_cap"] = ["70"]
    response = client.post(url, values, follow=True)
    assert response.redirect_chain == [(f"{STATE}programmes/fonds-vert-ingenierie/", 302)]
    body = page_text(response)
    assert "Le programme « Fonds vert — ingénierie » a été enregistré." in body
    assert "Programme de Préfecture du Haut-Rhin · fermé aux nouveaux contrats" in body
    assert AuditEntry.objects.get(action="programme.update").changes == {
        "is_open": [True, False],
        "cofinancing_cap": ["80.00", "70.00"],
    }


def test_a_funder_admin_sets_its_area_of_competence(client, fw):
    client.force_login(fw.region_admin)
    url = f"{REGION}competence/"
    assert (
        "Territoire de compétence de Région Grand Est Là où le financeur peut agir : une Région sa région, "
        "un Département son département, un service de l’État son département ou sa région. Laissez vide "
        "pour un financeur qui agit partout. Territoire de compétence :"
    ) in page_text(client.get(url))
    response = client.post(url, {"areas": "region:44, 68 nulle-part"})
    assert response.status_code == 400
    assert "Aucun territoire administratif actuel n'a le code nulle-part." in page_text(response)
    assert not FunderArea.objects.exists()
    response = client.post(url, {"areas": "region:44, 68"}, follow=True)
    assert response.redirect_chain == [(f"{REGION}programmes/", 302)]
    body = page_text(response)
    assert "Le territoire de compétence a été enregistré." in body
    assert "Territoire de compétence Grand Est · Région 44 Haut-Rhin · Département 68" in body
    assert sorted(FunderArea.objects.values_list("area__code", flat=True)) == ["44", "68"]
    assert AuditEntry.objects.get(action="funder.competence").changes == {"areas": [[], ["44", "68"]]}
    assert sent_form(client.get(url), "areas")["areas"] == ["region:44 departement:68"]


@pytest.mark.parametrize("who", ["region_officer", "prefecture_admin", "admin", "staff", "anonymous"])
def test_only_the_funder_s_admins_write_its_programmes(client, fw, who):
    user = getattr(fw, who, None) or fw.people[who]
    if user is not None:
        client.force_login(user)
    for url in (
        f"{REGION}nouveau-programme/",
        f"{REGION}programmes/territoires-en-transition-grand-est/modifier/",
        f"{REGION}competence/",
    ):
        response = client.get(url)
        assert response.status_code == (302 if user is None else 404), url
        assert client.post(url, programme_values(fw)).status_code == (302 if user is None else 404)
    assert Programme.objects.count() == 2 and not FunderArea.objects.exists()
    assert "Modifier le programme" not in page_text(
        client.get(f"{REGION}programmes/territoires-en-transition-grand-est/")
    )
