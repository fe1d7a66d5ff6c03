"""The demo's evaluation. Outcomes: four or five in every demo territory, of different kinds, at
least one unintended and one negative, substantiated by other actors of the map after they were
observed, all but one public, each written and each view recorded through the audited services.
Then, in every demo territory, a validated diagnostic sensible and its interviews, stories of change
over two half-years with a selection round each, the systemic effects of both periods and three or
four indicators — checked for all territories in one test, Ungersheim in detail, since every test
here loads the demo again."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from trajectoires.core.models import AuditEntry
from trajectoires.evaluation.diagnostics import (
    can_read_notes,
    diagnostic_export,
    diagnostic_interviews,
    readable_diagnostics,
)
from trajectoires.evaluation.effects import period_effects, readable_indicators
from trajectoires.evaluation.evaluation_story import evaluation_story
from trajectoires.evaluation.models import (
    ChangeStory,
    Diagnostic,
    EffectAssessment,
    EvaluationReport,
    Indicator,
    IndicatorValue,
    Interview,
    Outcome,
    ReportingPeriod,
    SelectionRound,
    Substantiation,
)
from trajectoires.evaluation.outcomes import outcome_list
from trajectoires.evaluation.selection_rounds import round_stories
from trajectoires.evaluation.stories import teller_label
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


def _evaluation_counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (
            Diagnostic,
            Interview,
            ReportingPeriod,
            ChangeStory,
            SelectionRound,
            EffectAssessment,
            Indicator,
            IndicatorValue,
            EvaluationReport,
        )
    )


def test_loading_the_demo_again_adds_nothing(demo):
    audited = AuditEntry.objects.count()
    call_command("demo", verbosity=0)
    assert (Outcome.objects.count(), Substantiation.objects.count()) == (28, 65)
    assert _evaluation_counts() == (6, 30, 12, 53, 12, 36, 21, 42, 1)
    assert AuditEntry.objects.count() == audited


# Diagnostic sensible, stories of change, systemic effects, indicators ---------------------------

STATE = "Services de l'État dans le Haut-Rhin (démonstration)"
FOUNDATION = "Fondation Territoires vivants (démonstration)"
FIELD = "Je m'installe sur les terres rendues à l'agriculture"
CANTEEN = "Cuisiner les légumes du producteur d'à côté"
FILM = "Filmer mon quartier m'a fait voir mes voisins"
FARMER = "J'ai parlé photovoltaïque avec la coopérative"
# territory: interviews, funders it is shared with, stories of each period, the story selected in
# each period's round, the round with a dissent, effect levels (cooperation, posture, resilience)
# of each period, indicators
# Interviews that may be quoted, per territory's demo diagnostic.
QUOTABLE = {
    "Ungersheim": 2, "Biovallée": 2, "Grande-Synthe": 1, "Communauté de communes du Thouarsais": 1,
    "Agglomération de La Rochelle": 1, "Grenoble-Alpes-Métropole": 1,
}  # fmt: skip
EVALUATION = {
    "Ungersheim": (
        5, [STATE], (4, 5), ("Ce que j'ai dit à l'atelier est dans la délibération", FIELD), 1,
        (("emerging", "emerging", "emerging"), ("growing", "growing", "growing")), 4,
    ),
    "Grande-Synthe": (
        4, [], (4, 4), (FILM, CANTEEN), 0,
        (("emerging", "emerging", "unchanged"), ("growing", "unchanged", "emerging")), 3,
    ),
    "Communauté de communes du Thouarsais": (
        5, [], (3, 5), (FARMER, "Sociétaire pour la première fois"), 1,
        (("emerging", "unchanged", "emerging"), ("growing", "emerging", "growing")), 3,
    ),
    "Agglomération de La Rochelle": (
        6, [], (4, 5), (FARMER, "Relever mon compteur chaque semaine"), 0,
        (("growing", "emerging", "unchanged"), ("transforming", "growing", "emerging")), 4,
    ),
    "Grenoble-Alpes-Métropole": (
        5, [], (4, 5), (FILM, CANTEEN), 1,
        (("emerging", "emerging", "unchanged"), ("growing", "receding", "emerging")), 3,
    ),
    "Biovallée": (
        5, [FOUNDATION], (5, 5), ("L'épicerie qui vient jusqu'au hameau", FIELD), 0,
        (("growing", "emerging", "emerging"), ("growing", "growing", "growing")), 4,
    ),
}  # fmt: skip
DISSENT = "Un membre du comité aurait retenu une autre histoire ; son avis est consigné dans le compte rendu."
SELECTED_VERIFIED_AFTER, FEEDBACK_AFTER, ROUND_AFTER, ASSESSED_AFTER = 7, 14, 21, 30


def _half_years() -> list[str]:
    """The labels of the last two half-years that ended sixty days ago or more, oldest first."""
    ready = timezone.localdate() - datetime.timedelta(days=60)
    ends = [
        datetime.date(year, month, day)
        for year in (ready.year - 1, ready.year)
        for month, day in ((6, 30), (12, 31))
    ]
    return [
        f"{'Premier' if end.month == 6 else 'Second'} semestre {end.year}"
        for end in [end for end in ends if end <= ready][-2:]
    ]


def test_each_demo_territory_evaluates_itself_with_a_diagnostic_stories_effects_and_indicators(demo):
    today, visitor = timezone.localdate(), AnonymousUser()
    for territory in Territory.objects.all():
        interviews, shared, stories, selected, dissent, levels, indicators = EVALUATION[territory.name]
        admin = territory.memberships.get(role="admin").user
        diagnostic = territory.diagnostics.get()
        assert (diagnostic.status, diagnostic.visibility, diagnostic.interviews.count()) == (
            "validated", "private", interviews
        ), territory.name  # fmt: skip
        assert [share.funder.name for share in diagnostic.shares.all()] == shared
        # Consent is recorded for every interview; those with a consent to be quoted may be.
        assert all(
            i.consent_given and i.consent_recorded_on == i.interviewed_on for i in diagnostic.interviews.all()
        )
        assert diagnostic.interviews.filter(publishable=True).count() == QUOTABLE[territory.name]
        # Exports name the people met by their interview: the sections and notes never use their words.
        exported = diagnostic_export(admin, diagnostic)
        assert [section["text"] for section in exported["sections"]] == [
            getattr(diagnostic, section["code"]) for section in exported["sections"]
        ]
        assert [row["notes"] for row in exported["interviews"]] == [
            i.notes for i in diagnostic.interviews.all()
        ]
        assert all(2 <= text.count(". ") + 1 <= 4 for text in (s["text"] for s in exported["sections"]))
        periods = list(territory.reporting_periods.order_by("starts_on"))
        assert [period.label for period in periods] == _half_years()
        assert [period.stories.count() for period in periods] == list(stories), territory.name
        rounds = [period.rounds.get() for period in periods]
        assert [selection.selected.title for selection in rounds] == list(selected), territory.name
        assert [bool(selection.dissent) for selection in rounds] == [i == dissent for i in range(2)]
        for period, selection in zip(periods, rounds, strict=True):
            assert set(selection.considered.all()) == set(period.stories.all())
            assert (selection.held_on - period.ends_on).days == ROUND_AFTER
            chosen = selection.selected
            assert (chosen.verified_on - selection.held_on).days == SELECTED_VERIFIED_AFTER
            assert (chosen.feedback_given_on - selection.held_on).days == FEEDBACK_AFTER
            assert chosen.feedback.endswith(DISSENT) == bool(selection.dissent)
            assert chosen.feedback_given_on < today
        # Public with the teller's consent; one story a period kept private without it.
        for period in periods:
            assert list(
                period.stories.filter(visibility="private").values_list("consent_given", flat=True)
            ) == [False]
            assert not period.stories.filter(consent_given=False).exclude(visibility="private").exists()
        assert [
            tuple(row.assessment.level for row in period_effects(admin, territory, period))
            for period in periods
        ] == list(levels), territory.name
        assert territory.indicators.count() == indicators
        assert IndicatorValue.objects.filter(indicator__territory=territory).count() == 2 * indicators
        # The evaluation of the latest period, as a visitor reads it, opens with its selected story.
        story = evaluation_story(None, territory, periods[-1])
        assert story.selected[0].story == rounds[-1].selected
        assert len(story.selected) == 1 and len(story.other_stories) == stories[1] - 2
        assert [row.indicator.name for row in story.indicators] == [
            i.name for i in readable_indicators(visitor, territory)
        ]

    # Every record was written through the audited services, then dated back to its business dates.
    actions = dict(
        AuditEntry.objects.filter(
            action__regex=r"^(diagnostic|interview|change_|reporting_period|selection_round|effect_|indicator|evaluation_report)"
        )
        .values_list("action")
        .annotate(n=Count("id"))
    )
    assert actions == {
        "diagnostic.create": 6, "diagnostic.move": 18, "diagnostic.readers": 6, "diagnostic.share": 2,
        "interview.create": 30, "interview.erase": 1,
        "change_domain.create": 12, "reporting_period.create": 12, "change_story.create": 53,
        "selection_round.create": 12, "change_story.verify": 12, "change_story.feedback": 12,
        "effect_assessment.create": 36, "indicator.create": 21, "indicator_value.save": 42,
        "evaluation_report.request": 1,
    }  # fmt: skip
    today = timezone.localdate()
    written = AuditEntry.objects.filter(action__in=list(actions)).values_list("at", flat=True)
    assert {timezone.localdate(at) for at in written} == {today}
    # The records carry their business dates.
    for story in ChangeStory.objects.select_related("period"):
        assert timezone.localdate(story.created_at) == story.collected_on
        assert story.period.starts_on <= story.collected_on <= story.period.ends_on
    for selection in SelectionRound.objects.all():
        assert timezone.localdate(selection.created_at) == selection.held_on
    for assessment in EffectAssessment.objects.select_related("period"):
        assert timezone.localdate(assessment.created_at) == assessment.period.ends_on + datetime.timedelta(
            days=ASSESSED_AFTER
        )
    assert {(today - timezone.localdate(d.created_at)).days for d in Diagnostic.objects.all()} == {800}


def test_ungersheim_s_evaluation_reads_as_its_team_wrote_it(demo):
    today, visitor = timezone.localdate(), AnonymousUser()
    ungersheim = Territory.objects.get(name="Ungersheim")
    admin, editor, viewer = (
        ungersheim.memberships.get(role=role).user for role in ("admin", "editor", "viewer")
    )
    diagnostic = ungersheim.diagnostics.get()
    assert (
        diagnostic.title,
        (today - diagnostic.completed_on).days,
        (today - diagnostic.validated_on).days,
        diagnostic.validated_by,
        timezone.localdate(diagnostic.created_at),
    ) == ("Diagnostic sensible d'Ungersheim", 720, 705, admin, today - datetime.timedelta(days=800))
    assert diagnostic.context_history.startswith("Le village s'est construit autour du carreau de la mine")
    assert set(diagnostic.note_readers.all()) == {admin, editor}
    assert [can_read_notes(user, diagnostic) for user in (admin, editor, viewer)] == [True, True, False]
    rows = [
        (view.label, view.who, view.interview.interviewer, view.interview.consent_scope,
         view.interview.publishable, view.interview.recorded_by.email,
         (today - view.interview.interviewed_on).days)
        for view in diagnostic_interviews(editor, diagnostic)
    ]  # fmt: skip
    assert rows == [
        ("Entretien n° 1", "L'exécutif (démonstration)", "Jeanne Keller", "quotable", True,
         "admin@ungersheim.demo", 800),
        ("Entretien n° 2", "Habitante de la cité minière, retraitée", "Lucas Meyer", "quotable", True,
         "editeur@ungersheim.demo", 788),
        ("Entretien n° 3", "L'agricultrice élue consulaire (démonstration)", "Jeanne Keller", "team_only",
         False, "admin@ungersheim.demo", 776),
        ("Entretien n° 4", "", "Lucas Meyer", "team_only", False, "editeur@ungersheim.demo", 764),
        ("Entretien n° 5", "Agent des espaces verts, dix ans d'ancienneté", "Jeanne Keller", "team_only",
         False, "admin@ungersheim.demo", 752),
    ]  # fmt: skip
    erased = diagnostic.interviews.get(number=4)
    assert (erased.profile, erased.notes, (today - erased.erased_on).days) == ("", "", 150)
    assert [(share.funder.name, (today - share.shared_on).days) for share in diagnostic.shares.all()] == [
        (STATE, 700)
    ]
    # The funder's officer reads the diagnostic, each interview by its number only; a visitor not at all.
    officer = get_user_model().objects.get(email="charge@etat-haut-rhin.demo")
    assert list(readable_diagnostics(officer, ungersheim)) == [diagnostic]
    assert [(view.label, view.who, view.notes) for view in diagnostic_interviews(officer, diagnostic)][
        :2
    ] == [
        ("Entretien n° 1", "", None),
        ("Entretien n° 2", "", None),
    ]
    assert list(readable_diagnostics(visitor, ungersheim)) == []

    earlier, latest = ungersheim.reporting_periods.order_by("starts_on")
    told = [
        (story.title, teller_label(visitor, story), teller_label(admin, story), story.visibility)
        for story in ChangeStory.objects.filter(territory=ungersheim).order_by("collected_on")
    ]
    assert told == [
        ("Ce que j'ai dit à l'atelier est dans la délibération",
         "La présidente de l'association (démonstration)", "La présidente de l'association (démonstration)",
         "public"),
        ("Le composteur a fait se parler l'immeuble", "Personne anonyme",
         "Une habitante du quartier, bénévole au composteur", "public"),
        ("L'épicerie qui vient jusqu'au hameau", "Personne anonyme", "Un retraité d'un hameau isolé",
         "public"),
        ("Porter la transition en plus de tout le reste", "Personne anonyme",
         "Un agent des services, douze ans d'ancienneté", "private"),
        ("On a dit aux habitants que le chantier prenait du retard",
         "Le responsable technique (démonstration)", "Le responsable technique (démonstration)", "public"),
        ("Sociétaire pour la première fois", "Personne anonyme", "Une enseignante retraitée", "public"),
        ("Ma fille va à l'école à pied", "Personne anonyme", "Une mère de famille, parent d'élève", "public"),
        (FIELD, "Personne anonyme", "Un jeune agriculteur, vingt-six ans", "public"),
        ("Les voitures se garent maintenant devant chez moi", "Personne anonyme",
         "Un riverain d'une rue voisine de l'école", "private"),
    ]  # fmt: skip
    assert [story.domain.name for story in latest.stories.order_by("collected_on")] == [
        "Coopération entre acteurs", "Vie quotidienne des habitants", "Vie quotidienne des habitants",
        "Vie quotidienne des habitants", "Vie quotidienne des habitants",
    ]  # fmt: skip
    selection = latest.rounds.get()
    selected, others = round_stories(visitor, selection)
    assert (selected.title, [story.title for story in others], selection.panel_actors.count()) == (
        FIELD,
        ["Ma fille va à l'école à pied", "On a dit aux habitants que le chantier prenait du retard",
         "Sociétaire pour la première fois"],
        5,
    )  # fmt: skip
    assert selection.reasons.startswith("Le comité a retenu ce récit parce qu'il rend visible une décision")
    assert selection.dissent.startswith("La présidente de l'association aurait préféré l'histoire de la rue")
    assert selected.verification == (
        "Bail consulté avec la chambre d'agriculture ; visite des parcelles par l'élue à la transition."
    )
    assert "sur les prairies au sud du village" in selected.what_happened

    effects = [
        (row.effect.code, row.assessment.level, [story.title for story in row.stories],
         [o.who for o in row.outcomes], row.network_round.title if row.network_round else None)
        for row in period_effects(visitor, ungersheim, latest)
    ]  # fmt: skip
    assert effects == [
        ("cooperation", "growing", ["Sociétaire pour la première fois"], ["Chambre d'agriculture d'Alsace"],
         "Enquête coopération 2026"),
        ("posture", "growing", [FIELD, "On a dit aux habitants que le chantier prenait du retard"],
         ["Conseil municipal d'Ungersheim"], None),
        ("resilience", "growing", [FIELD, "Ma fille va à l'école à pied", "Sociétaire pour la première fois"],
         ["Les familles de l'école de la rue scolaire", "La coopérative citoyenne d'énergie"], None),
    ]  # fmt: skip
    assert [row.network_round.title for row in period_effects(visitor, ungersheim, earlier)[:1]] == [
        "Enquête coopération 2024"
    ]
    # The private story backs an effect for the team only.
    posture = period_effects(admin, ungersheim, latest)[1]
    assert "Les voitures se garent maintenant devant chez moi" in [story.title for story in posture.stories]

    indicators = [
        (indicator.name, indicator.unit_label,
         [(v.period.label, str(v.target), str(v.actual)) for v in indicator.values.all()])
        for indicator in readable_indicators(visitor, ungersheim)
    ]  # fmt: skip
    assert indicators == [
        ("Part de produits locaux à la cantine", "%",
         [(earlier.label, "35.00", "31.00"), (latest.label, "45.00", "42.00")]),
        ("Repas bio servis à la cantine", "repas",
         [(earlier.label, "9000.00", "8650.00"), (latest.label, "10000.00", "10420.00")]),
        ("Économies sur les factures d'énergie de la commune", "€",
         [(earlier.label, "25000.00", "21400.00"), (latest.label, "30000.00", "31800.00")]),
        ("Émissions évitées par la chaufferie bois et le solaire", "tCO2e",
         [(earlier.label, "180.00", "165.00"), (latest.label, "200.00", "212.00")]),
    ]  # fmt: skip

    story = evaluation_story(None, ungersheim, latest)
    assert [(item.story.title, item.teller, item.rounds) for item in story.selected] == [
        (FIELD, "Personne anonyme", [selection])
    ]
    assert [other.title for other in story.other_stories] == [
        "Ma fille va à l'école à pied",
        "On a dit aux habitants que le chantier prenait du retard",
        "Sociétaire pour la première fois",
    ]
    # The public report of the latest period, generated once the demo was committed.
    report = EvaluationReport.objects.get()
    assert (report.territory, report.period, report.visibility, report.status) == (
        ungersheim, latest, "public", "ready"
    )  # fmt: skip
    with report.file.open("rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
