"""Survey rounds and ties through the services: rights, rules, audit, and the metrics task."""

import datetime
import logging

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.trust.world import build_world
from trajectoires.cooperation import tasks
from trajectoires.cooperation.models import RoundMetrics, SurveyRound, Tie
from trajectoires.cooperation.rounds import (
    survey_round_create,
    survey_round_delete,
    survey_round_update,
    tie_delete,
    tie_update,
)
from trajectoires.core.models import AuditEntry

from .network_data import HELD_ON, actor, survey_round, tie

pytestmark = pytest.mark.django_db
SELF_TIE = "Un acteur ne peut pas être lié à lui-même : choisissez un autre acteur."
AT_MOST_4 = "Assurez-vous que cette valeur est inférieure ou égale à 4."
DUPLICATE = "Ces deux acteurs ont déjà un lien de ce type dans cette enquête."


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def actors(world):
    return {
        "mairie": actor(world.territory, "Mairie d'Ungersheim", "elu"),
        "services": actor(world.territory, "Services techniques", "agent"),
        "ddt": actor(world.territory, "DDT du Haut-Rhin", "etat_territorial"),
        "cooperative": actor(world.territory, "Coopérative Le Champ", "socio_economique"),
    }


def errors_of(raised) -> dict:
    return raised.value.message_dict


