"""Decisions and the participation level each reached (K4; stop S2): the rules of a decision, its
page, and the distribution of levels over time with the share decided top-down."""

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import formats, timezone

from tests.governance.test_spaces import an_actor, level, make_space
from tests.pages import page_text
from tests.trust.world import build_world, client_as
from trajectoires.core.models import AuditEntry
from trajectoires.governance.decisions import (
    decision_create,
    decision_delete,
    decision_update,
    level_distribution,
    participation_summary,
)
from trajectoires.governance.models import Decision
from trajectoires.governance.participation_forms import DecisionForm
from trajectoires.referential.models import ReferentialVersion
from trajectoires.referential.selectors import referential_item

pytestmark = pytest.mark.django_db
BASE = "/territoires/ungersheim/participation/decisions/"
TODAY = timezone.localdate()


@pytest.fixture
def world():
    return build_world()


def decide(world, title="Plan vélo", code="co_construct", visibility="public", author="admin", **values):
    return decision_create(
        actor=world.people[author],
        territory=values.pop("territory", world.territory),
        title=title,
        decided_on=values.pop("decided_on", datetime.date(2026, 1, 15)),
        participation_level=level(code),
        visibility=visibility,
        **values,
    )


def date(value):
    return formats.date_format(value, "DATE_FORMAT")


# Statistics on known data ------------------------------------------------------------------------


def test_level_distribution_counts_each_year_and_both_ends_of_the_ladder():
    distribution = level_distribution(
        [
            (2022, "inform", 3),
            (2022, "consult", 1),
            (2024, "concert", 2),
            (2024, "co_construct", 1),
            (2024, "co_decide", 1),
            (2024, "inform", 1),
            (2022, "inform", 1),
        ]
    )
    assert distribution.levels == ("inform", "consult", "concert", "co_construct", "co_decide")
    assert [row.year for row in distribution.years] == [2022, 2023, 2024]
    first, empty, last = distribution.years
    assert first.counts == {"inform": 4, "consult": 1, "concert": 0, "co_construct": 0, "co_decide": 0}
    assert (first.total, first.top_down, first.shared) == (5, 5, 0)
    assert (first.top_down_share, first.shared_share) == (1.0, 0.0)
    assert (empty.total, empty.top_down_share, empty.shared_share) == (0, None, None)
    assert last.counts == {"inform": 1, "consult": 0, "concert": 2, "co_construct": 1, "co_decide": 1}
    assert (last.total, last.top_down_share, last.shared_share) == (5, 0.2, 0.4)
    overall = distribution.overall
    assert overall.counts == {"inform": 5, "consult": 1, "concert": 2, "co_construct": 1, "co_decide": 1}
    assert (overall.total, overall.top_down, overall.shared) == (10, 6, 2)
    assert (overall.top_down_share, overall.shared_share) == (0.6, 0.2)


def test_level_distribution_of_nothing_and_of_an_unknown_level():
    nothing = level_distribution([])
    assert (nothing.years, nothing.overall.total, nothing.overall.shared_share) == ([], 0, None)
    with pytest.raises(ValueError, match="'vote' is not a level of the ladder"):
        level_distribution([(2024, "vote", 1)])


def test_participation_summary_counts_what_the_viewer_reads_in_constant_queries(world):
    decide(world, "A", "inform")
    decide(world, "B", "co_decide")
    decide(world, "C", "co_construct", visibility="private")

    def summary(viewer):
        with CaptureQueriesContext(connection) as queries:
            result = participation_summary(viewer, world.territory)
        return result, len(queries)

    public, queries = summary(None)
    assert [(item.code, n) for item, n in public.levels] == [
        ("inform", 1), ("consult", 0), ("concert", 0), ("co_construct", 0), ("co_decide", 1)
    ]  # fmt: skip
    assert (public.total, public.shared, public.shared_share) == (2, 1, 0.5)
    team, _ = summary(world.people["viewer"])
    assert (team.total, team.shared, team.shared_share) == (3, 2, 2 / 3)
    for index in range(20):
        decide(world, f"D{index}", "consult")
    grown, more_queries = summary(None)
    assert grown.total == 22 and more_queries == queries == 3


