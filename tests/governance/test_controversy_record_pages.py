"""The pages of what the instruction of a controversy gathers — parties, expertise, versions of the
état de la controverse and their co-signatures, follow-up — and of changing or deleting a
controversy: who may use each, what they write, what they refuse; and what the register and the
story cost in queries."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.governance.test_controversy_pages import (
    BASE,
    TODAY,
    area,
    date,
    decided_story,
    move,
    report,
    two_parties,
)
from tests.governance.test_spaces import an_actor, make_space
from tests.pages import page_text
from tests.trust.world import build_world, client_as, person
from trajectoires.cooperation.models import Actor
from trajectoires.core.models import AuditEntry
from trajectoires.governance.controversies import controversy_register, controversy_update
from trajectoires.governance.controversy_records import expertise_add, party_add, state_write
from trajectoires.governance.models import (
    Controversy,
    Expertise,
    FollowUp,
    Party,
    StageTransition,
    StateOfControversy,
)
from trajectoires.referential.models import ReferentialVersion
from trajectoires.referential.selectors import referential_item

pytestmark = pytest.mark.django_db
YESTERDAY = TODAY - datetime.timedelta(days=1)
TOMORROW = TODAY + datetime.timedelta(days=1)


@pytest.fixture
def world():
    return build_world()


def instructed(world, **values):
    """A controversy being instructed, with its two parties and a first état no party signed."""
    controversy = report(world, forum=make_space(world, name="Conseil de la transition"), **values)
    move(world, controversy, "instructing")
    farmers, neighbours = two_parties(world, controversy)
    state_write(
        actor=world.people["editor"], controversy=controversy, statement="Le désaccord porte sur les odeurs."
    )
    return controversy, farmers, neighbours


def posted(client, url, data):
    """POST and follow: the story page's text, after checking that it came back to it."""
    response = client.post(url, data, follow=True)
    story = url.split("/")[:5]
    assert response.redirect_chain == [("/".join(story) + "/", 302)], page_text(response)
    return page_text(response)


# Who may use which page --------------------------------------------------------------------------


def write_urls(controversy, farmers, neighbours, follow_up):
    url = f"{BASE}{controversy.pk}/"
    return {
        "edit": f"{url}modifier/",
        "delete": f"{url}supprimer/",
        "move": f"{url}etape/",
        "decision": f"{url}decision/",
        "party_new": f"{url}parties/nouvelle/",
        "party_edit_farmers": f"{url}parties/{farmers.pk}/modifier/",
        "party_delete_farmers": f"{url}parties/{farmers.pk}/supprimer/",
        "party_edit_neighbours": f"{url}parties/{neighbours.pk}/modifier/",
        "expertise_new": f"{url}expertise/nouvelle/",
        "state_new": f"{url}etat/nouveau/",
        "state_cosign": f"{url}etat/2/cosigner/",
        "follow_up_new": f"{url}suivi/nouveau/",
        "follow_up_done": f"{url}suivi/{follow_up.pk}/",
    }


def test_each_role_reaches_only_the_write_pages_it_may_use(client, world):
    controversy = decided_story(world)
    farmers, neighbours = Party.objects.order_by("id")
    urls = write_urls(controversy, farmers, neighbours, FollowUp.objects.get())
    writes = Party.objects.count(), Expertise.objects.count(), StateOfControversy.objects.count()

    client_as(client, world, "viewer")
    for name, url in urls.items():
        assert client.get(url).status_code == 404, name
        assert client.post(url, {"reason": "x", "position": "x", "statement": "x"}).status_code == 404, name
    assert Controversy.objects.get().stage == "decided"
    assert (Party.objects.count(), Expertise.objects.count(), StateOfControversy.objects.count()) == writes

    # A contributor adds parties and expertise, and changes the party they wrote (neighbours).
    client_as(client, world, "contributor")
    allowed = {"party_new", "expertise_new", "party_edit_neighbours"}
    for name, url in urls.items():
        assert client.get(url).status_code == (200 if name in allowed else 404), name

    # The team's writers use them all; anonymous readers are asked to sign in.
    client_as(client, world, "editor")
    assert all(client.get(url).status_code == 200 for url in urls.values())
    client.logout()
    response = client.get(urls["move"])
    assert response.status_code == 302 and "next=" in response["Location"]
    assert client.get(f"{BASE}{controversy.pk}/").status_code == 200


