"""The demo's outcomes: four or five in every demo territory, of different kinds, at least one
unintended and one negative, substantiated by other actors of the map after they were observed,
all but one public, each written and each view recorded through the audited services."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from trajectoires.core.models import AuditEntry
from trajectoires.evaluation.models import Outcome, Substantiation
from trajectoires.evaluation.outcomes import outcome_list
from trajectoires.territories.models import Territory

pytestmark = pytest.mark.django_db

# territory: outcomes, substantiations, outcomes of each kind (in the order of KINDS)
EXPECTED = {
    "Ungersheim": (5, 11, (1, 1, 1, 1, 1)),
    "Grande-Synthe": (5, 11, (1, 1, 1, 1, 1)),
    "Communauté de communes du Thouarsais": (4, 10, (1, 1, 1, 1, 0)),
    "Agglomération de La Rochelle": (5, 11, (1, 1, 1, 1, 1)),
    "Grenoble-Alpes-Métropole": (4, 10, (1, 1, 1, 0, 1)),
    "Biovallée": (5, 12, (1, 1, 1, 1, 1)),
}
KINDS = ("behaviour", "relationship", "action", "policy", "practice")


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo", verbosity=0)


def _kinds(outcomes) -> tuple[int, ...]:
    counted = dict(outcomes.values_list("change_kind").annotate(n=Count("id")))
    return tuple(counted.get(kind, 0) for kind in KINDS)


def test_each_demo_territory_has_its_outcomes_and_their_views(demo):
    for territory in Territory.objects.all():
        outcomes = territory.outcomes.all()
        views = Substantiation.objects.filter(outcome__territory=territory)
        assert (outcomes.count(), views.count(), _kinds(outcomes)) == EXPECTED[territory.name]
        assert outcomes.filter(intended=False).exists(), territory.name
        assert outcomes.filter(valence="negative").exists(), territory.name
        assert outcomes.filter(actor__isnull=False).exists(), territory.name
        assert all(outcome.actions.exists() for outcome in outcomes), territory.name
        # The harvester is the territory's demo admin; one outcome stays private.
        admin = territory.memberships.get(role="admin").user
        assert set(outcomes.values_list("author", flat=True)) == {admin.pk}
        assert sorted(outcomes.values_list("visibility", flat=True)).count("private") == 1
        # The views of each outcome come from actors of its territory's map, never from the harvester.
        assert {view.substantiator.territory_id for view in views.select_related("substantiator")} == {
            territory.pk
        }
    # Agreement, partial agreement and disagreement all appear.
    agreements = dict(Substantiation.objects.values_list("agreement").annotate(n=Count("id")))
    assert agreements == {"agrees": 38, "partly": 20, "disagrees": 7}


def test_every_view_is_given_after_its_outcome_by_someone_other_than_the_harvester(demo):
    today = timezone.localdate()
    assert Outcome.objects.filter(observed_on__gt=today).count() == 0
    for view in Substantiation.objects.select_related("outcome", "substantiator"):
        assert view.outcome.observed_on <= view.given_on <= today, view.comment
        assert view.substantiator.user_id is None or view.substantiator.user_id != view.outcome.author_id
        assert view.substantiator_id != view.outcome.actor_id, view.comment
        assert view.recorded_by_id == view.outcome.author_id


def test_every_outcome_and_every_view_was_written_through_the_audited_services(demo):
    assert AuditEntry.objects.filter(action="outcome.create").count() == Outcome.objects.count() == 28
    assert AuditEntry.objects.filter(action="substantiation.create").count() == 65
    assert Substantiation.objects.count() == 65


def test_a_visitor_reads_only_the_public_outcomes(demo):
    visitor = AnonymousUser()
    for territory in Territory.objects.all():
        admin = territory.memberships.get(role="admin").user
        everything = list(outcome_list(admin, territory))
        public = list(outcome_list(visitor, territory))
        assert public == [outcome for outcome in everything if outcome.visibility == "public"]
        assert len(public) == EXPECTED[territory.name][0] - 1
    grenoble = Territory.objects.get(name="Grenoble-Alpes-Métropole")
    assert [outcome.who for outcome in outcome_list(visitor, grenoble)] == [
        "L'association des habitants",
        "L'équipe de la cuisine centrale",
        "La coopérative citoyenne d'énergie",
    ]


def test_an_outcome_reads_as_its_harvester_wrote_it(demo):
    territory = Territory.objects.get(name="Ungersheim")
    outcome = territory.outcomes.get(change_kind="relationship")
    assert (outcome.who, outcome.actor.name, outcome.place) == (
        "Chambre d'agriculture d'Alsace",
        "Chambre d'agriculture d'Alsace",
        "Exploitations des prairies au sud du village",
    )
    assert (outcome.intended, outcome.valence, outcome.visibility) == (False, "positive", "public")
    assert outcome.observed_on == timezone.localdate() - datetime.timedelta(days=240)
    assert [action.title[:32] for action in outcome.actions.all()] == ["Groupe de travail inter-services"]
    views = [(view.substantiator.name, view.agreement) for view in outcome.substantiations.all()]
    assert views == [
        ("L'agricultrice élue consulaire (démonstration)", "agrees"),
        ("Le gérant de la coopérative (démonstration)", "agrees"),
        ("La référente territoriale de l'État (démonstration)", "partly"),
    ]


def test_loading_the_demo_again_adds_nothing(demo):
    audited = AuditEntry.objects.count()
    call_command("demo", verbosity=0)
    assert (Outcome.objects.count(), Substantiation.objects.count()) == (28, 65)
    assert AuditEntry.objects.count() == audited
