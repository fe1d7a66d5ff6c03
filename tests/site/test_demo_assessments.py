"""The demo's self-assessments: in every demo territory, last year's and this year's campaigns,
closed and public, and a third one open to the partners; respondents of several groups recorded by
the territory's admin, progress from one campaign to the next, élus and agents who disagree, all
written through the audited services and dated back over the months the campaigns covered."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from trajectoires.core.models import AuditEntry
from trajectoires.evaluation.assessment_results import assessment_history, campaign_results
from trajectoires.evaluation.assessments import campaign_list, response_answers
from trajectoires.evaluation.models import AssessmentAnswer, AssessmentCampaign, AssessmentResponse
from trajectoires.territories.models import Territory

pytestmark = pytest.mark.django_db

TITLES = ("Autoévaluation 2025", "Autoévaluation 2026", "Autoévaluation 2026 — élargie aux partenaires")
# territory: responses of each campaign (in the order of TITLES), key actions where élus and agents
# disagree in this year's campaign
EXPECTED = {
    "Ungersheim": ((6, 7, 2), ["K4"]),
    "Grande-Synthe": ((6, 7, 2), ["K4", "K8"]),
    "Communauté de communes du Thouarsais": ((5, 7, 2), ["K7"]),
    "Agglomération de La Rochelle": ((6, 7, 2), ["K4"]),
    "Grenoble-Alpes-Métropole": ((6, 7, 2), ["K4", "K6"]),
    "Biovallée": ((6, 7, 2), ["K8"]),
}
KEY_ACTIONS = [f"K{number}" for number in range(1, 11)]


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo", verbosity=0)


def _campaigns(territory: Territory) -> list[AssessmentCampaign]:
    return list(territory.assessment_campaigns.order_by("opened_on"))


def _days_ago(day: datetime.date | None) -> int | None:
    return None if day is None else (timezone.localdate() - day).days


def test_each_demo_territory_runs_three_campaigns_over_a_year(demo):
    for territory in Territory.objects.all():
        responses, _disagreements = EXPECTED[territory.name]
        campaigns = _campaigns(territory)
        dates = [(_days_ago(c.opened_on), _days_ago(c.closed_on)) for c in campaigns]
        assert [
            (c.title, c.status, c.visibility, c.responses.count(), *days)
            for c, days in zip(campaigns, dates, strict=True)
        ] == [
            ("Autoévaluation 2025", "closed", "public", responses[0], 400, 368),
            ("Autoévaluation 2026", "closed", "public", responses[1], 75, 40),
            (TITLES[2], "open", "partners", responses[2], 12, None),
        ], territory.name
        assert [_days_ago(c.closes_on) for c in campaigns] == [368, 40, -30]
        # Every respondent is recorded by the territory's admin, after the campaign opened and
        # before it closed.
        admin = territory.memberships.get(role="admin").user
        for campaign in campaigns:
            recorded = campaign.responses.values_list("recorded_by", "recorded_at")
            assert {user for user, _at in recorded} == {admin.pk}
            assert all(
                campaign.opened_on < timezone.localdate(at) <= (campaign.closed_on or timezone.localdate())
                for _user, at in recorded
            ), campaign.title


def test_a_visitor_reads_the_two_closed_campaigns_and_their_history(demo):
    for territory in Territory.objects.all():
        public = list(campaign_list(AnonymousUser(), territory))
        assert [(c.title, c.response_count) for c in public] == [
            ("Autoévaluation 2026", EXPECTED[territory.name][0][1]),
            ("Autoévaluation 2025", EXPECTED[territory.name][0][0]),
        ]
        history = assessment_history(territory.assessment_campaigns.all())
        assert [campaign.title for campaign in history.campaigns] == list(TITLES[:2])
        assert len(history.overall) == 2
        assert history.overall[1] > history.overall[0], territory.name
        # Progress on several key actions from one campaign to the next.
        progressed = [row.code for row in history.key_actions if row.means[1] > row.means[0]]
        assert len(progressed) >= 5, territory.name


def test_elus_and_agents_disagree_on_one_or_two_key_actions_this_year(demo):
    for territory in Territory.objects.all():
        results = campaign_results(territory.assessment_campaigns.get(title="Autoévaluation 2026"))
        groups = [group.code for group in results.groups]
        assert {"elu", "agent"} <= set(groups) and len(groups) >= 3, territory.name
        disagreements = results.disagreements
        assert [row.question.code for row in disagreements] == EXPECTED[territory.name][1]
        for row in disagreements:  # the élus see it higher than the agents, by 1.5 levels or more
            elus, agents = row.means[groups.index("elu")], row.means[groups.index("agent")]
            assert elus - agents >= 1.5, (territory.name, row.question.code)


def test_the_levels_written_for_ungersheim_give_its_results(demo):
    ungersheim = Territory.objects.get(name="Ungersheim")
    last_year, this_year, partners = _campaigns(ungersheim)
    results = campaign_results(this_year)
    assert results.respondents == 7
    assert [(group.label, group.respondents) for group in results.groups] == [
        ("Élu", 2),
        ("Agent de la collectivité", 3),
        ("État territorial", 1),
        ("Habitant / association", 1),
    ]
    assert [(r.question.code, r.mean, r.answered) for r in results.key_actions] == [
        ("K1", 4.14, 7),
        ("K2", 3.57, 7),
        ("K3", 3.86, 7),
        ("K4", 3.29, 7),
        ("K5", 3.29, 7),
        ("K6", 2.57, 7),
        ("K7", 3.14, 7),
        ("K8", 2.86, 7),
        ("K9", 3.71, 7),
        ("K10", 3.57, 7),
    ]
    assert results.overall == 3.4
    k4 = next(row for row in results.spread if row.question.code == "K4")
    assert (k4.means, k4.spread) == ([4.5, 2.67, 3.0, 3.0], 1.83)
    assert [(level.code, count) for level, count in results.key_actions[3].distribution] == [
        ("M1", 0),
        ("M2", 1),
        ("M3", 4),
        ("M4", 1),
        ("M5", 1),
    ]
    # Most of the checklist is answered: 65 of its 70 answers.
    assert [(r.question.code, r.answered) for r in results.checklist] == [
        ("S1", 7), ("S2", 7), ("S3", 6), ("S4", 6), ("S5", 7),
        ("C1", 7), ("C2", 7), ("C3", 6), ("C4", 7), ("C5", 5),
    ]  # fmt: skip
    assert [r.mean for r in results.checklist] == [1.71, 1.57, 1.0, 1.33, 1.29, 1.57, 2.14, 1.17, 1.29, 1.0]
    before = campaign_results(last_year)
    assert [r.mean for r in before.key_actions] == [3.17, 2.67, 3.0, 3.17, 2.5, 2.0, 2.67, 2.0, 2.83, 2.67]
    assert (before.respondents, before.overall) == (6, 2.67)
    assert [row.question.code for row in before.disagreements] == ["K4"]
    history = assessment_history(ungersheim.assessment_campaigns.all())
    assert history.overall == [2.67, 3.4]
    assert [(row.code, row.means) for row in history.key_actions][:4] == [
        ("K1", [3.17, 4.14]),
        ("K2", [2.67, 3.57]),
        ("K3", [3.0, 3.86]),
        ("K4", [3.17, 3.29]),
    ]
    assert campaign_results(partners).respondents == 2


def test_respondents_are_people_of_the_map_or_named_by_their_role(demo):
    this_year = Territory.objects.get(name="Ungersheim").assessment_campaigns.get(title="Autoévaluation 2026")
    rows = this_year.responses.order_by("recorded_at")
    assert [(r.category.code, r.role, r.respondent.name if r.respondent else None) for r in rows] == [
        ("elu", "Maire", "L'exécutif (démonstration)"),
        ("elu", "Adjointe à la transition", "L'élue à la transition (démonstration)"),
        ("agent", "DGS", "Le directeur général des services (démonstration)"),
        ("agent", "Cheffe de projet transition", "La cheffe de projet transition (démonstration)"),
        ("agent", "Chargée de mission climat", None),
        ("etat_territorial", "Sous-préfet", "Le sous-préfet (démonstration)"),
        ("habitant_association", "Présidente de l'association des habitants",
         "La présidente de l'association (démonstration)"),
    ]  # fmt: skip
    thouarsais = Territory.objects.get(name="Communauté de communes du Thouarsais")
    this_year = thouarsais.assessment_campaigns.get(title="Autoévaluation 2026")
    roles = list(this_year.responses.values_list("role", flat=True))
    assert "Président de la communauté de communes" in roles
    assert "Chargée de territoire à la DDT des Deux-Sèvres" in roles
    # A person of the map answers a campaign once, and is of the territory; every response
    # answers the ten key actions.
    for response in AssessmentResponse.objects.select_related("respondent", "campaign"):
        if response.respondent:
            assert response.respondent.territory_id == response.campaign.territory_id
            assert response.respondent.kind == "person"
        assert [code for code in response_answers(response) if code.startswith("K")] == KEY_ACTIONS
    people = AssessmentResponse.objects.filter(respondent__isnull=False)
    assert not people.values("campaign", "respondent").annotate(n=Count("id")).filter(n__gt=1).exists()
    assert people.count() == 84
    assert AssessmentResponse.objects.filter(respondent__isnull=True).count() == 5


def test_some_answers_give_their_evidence_and_point_to_the_journal(demo):
    this_year = Territory.objects.get(name="Ungersheim").assessment_campaigns.get(title="Autoévaluation 2026")
    project_lead = this_year.responses.get(role="Cheffe de projet transition")
    answers = response_answers(project_lead)
    assert (answers["K4"].level.code, answers["K4"].evidence) == (
        "M2",
        "Les habitants sont consultés, mais les arbitrages se font encore entre élus : les services animent "
        "les ateliers sans savoir ce que devient la parole recueillie.",
    )
    assert [entry.title for entry in answers["K10"].journal_entries.all()] == [
        "Première saison réussie du projet pilote"
    ]
    assert answers["K1"].evidence == ""
    with_evidence = AssessmentAnswer.objects.exclude(evidence="")
    assert with_evidence.count() == 64
    linked = AssessmentAnswer.journal_entries.through.objects.select_related(
        "journalentry", "assessmentanswer__response__campaign"
    )
    assert linked.count() == 21
    for link in linked:
        entry, campaign = link.journalentry, link.assessmentanswer.response.campaign
        assert entry.territory_id == campaign.territory_id
        assert entry.visibility == "public"
        assert entry.occurred_on <= (campaign.closed_on or timezone.localdate())


def test_every_campaign_and_response_was_written_through_the_audited_services(demo):
    actions = dict(
        AuditEntry.objects.filter(action__startswith="assessment_")
        .values_list("action")
        .annotate(n=Count("id"))
    )
    assert actions == {
        "assessment_campaign.create": 18,
        "assessment_campaign.close": 12,
        "assessment_response.create": 89,
    }
    assert AssessmentResponse.objects.count() == 89
    assert AssessmentAnswer.objects.filter(question__code__startswith="K").count() == 890
    # The campaigns are dated back; the audit trail keeps the moment the demo recorded them.
    opened = AuditEntry.objects.filter(action="assessment_campaign.create").values_list("at", flat=True)
    assert {timezone.localdate(at) for at in opened} == {timezone.localdate()}


def test_loading_the_demo_again_adds_nothing(demo):
    audited = AuditEntry.objects.count()
    call_command("demo", verbosity=0)
    assert (AssessmentCampaign.objects.count(), AssessmentResponse.objects.count()) == (18, 89)
    assert AuditEntry.objects.count() == audited