def test_the_story_offers_each_reader_only_the_actions_they_may_take(client, world):
    controversy, _farmers, _neighbours = instructed(world)
    url = f"{BASE}{controversy.pk}/"
    client_as(client, world, "editor")
    body = page_text(client.get(url))
    assert (
        "Ce que vous pouvez faire La controverse Changer d’étape Rédiger la décision Modifier Supprimer "
        "L’instruction Ajouter une partie et sa position "
        "Position de Coopérative agricole : modifier , retirer "
        "Position de Collectif des riverains : modifier , retirer "
        "Ajouter une expertise (un document ou une audition) "
        "Rédiger une nouvelle version de l’état de la controverse Cosigner l’état de la controverse"
    ) in body
    client_as(client, world, "contributor")
    body = page_text(client.get(url))
    assert (
        "Ce que vous pouvez faire L’instruction Ajouter une partie et sa position "
        "Position de Collectif des riverains : modifier , retirer "
        "Ajouter une expertise (un document ou une audition) Trajectoires"
    ) in body
    client_as(client, world, "viewer")
    assert "Ce que vous pouvez faire" not in page_text(client.get(url))


# Changing and deleting a controversy -------------------------------------------------------------


def test_the_author_changes_a_controversy_and_keeps_a_forum_they_may_not_read(client, world):
    public = make_space(world, name="Conseil de la transition")
    secret = make_space(world, name="Comité restreint", visibility="private")
    controversy = report(world, author="contributor", forum=public, subject_areas=[area("food")])
    controversy_update(actor=world.people["admin"], controversy=controversy, forum=secret)
    client_as(client, world, "contributor")
    form = client.get(f"{BASE}{controversy.pk}/modifier/").content.decode()
    assert 'name="forum"' not in form and "Comité restreint" not in form
    body = posted(
        client,
        f"{BASE}{controversy.pk}/modifier/",
        {
            "subject": "Méthaniseur de la plaine d’Ungersheim",
            "description": "Un projet de méthaniseur.",
            "subject_areas": ["energy", "food"],
            "visibility": "public",
        },
    )
    assert "La controverse a été enregistrée." in body
    assert "Domaines Alimentation, Énergie Instance où elle est instruite Instance non visible" in body
    controversy.refresh_from_db()
    assert (controversy.subject, controversy.forum) == ("Méthaniseur de la plaine d’Ungersheim", secret)
    changes = AuditEntry.objects.filter(action="controversy.update").order_by("id").last().changes
    assert changes == {
        "subject": ["Méthaniseur de la plaine", "Méthaniseur de la plaine d’Ungersheim"],
        "description": ["Un projet de méthaniseur à 300 m des maisons.", "Un projet de méthaniseur."],
        "subject_areas": [["food"], ["energy", "food"]],
    }


def areas_held(controversy):
    return sorted(controversy.subject_areas.values_list("code", "version__number"))


