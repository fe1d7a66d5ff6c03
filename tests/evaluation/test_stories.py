"""Stories of change, through their services: domains and periods, stories collected with their
teller's consent and anonymity, verification and feedback, selection rounds that select one of the
stories they considered; every rule refused with its message and nothing written. The helpers here
(`a_domain`, `a_period`, `a_story`, `a_round`) serve the page and API tests."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.trust.world import build_world
from trajectoires.core.models import AuditEntry
from trajectoires.evaluation.models import ChangeStory, SelectionRound
from trajectoires.evaluation.selection_rounds import round_create, round_stories, round_update
from trajectoires.evaluation.stories import (
    domain_delete,
    domain_save,
    period_save,
    story_create,
    story_delete,
    story_feedback,
    story_list,
    story_verify,
    teller_label,
)

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
TOLD = datetime.date(2026, 4, 2)


@pytest.fixture
def world():
    return build_world()


def a_domain(world, name="Vie quotidienne"):
    return domain_save(actor=world.people["admin"], territory=world.territory, name=name)


def a_period(
    world, label="Printemps 2026", starts_on=datetime.date(2026, 3, 1), ends_on=datetime.date(2026, 6, 30)
):
    return period_save(
        actor=world.people["admin"],
        territory=world.territory,
        label=label,
        starts_on=starts_on,
        ends_on=ends_on,
    )


def a_story(world, period, domain, title="La cantine a changé nos menus", by="admin", **values):
    values.setdefault("consent_given", True)
    values.setdefault("visibility", "public")
    return story_create(
        actor=world.people[by],
        territory=world.territory,
        period=period,
        domain=domain,
        title=title,
        collector=values.pop("collector", "Léa, chargée de mission"),
        collected_on=values.pop("collected_on", TOLD),
        what_happened=values.pop("what_happened", "Les maraîchers livrent la cantine chaque semaine."),
        why_significant=values.pop("why_significant", "Mes enfants mangent ce que je cultive."),
        **values,
    )


def a_round(world, period, considered, selected, **values):
    return round_create(
        actor=world.people[values.pop("by", "admin")],
        territory=world.territory,
        period=period,
        panel=values.pop("panel", "Maire, DGS, deux habitantes, la coopérative"),
        held_on=values.pop("held_on", datetime.date(2026, 7, 3)),
        considered=considered,
        selected=selected,
        reasons=values.pop("reasons", "Elle montre un lien nouveau entre producteurs et familles."),
        **values,
    )


def test_a_story_is_collected_and_audited(world):
    story = a_story(world, a_period(world), a_domain(world), teller_name="Sonia", anonymous=True)
    stored = ChangeStory.objects.get()
    assert (stored.title, stored.teller_name, stored.anonymous, stored.author) == (
        "La cantine a changé nos menus",
        "Sonia",
        True,
        world.people["admin"],
    )
    changes = AuditEntry.objects.get(action="change_story.create").changes
    assert changes["teller_name"] == [None, True]  # an anonymous teller's name stays out of the trail
    assert changes["title"] == [None, "La cantine a changé nos menus"]
    assert story.pk == stored.pk


def test_a_story_is_told_beyond_the_team_only_with_consent(world):
    period, domain = a_period(world), a_domain(world)
    with pytest.raises(ValidationError) as error:
        a_story(
            world,
            period,
            domain,
            consent_given=False,
            anonymous=False,
            collected_on=TODAY + datetime.timedelta(days=1),
        )
    assert error.value.message_dict == {
        "collected_on": [
            "Une histoire se recueille une fois racontée : la date ne peut pas être dans le futur."
        ],
        "visibility": [
            "Une histoire n’est racontée au-delà de l’équipe qu’avec le consentement "
            "de la personne qui la raconte."
        ],
        "teller_name": ["Nommez la personne qui raconte, qui a choisi de ne pas rester anonyme."],
    }
    assert not ChangeStory.objects.exists()
    a_story(world, period, domain, consent_given=False, visibility="private")
    assert ChangeStory.objects.count() == 1


def test_an_anonymous_teller_is_named_to_the_team_only(world):
    story = a_story(world, a_period(world), a_domain(world), teller_name="Sonia", anonymous=True)
    assert teller_label(world.people["viewer"], story) == "Sonia"
    assert teller_label(world.people["contributor"], story) == "Personne anonyme"
    assert teller_label(None, story) == "Personne anonyme"
    named = a_story(world, story.period, story.domain, title="Autre", teller_name="Marc", anonymous=False)
    assert teller_label(None, named) == "Marc"


def test_a_round_selects_one_of_the_stories_it_considered(world):
    period, domain = a_period(world), a_domain(world)
    first = a_story(world, period, domain)
    second = a_story(world, period, domain, title="Le bus du mardi")
    outside = a_story(world, period, domain, title="Une autre histoire")
    with pytest.raises(ValidationError) as error:
        a_round(world, period, [first, second], outside)
    assert error.value.message_dict == {"selected": ["Le panel choisit une des histoires qu’il a examinées."]}
    other_period = a_period(
        world, label="Automne 2025", starts_on=datetime.date(2025, 9, 1), ends_on=datetime.date(2025, 12, 31)
    )
    late = a_story(
        world, other_period, domain, title="Histoire d’automne", collected_on=datetime.date(2025, 10, 1)
    )
    with pytest.raises(ValidationError) as error:
        a_round(world, period, [first, late], first, held_on=datetime.date(2026, 2, 1))
    assert error.value.message_dict == {
        "held_on": ["Un tour de sélection se tient après le début de sa période."],
        "considered": ["Choisissez des histoires de la période et du domaine de ce tour."],
    }
    assert not SelectionRound.objects.exists()
    selection = a_round(
        world, period, [first, second], second, dissent="Deux membres préféraient la cantine."
    )
    assert round_stories(None, selection) == (second, [first])
    changes = AuditEntry.objects.get(action="selection_round.create").changes
    assert (changes["selected"], changes["considered"]) == (
        [None, second.pk],
        [None, sorted([first.pk, second.pk])],
    )
    with pytest.raises(ValidationError):
        round_update(actor=world.people["admin"], selection=selection, selected=outside)
    assert SelectionRound.objects.get().selected == second
    with pytest.raises(ValidationError) as error:
        story_delete(actor=world.people["admin"], story=second)
    assert error.value.message_dict == {
        "__all__": ["Un panel a choisi cette histoire : supprimez d’abord le tour de sélection."]
    }


def test_verification_and_feedback_are_recorded_by_the_writers(world):
    story = a_story(world, a_period(world), a_domain(world))
    with pytest.raises(PermissionDenied):
        story_verify(actor=world.people["contributor"], story=story, verified_on=TODAY, verification="Visite")
    with pytest.raises(ValidationError) as error:
        story_feedback(
            actor=world.people["editor"], story=story, feedback=" ", given_on=datetime.date(2026, 1, 1)
        )
    assert error.value.message_dict == {
        "feedback": ["Ce champ ne peut pas être vide."],
        "feedback_given_on": ["La date ne peut pas précéder le recueil de l’histoire."],
    }
    story_verify(
        actor=world.people["editor"], story=story, verified_on=TODAY, verification="Visite de la cantine."
    )
    story_feedback(
        actor=world.people["editor"], story=story, feedback="Votre histoire a été retenue.", given_on=TODAY
    )
    stored = ChangeStory.objects.get()
    assert (stored.verified_on, stored.verification, stored.feedback_given_on, stored.feedback) == (
        TODAY,
        "Visite de la cantine.",
        TODAY,
        "Votre histoire a été retenue.",
    )
    assert AuditEntry.objects.get(action="change_story.feedback").changes["feedback"] == [
        "",
        "Votre histoire a été retenue.",
    ]


def test_domains_and_periods(world):
    domain = a_domain(world)
    with pytest.raises(ValidationError) as error:
        domain_save(actor=world.people["admin"], territory=world.territory, name="vie quotidienne")
    assert error.value.message_dict == {"name": ["Ce territoire a déjà un domaine de changement de ce nom."]}
    with pytest.raises(ValidationError) as error:
        period_save(
            actor=world.people["admin"],
            territory=world.territory,
            label="P",
            starts_on=TOLD,
            ends_on=datetime.date(2026, 1, 1),
        )
    assert error.value.message_dict == {"ends_on": ["Une période ne peut pas finir avant de commencer."]}
    a_story(world, a_period(world), domain)
    with pytest.raises(ValidationError) as error:
        domain_delete(actor=world.people["admin"], domain=domain)
    assert error.value.message_dict == {
        "__all__": ["Des histoires ou des tours appartiennent à ce domaine : il ne peut pas être supprimé."]
    }
    with pytest.raises(PermissionDenied):
        domain_save(actor=world.people["contributor"], territory=world.territory, name="Non")


def test_private_stories_are_read_by_the_team_only(world):
    period, domain = a_period(world), a_domain(world)
    private = a_story(world, period, domain, visibility="private", title="Privée")
    public = a_story(world, period, domain, title="Publique")
    assert list(story_list(world.people["viewer"], world.territory)) == [public, private]
    assert list(story_list(None, world.territory)) == [public]
