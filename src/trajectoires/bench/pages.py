"""What `trajectoires bench --measure` times, on the bench database."""

from django.test import Client, override_settings

from trajectoires.accounts.models import User
from trajectoires.cooperation.models import SurveyRound
from trajectoires.cooperation.tasks import compute_round_metrics
from trajectoires.evaluation.models import Outcome
from trajectoires.geo.selectors import area_search
from trajectoires.governance.models import Controversy, ControversyStage
from trajectoires.planning.models import Pilot
from trajectoires.steering.models import JournalEntry
from trajectoires.steering.selectors import JournalFilters, timeline
from trajectoires.steering.views import ITEMS_PER_PAGE
from trajectoires.territories.models import Territory

from .measure import Measure, time_call, time_page
from .synthetic_assessments import assessment_pages
from .synthetic_funding import funding_pages
from .synthetic_stories import evaluation_pages, report_of_latest_period
from .urls import FLOOR_PATH

SEARCHES = [
    "saint etienne", "Saint-Étienne", "paris", "marseille 1er", "lyon", "bordeaux", "ungersheim", "st jean",
    "sur mer", "les", "vandoeuvre", "l hay les roses", "grenoble alpes", "communaute de communes", "val",
    "42000", "13001", "75116", "2A004", "68343", "244200770", "200054781", "214202186", "59", "971",
    "arbignieu", "beaune", "la rochelle", "biovallee", "drome", "pays basque", "ile de", "mont", "ville",
    "zutkerque", "x", "ab", "nouvelle aquitaine", "bretagne", "corse",
]  # fmt: skip
JOURNAL_SEARCHES = [
    "chantiers participatifs", "écoles", "énergie solaire", "vélo", "concertation habitants", "cantine",
    "rénovation thermique des logements", "eau", "sous-préfecture financement", "fête des récoltes",
    "compost", "jardins partagés", "biodiversité haies", "aînés santé", "mobilités", "introuvable",
]  # fmt: skip
PUBLIC_PAGES = {
    "home page": "/",
    "territory list (page 1 of the alliance)": "/territoires/",
    "territory list (page 20)": "/territoires/?page=20",
    "area page: commune (Saint-Étienne)": "/annuaire/commune/42218/",
    "area page: EPCI across 2 départements": "/annuaire/epci/200006682/",
    "area page: département (Pas-de-Calais)": "/annuaire/departement/62/",
    "area page: région (Auvergne-Rhône-Alpes)": "/annuaire/region/84/",
    "référentiel": "/referentiel/",
    "API: areas search": "/api/v1/areas/?q=saint",
    "API: territories list": "/api/v1/territories/",
}