def test_version_1_subject_areas_are_found_by_code_and_kept_by_an_unchanged_edit(client, world):
    """Version 2 of the référentiel is the current one: a controversy about essential needs of
    version 1 is found by their codes and keeps them while they are kept (decision 0009)."""
    first = ReferentialVersion.objects.get(number=1)
    controversy = report(world, subject_areas=[area("energy")])
    controversy.subject_areas.set(
        [referential_item("essential_need", code, version=first) for code in ("energy", "food")]
    )
    register = controversy_register(world.people["admin"], world.territory, area="food")
    assert [found.subject for found in register] == ["Méthaniseur de la plaine"]
    assert (
        "Méthaniseur de la plaine · Signalée · Pas encore d’instance · Alimentation, Énergie · 0 partie"
        in (page_text(client.get(BASE, {"area": "food"})))
    )
    client_as(client, world, "admin")
    edit = f"{BASE}{controversy.pk}/modifier/"
    form = client.get(edit).content.decode()
    assert 'value="energy" id="id_subject_areas_9" checked>' in form
    assert 'value="food" id="id_subject_areas_1" checked>' in form
    data = {
        "subject": "Méthaniseur de la plaine",
        "description": "Un projet de méthaniseur.",
        "visibility": "public",
    }
    posted(client, edit, data | {"subject_areas": ["energy", "food"]})
    assert areas_held(controversy) == [("energy", 1), ("food", 1)]
    assert AuditEntry.objects.get(action="controversy.update").changes == {
        "description": ["Un projet de méthaniseur à 300 m des maisons.", "Un projet de méthaniseur."]
    }
    body = posted(client, edit, data | {"subject_areas": ["food", "water"]})
    assert "Domaines Eau, Alimentation Instance où elle est instruite" in body
    assert areas_held(controversy) == [("food", 1), ("water", 2)]
    assert AuditEntry.objects.filter(action="controversy.update").order_by("id").last().changes == {
        "subject_areas": [["energy", "food"], ["food", "water"]]
    }
    # The service keeps a held row when given the current version's row of the same code, accepts
    # the rows the controversy holds, and refuses an older row it does not hold.
    controversy_update(actor=world.people["admin"], controversy=controversy, subject_areas=[area("food")])
    assert areas_held(controversy) == [("food", 1)]
    held = list(controversy.subject_areas.all())
    controversy_update(actor=world.people["admin"], controversy=controversy, subject_areas=held)
    assert areas_held(controversy) == [("food", 1)]
    with pytest.raises(ValidationError) as refused:
        controversy_update(
            actor=world.people["admin"],
            controversy=controversy,
            subject_areas=[referential_item("essential_need", "energy", version=first)],
        )
    assert refused.value.message_dict == {
        "subject_areas": ["Choisissez des besoins essentiels du référentiel."]
    }
    assert areas_held(controversy) == [("food", 1)]


def test_the_admin_deletes_a_controversy(client, world):
    controversy = decided_story(world)
    client_as(client, world, "admin")
    page = page_text(client.get(f"{BASE}{controversy.pk}/supprimer/"))
    assert (
        "Supprimer « Méthaniseur de la plaine » avec ses parties, expertises, états et actions de suivi ?"
        in page
    )
    response = client.post(f"{BASE}{controversy.pk}/supprimer/", follow=True)
    assert response.redirect_chain == [(BASE, 302)]
    assert "La controverse a été supprimée." in page_text(response)
    assert not Controversy.objects.exists() and not Party.objects.exists()
    assert AuditEntry.objects.get(action="controversy.delete").changes["subject"] == [
        "Méthaniseur de la plaine",
        None,
    ]


# The decision ------------------------------------------------------------------------------------


def test_the_decision_is_written_once_instructed_with_its_related_decisions(client, world):
    from tests.governance.test_decisions import decide

    plan = decide(world, "Plan énergie 2026")
    controversy = report(world, forum=make_space(world))
    client_as(client, world, "admin")
    url = f"{BASE}{controversy.pk}/decision/"
    data = {"decision_text": "Autorisé à 500 m.", "instruction_use": "", "related_decisions": [plan.pk]}
    body = page_text(client.post(url, data))
    assert (
        "Décision : Ce qui a été décidé, par qui, et pourquoi. "
        "Instruisez la controverse avant d’en rédiger la décision."
    ) in body
    assert not AuditEntry.objects.filter(action="controversy.decision").exists()
    move(world, controversy, "instructing")
    body = posted(client, url, data)
    assert (
        "La décision Projet : la décision n’est pas encore prise. Autorisé à 500 m. "
        "Comment la décision s’est appuyée sur l’instruction Pas encore précisé. "
        "Décisions liées Plan énergie 2026 · 15 janvier 2026 · Co-construire"
    ) in body
    assert AuditEntry.objects.get(action="controversy.decision").changes == {
        "decision_text": ["", "Autorisé à 500 m."],
        "related_decisions": [[], [plan.pk]],
    }
    assert "checked" in client.get(url).content.decode().split(f'value="{plan.pk}"')[1][:40]


