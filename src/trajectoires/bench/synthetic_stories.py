"""The synthetic evaluation story of each territory, for `trajectoires bench`: two reporting periods
and two domains of change; six stories of change per period (one in four private, half of those
without the teller's consent; every third one told by a person of the map), each naming two actors
and an action; one selection round per period considering all six, the selected story verified and
its teller told back; the three systemic effects of each period, backed by two stories, two
outcomes and — for cooperation — the latest survey round; three indicators (tCO2e, €, and a unit
of their own) with a target and an actual value for both periods; and a completed diagnostic
sensible with five interviews, every other one with a person of the map.

Added on top of an existing synthetic alliance when it lacks it, so the national database does not
have to be made again. Plain INSERTs, like synthetic.py. Dates are counted back from `now`."""

import datetime
import random
from collections.abc import Callable

from django.urls import reverse

from trajectoires.cooperation.models import Actor, SurveyRound
from trajectoires.core.bulk import insert_rows
from trajectoires.core.visibility import Visibility
from trajectoires.evaluation.effects import EFFECT_GRID
from trajectoires.evaluation.models import (
    DIAGNOSTIC_SECTIONS,
    ChangeDomain,
    ChangeStory,
    ConsentScope,
    Diagnostic,
    DiagnosticStatus,
    EffectAssessment,
    EffectLevel,
    EvaluationReport,
    Indicator,
    IndicatorUnit,
    IndicatorValue,
    Interview,
    Outcome,
    ReportingPeriod,
    SelectionRound,
)
from trajectoires.evaluation.reports import report_pdf
from trajectoires.planning.models import Action
from trajectoires.referential.selectors import referential_items
from trajectoires.territories.models import Territory, TerritoryMembership

STORIES_PER_PERIOD = 6
INTERVIEWS = 5
VISIBILITIES = [Visibility.PRIVATE, Visibility.PARTNERS, Visibility.ALLIANCE, Visibility.PUBLIC]
# label, days before `now` it starts and ends
PERIODS = [("Semestre synthétique 1", 400, 220), ("Semestre synthétique 2", 219, 40)]
DOMAINS = ["Domaine synthétique A", "Domaine synthétique B"]
INDICATORS = [  # name, unit, custom unit
    ("Indicateur synthétique carbone", IndicatorUnit.TCO2E, ""),
    ("Indicateur synthétique budget", IndicatorUnit.EURO, ""),
    ("Indicateur synthétique repas", IndicatorUnit.CUSTOM, "repas"),
]
LEVELS = [level.value for level in EffectLevel]
TEXT = "Texte synthétique pour la mesure."
DAY = datetime.timedelta(days=1)


def has_stories(territories: list[int]) -> bool:
    return ReportingPeriod.objects.filter(territory_id__in=territories[:1]).exists()


def generate_stories(territories: list[int], rng: random.Random, now) -> None:
    today = now.date()
    admins = dict(
        TerritoryMembership.objects.filter(territory_id__in=territories, role="admin").values_list(
            "territory_id", "user_id"
        )
    )
    people = _by_territory(Actor.objects.filter(territory_id__in=territories, kind="person"))
    actions = _by_territory(Action.objects.filter(territory_id__in=territories))
    outcomes = _by_territory(Outcome.objects.filter(territory_id__in=territories))
    insert_rows(
        ReportingPeriod,
        ("territory_id", "label", "starts_on", "ends_on"),
        [
            (t, label, today - DAY * start, today - DAY * end)
            for t in territories
            for label, start, end in PERIODS
        ],
    )
    insert_rows(
        ChangeDomain,
        ("territory_id", "name", "description"),
        [(t, name, TEXT) for t in territories for name in DOMAINS],
    )
    periods = _by_territory(ReportingPeriod.objects.filter(territory_id__in=territories), "starts_on")
    domains = _by_territory(ChangeDomain.objects.filter(territory_id__in=territories))
    _stories(territories, periods, domains, people, admins, today, now)
    stories = _by_territory(ChangeStory.objects.filter(territory_id__in=territories))
    insert_rows(
        ChangeStory.actors.through,
        ("changestory_id", "actor_id"),
        [(s, a) for t in territories for n, s in enumerate(stories[t]) for a in _pick(people[t], n, 2)],
    )
    insert_rows(
        ChangeStory.actions.through,
        ("changestory_id", "action_id"),
        [
            (s, a)
            for t in territories
            for n, s in enumerate(stories[t])
            for a in _pick(actions.get(t, []), n, 1)
        ],
    )
    _rounds(territories, periods, stories, people, admins, today, now)
    _effects(territories, periods, stories, outcomes, admins, rng, now)
    _indicators(territories, periods, admins, rng, now)
    _diagnostics(territories, people, admins, today, now)


