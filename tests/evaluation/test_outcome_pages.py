"""The pages of outcome harvesting (K8): the outcomes and their filters, the short story of one
outcome with the views of independent people, harvesting, changing and substantiating an outcome —
as each role sees them."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import formats, timezone

from tests.governance.test_spaces import an_actor
from tests.pages import page_text
from tests.trust.world import build_world, client_as
from trajectoires.cooperation.actors import actor_create
from trajectoires.core.models import AuditEntry
from trajectoires.evaluation.models import Outcome, Substantiation
from trajectoires.evaluation.outcomes import outcome_create, substantiation_add
from trajectoires.planning.actions import action_create

pytestmark = pytest.mark.django_db
BASE = "/territoires/ungersheim/evaluation/resultats/"
OBSERVED = datetime.date(2025, 3, 10)
GIVEN = datetime.date(2025, 4, 2)


@pytest.fixture
def world():
    return build_world()


def date(value):
    """A date or a moment as the pages show it: a moment on its local day (Paris, not UTC)."""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
    return formats.date_format(value, "DATE_FORMAT")


def harvest(world, who="La cantine scolaire", author="admin", visibility="public", **values):
    defaults = {
        "change_kind": "practice",
        "description": "Elle sert des légumes bio locaux chaque jour.",
        "observed_on": OBSERVED,
        "significance": "Deux cents repas par jour changent de filière.",
        "contribution": "Le territoire a mis en relation la cantine et les maraîchers.",
        "valence": "positive",
    }
    return outcome_create(
        actor=world.people[author],
        territory=world.territory,
        who=who,
        visibility=visibility,
        **(defaults | values),
    )


def substantiate(world, outcome, person, agreement="agrees", comment="C’est exact.", given_on=GIVEN):
    return substantiation_add(
        actor=world.people["admin"],
        outcome=outcome,
        substantiator=person,
        agreement=agreement,
        comment=comment,
        given_on=given_on,
    )


def an_action(world, title, visibility="public"):
    return action_create(
        actor=world.people["admin"], territory=world.territory, title=title, visibility=visibility
    )


# The list ----------------------------------------------------------------------------------------


def list_world(world):
    canteen = harvest(world, place="École Jean-Moulin")
    substantiate(world, canteen, an_actor(world, "Parents d’élèves"))
    substantiate(world, canteen, an_actor(world, "Maraîchers du Rhin"), agreement="partly")
    harvest(
        world,
        "Le club de foot",
        change_kind="behaviour",
        description="Les supporters viennent à vélo.",
        observed_on=datetime.date(2025, 5, 1),
        intended=False,
    )
    harvest(
        world,
        "La zone commerciale",
        change_kind="policy",
        description="Elle agrandit son parking.",
        observed_on=datetime.date(2025, 1, 20),
        valence="negative",
        intended=False,
    )
    harvest(world, "Le conseil municipal", change_kind="policy", visibility="private")


def whos(body):
    names = ("La cantine scolaire", "Le club de foot", "La zone commerciale", "Le conseil municipal")
    shown = [name for name in names if f"{name} —" in body]
    return sorted(shown, key=lambda name: body.index(f"{name} —"))


def test_the_list_shows_the_outcomes_one_may_read_and_how_they_are_substantiated(client, world):
    list_world(world)
    body = page_text(client.get(BASE))
    assert "Les résultats observés de Ungersheim" in body
    assert (
        "Le recueil des résultats rassemble les changements observés chez d’autres — leurs comportements, "
        "relations, actions, politiques ou pratiques — auxquels le travail du territoire a contribué"
    ) in body
    assert whos(body) == ["Le club de foot", "La cantine scolaire", "La zone commerciale"]
    assert (
        "La cantine scolaire — Elle sert des légumes bio locaux chaque jour. · Pratique · Positif · Voulu "
        "· 10 mars 2025 · École Jean-Moulin · 2 avis, dont 1 d’accord"
    ) in body
    assert (
        "Le club de foot — Les supporters viennent à vélo. · Comportement · Positif · Non voulu · 1 mai 2025 "
        "· 0 avis, dont 0 d’accord"
    ) in body
    assert (
        "La zone commerciale — Elle agrandit son parking. · Politique · Négatif · Non voulu "
        "· 20 janvier 2025 · 0 avis, dont 0 d’accord"
    ) in body
    assert "Recueillir un résultat" not in body
    # The team reads the private one; a viewer may not harvest, a contributor may.
    client_as(client, world, "viewer")
    body = page_text(client.get(BASE))
    assert whos(body) == [
        "Le club de foot",
        "Le conseil municipal",
        "La cantine scolaire",
        "La zone commerciale",
    ]
    assert "Recueillir un résultat" not in body
    client_as(client, world, "contributor")
    assert (
        f'<a href="{BASE}nouveau/" role="button">Recueillir un résultat</a>'
        in client.get(BASE).content.decode()
    )


def test_each_filter_narrows_the_list_exactly(client, world):
    list_world(world)
    client_as(client, world, "viewer")

    def shown(**query):
        return whos(page_text(client.get(BASE, query)))

    assert shown(change_kind="policy") == ["Le conseil municipal", "La zone commerciale"]
    assert shown(change_kind="practice") == ["La cantine scolaire"]
    assert shown(valence="negative") == ["La zone commerciale"]
    assert shown(valence="positive") == ["Le club de foot", "Le conseil municipal", "La cantine scolaire"]
    assert shown(intended="no") == ["Le club de foot", "La zone commerciale"]
    assert shown(intended="yes") == ["Le conseil municipal", "La cantine scolaire"]
    assert shown(change_kind="policy", intended="yes") == ["Le conseil municipal"]
    assert shown(change_kind="policy", valence="negative", intended="no") == ["La zone commerciale"]
    body = page_text(client.get(BASE, {"change_kind": "relationship"}))
    assert "Aucun résultat ne correspond." in body and "Effacer les filtres" in body
    # An unknown choice is ignored; the filters are labelled in French.
    assert shown(change_kind="nonsense") == shown()
    page = client.get(BASE).content.decode()
    for name, label in (("change_kind", "Type de changement"), ("valence", "Positif ou négatif")):
        assert f'<label for="id_{name}">{label}\u00a0:</label>' in page
    assert '<label for="id_intended">Voulu ou non\u00a0:</label>' in page
    assert '<option value="no">Non voulu</option>' in page


def test_the_workspace_navigation_leads_to_the_outcomes(client, world):
    client_as(client, world, "viewer")
    page = client.get("/territoires/ungersheim/controverses/").content.decode()
    assert f'<a href="{BASE}">Résultats observés</a>' in page
    assert f'<a href="{BASE}" aria-current="page">Résultats observés</a>' in client.get(BASE).content.decode()


# The story ---------------------------------------------------------------------------------------


def story_world(world):
    coop = an_actor(world, "Coopérative agricole", "socio_economique")
    hidden = an_actor(world, "Maraîcher discret", visibility="private")
    bike = an_action(world, "Plan vélo")
    secret = an_action(world, "Étude confidentielle", visibility="private")
    outcome = harvest(
        world,
        "La coopérative agricole",
        actor_record=coop,
        place="Plaine de l’Ochsenfeld",
        actions=[bike, secret],
    )
    substantiate(world, outcome, an_actor(world, "Parents d’élèves"), comment="Nos enfants en mangent.")
    substantiate(world, outcome, hidden, agreement="disagrees", comment="Pas tous les jours.")
    return outcome, coop, bike, secret


def test_anyone_reads_a_public_outcome_as_a_short_story(client, world):
    outcome, coop, bike, secret = story_world(world)
    url = f"{BASE}{outcome.pk}/"
    body = page_text(client.get(url))
    expected = [
        "La coopérative agricole Résultat observé · Pratique · Public",
        "Ce qui a changé Elle sert des légumes bio locaux chaque jour. Qui a changé La coopérative agricole "
        "Acteur de la carte Coopérative agricole (Acteur socio-économique) Type de changement Pratique "
        "Quand 10 mars 2025 Où Plaine de l’Ochsenfeld",
        "Pourquoi c’est important Deux cents repas par jour changent de filière.",
        "Comment le travail du territoire y a contribué "
        "Le territoire a mis en relation la cantine et les maraîchers. "
        "Voulu ou non Voulu Positif ou négatif Positif Actions de la trajectoire Plan vélo",
        "Ce qu’en disent des personnes indépendantes "
        "D’accord : 1 · En partie d’accord : 0 · Pas d’accord : 1",
        "Parents d’élèves D’accord · 2 avril 2025 Nos enfants en mangent.",
        "Acteur non visible Pas d’accord · 2 avril 2025 Pas tous les jours.",
    ]
    positions = [body.index(part) for part in expected]
    assert positions == sorted(positions)
    page = client.get(url).content.decode()
    assert f'<a href="/territoires/ungersheim/acteurs/{coop.pk}/">Coopérative agricole</a>' in page
    assert f'<a href="/territoires/ungersheim/trajectoire/actions/{bike.pk}/">Plan vélo</a>' in page
    # Neither the private action, the hidden actor's name, the harvester nor any action.
    assert "Étude confidentielle" not in body and "Maraîcher discret" not in body
    assert "Recueilli par" not in body and "Ce que vous pouvez faire" not in body
    # The team reads who harvested it, and the hidden actor's name (a link now).
    client_as(client, world, "viewer")
    page = client.get(url).content.decode()
    body = page_text(client.get(url))
    assert f"Recueilli par Admin le {date(outcome.created_at)}." in body
    assert "Maraîcher discret Pas d’accord · 2 avril 2025" in body
    assert (
        f'<a href="/territoires/ungersheim/trajectoire/actions/{secret.pk}/">Étude confidentielle</a>' in page
    )
    client_as(client, world, "contributor")
    assert "Recueilli par" not in page_text(client.get(url))


def test_a_private_outcome_answers_404_to_who_may_not_read_it(client, world):
    outcome = harvest(world, visibility="private")
    url = f"{BASE}{outcome.pk}/"
    assert client.get(url).status_code == 404
    assert client.get(f"{BASE}999999/").status_code == 404
    client_as(client, world, "member_elsewhere")
    assert client.get(url).status_code == 404
    assert "La cantine scolaire" not in page_text(client.get(BASE))
    client_as(client, world, "viewer")
    assert "La cantine scolaire Résultat observé · Pratique · Privé" in page_text(client.get(url))


# Writes through the pages ------------------------------------------------------------------------


def outcome_data(**values):
    return {
        "who": "L’association des commerçants",
        "change_kind": "action",
        "description": "Elle organise un marché de producteurs.",
        "observed_on": "2025-06-14",
        "place": "Place de la mairie",
        "significance": "Un débouché régulier pour dix fermes.",
        "contribution": "Le territoire a prêté la place et animé les réunions.",
        "intended": "yes",
        "valence": "positive",
        "visibility": "public",
    } | values


def test_a_contributor_harvests_an_outcome_and_adds_an_independent_view(client, world):
    coop = an_actor(world, "Coopérative agricole", "socio_economique")
    market = an_action(world, "Marché local")
    client_as(client, world, "contributor")
    form = page_text(client.get(f"{BASE}nouveau/"))
    assert "Recueillir un résultat" in form and "Coopérative agricole (Acteur socio-économique)" in form
    assert "Marché local" in form
    response = client.post(
        f"{BASE}nouveau/", outcome_data(actor=coop.pk, actions=[market.pk], intended="no"), follow=True
    )
    outcome = Outcome.objects.get()
    assert response.redirect_chain == [(f"{BASE}{outcome.pk}/", 302)]
    body = page_text(response)
    assert "Le résultat a été recueilli." in body
    assert "L’association des commerçants Résultat observé · Action · Public" in body
    assert (outcome.author, outcome.actor, outcome.intended, outcome.observed_on) == (
        world.people["contributor"],
        coop,
        False,
        datetime.date(2025, 6, 14),
    )
    assert list(outcome.actions.all()) == [market]
    audit = AuditEntry.objects.get(action="outcome.create")
    assert audit.changes["who"] == [None, "L’association des commerçants"]
    assert audit.changes["actions"] == [None, [market.pk]]
    assert audit.scope == f"territory:{world.territory.pk}"

    parents = an_actor(world, "Parents d’élèves")
    view = page_text(client.get(f"{BASE}{outcome.pk}/corroborations/nouvelle/"))
    assert "Ajouter l’avis d’une personne indépendante" in view
    assert "Résultat « L’association des commerçants », observé le 14 juin 2025" in view
    response = client.post(
        f"{BASE}{outcome.pk}/corroborations/nouvelle/",
        {
            "substantiator": parents.pk,
            "agreement": "partly",
            "comment": "Le marché est mensuel.",
            "given_on": "2025-07-01",
        },
        follow=True,
    )
    assert response.redirect_chain == [(f"{BASE}{outcome.pk}/", 302)]
    body = page_text(response)
    assert "L’avis a été enregistré." in body
    assert "Parents d’élèves En partie d’accord · 1 juillet 2025 Le marché est mensuel." in body
    substantiation = Substantiation.objects.get()
    assert (substantiation.substantiator, substantiation.agreement, substantiation.recorded_by) == (
        parents,
        "partly",
        world.people["contributor"],
    )
    assert AuditEntry.objects.get(action="substantiation.create").changes["agreement"] == [None, "partly"]
    assert "1 avis, dont 0 d’accord" in page_text(client.get(BASE))


def test_a_contributor_who_harvests_a_private_outcome_is_brought_back_to_the_list(client, world):
    client_as(client, world, "contributor")
    response = client.post(f"{BASE}nouveau/", outcome_data(visibility="private"), follow=True)
    outcome = Outcome.objects.get()
    assert (outcome.visibility, outcome.author) == ("private", world.people["contributor"])
    assert response.redirect_chain == [(BASE, 302)]
    body = page_text(response)
    assert "Le résultat a été recueilli." in body
    assert "L’association des commerçants —" not in body


def test_bad_input_shows_the_french_error_next_to_the_field_and_writes_nothing(client, world):
    actor_create(
        actor=world.people["admin"],
        territory=world.territory,
        kind="person",
        name="Camille Contributrice",
        category=an_actor(world, "Voisin").category,
        user_email="contributor@ungersheim.example",
        visibility="public",
    )
    harvester_record = world.territory.actors.get(name="Camille Contributrice")
    parents = an_actor(world, "Parents d’élèves")
    client_as(client, world, "contributor")
    outcomes, audits = Outcome.objects.count(), AuditEntry.objects.count()

    body = page_text(client.post(f"{BASE}nouveau/", outcome_data(observed_on="2999-01-01")))
    assert (
        "Quand : Quand le changement a été observé. "
        "Un résultat se recueille une fois observé : la date ne peut pas être dans le futur."
    ) in body
    body = page_text(client.post(f"{BASE}nouveau/", outcome_data(who="  ")))
    assert (
        "Qui a changé : Une personne, un groupe ou une organisation autre que l’équipe du territoire. "
        "Ce champ est obligatoire."
    ) in body
    assert (Outcome.objects.count(), AuditEntry.objects.count()) == (outcomes, audits)

    outcome = harvest(world, author="contributor")
    audits = AuditEntry.objects.count()
    url = f"{BASE}{outcome.pk}/corroborations/nouvelle/"
    view = {"agreement": "agrees", "comment": "Vrai.", "given_on": "2025-04-01"}
    body = page_text(client.post(url, view | {"substantiator": harvester_record.pk}))
    assert (
        "Personne indépendante : Un acteur de la carte qui connaît le changement et ne l’a pas recueilli. "
        "La personne qui a recueilli le résultat ne peut pas le corroborer elle-même : "
        "demandez à une personne indépendante."
    ) in body
    body = page_text(client.post(url, view | {"substantiator": parents.pk, "given_on": "2025-03-01"}))
    assert "Donné le : Un avis se donne après que le résultat a été observé." in body
    assert (Substantiation.objects.count(), AuditEntry.objects.count()) == (0, audits)


def test_write_pages_answer_404_to_who_may_not_use_them(client, world):
    outcome = harvest(world)
    urls = [
        f"{BASE}nouveau/",
        f"{BASE}{outcome.pk}/modifier/",
        f"{BASE}{outcome.pk}/supprimer/",
        f"{BASE}{outcome.pk}/corroborations/nouvelle/",
    ]
    for url in urls:
        response = client.get(url)
        assert (response.status_code, response["Location"].split("?")[0]) == (302, "/compte/connexion/")
    for role in ("viewer", "member_elsewhere", "partner_funder"):
        client_as(client, world, role)
        for url in urls:
            assert client.get(url).status_code == 404, (role, url)
            assert client.post(url, outcome_data()).status_code == 404, (role, url)
    client_as(client, world, "viewer")
    body = page_text(client.get(f"{BASE}{outcome.pk}/"))
    assert "Ce que vous pouvez faire" not in body and "Ajouter l’avis" not in body
    assert Outcome.objects.count() == 1 and Substantiation.objects.count() == 0
    assert not AuditEntry.objects.filter(action__in=["outcome.update", "outcome.delete"]).exists()


def test_a_contributor_edits_their_own_outcome_only(client, world):
    theirs = harvest(world, "Le club de foot", author="contributor")
    others = harvest(world, "La cantine scolaire", author="editor")
    client_as(client, world, "contributor")
    assert client.get(f"{BASE}{others.pk}/modifier/").status_code == 404
    assert client.post(f"{BASE}{others.pk}/supprimer/").status_code == 404
    assert "Modifier" not in page_text(client.get(f"{BASE}{others.pk}/"))
    body = page_text(client.get(f"{BASE}{theirs.pk}/"))
    assert "Ce que vous pouvez faire Ajouter l’avis d’une personne indépendante Modifier Supprimer" in body
    form = client.get(f"{BASE}{theirs.pk}/modifier/").content.decode()
    assert "Modifier le résultat" in form and 'value="Le club de foot"' in form
    response = client.post(
        f"{BASE}{theirs.pk}/modifier/",
        outcome_data(who="Le club de foot", change_kind="behaviour", valence="negative"),
        follow=True,
    )
    assert response.redirect_chain == [(f"{BASE}{theirs.pk}/", 302)]
    assert "Le résultat a été enregistré." in page_text(response)
    theirs.refresh_from_db()
    assert (theirs.change_kind, theirs.valence) == ("behaviour", "negative")
    changes = AuditEntry.objects.get(action="outcome.update").changes
    assert changes["change_kind"] == ["practice", "behaviour"]
    assert changes["valence"] == ["positive", "negative"]
    response = client.post(f"{BASE}{theirs.pk}/supprimer/", follow=True)
    assert response.redirect_chain == [(BASE, 302)]
    assert "Le résultat a été supprimé." in page_text(response)
    assert list(Outcome.objects.all()) == [others]
    assert AuditEntry.objects.filter(action="outcome.delete").count() == 1


def test_the_list_and_the_story_cost_the_same_queries_whatever_their_size(client, world):
    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    def grow(number):
        actions = [an_action(world, f"Action {index}") for index in range(number)]
        outcome = harvest(
            world, f"Acteur {number}", actor_record=an_actor(world, f"Coop {number}"), actions=actions
        )
        for index in range(number):
            substantiate(world, outcome, an_actor(world, f"Témoin {number}-{index}"))
        for index in range(number - 1):
            harvest(world, f"Autre {number}-{index}")
        return outcome

    small = grow(2)
    client_as(client, world, "viewer")
    small_list, small_story = count(BASE), count(f"{BASE}{small.pk}/")
    Outcome.objects.all().delete()
    large = grow(6)
    assert Outcome.objects.count() == 6 and large.substantiations.count() == 6
    assert (count(BASE), count(f"{BASE}{large.pk}/")) == (small_list, small_story)