# Parties and expertise ---------------------------------------------------------------------------


def test_a_party_is_removed_while_the_instruction_is_open_only(client, world):
    controversy, farmers, neighbours = instructed(world)
    client_as(client, world, "contributor")
    url = f"{BASE}{controversy.pk}/parties/{neighbours.pk}/supprimer/"
    assert (
        "Retirer « Collectif des riverains » et sa position de la controverse « Méthaniseur de la plaine » ?"
        in page_text(client.get(url))
    )
    assert "La partie a été retirée." in posted(client, url, {})
    assert list(Party.objects.all()) == [farmers]
    assert AuditEntry.objects.get(action="party.delete").changes["group_name"] == [
        "Collectif des riverains",
        None,
    ]


def test_a_party_of_a_decided_controversy_stays(client, world):
    decided = decided_story(world)
    client_as(client, world, "admin")
    party = decided.parties.get(group_name="Collectif des riverains")
    body = page_text(client.post(f"{BASE}{decided.pk}/parties/{party.pk}/supprimer/"))
    assert "La décision est prise : rouvrez la controverse pour compléter son instruction." in body
    assert decided.parties.count() == 2


def test_an_actor_one_may_not_read_is_a_party_without_its_name(client, world):
    controversy = report(world)
    secret = an_actor(world, "Cabinet du maire", "elu", visibility="private")
    party_add(actor=world.people["admin"], controversy=controversy, actor_record=secret, position="Prudence.")
    body = page_text(client.get(f"{BASE}{controversy.pk}/"))
    assert "Les parties et leurs positions Acteur non visible Élu Position Prudence." in body
    assert "Cabinet du maire" not in body


def test_expertise_is_added_through_its_page_and_never_in_the_future(client, world):
    controversy, *_ = instructed(world)
    client_as(client, world, "contributor")
    url = f"{BASE}{controversy.pk}/expertise/nouvelle/"
    data = {
        "kind": "document",
        "title": "Étude d’odeurs",
        "dated": TOMORROW.isoformat(),
        "summary": "Faible.",
    }
    body = page_text(client.post(url, data))
    assert (
        "Date : Une expertise s’enregistre une fois recueillie : la date ne peut pas être dans le futur."
    ) in body
    assert not Expertise.objects.exists()
    body = posted(
        client, url, data | {"dated": YESTERDAY.isoformat(), "source": "https://example.org/odeurs"}
    )
    assert "L’expertise a été enregistrée." in body
    assert (
        f"L’expertise recueillie Étude d’odeurs Document · {date(YESTERDAY)} Faible. "
        "Source : https://example.org/odeurs"
    ) in body
    expertise = Expertise.objects.get()
    assert expertise.recorded_by == world.people["contributor"]
    assert AuditEntry.objects.get(action="expertise.create").changes["title"] == [None, "Étude d’odeurs"]


def test_a_party_naming_an_actor_of_another_territory_is_refused(client, world):
    controversy = report(world)
    elsewhere = an_actor(world, "Port de Dunkerque", territory=world.elsewhere)
    client_as(client, world, "admin")
    body = page_text(
        client.post(f"{BASE}{controversy.pk}/parties/nouvelle/", {"actor": elsewhere.pk, "position": "Pour."})
    )
    assert "Sélectionnez un choix valide. Ce choix ne fait pas partie de ceux disponibles." in body
    assert not Party.objects.exists()


def test_a_move_offers_only_the_next_stages_and_says_what_they_need(client, world):
    controversy = report(world)
    client_as(client, world, "editor")
    response = client.get(f"{BASE}{controversy.pk}/etape/")
    body = page_text(response)
    assert (
        "Ce dont chaque étape suivante a besoin En instruction "
        "Choisissez d’abord l’instance où elle est instruite."
    ) in body
    assert 'value="instructing"' in response.content.decode()
    assert 'value="deliberating"' not in response.content.decode()
    body = page_text(
        client.post(f"{BASE}{controversy.pk}/etape/", {"to_stage": "decided", "reason": "Vite."})
    )
    assert "Nouvelle étape : Sélectionnez un choix valide. decided n’en fait pas partie." in body
    assert StageTransition.objects.count() == 1


