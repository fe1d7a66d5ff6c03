"""What the instruction of a controversy gathers, through its services: the parties and their
positions (one of an actor or a group, never twice, frozen once decided, a contributor's own), the
expertise (never in the future), the versions of the état de la controverse (numbered, never
rewritten) and their co-signatures (the latest only, once, by the team or the party's own account),
and the follow-up of the decision."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.governance.test_controversies import (
    BLANK,
    TODAY,
    TOMORROW,
    audited,
    decided,
    group,
    instructed,
    refused,
    report,
    write_state,
)
from tests.governance.test_spaces import an_actor, category
from tests.trust.world import build_world
from trajectoires.cooperation.actors import actor_create
from trajectoires.governance.controversies import controversy_story
from trajectoires.governance.controversy_records import (
    expertise_add,
    follow_up_add,
    follow_up_done,
    party_add,
    party_delete,
    party_update,
    state_cosign,
    state_write,
)
from trajectoires.governance.models import Expertise, FollowUp, Party, StateOfControversy

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


# Parties -----------------------------------------------------------------------------------------


def test_party_rules_name_their_fields_and_write_nothing(world):
    controversy = instructed(world)
    mairie = an_actor(world, "Mairie", "elu")
    hidden = an_actor(world, "Cabinet du préfet", "etat_territorial", visibility="private")
    foreign = an_actor(world, "Port de Dunkerque", territory=world.elsewhere)
    admin, contributor = world.people["admin"], world.people["contributor"]
    add = lambda who=admin, **values: party_add(  # noqa: E731
        actor=who, controversy=controversy, position=values.pop("position", "Pour."), **values
    )
    one_of_two = "Choisissez un acteur de la carte ou nommez un groupe d’habitants (l’un des deux)."
    assert refused(lambda: add(actor_record=mairie, group_name="Riverains")) == {"actor": [one_of_two]}
    assert refused(lambda: add(position=" ")) == {"position": [BLANK], "actor": [one_of_two]}
    assert refused(lambda: add(actor_record=foreign)) == {"actor": ["Choisissez un acteur de ce territoire."]}
    assert refused(lambda: add(contributor, actor_record=hidden)) == {
        "actor": ["Choisissez un acteur de ce territoire."]
    }
    assert refused(lambda: add(actor_record=mairie, contact_email="mairie@example.org")) == {
        "contact_email": ["Un acteur est contacté à son adresse de la carte : laissez ce champ vide."]
    }
    assert refused(lambda: add(group_name="Riverains", contact_email="riverains")) == {
        "contact_email": ["Saisissez une adresse de courriel valide."]
    }
    add(actor_record=mairie)
    group(world, controversy, "Riverains")
    assert refused(lambda: add(actor_record=mairie)) == {"actor": ["Cet acteur est déjà partie."]}
    assert refused(lambda: add(group_name="riverains")) == {"group_name": ["Ce groupe est déjà partie."]}
    with pytest.raises(PermissionDenied):
        add(world.people["viewer"], group_name="Voisins")
    assert list(Party.objects.order_by("id").values_list("actor", "group_name")) == [
        (mairie.pk, ""),
        (None, "Riverains"),
    ]
    empty = {field: [None, ""] for field in ("arguments", "contact_email", "declared_interests", "sources")}
    assert audited("party.create") == [
        empty | {"actor": [None, mairie.pk], "group_name": [None, ""], "position": [None, "Pour."]},
        empty | {"group_name": [None, "Riverains"], "position": [None, "Contre l'extension."]},
    ]


def test_a_contributor_changes_their_own_party_not_another(world):
    controversy = instructed(world)
    own = group(world, controversy, "Riverains", author="contributor", sources="Étude 2023\n\nPétition")
    other = group(world, controversy, "Club des entreprises")
    party_update(actor=world.people["contributor"], party=own, position=" Contre, sauf compensation. ")
    assert Party.objects.get(pk=own.pk).position == "Contre, sauf compensation."
    assert audited("party.update") == [{"position": ["Contre l'extension.", "Contre, sauf compensation."]}]
    with pytest.raises(PermissionDenied):
        party_update(actor=world.people["contributor"], party=other, position="Pour.")
    with pytest.raises(PermissionDenied):
        party_delete(actor=world.people["contributor"], party=other)
    party_update(actor=world.people["editor"], party=own, arguments="La terre est rare.")
    party_delete(actor=world.people["contributor"], party=own)
    assert list(Party.objects.values_list("group_name", flat=True)) == ["Club des entreprises"]
    assert audited("party.delete")[0]["group_name"] == ["Riverains", None]


def test_parties_are_frozen_once_the_decision_is_taken(world):
    controversy = decided(world)
    party = controversy.parties.first()
    frozen = {"position": ["La décision est prise : rouvrez la controverse pour compléter son instruction."]}
    assert refused(lambda: party_update(actor=world.people["admin"], party=party, position="Autre")) == frozen
    assert refused(lambda: party_delete(actor=world.people["admin"], party=party)) == frozen
    assert Party.objects.get(pk=party.pk).position == "Contre l'extension."


# Expertise and the état de la controverse --------------------------------------------------------


def test_expertise_is_never_dated_in_the_future(world):
    controversy = instructed(world)
    add = lambda dated: expertise_add(  # noqa: E731
        actor=world.people["contributor"],
        controversy=controversy,
        kind="document",
        title="Étude des sols",
        dated=dated,
        summary="Terres de classe A.",
    )
    with pytest.raises(ValidationError) as error:
        add(TOMORROW)
    assert error.value.message_dict == {
        "dated": ["Une expertise s’enregistre une fois recueillie : la date ne peut pas être dans le futur."]
    }
    assert Expertise.objects.count() == 0
    add(TODAY)
    assert list(Expertise.objects.values_list("title", "dated", "recorded_by")) == [
        ("Étude des sols", TODAY, world.people["contributor"].pk)
    ]
    assert audited("expertise.create") == [
        {
            "kind": [None, "document"],
            "title": [None, "Étude des sols"],
            "summary": [None, "Terres de classe A."],
            "source": [None, ""],
            "dated": [None, TODAY.isoformat()],
        }
    ]
    with pytest.raises(PermissionDenied):
        expertise_add(
            actor=world.people["viewer"],
            controversy=controversy,
            kind="hearing",
            title="Audition",
            dated=TODAY,
            summary="…",
        )


def test_etat_versions_are_numbered_and_never_rewritten(world):
    controversy = report(world)
    assert refused(lambda: write_state(world, controversy)) == {
        "statement": ["L’état de la controverse se rédige pendant l’instruction ou la délibération."]
    }
    controversy = instructed(world, subject="Parc éolien")
    other = instructed(world, subject="Méthaniseur")
    stranger = group(world, other, "Voisins du méthaniseur")
    assert refused(lambda: write_state(world, controversy, signatories=[stranger])) == {
        "signatories": ["Choisissez des parties de cette controverse."]
    }
    first = write_state(world, controversy, "Première lecture.")
    written_at = first.written_at
    write_state(world, controversy, "Deuxième lecture.", minority_view="Les riverains contestent.")
    write_state(world, controversy, "Troisième lecture.")
    assert list(
        controversy.states.order_by("number").values_list("number", "statement", "minority_view")
    ) == [
        (1, "Première lecture.", ""),
        (2, "Deuxième lecture.", "Les riverains contestent."),
        (3, "Troisième lecture.", ""),
    ]
    assert StateOfControversy.objects.get(pk=first.pk).written_at == written_at
    assert [changes["number"] for changes in audited("controversy_state.create")] == [
        [None, 1],
        [None, 2],
        [None, 3],
    ]
    with pytest.raises(PermissionDenied):
        state_write(actor=world.people["contributor"], controversy=controversy, statement="X")


def test_only_the_latest_version_is_co_signed_once_by_the_team_or_the_partys_own_account(world):
    controversy = instructed(world)
    own = actor_create(
        actor=world.people["admin"],
        territory=world.territory,
        kind="organisation",
        name="Coopérative agricole",
        category=category("socio_economique"),
        user_email="contributor@ungersheim.example",
        visibility="public",
    )
    cooperative = party_add(
        actor=world.people["admin"], controversy=controversy, actor_record=own, position="Contre."
    )
    riverains = group(world, controversy, "Riverains")
    first = write_state(world, controversy, "Première lecture.")
    latest = write_state(world, controversy, "Deuxième lecture.")
    sign = lambda role, state, party: state_cosign(  # noqa: E731
        actor=world.people[role], state=state, party=party
    )
    assert refused(lambda: sign("admin", first, riverains)) == {
        "party": ["Seule la dernière version de l’état de la controverse peut être cosignée."]
    }
    sign("admin", latest, riverains)  # the team records a group's signature
    assert refused(lambda: sign("editor", latest, riverains)) == {
        "party": ["Cette partie a déjà cosigné cette version."]
    }
    with pytest.raises(PermissionDenied):
        sign("contributor", latest, riverains)  # not their party
    with pytest.raises(PermissionDenied):
        sign("viewer", latest, cooperative)  # not their account
    sign("contributor", latest, cooperative)  # the party's own account
    assert sorted(latest.signatories.values_list("pk", flat=True)) == sorted([riverains.pk, cooperative.pk])
    assert list(first.signatories.all()) == []
    assert audited("controversy_state.cosign") == [
        {"signatories": [None, riverains.pk]},
        {"signatories": [None, cooperative.pk]},
    ]
    story = controversy_story(world.people["viewer"], world.territory, controversy.pk)
    assert (story.current_state.state.number, story.current_state.signatories) == (
        2,
        ["Coopérative agricole", "Riverains"],
    )


def test_a_settled_etat_is_history(world):
    controversy = decided(world)
    state = controversy.states.get()
    assert refused(
        lambda: state_cosign(actor=world.people["admin"], state=state, party=controversy.parties.first())
    ) == {"party": ["La décision est prise : l’état de la controverse appartient à l’historique."]}


# Follow-up ---------------------------------------------------------------------------------------


def test_follow_up_comes_after_the_decision_and_is_done_in_the_past(world):
    open_one = instructed(world)
    with pytest.raises(ValidationError) as error:
        follow_up_add(actor=world.people["admin"], controversy=open_one, action="Borner", due_on=TODAY)
    assert error.value.message_dict == {
        "action": ["Les actions de suivi se prévoient une fois la décision prise."]
    }
    controversy = decided(world, subject="Parc éolien")
    follow_up = follow_up_add(
        actor=world.people["editor"], controversy=controversy, action=" Borner la zone ", due_on=TOMORROW
    )
    assert (follow_up.action, follow_up.due_on, follow_up.done_on) == ("Borner la zone", TOMORROW, None)
    with pytest.raises(ValidationError) as error:
        follow_up_done(actor=world.people["admin"], follow_up=follow_up, done_on=TOMORROW)
    assert error.value.message_dict == {
        "done_on": ["Une action est marquée réalisée une fois faite : pas dans le futur."]
    }
    assert FollowUp.objects.get().done_on is None
    follow_up_done(actor=world.people["admin"], follow_up=follow_up, done_on=TODAY)
    assert FollowUp.objects.get().done_on == TODAY
    follow_up_done(actor=world.people["admin"], follow_up=follow_up, done_on=None)
    assert FollowUp.objects.get().done_on is None
    assert audited("follow_up.update") == [
        {"done_on": [None, TODAY.isoformat()]},
        {"done_on": [TODAY.isoformat(), None]},
    ]
    with pytest.raises(PermissionDenied):
        follow_up_add(actor=world.people["contributor"], controversy=controversy, action="X", due_on=TODAY)
