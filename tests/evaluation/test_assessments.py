"""Self-assessment, through its services: campaigns opened, answered, closed; every rule refused with
its message and nothing written; the radar, spread and history computed on known answers; answers
keeping their référentiel version when a later one is published; query counts. The helpers here
(`open_campaign`, `answer`) serve the page and API tests."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.trust.world import build_world
from trajectoires.core.models import AuditEntry
from trajectoires.evaluation.assessment_results import assessment_history, campaign_results, radar_options
from trajectoires.evaluation.assessments import (
    AnswerInput,
    campaign_close,
    campaign_delete,
    campaign_open,
    campaign_responses,
    readable_campaigns,
    response_delete,
    response_save,
)
from trajectoires.evaluation.models import AssessmentAnswer, AssessmentCampaign, AssessmentResponse
from trajectoires.referential.models import Grid, Item, ReferentialVersion
from trajectoires.referential.selectors import referential_item
from trajectoires.steering.services import journal_entry_create

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def world():
    return build_world()


def open_campaign(world, title="Autoévaluation 2026", visibility="public", **values):
    return campaign_open(
        actor=world.people["admin"], territory=world.territory, title=title, visibility=visibility, **values
    )


def answer(world, campaign, levels: dict[str, str], group="elu", role="Maire", by="admin", **values):
    """Answer `campaign` with {question code: level code}."""
    return response_save(
        actor=world.people[by],
        campaign=campaign,
        category=referential_item("actor_category", group),
        role=role,
        answers={code: AnswerInput(level) for code, level in levels.items()},
        **values,
    )


def all_key_actions(level: str) -> dict[str, str]:
    return {f"K{n}": level for n in range(1, 11)}


def test_a_campaign_is_opened_on_the_current_version_and_audited(world):
    campaign = open_campaign(world)
    assert (campaign.title, campaign.status, campaign.opened_on, campaign.version.number) == (
        "Autoévaluation 2026",
        "open",
        TODAY,
        2,
    )
    entry = AuditEntry.objects.get(action="assessment_campaign.create")
    assert entry.changes["title"] == [None, "Autoévaluation 2026"]
    assert entry.changes["version"] == [None, 2]


def test_only_the_territory_admin_opens_and_closes(world):
    for role in ("editor", "contributor", "viewer", "member_elsewhere", "partner_funder"):
        with pytest.raises(PermissionDenied):
            campaign_open(actor=world.people[role], territory=world.territory, title="Non")
    campaign = open_campaign(world)
    with pytest.raises(PermissionDenied):
        campaign_close(actor=world.people["editor"], campaign=campaign)
    assert AssessmentCampaign.objects.get().status == "open"


def test_answers_are_written_with_their_group_role_and_level(world):
    campaign = open_campaign(world)
    response = answer(world, campaign, {"K1": "M4", "S1": "started"}, group="elu", role="Adjointe")
    rows = sorted(
        AssessmentAnswer.objects.values_list("question__code", "level__code", "level__version__number")
    )
    assert rows == [("K1", "M4", 2), ("S1", "started", 2)]
    assert (response.category.code, response.role, response.recorded_by) == (
        "elu",
        "Adjointe",
        world.people["admin"],
    )
    entry = AuditEntry.objects.get(action="assessment_response.create")
    assert entry.changes["answers"] == [None, {"K1": "M4", "S1": "started"}]


def test_a_level_outside_the_scale_is_refused_and_nothing_written(world):
    campaign = open_campaign(world)
    with pytest.raises(ValidationError) as error:
        answer(world, campaign, {"K1": "M6", "S1": "M3", "K99": "M1"})
    assert error.value.message_dict == {
        "K1": ["K1 : choisissez un niveau de l’échelle, de Pas encore engagé à Ancré et transmis."],
        "S1": ["S1 : choisissez un niveau de l’échelle, de Pas engagé à Acquis."],
        "K99": ["K99 n’est pas une question de cette campagne."],
    }
    assert not AssessmentResponse.objects.exists() and not AssessmentAnswer.objects.exists()


def test_no_answer_and_no_role_are_named(world):
    campaign = open_campaign(world)
    with pytest.raises(ValidationError) as error:
        answer(world, campaign, {}, role="  ")
    assert error.value.message_dict == {
        "role": ["Ce champ ne peut pas être vide."],
        "answers": ["Répondez à au moins une question."],
    }


def test_a_closed_campaign_takes_no_answer_and_no_change(world):
    campaign = open_campaign(world)
    response = answer(world, campaign, {"K1": "M2"})
    campaign_close(actor=world.people["admin"], campaign=campaign)
    date = campaign.closed_on
    closed = f"{date.day} {_month(date)} {date.year}"
    message = (
        f"Cette campagne a été close le {closed} : les réponses ne peuvent plus être données ni modifiées."
    )
    expected = {"campaign": [message]}
    with pytest.raises(ValidationError) as error:
        answer(world, campaign, {"K1": "M5"}, by="editor")
    assert error.value.message_dict == expected
    with pytest.raises(ValidationError) as error:
        response_save(
            actor=world.people["admin"],
            campaign=campaign,
            category=response.category,
            role="Maire",
            answers={"K1": AnswerInput("M5")},
            response=response,
        )
    assert error.value.message_dict == expected
    with pytest.raises(ValidationError):
        response_delete(actor=world.people["admin"], response=response)
    assert list(AssessmentAnswer.objects.values_list("question__code", "level__code")) == [("K1", "M2")]
    with pytest.raises(ValidationError) as error:
        campaign_close(actor=world.people["admin"], campaign=campaign)
    assert error.value.message_dict == {"status": ["Cette campagne est déjà close."]}


def _month(date) -> str:
    return [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ][date.month - 1]


def test_a_response_is_changed_by_its_recorder_or_the_admin_only(world):
    campaign = open_campaign(world)
    response = answer(
        world,
        campaign,
        {"K1": "M2", "K2": "M3"},
        by="contributor",
        group="socio_economique",
        role="Coopérative",
    )
    for role in ("editor", "viewer", "member_elsewhere"):
        with pytest.raises(PermissionDenied):
            response_save(
                actor=world.people[role],
                campaign=campaign,
                category=response.category,
                role="x",
                answers={"K1": AnswerInput("M1")},
                response=response,
            )
    response_save(
        actor=world.people["contributor"],
        campaign=campaign,
        category=response.category,
        role="Coopérative",
        answers={"K1": AnswerInput("M4")},
        response=response,
    )
    assert list(AssessmentAnswer.objects.values_list("question__code", "level__code")) == [("K1", "M4")]
    entry = AuditEntry.objects.get(action="assessment_response.update")
    assert entry.changes == {"answers": [{"K1": "M2", "K2": "M3"}, {"K1": "M4"}]}


def test_evidence_links_records_of_the_territory_only(world):
    campaign = open_campaign(world)
    entry = journal_entry_create(
        actor=world.people["admin"],
        territory=world.territory,
        title="Atelier vision",
        body="",
        occurred_on=TODAY,
        visibility="public",
    )
    foreign = journal_entry_create(
        actor=world.people["member_elsewhere"],
        territory=world.elsewhere,
        title="Ailleurs",
        body="",
        occurred_on=TODAY,
        visibility="public",
    )
    given = {"K1": AnswerInput("M3", evidence="Atelier avec 40 habitants.", journal_entries=[foreign])}
    category = referential_item("actor_category", "elu")
    with pytest.raises(ValidationError) as error:
        response_save(
            actor=world.people["admin"], campaign=campaign, category=category, role="Maire", answers=given
        )
    assert error.value.message_dict == {"K1": ["K1 : choisissez des preuves de ce territoire."]}
    given = {"K1": AnswerInput("M3", evidence="Atelier avec 40 habitants.", journal_entries=[entry])}
    response_save(
        actor=world.people["admin"], campaign=campaign, category=category, role="Maire", answers=given
    )
    stored = AssessmentAnswer.objects.get()
    assert (stored.evidence, list(stored.journal_entries.all())) == ("Atelier avec 40 habitants.", [entry])


def test_radar_and_spread_on_known_answers(world):
    campaign = open_campaign(world)
    # Two élus see the vision at levels 4 and 5, one agent at 2: K1 means 4.5 and 2, spread 2.5.
    answer(world, campaign, {"K1": "M4", "K2": "M3", "S1": "achieved"}, group="elu", role="Maire")
    answer(world, campaign, {"K1": "M5", "K2": "M3"}, group="elu", role="Adjoint", by="editor")
    answer(
        world,
        campaign,
        {"K1": "M2", "K2": "M4", "S1": "not_started"},
        group="agent",
        role="DGS",
        by="contributor",
    )
    results = campaign_results(campaign)
    assert results.respondents == 3
    assert [(group.code, group.respondents) for group in results.groups] == [("elu", 2), ("agent", 1)]
    k1, k2, k3 = results.key_actions[:3]
    assert (k1.mean, k1.answered, k2.mean, k3.mean, k3.answered) == (3.67, 3, 3.33, None, 0)
    assert [(level.code, count) for level, count in k1.distribution] == [
        ("M1", 0),
        ("M2", 1),
        ("M3", 0),
        ("M4", 1),
        ("M5", 1),
    ]
    assert [(row.question.code, row.means, row.spread, row.disagreement) for row in results.spread[:3]] == [
        ("K1", [4.5, 2.0], 2.5, True),
        ("K2", [3.0, 4.0], 1.0, False),
        ("K3", [None, None], None, False),
    ]
    assert [row.question.code for row in results.disagreements] == ["K1"]
    assert results.overall == 3.5  # the mean of K1 and K2, the only key actions answered
    assert [(p.posture.code, p.mean) for p in results.postures] == [("P1", 3.5), ("P2", None), ("P3", None)]
    s1 = results.checklist[0]
    assert (s1.question.code, s1.mean, s1.answered) == ("S1", 1.5, 2)
    radar = radar_options(results, name="Autoévaluation 2026")
    assert radar["radar"]["indicator"][0] == {"name": "K1", "max": 5, "min": 0}
    assert [serie["name"] for serie in radar["series"][0]["data"]] == [
        "Toutes les personnes",
        "Élu",
        "Agent de la collectivité",
    ]
    assert radar["series"][0]["data"][1]["value"][:2] == [4.5, 3.0]


def test_results_cost_the_same_whatever_the_number_of_responses(world, django_assert_max_num_queries):
    campaign = open_campaign(world)
    answer(world, campaign, all_key_actions("M3"))

    def cost():
        with CaptureQueriesContext(connection) as queries:
            campaign_results(campaign)
        return len(queries)

    once = cost()
    answer(world, campaign, all_key_actions("M4") | {"C1": "started"}, by="editor", group="agent", role="DGS")
    answer(world, campaign, all_key_actions("M1"), by="contributor", group="socio_economique", role="Asso")
    assert cost() == once == 4


def test_answers_keep_their_version_when_a_later_one_is_published(world):
    campaign = open_campaign(world)
    answer(world, campaign, {"K1": "M2"})
    campaign_close(actor=world.people["admin"], campaign=campaign)
    _publish_version_3()
    second = open_campaign(world, title="Autoévaluation 2027")
    assert second.version.number == 3
    answer(world, second, {"K1": "M4"})
    campaign_close(actor=world.people["admin"], campaign=second)
    versions = list(
        AssessmentAnswer.objects.order_by("pk").values_list(
            "question__version__number", "level__version__number"
        )
    )
    assert versions == [(2, 2), (3, 3)]
    assert campaign_results(campaign).key_actions[0].mean == 2.0
    history = assessment_history(readable_campaigns(world.people["admin"], world.territory))
    assert [c.title for c in history.campaigns] == ["Autoévaluation 2026", "Autoévaluation 2027"]
    assert (history.key_actions[0].code, history.key_actions[0].means) == ("K1", [2.0, 4.0])
    assert history.overall == [2.0, 4.0]


def _publish_version_3() -> None:
    """A copy of the current version's grids as version 3, as a data migration would load it."""
    current = ReferentialVersion.objects.get(number=2)
    version = ReferentialVersion.objects.create(
        number=3, label="Version 3", published_on=TODAY, source="test"
    )
    copies: dict[int, Item] = {}
    for grid in current.grids.all():
        copy = Grid.objects.create(
            version=version,
            code=grid.code,
            position=grid.position,
            label_fr=grid.label_fr,
            label_en=grid.label_en,
        )
        for item in grid.items.all():
            copies[item.pk] = Item.objects.create(
                version=version,
                grid=copy,
                code=item.code,
                position=item.position,
                label_fr=item.label_fr,
                label_en=item.label_en,
                extra=item.extra,
            )