# The état de la controverse and its co-signatures ------------------------------------------------


def test_the_team_writes_a_new_version_of_the_etat(client, world):
    controversy, farmers, _neighbours = instructed(world)
    client_as(client, world, "editor")
    url = f"{BASE}{controversy.pk}/etat/nouveau/"
    form = client.get(url)
    assert "Le désaccord porte sur les odeurs.</textarea>" in form.content.decode()
    assert (
        "Cosignée par : Les parties qui approuvent cette version. "
        "Coopérative agricole Collectif des riverains" in page_text(form)
    )
    body = page_text(client.post(url, {"statement": " ", "minority_view": "Rien."}))
    assert (
        "État de la controverse : Ce que l’instruction a établi" in body
        and "Ce champ est obligatoire." in body
    )
    body = posted(
        client,
        url,
        {
            "statement": "Les distances sont respectées.",
            "minority_view": "Les riverains doutent.",
            "signatories": [farmers.pk],
        },
    )
    assert "La version 2 de l’état de la controverse a été enregistrée." in body
    assert (
        f"Version 2 Rédigée le {date(TODAY)} · Editor Les distances sont respectées. "
        "Cosignée par : Coopérative agricole Avis minoritaire Les riverains doutent. "
        f"Versions précédentes Version 1 · {date(TODAY)}"
    ) in body
    latest = StateOfControversy.objects.get(number=2)
    assert list(latest.signatories.all()) == [farmers]
    audit = AuditEntry.objects.filter(action="controversy_state.create").order_by("id").last()
    assert audit.changes["signatories"] == [None, [farmers.pk]] and audit.changes["number"] == [None, 2]


def test_an_earlier_version_of_the_etat_has_its_own_page(client, world):
    controversy = decided_story(world)
    body = page_text(client.get(f"{BASE}{controversy.pk}/etat/1/"))
    assert (
        f"État de la controverse, version 1 Méthaniseur de la plaine · Rédigée le {date(TODAY)} "
        "Une version plus récente la remplace : version 2 . Énoncé Première lecture. "
        "Cosignée par Aucune partie n’a cosigné cette version. Avis minoritaire Aucun n’a été rédigé."
    ) in body
    body = page_text(client.get(f"{BASE}{controversy.pk}/etat/2/"))
    assert "C’est la dernière version. Énoncé Le projet respecte les distances" in body
    assert (
        "Cosignée par Coopérative agricole Avis minoritaire Les riverains contestent l’étude d’odeurs."
        in body
    )
    assert client.get(f"{BASE}{controversy.pk}/etat/3/").status_code == 404


def test_the_team_and_a_partys_own_account_co_sign(client, world):
    controversy, farmers, neighbours = instructed(world)
    url = f"{BASE}{controversy.pk}/etat/1/cosigner/"
    client_as(client, world, "editor")
    form = page_text(client.get(url))
    assert "Cosigner l’état de la controverse" in form
    assert "La partie qui cosigne : Coopérative agricole Collectif des riverains" in form
    body = posted(client, url, {"party": neighbours.pk})
    assert "La cosignature a été enregistrée." in body
    assert "Cosignée par : Collectif des riverains" in body
    assert AuditEntry.objects.get(action="controversy_state.cosign").changes == {
        "signatories": [None, neighbours.pk]
    }

    # The cooperative's own platform account signs for it, and for no one else.
    account = person("gerant@cooperative.example")
    Actor.objects.filter(pk=farmers.actor_id).update(user=account)
    client.force_login(account)
    story = page_text(client.get(f"{BASE}{controversy.pk}/"))
    assert "Ce que vous pouvez faire L’instruction Cosigner l’état de la controverse" in story
    assert "La partie qui cosigne : Coopérative agricole Cosigner Annuler" in page_text(client.get(url))
    body = page_text(client.post(url, {"party": neighbours.pk}))
    assert f"Sélectionnez un choix valide. {neighbours.pk} n’en fait pas partie." in body
    body = posted(client, url, {"party": farmers.pk})
    assert "Cosignée par : Coopérative agricole, Collectif des riverains" in body
    assert "Cosigner l’état de la controverse" not in body
    assert "Toutes les parties pour lesquelles vous pouvez signer ont cosigné la version 1." in page_text(
        client.get(url)
    )

    # Once a newer version exists, the older one is history.
    mairie = party_add(
        actor=world.people["admin"],
        controversy=controversy,
        actor_record=an_actor(world, "Mairie", "elu"),
        position="Neutre.",
    )
    state_write(actor=world.people["editor"], controversy=controversy, statement="Deuxième lecture.")
    client_as(client, world, "editor")
    body = page_text(client.post(url, {"party": mairie.pk}))
    assert (
        "La partie qui cosigne : Seule la dernière version de l’état de la controverse peut être cosignée."
    ) in body
    assert "Cosignée par : Mairie" in posted(
        client, f"{BASE}{controversy.pk}/etat/2/cosigner/", {"party": mairie.pk}
    )
    assert AuditEntry.objects.filter(action="controversy_state.cosign").count() == 3


