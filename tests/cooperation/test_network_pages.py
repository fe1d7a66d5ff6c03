"""The pages of the cooperation network: rounds, a round and its ties, the network picture."""

import datetime
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.pages import page_text
from tests.trust.world import build_world, client_as
from trajectoires.cooperation.models import RoundMetrics, SurveyRound, Tie
from trajectoires.core.models import AuditEntry

from .network_data import actor, survey_round, tie

pytestmark = pytest.mark.django_db
BASE = "/territoires/ungersheim/cooperation/"
PUBLIC = "Public — tout le monde, et les données ouvertes"
NO_SCORES = "– · – · – – · – · –"


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    """Two rounds: in 2024, élu – agent only; in 2025, a triangle élu – agent – État plus a
    socio-economic actor tied to the État; a researcher without a tie, whose record is private."""
    world = build_world()
    people = {
        "mairie": actor(world.territory, "Mairie", "elu"),
        "services": actor(world.territory, "Services techniques", "agent"),
        "ddt": actor(world.territory, "DDT du Haut-Rhin", "etat_territorial"),
        "champ": actor(world.territory, "Coopérative Le Champ", "socio_economique"),
        "labo": actor(world.territory, "Laboratoire secret", "chercheur", visibility="private"),
    }
    with django_capture_on_commit_callbacks(execute=True):
        world.first = survey_round(world, held_on=datetime.date(2024, 3, 1), title="Enquête 2024")
        tie(world, world.first, people["mairie"], people["services"])
        world.second = survey_round(world, title="Enquête 2025")
        tie(world, world.second, people["mairie"], people["services"])
        tie(world, world.second, people["services"], people["ddt"], tie_type="joint_project", quality=4)
        tie(world, world.second, people["ddt"], people["mairie"])
        tie(world, world.second, people["ddt"], people["champ"], tie_type="decision", openness=2)
    world.actors = people
    return world


def test_the_rounds_list_shows_each_round_with_its_metrics(client, world):
    body = page_text(client.get(BASE))
    assert "Coopération de Ungersheim" in body
    # 5 actors; 2025: 4 linked pairs of 10; every tie across categories.
    assert (
        "Enquêtes, de la plus récente à la plus ancienne Vague d’enquête Date Acteurs Liens Densité "
        "Liens entre catégories « 4 Fantastiques » Mesures "
        f"Enquête 2025 · {PUBLIC} 1 mars 2025 5 4 0,40 100 % incomplets À jour "
        f"Enquête 2024 · {PUBLIC} 1 mars 2024 5 1 0,10 100 % incomplets À jour"
    ) in body
    assert "Nouvelle enquête" not in body