# Writes and rules ------------------------------------------------------------------------------------


def test_an_editor_records_a_decision_through_the_page(client, world):
    space = make_space(world, name="Conseil des mobilités")
    client_as(client, world, "editor")
    form = client.get(f"{BASE}nouvelle/", {"espace": space.pk}).content.decode()
    assert f'<option value="{space.pk}" selected>Conseil des mobilités</option>' in form
    response = client.post(
        f"{BASE}nouvelle/",
        {
            "title": "Plan <b>vélo</b>",
            "decided_on": "2026-01-15",
            "participation_level": "co_construct",
            "space": space.pk,
            "co_construction_started_on": "2025-03-10",
            "description": "Trois ateliers, puis un vote du conseil.",
            "visibility": "public",
        },
        follow=True,
    )
    decision = Decision.objects.get()
    assert response.redirect_chain == [(f"{BASE}{decision.pk}/", 302)]
    body = page_text(response)
    assert "La décision a été enregistrée." in body
    assert "Plan <b>vélo</b> Décidée le 15 janvier 2026 · Public" in body
    assert "Plan &lt;b&gt;vélo&lt;/b&gt;" in response.content.decode()
    assert (
        "Niveau de participation atteint Co-construire (niveau 4 sur 5) "
        "Espace de participation Conseil des mobilités "
        "Co-construction Commencée le 10 mars 2025, 10 mois avant la décision" in body
    )
    assert "Description Trois ateliers, puis un vote du conseil." in body
    audit = AuditEntry.objects.get(action="decision.create")
    assert audit.changes == {
        "title": [None, "Plan <b>vélo</b>"],
        "description": [None, "Trois ateliers, puis un vote du conseil."],
        "decided_on": [None, "2026-01-15"],
        "co_construction_started_on": [None, "2025-03-10"],
        "visibility": [None, "public"],
        "participation_level": [None, "co_construct"],
        "space": [None, space.pk],
    }


def test_bad_input_is_named_and_nothing_written(world):
    space_elsewhere = make_space(world, name="Ailleurs")
    space_elsewhere.territory = world.elsewhere
    space_elsewhere.save()
    need = referential_item("essential_need", "water")
    tomorrow = TODAY + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        decision_create(
            actor=world.people["editor"],
            territory=world.territory,
            title="",
            decided_on=TODAY,
            participation_level=need,
            space=space_elsewhere,
            co_construction_started_on=tomorrow,
        )
    assert refused.value.message_dict == {
        "title": ["Ce champ ne peut pas être vide."],
        "participation_level": ["Choisissez un niveau de l’échelle de participation."],
        "space": ["Choisissez un espace de participation de ce territoire."],
        "co_construction_started_on": [
            "La co-construction ne peut pas commencer dans le futur.",
            f"La co-construction commence avant la décision : le {date(TODAY)} au plus tard.",
        ],
    }
    far = TODAY + datetime.timedelta(days=400)
    with pytest.raises(ValidationError) as refused:
        decide(world, decided_on=far, code="consult", co_construction_started_on=TODAY)
    latest = date(TODAY + datetime.timedelta(days=365))
    assert refused.value.message_dict == {
        "decided_on": [f"Une décision s’enregistre au plus un an à l’avance : le {latest} au plus tard."],
        "co_construction_started_on": [
            "Une décision au niveau « Consulter » n’a pas été co-construite : laissez cette date vide."
        ],
    }
    assert Decision.objects.count() == 0
    assert not AuditEntry.objects.filter(action__startswith="decision.").exists()


