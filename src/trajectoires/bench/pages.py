"""What `trajectoires bench --measure` times, on the bench database."""

from django.test import Client, override_settings

from trajectoires.accounts.models import User
from trajectoires.geo.selectors import area_search
from trajectoires.steering.models import JournalEntry
from trajectoires.territories.models import Territory

from .measure import Measure, time_call, time_page
from .urls import FLOOR_PATH

SEARCHES = [
    "saint etienne", "Saint-Étienne", "paris", "marseille 1er", "lyon", "bordeaux", "ungersheim", "st jean",
    "sur mer", "les", "vandoeuvre", "l hay les roses", "grenoble alpes", "communaute de communes", "val",
    "42000", "13001", "75116", "2A004", "68343", "244200770", "200054781", "214202186", "59", "971",
    "arbignieu", "beaune", "la rochelle", "biovallee", "drome", "pays basque", "ile de", "mont", "ville",
    "zutkerque", "x", "ab", "nouvelle aquitaine", "bretagne", "corse",
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
    anonymous, member = Client(), Client()
    member.force_login(admin)
    public = {
        **PUBLIC_PAGES,
        "territory page": f"/territoires/{territory.slug}/",
        "journal, anonymous (public entries)": f"/territoires/{territory.slug}/journal/",
    }
    signed_in = {
        "journal, territory admin (500 entries)": f"/territoires/{territory.slug}/journal/",
        "journal entry, territory admin": f"/territoires/{territory.slug}/journal/{entry.pk}/",
        "team page, territory admin": f"/territoires/{territory.slug}/equipe/",
        "history of changes, territory admin": f"/territoires/{territory.slug}/historique/",
        "API: my memberships": "/api/v1/me/memberships",
    }
    floor = Measure("floor: bare Django view")
    search = Measure("area search (selector)", target="p95 ≤ 50 ms")
    search_page = Measure("directory search (htmx fragment)")
    pages = {name: Measure(name) for name in {**public, **signed_in}}
    with override_settings(ROOT_URLCONF="trajectoires.bench.urls", ALLOWED_HOSTS=["testserver"], DEBUG=False):
        for round_number in range(rounds + 1):
            if round_number == 1:  # the first round only warms caches and connections up
                for measure in (floor, search, search_page, *pages.values()):
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
    base = floor.median
    return [floor.as_dict(), search.as_dict(), search_page.as_dict(base)] + [
        measure.as_dict(base) for measure in pages.values()
    ]