def test_who_answered_what_is_read_by_the_team_only(world):
    campaign = open_campaign(world)
    answer(world, campaign, {"K1": "M2"})
    mine = answer(world, campaign, {"K1": "M3"}, by="contributor", group="socio_economique", role="Asso")
    assert campaign_responses(world.people["viewer"], campaign).count() == 2
    assert list(campaign_responses(world.people["contributor"], campaign)) == [mine]
    assert not campaign_responses(world.people["partner_funder"], campaign).exists()
    assert not campaign_responses(None, campaign).exists()


def test_a_private_campaign_is_read_by_the_team_only(world):
    campaign = open_campaign(world, visibility="private")
    assert list(readable_campaigns(world.people["viewer"], world.territory)) == [campaign]
    assert not readable_campaigns(world.people["contributor"], world.territory).exists()
    assert not readable_campaigns(None, world.territory).exists()


def test_deleting_a_campaign_removes_its_answers_and_is_audited(world):
    campaign = open_campaign(world)
    answer(world, campaign, {"K1": "M2"})
    campaign_delete(actor=world.people["admin"], campaign=campaign)
    assert not AssessmentAnswer.objects.exists() and not AssessmentCampaign.objects.exists()
    entry = AuditEntry.objects.get(action="assessment_campaign.delete")
    assert entry.changes["responses"] == [1, None]