def test_bad_input_through_the_page_is_shown_next_to_the_field(client, world):
    client_as(client, world, "editor")
    response = client.post(
        f"{BASE}nouvelle/",
        {
            "title": "Plan vélo",
            "decided_on": "2026-01-15",
            "participation_level": "vote",
            "co_construction_started_on": "2026-02-01",
            "visibility": "public",
        },
    )
    body = page_text(response)
    assert "Niveau de participation atteint : Sélectionnez un choix valide." in body
    response = client.post(
        f"{BASE}nouvelle/",
        {
            "title": "Plan vélo",
            "decided_on": "2026-01-15",
            "participation_level": "co_decide",
            "co_construction_started_on": "2026-02-01",
            "visibility": "public",
        },
    )
    assert (
        "Début de la co-construction : Quand les gens ont commencé à la façonner ; vide si elle n’a pas "
        "été co-construite. La co-construction commence avant la décision : le 15 janvier 2026 au plus tard."
        in page_text(response)
    )
    assert Decision.objects.count() == 0


def test_rights_and_an_update_keeps_a_space_the_editor_cannot_read(client, world):
    with pytest.raises(PermissionDenied):
        decide(world, author="viewer")
    secret_space = make_space(world, name="Comité restreint", visibility="private")
    own = decide(world, "Cantine", "concert", author="contributor")
    decision_update(actor=world.people["admin"], decision=own, space=secret_space)
    client_as(client, world, "contributor")
    page = page_text(client.get(f"{BASE}{own.pk}/"))
    assert "Espace de participation Un espace que vous ne pouvez pas lire" in page
    form = client.get(f"{BASE}{own.pk}/modifier/").content.decode()
    assert 'name="space"' not in form
    response = client.post(
        f"{BASE}{own.pk}/modifier/",
        {
            "title": "Cantine locale",
            "decided_on": "2026-01-15",
            "participation_level": "concert",
            "visibility": "public",
        },
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.title, own.space_id) == ("Cantine locale", secret_space.pk)
    other = decide(world, "Budget", "inform", author="editor")
    assert client.get(f"{BASE}{other.pk}/modifier/").status_code == 404
    with pytest.raises(PermissionDenied):
        decision_delete(actor=world.people["contributor"], decision=other)
    decision_delete(actor=world.people["contributor"], decision=own)
    assert AuditEntry.objects.get(action="decision.delete").changes["title"] == ["Cantine locale", None]


def test_an_unchanged_edit_keeps_a_version_1_level_and_a_new_level_takes_version_2(client, world):
    """Version 2 of the référentiel is the current one: a decision written at a level of version 1
    keeps that row while its level is unchanged (decision 0009)."""
    consult_1 = referential_item(
        "participation_level", "consult", version=ReferentialVersion.objects.get(number=1)
    )
    decision = decision_create(
        actor=world.people["admin"],
        territory=world.territory,
        title="Budget participatif",
        decided_on=datetime.date(2026, 1, 15),
        participation_level=consult_1,
        visibility="public",
    )
    client_as(client, world, "editor")
    edit = f"{BASE}{decision.pk}/modifier/"
    form = client.get(edit).content.decode()
    assert 'value="consult" required id="id_participation_level_1" checked>' in form
    data = {"title": "Budget participatif 2026", "decided_on": "2026-01-15", "visibility": "public"}
    form = DecisionForm.for_decision(decision, data | {"participation_level": "consult"})
    assert form.is_valid() and form.cleaned_data["participation_level"] == consult_1
    assert client.post(edit, data | {"participation_level": "consult"}).status_code == 302
    decision.refresh_from_db()
    assert (decision.title, decision.participation_level_id) == ("Budget participatif 2026", consult_1.pk)
    assert AuditEntry.objects.get(action="decision.update").changes == {
        "title": ["Budget participatif", "Budget participatif 2026"]
    }
    # The service keeps it too when given the current version's row of the same level.
    decision_update(actor=world.people["admin"], decision=decision, participation_level=level("consult"))
    decision.refresh_from_db()
    assert decision.participation_level.version.number == 1
    assert client.post(edit, data | {"participation_level": "concert"}).status_code == 302
    decision.refresh_from_db()
    assert (decision.participation_level.code, decision.participation_level.version.number) == ("concert", 2)
    assert AuditEntry.objects.filter(action="decision.update").order_by("pk").last().changes == {
        "participation_level": ["consult", "concert"]
    }


# The decisions page ------------------------------------------------------------------------------


