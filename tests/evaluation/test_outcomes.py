"""Outcome harvesting, through its services: the rows and history written on each write, every rule
of `evaluation.outcomes` refused with its message and nothing written, the list's filters and
counts, the page (agreement counts, hidden actors), who reads and who changes what, and the cost of
a page. The helpers here (`harvest`, `an_action`, `a_person`, `substantiate`) serve the API tests."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.governance.test_spaces import an_actor, category
from tests.trust.world import build_world
from trajectoires.cooperation.actors import actor_create
from trajectoires.core.models import AuditEntry
from trajectoires.evaluation.models import Outcome, Substantiation
from trajectoires.evaluation.outcomes import (
    access_outcome,
    outcome_create,
    outcome_delete,
    outcome_list,
    outcome_page,
    outcome_update,
    substantiation_add,
)
from trajectoires.planning.actions import action_create

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
TOMORROW = TODAY + datetime.timedelta(days=1)
OBSERVED = datetime.date(2025, 6, 12)
FOREIGN_ACTOR = "Choisissez un acteur de ce territoire."
FOREIGN_ACTIONS = "Choisissez des actions de la trajectoire de ce territoire."
FUTURE_OUTCOME = "Un résultat se recueille une fois observé : la date ne peut pas être dans le futur."
OWN_OUTCOME = (
    "La personne qui a recueilli le résultat ne peut pas le corroborer elle-même : "
    "demandez à une personne indépendante."
)
TWICE = "Cette personne a déjà donné son avis sur ce résultat."
FUTURE_VIEW = "Un avis s’enregistre une fois donné : la date ne peut pas être dans le futur."
EARLY_VIEW = "Un avis se donne après que le résultat a été observé."


@pytest.fixture
def world():
    return build_world()


def harvest(world, who="Maraîchers du secteur", author="admin", visibility="public", **values):
    return outcome_create(
        actor=world.people[author],
        territory=world.territory,
        who=who,
        change_kind=values.pop("change_kind", "practice"),
        description=values.pop("description", "Ils livrent la cantine en circuit court."),
        observed_on=values.pop("observed_on", OBSERVED),
        significance=values.pop("significance", "La moitié des repas est locale."),
        contribution=values.pop("contribution", "La régie agricole a formé les maraîchers."),
        valence=values.pop("valence", "positive"),
        visibility=visibility,
        **values,
    )


def an_action(world, title="Cantine 100 % bio", visibility="public", territory=None):
    territory = territory or world.territory
    author = "admin" if territory == world.territory else "member_elsewhere"
    return action_create(actor=world.people[author], territory=territory, title=title, visibility=visibility)


def a_person(world, name, role=None, visibility="public"):
    """An actor of the map, linked to the platform account of `role` if given."""
    return actor_create(
        actor=world.people["admin"],
        territory=world.territory,
        kind="person",
        name=name,
        category=category("habitant_association"),
        user_email=world.people[role].email if role else "",
        visibility=visibility,
    )


def substantiate(world, outcome, person, agreement="agrees", author="admin", given_on=TODAY, **values):
    return substantiation_add(
        actor=world.people[author],
        outcome=outcome,
        substantiator=person,
        agreement=agreement,
        comment=values.pop("comment", "Je l'ai constaté au marché."),
        given_on=given_on,
    )


def refused(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as error:
        call()
    return error.value.message_dict


def history(action):
    return list(AuditEntry.objects.filter(action=action).order_by("id").values_list("changes", flat=True))


# Writes ------------------------------------------------------------------------------------------


def test_an_outcome_is_harvested_with_its_actor_and_actions_and_audited(world):
    regie = an_actor(world, "Régie agricole")
    canteen, market = an_action(world, "Cantine 100 % bio"), an_action(world, "Marché paysan")
    outcome = harvest(
        world,
        "  Maraîchers du secteur ",
        author="contributor",
        actor_record=regie,
        place=" Ungersheim ",
        intended=False,
        actions=[market, canteen],
    )
    row = Outcome.objects.values().get()
    assert {key: row[key] for key in row if key not in {"id", "created_at", "updated_at"}} == {
        "territory_id": world.territory.pk,
        "who": "Maraîchers du secteur",
        "actor_id": regie.pk,
        "change_kind": "practice",
        "description": "Ils livrent la cantine en circuit court.",
        "observed_on": OBSERVED,
        "place": "Ungersheim",
        "significance": "La moitié des repas est locale.",
        "contribution": "La régie agricole a formé les maraîchers.",
        "intended": False,
        "valence": "positive",
        "visibility": "public",
        "author_id": world.people["contributor"].pk,
    }
    assert sorted(outcome.actions.values_list("title", flat=True)) == ["Cantine 100 % bio", "Marché paysan"]
    entry = AuditEntry.objects.get(action="outcome.create")
    assert (entry.actor_label, entry.object_id, entry.scope) == (
        str(world.people["contributor"].pk),
        str(outcome.pk),
        f"territory:{world.territory.pk}",
    )
    assert entry.changes == {
        "who": [None, "Maraîchers du secteur"],
        "actor": [None, regie.pk],
        "change_kind": [None, "practice"],
        "description": [None, "Ils livrent la cantine en circuit court."],
        "observed_on": [None, "2025-06-12"],
        "place": [None, "Ungersheim"],
        "significance": [None, "La moitié des repas est locale."],
        "contribution": [None, "La régie agricole a formé les maraîchers."],
        "intended": [None, False],
        "valence": [None, "positive"],
        "visibility": [None, "public"],
        "actions": [None, sorted([canteen.pk, market.pk])],
    }


def test_an_update_writes_and_audits_only_what_changed(world):
    regie, canteen, market = an_actor(world, "Régie agricole"), an_action(world), an_action(world, "Marché")
    outcome = harvest(world, actor_record=regie, actions=[canteen])
    outcome_update(
        actor=world.people["editor"],
        outcome=outcome,
        who=" Maraîchers bio ",
        valence="negative",
        actor_record=None,
        actions=[market],
        description="Ils livrent la cantine en circuit court.",  # unchanged
    )
    outcome.refresh_from_db()
    assert (outcome.who, outcome.valence, outcome.actor) == ("Maraîchers bio", "negative", None)
    assert list(outcome.actions.all()) == [market]
    assert history("outcome.update") == [
        {
            "actions": [[canteen.pk], [market.pk]],
            "actor": [regie.pk, None],
            "valence": ["positive", "negative"],
            "who": ["Maraîchers du secteur", "Maraîchers bio"],
        }
    ]
    outcome_update(actor=world.people["editor"], outcome=outcome, who="Maraîchers bio")
    assert AuditEntry.objects.filter(action="outcome.update").count() == 1  # nothing changed, no entry


def test_a_deleted_outcome_takes_its_substantiations_and_is_audited(world):
    canteen = an_action(world)
    outcome = harvest(world, actions=[canteen])
    substantiate(world, outcome, a_person(world, "Jeanne Martin"))
    pk = outcome.pk
    outcome_delete(actor=world.people["editor"], outcome=outcome)
    assert (Outcome.objects.count(), Substantiation.objects.count()) == (0, 0)
    entry = AuditEntry.objects.get(action="outcome.delete")
    assert (entry.object_id, entry.actor_label) == (str(pk), str(world.people["editor"].pk))
    assert entry.changes == {
        "who": ["Maraîchers du secteur", None],
        "change_kind": ["practice", None],
        "description": ["Ils livrent la cantine en circuit court.", None],
        "observed_on": ["2025-06-12", None],
        "place": ["", None],
        "significance": ["La moitié des repas est locale.", None],
        "contribution": ["La régie agricole a formé les maraîchers.", None],
        "intended": [True, None],
        "valence": ["positive", None],
        "visibility": ["public", None],
        "actions": [[canteen.pk], None],
    }


def test_each_rule_of_an_outcome_is_refused_with_its_message_and_nothing_written(world):
    hidden = an_actor(world, "Cabinet du préfet", visibility="private")
    foreign = an_actor(world, "Mairie de Grande-Synthe", territory=world.elsewhere)
    foreign_action = an_action(world, "Plan vélo", territory=world.elsewhere)
    assert refused(lambda: harvest(world, observed_on=TOMORROW)) == {"observed_on": [FUTURE_OUTCOME]}
    assert refused(lambda: harvest(world, author="contributor", actor_record=hidden)) == {
        "actor": [FOREIGN_ACTOR]
    }
    assert refused(lambda: harvest(world, actor_record=foreign)) == {"actor": [FOREIGN_ACTOR]}
    assert refused(lambda: harvest(world, actions=[foreign_action])) == {"actions": [FOREIGN_ACTIONS]}
    assert refused(lambda: harvest(world, who=" ", observed_on=TOMORROW, actions=[foreign_action])) == {
        "who": ["Ce champ ne peut pas être vide."],
        "observed_on": [FUTURE_OUTCOME],
        "actions": [FOREIGN_ACTIONS],
    }
    assert Outcome.objects.count() == 0
    harvest(world)
    updates = [
        ({"observed_on": TOMORROW}, {"observed_on": [FUTURE_OUTCOME]}),
        ({"actor_record": foreign}, {"actor": [FOREIGN_ACTOR]}),
        ({"actions": [foreign_action]}, {"actions": [FOREIGN_ACTIONS]}),
    ]
    for values, expected in updates:
        outcome = Outcome.objects.get()  # a refused update leaves the caller's instance as they set it
        errors = refused(
            lambda outcome=outcome, values=values: outcome_update(
                actor=world.people["admin"], outcome=outcome, **values
            )
        )
        assert errors == expected
    stored = Outcome.objects.get()
    assert (stored.observed_on, stored.actor, list(stored.actions.all())) == (OBSERVED, None, [])
    assert [entry.action for entry in AuditEntry.objects.filter(action__startswith="outcome")] == [
        "outcome.create"
    ]


def test_a_substantiation_is_recorded_and_audited(world):
    outcome = harvest(world)
    jeanne = a_person(world, "Jeanne Martin")
    view = substantiate(world, outcome, jeanne, "partly", author="contributor", given_on=OBSERVED)
    assert Substantiation.objects.values(
        "outcome", "substantiator", "agreement", "comment", "given_on", "recorded_by"
    ).get() == {
        "outcome": outcome.pk,
        "substantiator": jeanne.pk,
        "agreement": "partly",
        "comment": "Je l'ai constaté au marché.",
        "given_on": OBSERVED,
        "recorded_by": world.people["contributor"].pk,
    }
    entry = AuditEntry.objects.get(action="substantiation.create")
    assert (entry.object_id, entry.scope) == (str(view.pk), f"territory:{world.territory.pk}")
    assert entry.changes == {
        "agreement": [None, "partly"],
        "comment": [None, "Je l'ai constaté au marché."],
        "given_on": [None, "2025-06-12"],
        "outcome": [None, outcome.pk],
        "substantiator": [None, jeanne.pk],
    }


def test_each_rule_of_a_substantiation_is_refused_with_its_message_and_nothing_written(world):
    outcome = harvest(world, author="editor")
    jeanne = a_person(world, "Jeanne Martin")
    substantiate(world, outcome, jeanne)
    harvester = a_person(world, "Éditrice", role="editor")
    foreign = an_actor(world, "Mairie de Grande-Synthe", territory=world.elsewhere)
    hidden = a_person(world, "Préfète", visibility="private")
    paul = a_person(world, "Paul Muller")
    refusals = [
        (harvester, {}, {"substantiator": [OWN_OUTCOME]}),
        (jeanne, {}, {"substantiator": [TWICE]}),
        (foreign, {}, {"substantiator": [FOREIGN_ACTOR]}),
        (hidden, {"author": "contributor"}, {"substantiator": [FOREIGN_ACTOR]}),
        (paul, {"given_on": OBSERVED - datetime.timedelta(days=1)}, {"given_on": [EARLY_VIEW]}),
        (paul, {"given_on": TOMORROW}, {"given_on": [FUTURE_VIEW]}),
        (paul, {"comment": " "}, {"comment": ["Ce champ ne peut pas être vide."]}),
    ]
    for person, values, expected in refusals:
        errors = refused(lambda person=person, values=values: substantiate(world, outcome, person, **values))
        assert errors == expected, person.name
    assert list(Substantiation.objects.values_list("substantiator__name", flat=True)) == ["Jeanne Martin"]
    assert AuditEntry.objects.filter(action="substantiation.create").count() == 1
    with pytest.raises(PermissionDenied):
        substantiate(world, outcome, paul, author="viewer")


def test_an_action_the_editor_may_not_read_stays_linked_on_edit(world):
    secret, canteen, market = (
        an_action(world, "Plan confidentiel", visibility="private"),
        an_action(world, "Cantine"),
        an_action(world, "Marché"),
    )
    outcome = harvest(world, author="contributor", actions=[canteen])
    outcome_update(actor=world.people["admin"], outcome=outcome, actions=[canteen, secret])
    outcome_update(actor=world.people["contributor"], outcome=outcome, actions=[market])
    assert sorted(outcome.actions.values_list("title", flat=True)) == ["Marché", "Plan confidentiel"]
    assert history("outcome.update")[-1] == {
        "actions": [sorted([canteen.pk, secret.pk]), sorted([market.pk, secret.pk])]
    }
    page = outcome_page(world.people["contributor"], world.territory, outcome.pk)
    assert [action.title for action in page.actions] == ["Marché"]


# Reads -------------------------------------------------------------------------------------------


def test_the_list_filters_and_counts(world):
    people = [a_person(world, name) for name in ("Jeanne", "Paul", "Lina")]
    canteen = harvest(world, "Cantine", observed_on=datetime.date(2025, 3, 1))
    for person, agreement in zip(people, ("agrees", "partly", "agrees"), strict=True):
        substantiate(world, canteen, person, agreement)
    harvest(world, "Parking", change_kind="policy", valence="negative", intended=False)
    harvest(
        world, "Élus", change_kind="behaviour", visibility="private", observed_on=datetime.date(2025, 1, 1)
    )

    def listed(viewer="anonymous", **filters):
        outcomes = outcome_list(world.people[viewer], world.territory, **filters)
        return [(item.who, item.substantiation_count, item.agreeing_count) for item in outcomes]

    assert listed() == [("Parking", 0, 0), ("Cantine", 3, 2)]
    assert listed("viewer") == [("Parking", 0, 0), ("Cantine", 3, 2), ("Élus", 0, 0)]
    assert listed("viewer", change_kind="behaviour") == [("Élus", 0, 0)]
    assert listed(valence="negative") == [("Parking", 0, 0)]
    assert listed(intended=True) == [("Cantine", 3, 2)]
    assert listed(intended=False, valence="positive") == []


def test_the_page_counts_agreements_and_hides_unreadable_actors(world):
    hidden = an_actor(world, "Cabinet du préfet", visibility="private")
    outcome = harvest(world, actor_record=hidden)
    secret_person = a_person(world, "Préfète", visibility="private")
    for person, agreement in ((a_person(world, "Jeanne"), "agrees"), (secret_person, "disagrees")):
        substantiate(world, outcome, person, agreement)
    page = outcome_page(None, world.territory, outcome.pk)
    assert page.actor.label == "Acteur non visible"
    assert [view.label for view in page.substantiations] == ["Jeanne", "Acteur non visible"]
    assert page.agreement_counts == [
        ("agrees", "D’accord", 1),
        ("partly", "En partie d’accord", 0),
        ("disagrees", "Pas d’accord", 1),
    ]
    team = outcome_page(world.people["viewer"], world.territory, outcome.pk)
    assert (team.actor.label, [view.label for view in team.substantiations]) == (
        "Cabinet du préfet",
        ["Jeanne", "Préfète"],
    )


def test_who_reads_a_private_outcome(world):
    outcome = harvest(world, visibility="private")
    assert outcome_page(world.people["viewer"], world.territory, outcome.pk).outcome == outcome
    for role in ("anonymous", "member_elsewhere", "partner_funder", "contributor"):
        with pytest.raises(Http404):
            outcome_page(world.people[role], world.territory, outcome.pk)
    with pytest.raises(Http404):
        access_outcome(world.people["admin"], world.elsewhere, outcome.pk)  # not through another territory


def test_a_contributor_changes_their_own_outcome_only(world):
    own, other = harvest(world, "Les miens", author="contributor"), harvest(world, "Les autres")
    outcome_update(actor=world.people["contributor"], outcome=own, who="Les nôtres")
    for call in (
        lambda: outcome_update(actor=world.people["contributor"], outcome=other, who="X"),
        lambda: outcome_delete(actor=world.people["contributor"], outcome=other),
        lambda: outcome_update(actor=world.people["viewer"], outcome=own, who="X"),
        lambda: harvest(world, author="viewer"),
        lambda: harvest(world, author="partner_funder"),
    ):
        with pytest.raises(PermissionDenied):
            call()
    outcome_delete(actor=world.people["contributor"], outcome=own)
    assert list(Outcome.objects.values_list("who", flat=True)) == ["Les autres"]


def test_the_page_costs_the_same_queries_whatever_the_number_of_substantiations(world):
    outcome = harvest(world, actor_record=an_actor(world, "Régie agricole"), actions=[an_action(world)])
    substantiate(world, outcome, a_person(world, "Jeanne"))

    def count():
        with CaptureQueriesContext(connection) as queries:
            page = outcome_page(world.people["viewer"], world.territory, outcome.pk)
            [view.label for view in page.substantiations]
        return len(queries)

    count()  # the viewer's rights are cached on their account from the first read on
    before = count()
    for index in range(6):
        substantiate(world, outcome, a_person(world, f"Personne {index}"), "partly")
    assert count() == before


def test_a_refused_update_leaves_the_outcome_as_stored(world):
    outcome = harvest(world)
    with pytest.raises(ValidationError):
        outcome_update(actor=world.people["editor"], outcome=outcome, who="Autres", observed_on=TOMORROW)
    # The caller's object holds what is stored, not the refused values.
    assert (outcome.who, outcome.observed_on) == ("Maraîchers du secteur", OBSERVED)
    assert not AuditEntry.objects.filter(action="outcome.update").exists()