def measure_all(rounds: int) -> list[dict]:
    territory = Territory.objects.filter(slug__startswith="synthetique-").order_by("slug").first()
    admin = User.objects.filter(
        territory_memberships__territory=territory, territory_memberships__role="admin"
    ).first()
    entry = JournalEntry.objects.filter(territory=territory).order_by("-occurred_on").first()
    pilot = Pilot.objects.filter(territory=territory).order_by("pk").first()
    # The richest story: followed up, so it has parties, expertise, états, decision, follow-up.
    followed_up = Controversy.objects.filter(territory=territory, stage=ControversyStage.FOLLOWED_UP)
    controversy = followed_up.order_by("pk").first()
    outcome = Outcome.objects.filter(territory=territory).order_by("pk").first()
    anonymous, member, funder_member = Client(), Client(), Client()
    member.force_login(admin)
    funding = funding_pages(territory)
    funder_member.force_login(funding.funder_member)
    base = f"/territoires/{territory.slug}"
    public_assessments, signed_in_assessments = assessment_pages(territory)
    public_evaluation, signed_in_evaluation = evaluation_pages(territory)
    public = {
        **PUBLIC_PAGES,
        "territory page": f"{base}/",
        "journal timeline, anonymous (public entries)": f"{base}/journal/",
        "dashboard, anonymous": f"{base}/tableau-de-bord/",
        "controversy register, anonymous (public ones)": f"{base}/controverses/",
        **public_assessments,
        **public_evaluation,
        **funding.anonymous,
    }
    signed_in = {
        "journal timeline, territory admin (500 entries)": f"{base}/journal/",
        "journal timeline filtered (type, key action)": f"{base}/journal/?type=meeting&key_action=K5",
        "dashboard, territory admin": f"{base}/tableau-de-bord/",
        "actors, territory admin (100 actors)": f"{base}/acteurs/",
        "survey rounds, territory admin": f"{base}/cooperation/",
        "network page, territory admin (latest round)": f"{base}/cooperation/reseau/",
        "celebrations (timeline of celebrations), territory admin": f"{base}/journal/?type=celebration",
        "narratives, territory admin": f"{base}/recits/",
        "API: actors list": f"/api/v1/territories/{territory.slug}/actors/",
        "API: survey rounds": f"/api/v1/territories/{territory.slug}/rounds/",
        "journal entry, territory admin": f"/territoires/{territory.slug}/journal/{entry.pk}/",
        "team page, territory admin": f"/territoires/{territory.slug}/equipe/",
        "history of changes, territory admin": f"/territoires/{territory.slug}/historique/",
        "API: my memberships": "/api/v1/me/memberships",
        "planning documents, territory admin": f"{base}/documents/",
        "coherence matrix, territory admin (4 documents × 6)": f"{base}/coherence/",
        "trajectory, territory admin (40 actions)": f"{base}/trajectoire/",
        "pilot page, territory admin (5 iterations)": f"{base}/pilotes/{pilot.pk}/",
        "transferability sheets of the alliance (page 1)": "/fiches-de-transferabilite/",
        "API: coherence matrix": f"/api/v1/territories/{territory.slug}/coherence",
        "API: trajectory": f"/api/v1/territories/{territory.slug}/trajectory",
        "controversy register, territory admin (25)": f"{base}/controverses/",
        "controversy register filtered (stage)": f"{base}/controverses/?stage=deliberating",
        "controversy story, territory admin (followed up)": f"{base}/controverses/{controversy.pk}/",
        "team's capacity page, territory admin (12 trainings)": f"{base}/capacite/",
        "API: controversies list": f"/api/v1/territories/{territory.slug}/controversies/",
        "outcomes list, territory admin (20)": f"{base}/evaluation/resultats/",
        "outcome page, territory admin (2 substantiations)": f"{base}/evaluation/resultats/{outcome.pk}/",
        "API: outcomes list": f"/api/v1/territories/{territory.slug}/outcomes/",
        **signed_in_assessments,
        **signed_in_evaluation,
        **funding.territory_admin,
    }
    floor = Measure("floor: bare Django view")
    search = Measure("area search (selector)", target="p95 ≤ 50 ms")
    search_page = Measure("directory search (htmx fragment)")
    pages = {name: Measure(name) for name in {**public, **signed_in, **funding.as_funder}}
    journal_search = Measure("journal search page (French stems), territory admin")
    search_rows = Measure("journal search (selector: count and first page)", target="p95 ≤ 100 ms")
    latest_round = SurveyRound.objects.filter(territory=territory).order_by("-held_on").first()
    metrics_task = Measure("network metrics task (one round, 100 actors, 150 ties)")
    report_task = Measure("evaluation report PDF (latest period, WeasyPrint)")
    make_report = report_of_latest_period(territory)
    with override_settings(ROOT_URLCONF="trajectoires.bench.urls", ALLOWED_HOSTS=["testserver"], DEBUG=False):
        for round_number in range(rounds + 1):
            if round_number == 1:  # the first round only warms caches and connections up
                measures = (floor, search, search_page, journal_search, search_rows, metrics_task)
                for measure in (*measures, report_task, *pages.values()):
                    measure.times_ms.clear()
                    measure.queries.clear()
            time_page(floor, anonymous, FLOOR_PATH)
            for query in SEARCHES:
                time_call(search, lambda query=query: area_search(query))
                time_page(search_page, anonymous, f"/annuaire/?q={query}", HX_Request="true")
            for name, url in public.items():
                time_page(pages[name], anonymous, url)
            for name, url in signed_in.items():
                time_page(pages[name], member, url)
            for name, url in funding.as_funder.items():
                time_page(pages[name], funder_member, url)
            for query in JOURNAL_SEARCHES:
                time_page(journal_search, member, f"{base}/journal/?q={query}")
                time_call(search_rows, lambda query=query: _search_rows(admin, territory, query))
            time_call(metrics_task, lambda: compute_round_metrics.call(latest_round.pk))
            time_call(report_task, make_report)
    floor_ms = floor.median
    return (
        [floor.as_dict(), search.as_dict(), search_page.as_dict(floor_ms)]
        + [search_rows.as_dict(), journal_search.as_dict(floor_ms)]
        + [measure.as_dict(floor_ms) for measure in pages.values()]
        + [metrics_task.as_dict(), report_task.as_dict()]
    )


def _search_rows(viewer, territory, query: str) -> None:
    """What the search costs the database: the count and the first page of the timeline's rows."""
    rows = timeline(viewer, territory, JournalFilters(q=query))
    rows.count()
    list(rows[:ITEMS_PER_PAGE])
