"""Stories of change in the API: domains and periods, stories with their teller named as the pages
name them, verification and feedback, selection rounds — the same rights and rules as the pages,
forbidden exactly like missing (before any check of the input), each refusal naming its field."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.api.test_controversies_api import NOT_FOUND, TOMORROW, auth, call, fields
from tests.evaluation.test_outcomes import an_action
from tests.evaluation.test_stories import TOLD, a_domain, a_period, a_story
from tests.evaluation.test_stories import a_round as a_service_round
from tests.governance.test_spaces import an_actor
from tests.trust.world import build_world
from trajectoires.core.models import AuditEntry
from trajectoires.evaluation.models import ChangeDomain, ChangeStory, ReportingPeriod, SelectionRound
from trajectoires.evaluation.stories import story_verify

pytestmark = pytest.mark.django_db
TERRITORY = "/api/v1/territories/ungersheim/"
DOMAINS = TERRITORY + "change-domains/"
PERIODS = TERRITORY + "reporting-periods/"
STORIES = TERRITORY + "stories/"
ROUNDS = TERRITORY + "selection-rounds/"
HELD = datetime.date(2026, 7, 3)
FUTURE_STORY = "Une histoire se recueille une fois racontée : la date ne peut pas être dans le futur."
FOREIGN_ACTIONS = "Choisissez des actions de la trajectoire de ce territoire."


@pytest.fixture
def world():
    return build_world()


def a_round(world, period, considered, selected, **values):
    values.setdefault("visibility", "public")
    values.setdefault("held_on", HELD)
    return a_service_round(world, period, considered, selected, **values)


def conflict(response):
    assert response.status_code == 409, response.content
    return response.json()["error"]["message"]


# Domains and periods -----------------------------------------------------------------------------


def test_the_domains_and_periods_are_framed_by_the_writers(client, world):
    created = call(
        client, "post", DOMAINS, {"name": "Vie quotidienne", "description": "Le quotidien."}, "editor", world
    )
    assert created.status_code == 201, created.content
    domain = ChangeDomain.objects.get()
    assert created.json() == {"id": domain.pk, "name": "Vie quotidienne", "description": "Le quotidien."}
    assert Client().get(DOMAINS).json() == [created.json()]
    assert fields(call(client, "post", DOMAINS, {"name": "VIE QUOTIDIENNE"}, "editor", world)) == {
        "name": ["Ce territoire a déjà un domaine de changement de ce nom."]
    }
    assert call(client, "post", DOMAINS, {"name": "Mobilité"}, "contributor", world).json() == NOT_FOUND
    changed = call(
        client, "patch", f"{DOMAINS}{domain.pk}", {"name": "Vie de tous les jours"}, "admin", world
    )
    assert changed.json() == {
        "id": domain.pk,
        "name": "Vie de tous les jours",
        "description": "Le quotidien.",
    }

    period = {"label": "Printemps 2026", "starts_on": "2026-06-30", "ends_on": "2026-03-01"}
    assert fields(call(client, "post", PERIODS, period, "editor", world)) == {
        "ends_on": ["Une période ne peut pas finir avant de commencer."]
    }
    created = call(
        client,
        "post",
        PERIODS,
        period | {"starts_on": "2026-03-01", "ends_on": "2026-06-30"},
        "editor",
        world,
    )
    assert created.status_code == 201
    spring = ReportingPeriod.objects.get()
    expected = {
        "id": spring.pk,
        "label": "Printemps 2026",
        "starts_on": "2026-03-01",
        "ends_on": "2026-06-30",
    }
    assert created.json() == expected
    autumn = a_period(
        world, "Automne 2025", starts_on=datetime.date(2025, 9, 1), ends_on=datetime.date(2025, 12, 31)
    )
    assert [row["label"] for row in Client().get(PERIODS).json()] == ["Printemps 2026", "Automne 2025"]
    refused = call(client, "patch", f"{PERIODS}{autumn.pk}", {"label": "printemps 2026"}, "editor", world)
    assert fields(refused) == {"label": ["Ce territoire a déjà une période de collecte de ce nom."]}

    a_story(world, spring, domain)
    assert conflict(call(client, "delete", f"{DOMAINS}{domain.pk}", world=world)) == (
        "Des histoires ou des tours appartiennent à ce domaine : il ne peut pas être supprimé."
    )
    assert conflict(call(client, "delete", f"{PERIODS}{spring.pk}", world=world)) == (
        "Des histoires ou des tours appartiennent à cette période : elle ne peut pas être supprimée."
    )
    assert (
        call(client, "delete", f"{PERIODS}{autumn.pk}", role="contributor", world=world).json() == NOT_FOUND
    )
    assert call(client, "delete", f"{PERIODS}{autumn.pk}", role="editor", world=world).status_code == 204
    assert list(ReportingPeriod.objects.values_list("label", flat=True)) == ["Printemps 2026"]
    assert list(
        AuditEntry.objects.filter(action__startswith="change_domain")
        .order_by("id")
        .values_list("action", flat=True)
    ) == [
        "change_domain.create",
        "change_domain.update",
    ]
    elsewhere = "/api/v1/territories/grande-synthe/change-domains/"
    assert call(client, "patch", f"{elsewhere}{domain.pk}", {"name": "X"}, world=world).json() == NOT_FOUND


# Stories -----------------------------------------------------------------------------------------


def payload(period, domain, **values):
    return {
        "period": period.pk,
        "domain": domain.pk,
        "title": "Le marché du jeudi",
        "teller_name": "Aline",
        "anonymous": True,
        "consent_given": True,
        "collector": "Léa",
        "collected_on": "2026-05-12",
        "what_happened": "Un marché de producteurs s’est installé place de la mairie.",
        "why_significant": "Je vends enfin mes légumes au village.",
        "visibility": "public",
    } | values


def test_a_story_is_collected_read_listed_changed_and_deleted(client, world):
    period, domain = a_period(world), a_domain(world)
    coop, hidden = (
        an_actor(world, "Coopérative agricole", "socio_economique"),
        an_actor(world, "Cabinet du préfet", "etat_territorial", visibility="private"),
    )
    market, secret = (
        an_action(world, "Marché local"),
        an_action(world, "Plan confidentiel", visibility="private"),
    )
    story = a_story(world, period, domain, "Autre", collected_on=TOLD)  # a story the round does not change
    sent = payload(period, domain, actors=[coop.pk], actions=[market.pk])
    response = call(client, "post", STORIES, sent, "contributor", world)
    assert response.status_code == 201, response.content
    created = ChangeStory.objects.get(title="Le marché du jeudi")
    expected = {
        "id": created.pk,
        "territory": "ungersheim",
        "period": period.pk,
        "domain": domain.pk,
        "title": "Le marché du jeudi",
        "teller": "Personne anonyme",
        "anonymous": True,
        "collected_on": "2026-05-12",
        "what_happened": "Un marché de producteurs s’est installé place de la mairie.",
        "why_significant": "Je vends enfin mes légumes au village.",
        "selected": False,
        "verified_on": None,
        "visibility": "public",
        "teller_actor": None,
        "consent_given": None,
        "collector": None,
        "actors": [{"id": coop.pk, "name": "Coopérative agricole", "category": "socio_economique"}],
        "actions": [market.pk],
        "verification": "",
        "feedback": "",
        "feedback_given_on": None,
        "rounds": [],
    }
    assert response.json() == expected
    assert (created.author, created.teller_name, created.collector) == (
        world.people["contributor"],
        "Aline",
        "Léa",
    )
    assert AuditEntry.objects.filter(action="change_story.create").count() == 2
    anonymous = Client()
    assert anonymous.get(f"{STORIES}{created.pk}").json() == expected
    summary = {key: expected[key] for key in list(expected)[:13]}
    listed = anonymous.get(STORIES).json()
    assert (listed["count"], listed["results"][0]) == (2, summary)
    # The team reads the anonymous teller's name, who collected the story and whether they consented.
    team = anonymous.get(f"{STORIES}{created.pk}", headers=auth(world, "viewer")).json()
    assert (team["teller"], team["collector"], team["consent_given"]) == ("Aline", "Léa", True)

    url = f"{STORIES}{created.pk}"
    assert call(client, "patch", url, {"title": "X"}, "viewer", world).json() == NOT_FOUND
    changed = call(
        client,
        "patch",
        url,
        {"title": "Le marché du jeudi soir", "actors": [hidden.pk], "actions": []},
        "editor",
        world,
    )
    assert changed.status_code == 200, changed.content
    assert (changed.json()["title"], changed.json()["actors"], changed.json()["actions"]) == (
        "Le marché du jeudi soir",
        [{"id": hidden.pk, "name": "Cabinet du préfet", "category": "etat_territorial"}],
        [],
    )
    assert anonymous.get(url).json()["actors"] == [
        {"id": hidden.pk, "name": None, "category": "etat_territorial"}
    ]
    assert AuditEntry.objects.get(action="change_story.update").changes == {
        "actions": [[market.pk], []],
        "actors": [[coop.pk], [hidden.pk]],
        "title": ["Le marché du jeudi", "Le marché du jeudi soir"],
    }
    secret_story = a_story(world, period, domain, "Secret", actions=[secret])
    assert anonymous.get(f"{STORIES}{secret_story.pk}").json()["actions"] == []
    assert call(client, "delete", f"{STORIES}{story.pk}", role="contributor", world=world).json() == NOT_FOUND
    assert call(client, "delete", url, role="contributor", world=world).status_code == 204
    assert set(ChangeStory.objects.values_list("title", flat=True)) == {"Autre", "Secret"}


def test_an_anonymous_teller_is_named_to_the_team_only(client, world):
    period, domain = a_period(world), a_domain(world)
    teller = an_actor(world, "Sonia Weber")
    anonymous = a_story(world, period, domain, "Anonyme", teller=teller, anonymous=True)
    named = a_story(world, period, domain, "Nommée", teller=teller, anonymous=False)
    for role in ("anonymous", "contributor", "partner_funder"):
        headers = auth(world, role)
        body = Client().get(f"{STORIES}{anonymous.pk}", headers=headers).json()
        assert (body["teller"], body["teller_actor"]) == ("Personne anonyme", None), role
        body = Client().get(f"{STORIES}{named.pk}", headers=headers).json()
        assert (body["teller"], body["teller_actor"]) == ("Sonia Weber", teller.pk), role
    body = Client().get(f"{STORIES}{anonymous.pk}", headers=auth(world, "viewer")).json()
    assert (body["teller"], body["teller_actor"]) == ("Sonia Weber", teller.pk)
    tellers = [row["teller"] for row in Client().get(STORIES).json()["results"]]
    assert sorted(tellers) == ["Personne anonyme", "Sonia Weber"]


def test_the_list_filters_by_period_and_domain(client, world):
    spring, daily = a_period(world), a_domain(world)
    autumn = a_period(
        world, "Automne 2025", starts_on=datetime.date(2025, 9, 1), ends_on=datetime.date(2025, 12, 31)
    )
    mobility = a_domain(world, "Mobilité")
    canteen = a_story(world, spring, daily)
    bus = a_story(world, spring, mobility, "Le bus du mardi", collected_on=datetime.date(2026, 4, 20))
    a_story(world, autumn, daily, "La fête des voisins", collected_on=datetime.date(2025, 10, 4))
    a_story(world, spring, daily, "Privée", visibility="private", consent_given=False)
    a_round(world, spring, [canteen, bus], canteen)

    def rows(role="anonymous", **query):
        response = Client().get(STORIES, query, headers=auth(world, role))
        return [(row["title"], row["selected"]) for row in response.json()["results"]]

    assert rows() == [
        ("Le bus du mardi", False),
        ("La cantine a changé nos menus", True),
        ("La fête des voisins", False),
    ]
    assert rows("viewer", period=spring.pk, domain=daily.pk) == [
        ("Privée", False),
        ("La cantine a changé nos menus", True),
    ]
    assert rows(period=autumn.pk) == [("La fête des voisins", False)]
    assert rows(domain=mobility.pk) == [("Le bus du mardi", False)]
    page = Client().get(STORIES, {"page_size": 1, "page": 2, "period": spring.pk}).json()
    assert (page["count"], page["pages"], [row["title"] for row in page["results"]]) == (
        2,
        2,
        ["La cantine a changé nos menus"],
    )
    assert page["previous"].endswith(f"?page_size=1&page=1&period={spring.pk}")
    assert list(fields(Client().get(STORIES, {"period": 0, "domain": "mobilité"}))) == ["period", "domain"]


def test_bad_input_names_the_fields_and_writes_nothing(client, world):
    period, domain = a_period(world), a_domain(world)
    foreign_period = ReportingPeriod.objects.create(
        territory=world.elsewhere, label="Ailleurs", starts_on=TOLD, ends_on=TOLD
    )
    foreign_actor = an_actor(world, "Mairie de Grande-Synthe", territory=world.elsewhere)
    foreign_action = an_action(world, "Plan vélo", territory=world.elsewhere)
    consent = (
        "Une histoire n’est racontée au-delà de l’équipe qu’avec le consentement "
        "de la personne qui la raconte."
    )
    cases = [
        ({"consent_given": False}, {"visibility": [consent]}),
        ({"collected_on": TOMORROW.isoformat()}, {
            "collected_on": [FUTURE_STORY]
        }),
        ({"anonymous": False, "teller_name": ""}, {
            "teller_name": ["Nommez la personne qui raconte, qui a choisi de ne pas rester anonyme."]
        }),
        ({"period": foreign_period.pk}, {"period": ["Choisissez une période de collecte de ce territoire."]}),
        ({"period": 999999}, {"period": ["Choisissez une période de collecte de ce territoire."]}),
        ({"domain": 999999}, {"domain": ["Choisissez un domaine de changement de ce territoire."]}),
        ({"teller": foreign_actor.pk}, {"teller": ["Choisissez un acteur de ce territoire."]}),
        ({"actors": [foreign_actor.pk]}, {"actors": ["Choisissez des acteurs de ce territoire."]}),
        ({"actions": [foreign_action.pk]}, {"actions": [FOREIGN_ACTIONS]}),
    ]  # fmt: skip
    for changes, expected in cases:
        assert fields(call(client, "post", STORIES, payload(period, domain) | changes, "editor", world)) == (
            expected
        ), changes
    response = call(
        client, "post", STORIES, payload(period, domain, visibility="everyone", author=1), "editor", world
    )
    assert set(fields(response)) == {"visibility", "author"}
    bad = payload(period, domain, collected_on=TOMORROW.isoformat())
    assert call(client, "post", STORIES, bad, "viewer", world).json() == NOT_FOUND  # the right comes first
    story = a_story(world, period, domain)
    refused = call(
        client, "patch", f"{STORIES}{story.pk}", {"visibility": "public", "consent_given": False}, world=world
    )
    assert fields(refused) == {"visibility": [consent]}
    assert ChangeStory.objects.get().consent_given is True
    assert list(
        AuditEntry.objects.filter(action__startswith="change_story").values_list("action", flat=True)
    ) == ["change_story.create"]


def test_the_writers_verify_a_story_and_record_the_feedback(client, world):
    story = a_story(world, a_period(world), a_domain(world))
    url = f"{STORIES}{story.pk}"
    check = {"verified_on": "2026-05-01", "verification": "Visite de la cantine."}
    assert call(client, "post", f"{url}/verification", check, "contributor", world).json() == NOT_FOUND
    assert fields(
        call(client, "post", f"{url}/verification", check | {"verified_on": "2026-01-01"}, "editor", world)
    ) == {"verified_on": ["La date ne peut pas précéder le recueil de l’histoire."]}
    verified = call(client, "post", f"{url}/verification", check, "editor", world)
    assert verified.status_code == 200
    assert (verified.json()["verified_on"], verified.json()["verification"]) == (
        "2026-05-01",
        "Visite de la cantine.",
    )
    back = {"feedback": "Votre histoire a été lue.", "feedback_given_on": TOMORROW.isoformat()}
    assert fields(call(client, "post", f"{url}/feedback", back, "admin", world)) == {
        "feedback_given_on": ["La date ne peut pas être dans le futur."]
    }
    given = call(
        client, "post", f"{url}/feedback", back | {"feedback_given_on": "2026-07-10"}, "admin", world
    )
    assert (given.json()["feedback"], given.json()["feedback_given_on"]) == (
        "Votre histoire a été lue.",
        "2026-07-10",
    )
    assert Client().get(url).json()["verified_on"] == "2026-05-01"
    assert list(
        AuditEntry.objects.filter(action__in=["change_story.verify", "change_story.feedback"])
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["change_story.verify", "change_story.feedback"]


# Selection rounds --------------------------------------------------------------------------------


def test_a_round_is_recorded_read_listed_changed_and_deleted(client, world):
    period, domain = a_period(world), a_domain(world)
    canteen = a_story(world, period, domain)
    bus = a_story(world, period, domain, "Le bus du mardi")
    private = a_story(world, period, domain, "Privée", visibility="private", consent_given=False)
    mayor = an_actor(world, "Mairie d’Ungersheim", "elu")
    sent = {
        "period": period.pk,
        "panel": "Maire, deux habitantes",
        "panel_actors": [mayor.pk],
        "held_on": "2026-07-03",
        "considered": [canteen.pk, bus.pk, private.pk],
        "selected": bus.pk,
        "reasons": "Elle relie le village et la ville.",
        "dissent": "Deux membres préféraient la cantine.",
        "visibility": "public",
    }
    assert fields(call(client, "post", ROUNDS, sent | {"selected": 999999}, "editor", world)) == {
        "selected": ["Dites quelle histoire le panel a choisie."]
    }
    assert call(client, "post", ROUNDS, sent, "contributor", world).json() == NOT_FOUND
    created = call(client, "post", ROUNDS, sent, "editor", world)
    assert created.status_code == 201, created.content
    selection = SelectionRound.objects.get()
    expected = {
        "id": selection.pk,
        "territory": "ungersheim",
        "period": period.pk,
        "domain": None,
        "held_on": "2026-07-03",
        "selected": {"id": bus.pk, "title": "Le bus du mardi", "domain": domain.pk},
        "reasons": "Elle relie le village et la ville.",
        "considered_count": 3,
        "visibility": "public",
        "panel": "Maire, deux habitantes",
        "panel_actors": [{"id": mayor.pk, "name": "Mairie d’Ungersheim", "category": "elu"}],
        "considered": [
            {"id": canteen.pk, "title": "La cantine a changé nos menus", "domain": domain.pk},
            {"id": bus.pk, "title": "Le bus du mardi", "domain": domain.pk},
            {"id": private.pk, "title": "Privée", "domain": domain.pk},
        ],
        "dissent": "Deux membres préféraient la cantine.",
    }
    assert created.json() == expected
    public = Client().get(f"{ROUNDS}{selection.pk}").json()
    assert public == expected | {"considered": expected["considered"][:2]}  # not the private story
    summary = {key: expected[key] for key in list(expected)[:9]}
    assert Client().get(ROUNDS).json()["results"] == [summary]
    story = Client().get(f"{STORIES}{bus.pk}").json()
    assert (story["selected"], story["rounds"]) == (True, [selection.pk])

    url = f"{ROUNDS}{selection.pk}"
    changed = call(client, "patch", url, {"selected": private.pk, "domain": domain.pk}, "admin", world)
    assert (changed.json()["selected"]["id"], changed.json()["domain"]) == (private.pk, domain.pk)
    assert Client().get(url).json()["selected"] is None  # the private story is the team's to read
    assert Client().get(ROUNDS).json()["results"][0]["selected"] is None
    assert AuditEntry.objects.get(action="selection_round.update").changes == {
        "domain": [None, domain.pk],
        "selected": [bus.pk, private.pk],
    }
    assert conflict(call(client, "delete", f"{STORIES}{private.pk}", world=world)) == (
        "Un panel a choisi cette histoire : supprimez d’abord le tour de sélection."
    )
    assert call(client, "delete", url, role="contributor", world=world).json() == NOT_FOUND
    assert call(client, "delete", url, role="editor", world=world).status_code == 204
    assert not SelectionRound.objects.exists() and ChangeStory.objects.count() == 3


def test_a_round_is_refused_on_its_rules_and_writes_nothing(client, world):
    period, domain = a_period(world), a_domain(world)
    autumn = a_period(
        world, "Automne 2025", starts_on=datetime.date(2025, 9, 1), ends_on=datetime.date(2025, 12, 31)
    )
    first, second = a_story(world, period, domain), a_story(world, period, domain, "Le bus du mardi")
    outside = a_story(world, period, domain, "Le jardin partagé")
    late = a_story(world, autumn, domain, "La fête des voisins", collected_on=datetime.date(2025, 10, 4))
    sent = {
        "period": period.pk,
        "panel": "Maire",
        "held_on": "2026-07-03",
        "considered": [first.pk, second.pk],
        "selected": outside.pk,
        "reasons": "Elle relie.",
    }
    assert fields(call(client, "post", ROUNDS, sent, "editor", world)) == {
        "selected": ["Le panel choisit une des histoires qu’il a examinées."]
    }
    assert fields(
        call(client, "post", ROUNDS, sent | {"considered": [first.pk, late.pk], "selected": first.pk,
                                             "held_on": "2026-02-01"}, "editor", world)
    ) == {
        "held_on": ["Un tour de sélection se tient après le début de sa période."],
        "considered": ["Choisissez des histoires de la période et du domaine de ce tour."],
    }  # fmt: skip
    assert fields(call(client, "post", ROUNDS, sent | {"considered": [999999]}, "editor", world)) == {
        "considered": ["Choisissez des histoires de la période et du domaine de ce tour."]
    }
    assert fields(call(client, "post", ROUNDS, sent | {"period": None}, "editor", world)) == {
        "period": ["Saisissez un nombre entier."]
    }
    selection = a_round(world, period, [first, second], first)
    assert fields(call(client, "patch", f"{ROUNDS}{selection.pk}", {"period": None}, "editor", world)) == {
        "period": ["Choisissez une période de collecte de ce territoire."]
    }
    assert fields(
        call(client, "patch", f"{ROUNDS}{selection.pk}", {"selected": outside.pk}, "editor", world)
    ) == {"selected": ["Le panel choisit une des histoires qu’il a examinées."]}
    assert SelectionRound.objects.get().selected == first
    assert list(
        AuditEntry.objects.filter(action__startswith="selection_round").values_list("action", flat=True)
    ) == ["selection_round.create"]


# Who reads what ----------------------------------------------------------------------------------


def test_a_forbidden_story_or_round_answers_exactly_like_a_missing_one(client, world):
    period, domain = a_period(world), a_domain(world)
    story = a_story(world, period, domain, visibility="private", consent_given=False)
    selection = a_round(world, period, [story], story, visibility="private")
    writes = [
        (STORIES, story.pk, "patch", "", {"title": "X"}),
        (STORIES, story.pk, "patch", "", {"collected_on": "2999-01-01"}),
        (STORIES, story.pk, "delete", "", None),
        (STORIES, story.pk, "post", "/verification", {"verified_on": "2026-05-01", "verification": "X"}),
        (STORIES, story.pk, "post", "/feedback", {"feedback": "X", "feedback_given_on": "2000-01-01"}),
        (ROUNDS, selection.pk, "patch", "", {"reasons": "X"}),
        (ROUNDS, selection.pk, "delete", "", None),
    ]
    for role in ("anonymous", "member_elsewhere", "contributor", "partner_funder"):
        headers = auth(world, role)
        for base, pk in ((STORIES, story.pk), (ROUNDS, selection.pk)):
            for number in (pk, pk + 1000):
                read = client.get(f"{base}{number}", headers=headers)
                assert (read.status_code, read.json()) == (404, NOT_FOUND), (role, base)
        for base, pk, method, suffix, body in writes:
            for number in (pk, pk + 1000):
                answer = getattr(client, method)(
                    f"{base}{number}{suffix}", body, content_type="application/json", headers=headers
                )
                if role == "anonymous":  # writes ask to sign in first, whatever the address
                    assert answer.status_code == 401, (method, suffix)
                else:
                    assert (answer.status_code, answer.json()) == (404, NOT_FOUND), (role, method, suffix)
    assert ChangeStory.objects.get().title == story.title
    assert SelectionRound.objects.get().reasons == selection.reasons


def test_reading_costs_the_same_queries_whatever_the_size(client, world):
    period, domain = a_period(world), a_domain(world)

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    teller = an_actor(world, "Sonia")
    story = a_story(
        world,
        period,
        domain,
        teller=teller,
        actors=[an_actor(world, "Coop")],
        actions=[an_action(world, "A")],
    )
    selection = a_round(world, period, [story], story)
    urls = [STORIES, f"{STORIES}{story.pk}", ROUNDS, f"{ROUNDS}{selection.pk}"]
    before = [count(url) for url in urls]
    for index in range(6):
        other = a_story(
            world,
            period,
            domain,
            f"Histoire {index}",
            teller=an_actor(world, f"Témoin {index}"),
            anonymous=index % 2 == 0,
        )
        story_verify(actor=world.people["admin"], story=other, verified_on=TOLD, verification="Vu.")
        story.actors.add(an_actor(world, f"Acteur {index}"))
        story.actions.add(an_action(world, f"Action {index}"))
        selection.considered.add(other)
        selection.panel_actors.add(an_actor(world, f"Membre {index}"))
        a_round(world, period, [story, other], other)
    assert [count(url) for url in urls] == before