def _by_territory(queryset, order: str = "pk") -> dict[int, list[int]]:
    grouped: dict[int, list[int]] = {}
    for territory, pk in queryset.order_by(order, "pk").values_list("territory_id", "pk"):
        grouped.setdefault(territory, []).append(pk)
    return grouped


def _pick(records: list[int], n: int, count: int) -> list[int]:
    return [records[(n + k) % len(records)] for k in range(min(count, len(records)))]


def _of_period(stories: list[int], index: int) -> list[int]:
    return stories[index * STORIES_PER_PERIOD : (index + 1) * STORIES_PER_PERIOD]


def _story_period(n: int) -> int:
    return n // STORIES_PER_PERIOD


def _stories(territories, periods, domains, people, admins, today, now) -> None:
    rows = []
    for t in territories:
        for n in range(STORIES_PER_PERIOD * len(PERIODS)):
            visibility = VISIBILITIES[n % 4]
            teller = people[t][n % len(people[t])] if n % 3 == 0 and people.get(t) else None
            _label, start, _end = PERIODS[_story_period(n)]
            rows.append(
                (t, periods[t][_story_period(n)], domains[t][n % 2], f"Histoire synthétique {n:02d}",
                 "" if teller else "Témoin synthétique", teller, teller is None,
                 visibility != Visibility.PRIVATE or n % 8 == 0, "Collecteur synthétique",
                 today - DAY * (start - 10 - 25 * (n % STORIES_PER_PERIOD)), TEXT, TEXT, "", "", visibility,
                 admins.get(t), now, now)
            )  # fmt: skip
    insert_rows(
        ChangeStory,
        ("territory_id", "period_id", "domain_id", "title", "teller_name", "teller_id", "anonymous",
         "consent_given", "collector", "collected_on", "what_happened", "why_significant", "verification",
         "feedback", "visibility", "author_id", "created_at", "updated_at"),
        rows,
    )  # fmt: skip


def _rounds(territories, periods, stories, people, admins, today, now) -> None:
    """One round per period: all its stories considered, the first public one selected, verified and
    its teller told back."""
    selected = {}
    for t in territories:
        for p, period in enumerate(periods[t]):
            first = p * STORIES_PER_PERIOD
            told = stories[t][first : first + STORIES_PER_PERIOD]
            public = next(k for k in range(len(told)) if VISIBILITIES[(first + k) % 4] == Visibility.PUBLIC)
            selected[(t, period)] = (told, told[public])
    insert_rows(
        SelectionRound,
        ("territory_id", "period_id", "panel", "held_on", "selected_id", "reasons", "dissent", "visibility",
         "author_id", "created_at", "updated_at"),
        [(t, period, TEXT, today - DAY * (PERIODS[p][2] - 20), selected[(t, period)][1], TEXT,
          TEXT if p % 2 else "", Visibility.PUBLIC, admins.get(t), now, now)
         for t in territories for p, period in enumerate(periods[t])],
    )  # fmt: skip
    rounds = SelectionRound.objects.filter(territory_id__in=territories).values_list(
        "pk", "territory_id", "period_id"
    )
    insert_rows(
        SelectionRound.considered.through,
        ("selectionround_id", "changestory_id"),
        [(r, s) for r, t, period in rounds for s in selected[(t, period)][0]],
    )
    insert_rows(
        SelectionRound.panel_actors.through,
        ("selectionround_id", "actor_id"),
        [(r, a) for r, t, _period in rounds for a in _pick(people.get(t, []), r, 3)],
    )
    chosen = [story for _told, story in selected.values()]
    held = today - DAY * (PERIODS[-1][2] - 25)
    ChangeStory.objects.filter(pk__in=chosen).update(
        verified_on=held, verification=TEXT, feedback=TEXT, feedback_given_on=held
    )