def test_a_round_being_computed_says_so(client, world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        pending = survey_round(world, held_on=datetime.date(2025, 6, 1), title="Enquête de juin")
    client_as(client, world, "editor")
    assert f"Enquête de juin · {PUBLIC} 1 juin 2025 — — — — — En cours de calcul" in (
        page_text(client.get(BASE))
    )
    body = page_text(client.get(f"{BASE}enquetes/{pending.pk}/"))
    assert "Les mesures de cette enquête sont en cours de calcul : rechargez la page dans un instant." in body
    body = page_text(client.get(f"{BASE}reseau/?enquete={pending.pk}"))
    assert "Les mesures de cette enquête sont en cours de calcul : rechargez la page dans un instant." in body


def test_the_round_page_lists_the_ties_and_hides_the_names_of_unreadable_actors(client, world):
    with_hidden = tie(world, world.second, world.actors["labo"], world.actors["mairie"], tie_type="resources")
    body = page_text(client.get(f"{BASE}enquetes/{world.second.pk}/"))
    assert f"Enquête du 1 mars 2025 · {PUBLIC}" in body
    assert (
        "5 liens Premier acteur Second acteur Type Fréquence Qualité "
        "Confiance (ouverture, fiabilité, mission partagée) Valeur (influence, implication, ressources) "
        "Mairie · Élu Services techniques · Agent de la collectivité "
        f"Partage d’information Mensuelle 3 {NO_SCORES} "
        "Services techniques · Agent de la collectivité DDT du Haut-Rhin · État territorial "
        "Projet commun Mensuelle 4 "
    ) in body
    assert (
        "DDT du Haut-Rhin · État territorial Coopérative Le Champ · Acteur socio-économique "
        "Décision conjointe Mensuelle 3 2 · – · –" in body
    )
    # An anonymous visitor may not read the researcher's record: its category, never its name.
    assert "Acteur non visible · Chercheur Mairie · Élu Partage de ressources" in body
    assert "Laboratoire secret" not in client.get(f"{BASE}enquetes/{world.second.pk}/").content.decode()
    client_as(client, world, "viewer")
    assert "Laboratoire secret · Chercheur Mairie · Élu" in page_text(
        client.get(f"{BASE}enquetes/{world.second.pk}/")
    )
    assert with_hidden.pk


def test_an_editor_adds_a_tie_from_the_round_page(client, world, django_capture_on_commit_callbacks):
    client_as(client, world, "editor")
    page = page_text(client.get(f"{BASE}enquetes/{world.first.pk}/"))
    assert "Ajouter un lien Premier acteur" in page and "Importer des liens depuis un fichier CSV" in page
    data = {
        "source": world.actors["champ"].pk,
        "target": world.actors["mairie"].pk,
        "tie_type": "resources",
        "frequency": "weekly",
        "quality": "2",
        "openness": "4",
        "influence": "",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{BASE}enquetes/{world.first.pk}/liens/", data, follow=True)
    assert response.redirect_chain == [(f"{BASE}enquetes/{world.first.pk}/", 302)]
    body = page_text(response)
    assert "Le lien a été ajouté. Les mesures sont en cours de recalcul." in body
    assert (
        "Coopérative Le Champ · Acteur socio-économique Mairie · Élu "
        "Partage de ressources Hebdomadaire 2 4 · – · –" in body
    )
    # The task runs once the request's transaction commits: until then, the page says so.
    assert "Les mesures de cette enquête sont en cours de calcul" in body
    # Then 2 linked pairs of 10.
    assert "Densité 0,20" in page_text(client.get(f"{BASE}enquetes/{world.first.pk}/"))
    assert RoundMetrics.objects.get(round=world.first).tie_count == 2


def test_a_bad_tie_is_refused_with_the_field_named(client, world):
    client_as(client, world, "editor")
    data = {
        "source": world.actors["mairie"].pk,
        "target": world.actors["mairie"].pk,
        "tie_type": "information",
        "frequency": "monthly",
        "quality": "7",
    }
    body = page_text(client.post(f"{BASE}enquetes/{world.first.pk}/liens/", data))
    assert "Sélectionnez un choix valide. 7 n’en fait pas partie." in body
    data["quality"] = "3"
    body = page_text(client.post(f"{BASE}enquetes/{world.first.pk}/liens/", data))
    assert "Un acteur ne peut pas être lié à lui-même : choisissez un autre acteur." in body
    data["target"] = world.actors["services"].pk
    body = page_text(client.post(f"{BASE}enquetes/{world.first.pk}/liens/", data))
    assert "Ces deux acteurs ont déjà un lien de ce type dans cette enquête." in body
    assert Tie.objects.filter(round=world.first).count() == 1


@pytest.mark.parametrize("role", ["viewer", "contributor", "partner_funder", "member_elsewhere"])
def test_only_writers_see_and_use_the_tie_forms(client, world, role):
    client_as(client, world, role)
    body = page_text(client.get(f"{BASE}enquetes/{world.first.pk}/"))
    assert "Ajouter un lien" not in body and "Modifier l’enquête" not in body
    one_tie = Tie.objects.filter(round=world.first).get()
    data = {"source": world.actors["champ"].pk, "target": world.actors["mairie"].pk}
    assert client.post(f"{BASE}enquetes/{world.first.pk}/liens/", data).status_code == 404
    assert client.post(f"{BASE}enquetes/{world.first.pk}/liens/{one_tie.pk}/supprimer/").status_code == 404
    assert client.post(f"{BASE}enquetes/{world.first.pk}/supprimer/").status_code == 404
    assert client.get(f"{BASE}enquetes/nouvelle/").status_code == 404
    assert Tie.objects.count() == 5 and SurveyRound.objects.count() == 2


def test_signing_in_is_asked_before_any_write(client, world):
    response = client.post(f"{BASE}enquetes/{world.first.pk}/liens/", {})
    assert (response.status_code, response["Location"].split("?")[0]) == (302, "/compte/connexion/")


def test_an_editor_creates_edits_and_deletes_a_round(client, world, django_capture_on_commit_callbacks):
    client_as(client, world, "editor")
    data = {"title": "Enquête <b>d’été</b>", "held_on": "2025-07-01", "notes": "", "visibility": "partners"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{BASE}enquetes/nouvelle/", data, follow=True)
    created = SurveyRound.objects.get(held_on=datetime.date(2025, 7, 1))
    assert response.redirect_chain == [(f"{BASE}enquetes/{created.pk}/", 302)]
    assert "<h1>Enquête &lt;b&gt;d’été&lt;/b&gt;</h1>" in response.content.decode()
    assert "L’enquête a été enregistrée. " in page_text(response)
    body = page_text(client.post(f"{BASE}enquetes/{created.pk}/modifier/", data | {"held_on": "2025-03-01"}))
    assert "Date de l’enquête : Le territoire a déjà une enquête à cette date." in body
    confirm = page_text(client.get(f"{BASE}enquetes/{created.pk}/supprimer/"))
    assert (
        "L’enquête « Enquête <b>d’été</b> » et son 0 lien seront supprimés, avec ses mesures. "
        "C’est définitif." in confirm
    )
    response = client.post(f"{BASE}enquetes/{created.pk}/supprimer/", follow=True)
    assert "L’enquête et ses liens ont été supprimés." in page_text(response)
    assert not SurveyRound.objects.filter(pk=created.pk).exists()
    assert list(AuditEntry.objects.filter(object_id=str(created.pk)).values_list("action", flat=True)) == [
        "survey_round.delete",
        "survey_round.create",
    ]


def test_a_tie_is_edited_on_its_own_page(client, world, django_capture_on_commit_callbacks):
    client_as(client, world, "admin")
    one_tie = Tie.objects.get(round=world.first)
    url = f"{BASE}enquetes/{world.first.pk}/liens/{one_tie.pk}/modifier/"
    assert "Modifier le lien Premier acteur" in page_text(client.get(url))
    data = {
        "source": one_tie.source_id,
        "target": one_tie.target_id,
        "tie_type": "decision",
        "frequency": "daily",
        "quality": "1",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data, follow=True)
    assert "Le lien a été enregistré. Les mesures sont en cours de recalcul." in page_text(response)
    assert RoundMetrics.objects.get(round=world.first).by_tie_type.keys() == {"decision"}


def test_the_network_page_shows_the_stored_metrics_in_tables(client, world):
    body = page_text(client.get(f"{BASE}reseau/"))
    assert "Réseau de coopération de Ungersheim" in body
    assert "Enquête 2025, 1 mars 2025 Liens de tous types." in body
    assert "Acteurs 5 Liens 4 Densité 0,40 Liens entre catégories 100 %" in body
    # Degree: the DDT is tied to 3 of the 4 others, the Mairie and the services to 2, Le Champ to 1.
    # Betweenness of the DDT: it alone links Le Champ to the Mairie and to the services, 2 of the
    # (5 − 1)(5 − 2) / 2 = 6 pairs of other actors → 1/3.
    assert (
        "Acteur Catégorie Centralité de degré Centralité d’intermédiarité "
        "DDT du Haut-Rhin État territorial 0,750 0,333 "
        "Mairie Élu 0,500 0,000 "
        "Services techniques Agent de la collectivité 0,500 0,000 "
        "Coopérative Le Champ Acteur socio-économique 0,250 0,000 "
        "Acteur non visible Chercheur 0,000 0,000"
    ) in body
    assert (
        "Nombre de liens entre acteurs de chaque paire de catégories (tous types de liens) "
        "Élu Agent de la collectivité État territorial Acteur socio-économique Chercheur "
        "Élu 0 1 1 0 0 "
        "Agent de la collectivité 1 0 1 0 0 "
        "État territorial 1 1 0 1 0 "
        "Acteur socio-économique 0 0 1 0 0 "
        "Chercheur 0 0 0 0 0"
    ) in body
    assert (
        "Pas encore au complet. Aucun lien direct entre « Élu » et « Acteur socio-économique ». "
        "Aucun lien direct entre « Agent de la collectivité » et « Acteur socio-économique »."
    ) in body
    # Compared by default with the round before.
    assert (
        "De « Enquête 2024 » (01/03/2024) à « Enquête 2025 » (01/03/2025), tous types de liens : "
        "Acteurs 0 Liens +3 Densité +0,30 Liens entre catégories 0 points"
    ) in body
    assert "Agent de la collectivité – État territorial 0 1 +1" in body
    assert (
        "Entrent parmi les cinq plus fortes centralités de degré : DDT du Haut-Rhin, Coopérative Le Champ"
        in body
    )
    assert "Entrent parmi les cinq plus fortes centralités d’intermédiarité : DDT du Haut-Rhin" in body
    assert (
        "Enquête 2024 (01/03/2024) 5 1 0,10 100 % incomplets "
        "Enquête 2025 (01/03/2025) 5 4 0,40 100 % incomplets"
    ) in body
    assert "Laboratoire secret" not in client.get(f"{BASE}reseau/").content.decode()


def test_the_charts_are_data_for_the_page_script_under_the_csp(client, world):
    response = client.get(f"{BASE}reseau/")
    html = response.content.decode()
    assert "style=" not in html and "<style" not in html
    scripts = [tag.split(">", 1)[0].strip() for tag in html.split("<script")[1:]]
    assert scripts == [
        'src="/static/vendor/htmx/htmx.min.js" defer',
        'src="/static/vendor/echarts/echarts.min.js" defer',
        'src="/static/js/charts.js" defer',
        'id="network-chart" type="application/json"',
        'id="trend-chart" type="application/json"',
    ]
    assert (
        '<div class="chart chart-network" data-chart="network-chart" role="img" '
        'aria-label="Le réseau de coopération' in html
    )
    chart = json.loads(re.search(r'id="network-chart" type="application/json">(.*?)</script>', html).group(1))
    series = chart["series"][0]
    assert [(node["name"], node["symbolSize"]) for node in series["data"]] == [
        ("DDT du Haut-Rhin", 32.0),
        ("Mairie", 24.0),
        ("Services techniques", 24.0),
        ("Coopérative Le Champ", 16.0),
        ("Acteur non visible", 8.0),
    ]
    assert [category["name"] for category in series["categories"]] == [
        "Élu",
        "Agent de la collectivité",
        "État territorial",
        "Acteur socio-économique",
        "Chercheur",
    ]
    assert series["links"] == [
        {"source": 0, "target": 1},
        {"source": 0, "target": 2},
        {"source": 0, "target": 3},
        {"source": 1, "target": 2},
    ]
    trend = json.loads(re.search(r'id="trend-chart" type="application/json">(.*?)</script>', html).group(1))
    assert [serie["data"] for serie in trend["series"]] == [[0.1, 0.4], [1.0, 1.0]]


def test_the_network_filtered_by_tie_type_and_round(client, world):
    body = page_text(client.get(f"{BASE}reseau/?enquete={world.second.pk}&type=information"))
    assert "Liens du type « Partage d’information » seulement." in body
    # Information: Mairie – Services, DDT – Mairie: 2 of 10 pairs, both across categories; the
    # Mairie is tied to 2 of 4 and lies between the services and the DDT (1 of 6 pairs).
    assert "Acteurs 5 Liens 2 Densité 0,20 Liens entre catégories 100 %" in body
    assert "Mairie Élu 0,500 0,167" in body
    assert "Projet commun" not in body.split("Liens affichés")[1].split("Liens entre catégories")[0]
    body = page_text(client.get(f"{BASE}reseau/?enquete={world.first.pk}"))
    assert "Enquête 2024, 1 mars 2024" in body
    assert "Une comparaison demande deux enquêtes." not in body
    assert client.get(f"{BASE}reseau/?enquete=999999").status_code == 404


def test_a_private_round_is_not_shown_to_a_visitor(client, world):
    world.second.visibility = "private"
    world.second.save()
    body = page_text(client.get(f"{BASE}reseau/"))
    assert "Enquête 2024, 1 mars 2024" in body and "Enquête 2025" not in body
    assert client.get(f"{BASE}reseau/?enquete={world.second.pk}").status_code == 404
    assert client.get(f"{BASE}enquetes/{world.second.pk}/").status_code == 404


@pytest.mark.parametrize("page", ["rounds", "round", "network", "compared"])
def test_pages_cost_the_same_queries_as_the_network_grows(
    client, world, page, django_capture_on_commit_callbacks
):
    address = {
        "rounds": BASE,
        "round": f"{BASE}enquetes/{world.second.pk}/",
        "network": f"{BASE}reseau/",
        "compared": f"{BASE}reseau/?enquete={world.first.pk}&comparer={world.second.pk}&type=information",
    }[page]
    client_as(client, world, "editor")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(address)
        assert response.status_code == 200
        return len(queries)

    few = count()
    more = [
        actor(world.territory, f"Acteur {index}", ["elu", "agent", "media"][index % 3], visibility=visibility)
        for index in range(30)
        for visibility in [("private", "public")[index % 2]]
    ]
    with django_capture_on_commit_callbacks(execute=True):
        for survey in (world.first, world.second):
            for index, source in enumerate(more):
                tie(world, survey, source, more[(index + 1) % len(more)])
    assert Tie.objects.count() == 65
    assert count() == few