def test_an_editor_creates_a_round_audited_and_measured(world, actors, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        created = survey_round(world, by="editor", title=" Enquête de printemps ")
    assert (created.title, created.held_on, created.visibility) == ("Enquête de printemps", HELD_ON, "public")
    audit = AuditEntry.objects.get(action="survey_round.create")
    assert (audit.actor_label, audit.scope, audit.object_repr) == (
        str(world.people["editor"].pk),
        f"territory:{world.territory.pk}",
        "Enquête de printemps (2025-03-01)",
    )
    assert audit.changes == {
        "held_on": [None, "2025-03-01"],
        "notes": [None, ""],
        "title": [None, "Enquête de printemps"],
        "visibility": [None, "public"],
    }
    metrics = RoundMetrics.objects.get(round=created)
    # Four actors, no tie yet: every one an isolate.
    assert (metrics.status, metrics.actor_count, metrics.tie_count, metrics.density) == ("ready", 4, 0, 0.0)
    assert metrics.computed_at is not None


@pytest.mark.parametrize("role", ["contributor", "viewer", "member_elsewhere", "partner_funder", "staff"])
def test_only_admins_and_editors_write_rounds_and_ties(world, actors, role):
    with pytest.raises(PermissionDenied):
        survey_round(world, by=role)
    existing = survey_round(world, held_on=datetime.date(2024, 3, 1))
    with pytest.raises(PermissionDenied):
        tie(world, existing, actors["mairie"], actors["ddt"], by=role)
    with pytest.raises(PermissionDenied):
        survey_round_update(actor=world.people[role], survey_round=existing, title="Changé")
    with pytest.raises(PermissionDenied):
        survey_round_delete(actor=world.people[role], survey_round=existing)
    assert SurveyRound.objects.count() == 1 and Tie.objects.count() == 0


def test_a_round_in_the_future_or_on_a_taken_date_is_refused(world):
    survey_round(world)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as raised:
        survey_round(world, held_on=tomorrow, title="  ")
    assert errors_of(raised) == {
        "title": ["Ce champ ne peut pas être vide."],
        "held_on": [
            "Une enquête enregistre des liens déjà déclarés : sa date ne peut pas être dans le futur."
        ],
    }
    with pytest.raises(ValidationError) as raised:
        survey_round(world, title="Doublon")
    assert errors_of(raised) == {"held_on": ["Le territoire a déjà une enquête à cette date."]}
    assert list(SurveyRound.objects.values_list("title", flat=True)) == ["Enquête 2025"]


def test_a_round_update_records_the_fields_before_and_after(world):
    existing = survey_round(world)
    survey_round_update(
        actor=world.people["admin"], survey_round=existing, title="Enquête 2025", visibility="partners"
    )
    assert AuditEntry.objects.get(action="survey_round.update").changes == {
        "visibility": ["public", "partners"]
    }


def test_a_tie_is_recorded_with_actor_ids_and_the_metrics_follow(
    world, actors, django_capture_on_commit_callbacks
):
    existing = survey_round(world)
    with django_capture_on_commit_callbacks(execute=True):
        recorded = tie(world, existing, actors["mairie"], actors["ddt"], quality=4, openness=2)
    audit = AuditEntry.objects.get(action="tie.create")
    assert audit.object_type == "cooperation.surveyround" and audit.object_id == str(existing.pk)
    assert audit.changes == {
        "tie": [None, recorded.pk],
        "source": [None, actors["mairie"].pk],
        "target": [None, actors["ddt"].pk],
        "tie_type": [None, "information"],
        "frequency": [None, "monthly"],
        "quality": [None, 4],
        "openness": [None, 2],
    }
    assert "Mairie" not in str(audit.changes) and "Mairie" not in audit.object_repr
    metrics = RoundMetrics.objects.get(round=existing)
    # 1 linked pair of 4 × 3 / 2 = 6; one tie, élu – État territorial, across categories.
    assert (metrics.status, metrics.tie_count, round(metrics.density, 4), metrics.cross_category_share) == (
        "ready",
        1,
        0.1667,
        1.0,
    )
    assert metrics.category_matrix["elu"]["etat_territorial"] == 1
    assert metrics.centrality[str(actors["mairie"].pk)] == {"degree": 1 / 3, "betweenness": 0.0}
    assert metrics.by_tie_type == {
        "information": {
            "tie_count": 1,
            "density": 1 / 6,
            "cross_category_share": 1.0,
            "centrality": metrics.centrality,
        }
    }


def test_bad_ties_name_the_field_and_write_nothing(world, actors):
    existing = survey_round(world)
    outsider = actor(world.elsewhere, "Mairie de Grande-Synthe", "elu")
    tie(world, existing, actors["mairie"], actors["ddt"])
    cases = [
        ((actors["mairie"], actors["mairie"]), {}, {"target": [SELF_TIE]}),
        (
            (actors["mairie"], outsider),
            {},
            {"target": ["Cet acteur ne fait pas partie des acteurs de Ungersheim."]},
        ),
        (
            (outsider, outsider),
            {},
            {
                "source": ["Cet acteur ne fait pas partie des acteurs de Ungersheim."],
                "target": ["Cet acteur ne fait pas partie des acteurs de Ungersheim."],
            },
        ),
        ((actors["mairie"], actors["services"]), {"quality": 5}, {"quality": [AT_MOST_4]}),
        ((actors["mairie"], actors["services"]), {"openness": 0, "resources": 9}, {
            "openness": ["Assurez-vous que cette valeur est supérieure ou égale à 1."],
            "resources": [AT_MOST_4],
        }),
        # The same pair, the other way round, of the same type: the same tie.
        ((actors["ddt"], actors["mairie"]), {}, {"tie_type": [DUPLICATE]}),
    ]  # fmt: skip
    for (source, target), values, expected in cases:
        with pytest.raises(ValidationError) as raised:
            tie(world, existing, source, target, **values)
        assert errors_of(raised) == expected
    assert Tie.objects.count() == 1
    # Another type between the same two actors is another tie.
    tie(world, existing, actors["ddt"], actors["mairie"], tie_type="decision")
    assert Tie.objects.count() == 2


def test_an_erased_actor_cannot_be_given_a_new_tie(world, actors):
    existing = survey_round(world)
    actors["cooperative"].erased_at = timezone.now()
    actors["cooperative"].save()
    with pytest.raises(ValidationError) as raised:
        tie(world, existing, actors["mairie"], actors["cooperative"])
    assert errors_of(raised) == {
        "target": ["Cet acteur a été effacé : aucun nouveau lien ne peut être enregistré avec lui."]
    }


def test_a_tie_update_keeps_the_rules_and_is_audited(world, actors, django_capture_on_commit_callbacks):
    existing = survey_round(world)
    first = tie(world, existing, actors["mairie"], actors["ddt"])
    second = tie(world, existing, actors["mairie"], actors["services"])
    with pytest.raises(ValidationError) as raised:
        tie_update(actor=world.people["editor"], tie=second, target=actors["ddt"])
    assert errors_of(raised) == {
        "tie_type": ["Ces deux acteurs ont déjà un lien de ce type dans cette enquête."]
    }
    second.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        tie_update(actor=world.people["editor"], tie=second, quality=1, tie_type="joint_project")
    assert AuditEntry.objects.get(action="tie.update").changes == {
        "tie": [second.pk, second.pk],
        "quality": [3, 1],
        "tie_type": ["information", "joint_project"],
    }
    assert RoundMetrics.objects.get(round=existing).by_tie_type.keys() == {"information", "joint_project"}
    assert first.pk != second.pk


def test_deleting_a_tie_and_a_round(world, actors, django_capture_on_commit_callbacks):
    existing = survey_round(world)
    recorded = tie(world, existing, actors["mairie"], actors["ddt"])
    recorded_pk = recorded.pk
    tie(world, existing, actors["mairie"], actors["services"])
    with django_capture_on_commit_callbacks(execute=True):
        tie_delete(actor=world.people["editor"], tie=recorded)
    assert RoundMetrics.objects.get(round=existing).tie_count == 1
    assert AuditEntry.objects.get(action="tie.delete").changes["tie"] == [recorded_pk, None]
    survey_round_delete(actor=world.people["admin"], survey_round=existing)
    assert (SurveyRound.objects.count(), Tie.objects.count(), RoundMetrics.objects.count()) == (0, 0, 0)
    assert AuditEntry.objects.get(action="survey_round.delete").changes == {
        "held_on": ["2025-03-01", None],
        "notes": ["", None],
        "ties": [1, None],
        "title": ["Enquête 2025", None],
        "visibility": ["public", None],
    }


def test_refreshing_the_territory_after_an_erasure(world, actors, django_capture_on_commit_callbacks):
    first = survey_round(world)
    second = survey_round(world, held_on=datetime.date(2025, 9, 1), title="Enquête d'automne")
    tie(world, second, actors["mairie"], actors["cooperative"])
    for record in (actors["services"], actors["cooperative"]):
        record.erased_at = timezone.now()
        record.save()
    with django_capture_on_commit_callbacks(execute=True):
        tasks.refresh_territory_rounds(world.territory)
    # The erased actor without a tie leaves both rounds; the one still tied in the second stays.
    counts = dict(RoundMetrics.objects.values_list("round_id", "actor_count"))
    assert counts == {first.pk: 2, second.pk: 3}


def test_a_failed_computation_is_marked_and_logged(
    world, actors, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    existing = survey_round(world)

    def broken(*args, **kwargs):
        raise RuntimeError("graph library broken")

    monkeypatch.setattr(tasks, "network_metrics", broken)
    logged = caplog.at_level(logging.ERROR, logger="trajectoires.cooperation.tasks")
    with logged, django_capture_on_commit_callbacks(execute=True):
        tie(world, existing, actors["mairie"], actors["ddt"])
    assert RoundMetrics.objects.get(round=existing).status == "failed"
    assert f"The network metrics of survey round {existing.pk} could not be computed" in caplog.text
    assert "graph library broken" in caplog.text


def test_metrics_wait_for_the_commit(world, actors, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        created = survey_round_create(
            actor=world.people["admin"], territory=world.territory, title="Enquête", held_on=HELD_ON
        )
    assert RoundMetrics.objects.get(round=created).status == "pending"
    assert len(callbacks) == 1