# Follow-up ---------------------------------------------------------------------------------------


def test_a_follow_up_action_is_marked_done(client, world):
    controversy = decided_story(world)
    follow_up = FollowUp.objects.get()
    url = f"{BASE}{controversy.pk}/suivi/{follow_up.pk}/"
    client_as(client, world, "admin")
    assert "Marquer « Mesurer les odeurs » comme réalisée" in page_text(client.get(url))
    body = page_text(client.post(url, {"done_on": TOMORROW.isoformat()}))
    assert (
        "Réalisée le : Laissez vide si l’action n’est finalement pas réalisée. "
        "Une action est marquée réalisée une fois faite : pas dans le futur."
    ) in body
    follow_up.refresh_from_db()
    assert follow_up.done_on is None
    body = posted(client, url, {"done_on": YESTERDAY.isoformat()})
    assert "L’action de suivi a été enregistrée." in body
    assert f"Mesurer les odeurs 1 septembre 2026 Réalisée le {date(YESTERDAY)}" in body
    follow_up.refresh_from_db()
    assert follow_up.done_on == YESTERDAY
    assert AuditEntry.objects.get(action="follow_up.update").changes == {
        "done_on": [None, YESTERDAY.isoformat()]
    }
    body = page_text(
        client.post(f"{BASE}{controversy.pk}/suivi/nouveau/", {"action": "", "due_on": "2026-13-01"})
    )
    assert "Action : Ce qui sera fait pour mettre en œuvre la décision. Ce champ est obligatoire." in body
    assert "Échéance : Saisissez une date valide." in body
    assert FollowUp.objects.count() == 1


# Queries -----------------------------------------------------------------------------------------


def test_the_register_and_the_story_cost_the_same_queries_whatever_their_size(client, world):
    space = make_space(world)
    controversy = report(world, forum=space, subject_areas=[area("energy")])
    move(world, controversy, "instructing")

    def grow(start, stop):
        for index in range(start, stop):
            report(world, f"Controverse {index}", forum=space, subject_areas=[area("food"), area("water")])
            actor = an_actor(world, f"Association {index}")
            party_add(
                actor=world.people["admin"], controversy=controversy, actor_record=actor, position="Pour."
            )
            party_add(
                actor=world.people["contributor"],
                controversy=controversy,
                group_name=f"Groupe {index}",
                position="Contre.",
            )
            expertise_add(
                actor=world.people["admin"],
                controversy=controversy,
                kind="document",
                title=f"Étude {index}",
                dated=TODAY,
                summary="…",
            )
            state_write(
                actor=world.people["admin"],
                controversy=controversy,
                statement=f"Version {index}",
                signatories=list(controversy.parties.all()),
            )

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    story = f"{BASE}{controversy.pk}/"
    grow(0, 1)
    client_as(client, world, "editor")
    small = count(BASE), count(story), count(f"{story}etat/1/")
    grow(1, 5)
    assert Controversy.objects.count() == 6 and controversy.parties.count() == 10
    assert (count(BASE), count(story), count(f"{story}etat/1/")) == small