def test_the_decisions_page_shows_the_levels_over_time_and_the_top_down_share(client, world):
    council = make_space(world, name="Conseil des mobilités")
    hidden = make_space(world, name="Comité restreint", visibility="private")
    decide(world, "Voirie", "inform", decided_on=datetime.date(2024, 3, 1))
    decide(world, "Éclairage", "consult", decided_on=datetime.date(2024, 6, 1))
    decide(world, "Plan vélo", "co_construct", decided_on=datetime.date(2026, 1, 15), space=council)
    decide(world, "Budget participatif", "co_decide", decided_on=datetime.date(2026, 4, 2), space=hidden)
    decide(world, "Note interne", "inform", visibility="private", decided_on=datetime.date(2026, 5, 1))
    response = client.get(BASE)
    body = page_text(response)
    assert (
        "Sur les 4 décisions que vous pouvez lire : 50 % décidées d’en haut (informer, consulter), "
        "50 % co-construites ou co-décidées avec les gens." in body
    )
    assert (
        "Décisions par année et niveau de participation Année Informer Consulter Concerter Co-construire "
        "Co-décider Total D’en haut (informer, consulter) Avec les gens (co-construire, co-décider) "
        "2024 1 1 0 0 0 2 100 % 0 % "
        "2025 0 0 0 0 0 0 — — "
        "2026 0 0 0 1 1 2 0 % 100 % "
        "Toutes les années 1 1 0 1 1 4 50 % 50 %" in body
    )
    assert "Plan vélo · 15 janvier 2026 · Co-construire · Conseil des mobilités · Public" in body
    assert "Budget participatif · 2 avril 2026 · Co-décider · Public" in body
    assert "Comité restreint" not in body and "Note interne" not in body
    chart = json.loads(json.dumps(response.context["chart"]))
    assert chart["xAxis"]["data"] == ["2024", "2025", "2026"]
    assert [(serie["name"], serie["data"]) for serie in chart["series"]] == [
        ("Informer", [1, 0, 0]),
        ("Consulter", [1, 0, 0]),
        ("Concerter", [0, 0, 0]),
        ("Co-construire", [0, 0, 1]),
        ("Co-décider", [0, 0, 1]),
    ]
    assert 'data-chart="levels-chart"' in response.content.decode()
    assert '<script id="levels-chart" type="application/json">' in response.content.decode()
    # Filters: level, space, year.
    only_level = page_text(client.get(BASE, {"level": "co_construct"})).split("Afficher")[-1]
    assert "Plan vélo" in only_level and "Voirie" not in only_level
    only_space = page_text(client.get(BASE, {"space": council.pk})).split("Afficher")[-1]
    assert "Plan vélo" in only_space and "Voirie" not in only_space
    only_2024 = page_text(client.get(BASE, {"year": 2024})).split("Afficher")[-1]
    assert "Voirie" in only_2024 and "Éclairage" in only_2024 and "Plan vélo" not in only_2024
    # The team reads the private ones too.
    client_as(client, world, "viewer")
    assert "Sur les 5 décisions que vous pouvez lire : 60 % décidées d’en haut" in page_text(client.get(BASE))


def test_the_decisions_page_costs_the_same_queries_whatever_the_number_of_decisions(client, world):
    space = make_space(world)
    an_actor(world, "Maire", "elu")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(BASE).status_code == 200
        return len(queries)

    decide(world, "D", "inform", space=space)
    client_as(client, world, "viewer")
    one = count()
    for index in range(30):
        decide(
            world,
            f"D{index}",
            ["inform", "consult", "concert", "co_construct", "co_decide"][index % 5],
            decided_on=datetime.date(2020 + index % 6, 1, 1),
            space=space if index % 2 else None,
        )
        make_space(world, name=f"Atelier {index}")
    assert count() == one


def test_a_private_decision_answers_404_to_visitors(client, world):
    decision = decide(world, visibility="private")
    assert client.get(f"{BASE}{decision.pk}/").status_code == 404
    assert client.get(f"{BASE}{decision.pk + 100}/").status_code == 404
    client_as(client, world, "viewer")
    assert "Plan vélo" in page_text(client.get(f"{BASE}{decision.pk}/"))