def _effects(territories, periods, stories, outcomes, admins, rng, now) -> None:
    effects = {item.code: item.pk for item in referential_items(EFFECT_GRID)}
    latest_round = dict(
        SurveyRound.objects.filter(territory_id__in=territories)
        .order_by("held_on")
        .values_list("territory_id", "pk")
    )
    insert_rows(
        EffectAssessment,
        ("territory_id", "period_id", "effect_id", "level", "reasoning", "network_round_id", "visibility",
         "author_id", "created_at", "updated_at"),
        [(t, period, pk, LEVELS[rng.randrange(len(LEVELS))], TEXT,
          latest_round.get(t) if code == "cooperation" else None, Visibility.PUBLIC, admins.get(t), now, now)
         for t in territories for period in periods[t] for code, pk in effects.items()],
    )  # fmt: skip
    made = EffectAssessment.objects.filter(territory_id__in=territories).order_by("pk")
    rows = list(made.values_list("pk", "territory_id", "period_id"))
    period_index = {period: p for t in territories for p, period in enumerate(periods[t])}
    insert_rows(
        EffectAssessment.stories.through,
        ("effectassessment_id", "changestory_id"),
        [(a, s) for a, t, period in rows
         for s in _pick(_of_period(stories[t], period_index[period]), a, 2)],
    )  # fmt: skip
    insert_rows(
        EffectAssessment.outcomes.through,
        ("effectassessment_id", "outcome_id"),
        [(a, o) for a, t, _period in rows for o in _pick(outcomes.get(t, []), a, 2)],
    )


def _indicators(territories, periods, admins, rng, now) -> None:
    insert_rows(
        Indicator,
        ("territory_id", "name", "unit", "custom_unit", "description", "visibility", "author_id",
         "created_at", "updated_at"),
        [(t, name, unit, custom, TEXT, Visibility.PUBLIC, admins.get(t), now, now)
         for t in territories for name, unit, custom in INDICATORS],
    )  # fmt: skip
    made = Indicator.objects.filter(territory_id__in=territories).values_list("pk", "territory_id")
    insert_rows(
        IndicatorValue,
        ("indicator_id", "period_id", "target", "actual", "comment", "recorded_by_id"),
        [(i, period, 1000 + 100 * p, 900 + rng.randrange(300), TEXT, admins.get(t))
         for i, t in made for p, period in enumerate(periods[t])],
    )  # fmt: skip


def _diagnostics(territories, people, admins, today, now) -> None:
    sections = [name for name, _label in DIAGNOSTIC_SECTIONS]
    insert_rows(
        Diagnostic,
        ("territory_id", "title", "status", *sections, "completed_on", "visibility", "author_id",
         "created_at", "updated_at"),
        [(t, "Diagnostic synthétique", DiagnosticStatus.COMPLETED, *[TEXT] * len(sections), today - DAY * 500,
          Visibility.PRIVATE, admins.get(t), now, now)
         for t in territories],
    )  # fmt: skip
    made = list(Diagnostic.objects.filter(territory_id__in=territories).values_list("pk", "territory_id"))
    insert_rows(
        Diagnostic.note_readers.through,
        ("diagnostic_id", "user_id"),
        [(d, admins[t]) for d, t in made if t in admins],
    )
    insert_rows(
        Interview,
        ("diagnostic_id", "number", "interviewee_id", "profile", "interviewed_on", "interviewer",
         "consent_given", "consent_scope", "consent_recorded_on", "publishable", "notes", "recorded_by_id"),
        [(d, n, _pick(people.get(t, []), n, 1)[0] if n % 2 and people.get(t) else None,
          "" if n % 2 and people.get(t) else "Profil synthétique", today - DAY * (560 - 10 * n),
          "Enquêteur synthétique", True, ConsentScope.QUOTABLE if n == 1 else ConsentScope.TEAM_ONLY,
          today - DAY * (560 - 10 * n), n == 1, TEXT, admins.get(t))
         for d, t in made for n in range(1, INTERVIEWS + 1)],
    )  # fmt: skip


def evaluation_pages(territory: Territory) -> tuple[dict[str, str], dict[str, str]]:
    """What the bench measures of the evaluation: the evaluation page read by a visitor, and by the
    territory admin with the stories page and the diagnostic page."""
    diagnostic = Diagnostic.objects.filter(territory=territory).order_by("pk").first()
    evaluation = reverse("evaluation:index", kwargs={"slug": territory.slug})
    return (
        {"evaluation page, anonymous (latest period)": evaluation},
        {
            "evaluation page, territory admin (latest period)": evaluation,
            "stories of change, territory admin (12, 2 rounds)": reverse(
                "stories:index", kwargs={"slug": territory.slug}
            ),
            "diagnostic sensible, territory admin (5 interviews)": reverse(
                "diagnostics:detail", kwargs={"slug": territory.slug, "pk": diagnostic.pk}
            ),
        },
    )


def report_of_latest_period(territory: Territory) -> Callable[[], bytes]:
    """The call the bench times: the public PDF report of the latest period, made in process (not
    through the task queue), from an unsaved report so the bench database is left as it is."""
    period = ReportingPeriod.objects.filter(territory=territory).order_by("-starts_on").first()
    report = EvaluationReport(territory=territory, period=period, visibility=Visibility.PUBLIC, language="fr")
    return lambda: report_pdf(report)
