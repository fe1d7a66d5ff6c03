"""The territory dashboard: what each viewer reads on it, the per-audience counts, the network trend
read from stored metrics, and a number of queries that does not grow with the data."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.pages import page_text
from tests.trust.world import build_world, client_as
from trajectoires.cooperation.models import Actor, ActorKind, RoundMetrics, SurveyRound
from trajectoires.governance.models import Decision, Training
from trajectoires.planning.coherence import coherence_assess
from trajectoires.planning.models import Action, CoherenceAssessment, Pilot, PlanningDocument
from trajectoires.referential.models import Item, ReferentialVersion
from trajectoires.referential.selectors import referential_item, referential_items
from trajectoires.steering.models import Celebration, JournalEntry, Orientation
from trajectoires.steering.vision import OrientationInput, vision_save

pytestmark = pytest.mark.django_db


def need(code: str) -> Item:
    return referential_item("essential_need", code)


def category(code: str) -> Item:
    return referential_item("actor_category", code)


def url(territory) -> str:
    return reverse("dashboard:detail", args=[territory.slug])


def entry(territory, title, visibility, day=1):
    return JournalEntry.objects.create(
        territory=territory, title=title, occurred_on=datetime.date(2026, 3, day), visibility=visibility
    )


def round_with_metrics(territory, held_on, density, cross, ties, visibility="public"):
    survey = SurveyRound.objects.create(
        territory=territory, title=f"Enquête {held_on:%Y}", held_on=held_on, visibility=visibility
    )
    RoundMetrics.objects.create(
        round=survey,
        status=RoundMetrics.Status.READY,
        computed_at=timezone.now(),
        actor_count=8,
        tie_count=ties,
        density=density,
        cross_category_share=cross,
        fantastic_four_complete=ties > 10,
    )
    return survey


@pytest.fixture
def world():
    world = build_world()
    vision_save(
        actor=world.people["admin"],
        territory=world.territory,
        expected_version=0,
        horizon_year=timezone.localdate().year + 15,
        statement="Un village nourricier et sobre.",
        orientations=[
            OrientationInput("Se nourrir ici", [need("food"), need("water")]),
            OrientationInput("Produire l'énergie", [need("energy")]),
        ],
        reason="Conseil municipal",
        visibility="public",
    )
    entry(world.territory, "Plantation du verger", "public", 2)
    entry(world.territory, "Bilan interne du chantier", "private", 3)
    entry(world.territory, "Réunion avec les partenaires", "partners", 4)
    Celebration.objects.create(
        territory=world.territory,
        title="Première récolte de la cantine",
        achieved_on=datetime.date(2026, 6, 1),
        achievement="La cantine sert les légumes de la régie.",
        visibility="public",
    )
    Actor.objects.create(
        territory=world.territory, kind=ActorKind.PERSON, name="Marie Maire", category=category("elu")
    )
    Actor.objects.create(
        territory=world.territory,
        kind=ActorKind.ORGANISATION,
        name="DDT du Haut-Rhin",
        category=category("etat_territorial"),
        visibility="public",
    )
    round_with_metrics(world.territory, datetime.date(2024, 5, 1), 0.25, 0.4, 8)
    round_with_metrics(world.territory, datetime.date(2026, 5, 1), 0.5, 0.6, 14)
    return world


def test_the_team_reads_the_whole_territory_at_a_glance(client, world):
    text = page_text(client_as(client, world, "editor").get(url(world.territory)))
    assert "Tableau de bord de Ungersheim" in text
    assert "Horizon" in text and "Un village nourricier et sobre." in text
    assert "1. Se nourrir ici" not in text  # an ordered list, not typed numbers
    assert "Les orientations répondent à 3 des 11 besoins essentiels." in text
    assert "Laissés de côté : Se loger" in text
    assert "Dernière vague d’enquête : Enquête 2026" in text
    assert "Densité 0,50 (vague précédente : 0,25)" in text
    assert "Liens entre catégories 60 % (vague précédente : 40 %)" in text
    assert "« 4 Fantastiques » tous présents et liés" in text
    assert "Élu · l’un des « 4 Fantastiques » 1" in text
    assert "État territorial · l’un des « 4 Fantastiques » 1" in text
    for title in ("Plantation du verger", "Bilan interne du chantier", "Réunion avec les partenaires"):
        assert title in text
    assert "Première récolte de la cantine" in text
    # Records readable by each audience: visitors, alliance members, partners, team.
    assert "Entrées du journal 1 1 2 3" in text
    assert "Acteurs 1 1 1 2" in text
    assert "Vagues d’enquête 2 2 2 2" in text
    assert "Vision 1 1 1 1" in text


def test_records_holding_version_1_items_are_counted_by_code(client, world):
    """Version 2 is current; actors and orientations written with version 1 keep their rows and
    count in the current version's categories and needs, matched by code."""
    first = ReferentialVersion.objects.get(number=1)
    for actor in Actor.objects.filter(territory=world.territory):
        actor.category = referential_item("actor_category", actor.category.code, version=first)
        actor.save()
    for orientation in Orientation.objects.all():
        codes = [item.code for item in orientation.needs.all()]
        orientation.needs.set(referential_item("essential_need", code, version=first) for code in codes)
    assert {actor.category.version.number for actor in Actor.objects.all()} == {1}
    assert {item.version.number for o in Orientation.objects.all() for item in o.needs.all()} == {1}
    text = page_text(client_as(client, world, "editor").get(url(world.territory)))
    assert "Les orientations répondent à 3 des 11 besoins essentiels." in text
    assert "Besoin essentiel Orientations Eau 1 Alimentation 1 Se loger / abri 0" in text
    assert "Production locale 0 Énergie 1 Mobilité 0 Laissés de côté : Se loger / abri · Se soigner" in text
    assert (
        "Catégorie Acteurs Élu · l’un des « 4 Fantastiques » 1 "
        "Agent de la collectivité · l’un des « 4 Fantastiques » 0 "
        "État territorial · l’un des « 4 Fantastiques » 1 "
    ) in text


def test_a_visitor_reads_only_public_records_and_no_counts(client, world):
    text = page_text(client.get(url(world.territory)))
    assert "Plantation du verger" in text
    assert "Bilan interne du chantier" not in text
    assert "Réunion avec les partenaires" not in text
    assert "Ce que voit chaque public" not in text
    assert "Élu · l’un des « 4 Fantastiques » 0" in text  # the élu is private
    assert "Voir cette page comme un visiteur" not in text


def test_a_partner_reads_partners_records(client, world):
    text = page_text(client_as(client, world, "partner_funder").get(url(world.territory)))
    assert "Réunion avec les partenaires" in text
    assert "Bilan interne du chantier" not in text
    assert "Ce que voit chaque public" not in text


def test_the_team_previews_the_page_as_a_visitor(client, world):
    client = client_as(client, world, "admin")
    team_view = page_text(client.get(url(world.territory)))
    assert "Voir cette page comme un visiteur" in team_view
    preview = page_text(client.get(url(world.territory) + "?vue=public"))
    assert "Vous voyez cette page comme un visiteur : seuls les éléments publics apparaissent." in preview
    assert "Bilan interne du chantier" not in preview
    assert "Ce que voit chaque public" not in preview
    assert "Plantation du verger" in preview


def test_the_preview_parameter_gives_nothing_more_to_an_outsider(client, world):
    text = page_text(client_as(client, world, "member_elsewhere").get(url(world.territory) + "?vue=public"))
    assert "Vous voyez cette page comme un visiteur" not in text
    assert "Bilan interne du chantier" not in text


def test_the_trend_chart_carries_the_stored_figures(client, world):
    body = client_as(client, world, "viewer").get(url(world.territory)).content.decode()
    assert 'data-chart="trend-chart"' in body
    assert '"data": [0.25, 0.5]' in body and '"data": [0.4, 0.6]' in body
    assert 'data-chart="coverage-chart"' in body


def test_html_in_titles_is_shown_escaped(client, world):
    entry(world.territory, "<script>alert(1)</script>", "public", 9)
    body = client.get(url(world.territory)).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def _queries(client, world) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url(world.territory)).status_code == 200
    return len(queries)


def test_the_number_of_queries_does_not_grow_with_the_data(client, world):
    client = client_as(client, world, "admin")
    steering_records(world, 0)
    before = _queries(client, world)
    for day in range(10, 25):
        entry(world.territory, f"Entrée {day}", "private", day)
        Celebration.objects.create(
            territory=world.territory, title=f"Victoire {day}", achieved_on=datetime.date(2026, 7, day)
        )
        Actor.objects.create(
            territory=world.territory, kind=ActorKind.PERSON, name=f"Agent {day}", category=category("agent")
        )
        round_with_metrics(world.territory, datetime.date(2010 + day - 10, 1, 1), 0.3, 0.5, 9)
        steering_records(world, day)
    assert _queries(client, world) == before


def steering_records(world, n: int) -> None:
    """A planning document assessed against every orientation, an action and a pilot."""
    territory = world.territory
    document = PlanningDocument.objects.create(
        territory=territory,
        doc_type=referential_item("planning_document_type", "plu"),
        title=f"PLU n° {n}",
        writer=territory.areas.get(),
        status="expired" if n else "adopted",
        review_due_on=datetime.date(2026, 1, 1),
        visibility="public",
    )
    for orientation in Orientation.objects.filter(vision__territory=territory):
        CoherenceAssessment.objects.create(
            territory=territory,
            document=document,
            orientation=orientation,
            value="neutral",
            reason="Sans lien.",
        )
    action = Action.objects.create(territory=territory, title=f"Action {n}", visibility="public")
    action.orientations.add(Orientation.objects.filter(vision__territory=territory).first())
    Pilot.objects.create(
        territory=territory,
        title=f"Pilote {n}",
        hypothesis="H",
        scope="S",
        started_on=datetime.date(2026, 1, 1),
        status="stopped" if n % 2 else "running",
        visibility="public",
    )


def test_the_dashboard_shows_coherence_gaps_and_pilots(client, world):
    territory, admin = world.territory, world.people["admin"]
    document = PlanningDocument.objects.create(
        territory=territory,
        doc_type=referential_item("planning_document_type", "plu"),
        title="PLU d'Ungersheim",
        writer=territory.areas.get(),
        status="under_revision",
        visibility="public",
    )
    food, _energy = Orientation.objects.filter(vision__territory=territory).order_by("position")
    coherence_assess(
        actor=admin, territory=territory, document=document, orientation=food, value="contradictory",
        reason="Le PLU ouvre 12 ha de terres agricoles à l'urbanisation.",
    )  # fmt: skip
    action = Action.objects.create(territory=territory, title="Régie agricole", visibility="public")
    action.orientations.add(food)
    Action.objects.create(territory=territory, title="Nouveau site internet", visibility="public")
    Action.objects.create(territory=territory, title="Budget interne", visibility="private")
    for status in ("running", "stopped", "stopped"):
        Pilot.objects.create(
            territory=territory, title=f"Pilote {status}", hypothesis="H", scope="S",
            started_on=datetime.date(2026, 1, 1), status=status, visibility="public",
        )  # fmt: skip
    body = page_text(client.get(url(territory)))
    assert (
        "Piloter dans la durée Cohérence des documents de planification "
        "✓ Cohérent 0 ○ Neutre 0 ✗ Contradictoire 1 ? Non évalué 1 "
        "Contradictions PLU d'Ungersheim × Se nourrir ici · Le PLU ouvre 12 ha de terres agricoles à "
        "l'urbanisation. Documents à réviser PLU d'Ungersheim · En révision La matrice de cohérence"
    ) in body
    assert (
        "Une trajectoire d'ensemble 2 actions que vous pouvez lire. Orientations sans action "
        "Produire l'énergie 1 action ne sert aucune orientation. La trajectoire"
    ) in body
    assert (
        "Pilotes par statut État Pilotes En cours 1 Ajusté 0 Passé à l’échelle 0 "
        "Arrêté — enseignements tirés 2"
    ) in body


def test_the_dashboard_shows_participation_levels_and_training_coverage(client, world):
    territory = world.territory
    level = {item.code: item for item in referential_items("participation_level")}
    for code in ("inform", "consult", "co_decide"):
        Decision.objects.create(
            territory=territory,
            title=f"Décision {code}",
            decided_on=datetime.date(2026, 2, 1),
            participation_level=level[code],
            visibility="public",
        )
    Decision.objects.create(
        territory=territory,
        title="Décision interne",
        decided_on=datetime.date(2026, 2, 1),
        participation_level=level["co_construct"],
        visibility="private",
    )
    elu = Actor.objects.create(
        territory=territory,
        kind=ActorKind.PERSON,
        name="Maire",
        category=category("elu"),
        visibility="public",
    )
    Actor.objects.create(
        territory=territory,
        kind=ActorKind.PERSON,
        name="DGS",
        category=category("agent"),
        visibility="public",
    )
    training = Training.objects.create(
        territory=territory,
        title="Conduite du changement",
        held_on=datetime.date(2026, 3, 1),
        hours=7,
        change_management=True,
        visibility="public",
    )
    training.participants.add(elu)
    body = page_text(client.get(url(territory)))
    assert (
        "Décisions par niveau de participation Niveau de participation Décisions Informer 1 Consulter 1 "
        "Concerter 0 Co-construire 0 Co-décider 1 "
        "1 décision sur 3 a été co-construite ou co-décidée (33 %)."
    ) in body
    assert (
        "Formation à la conduite du changement des élus et des agents Catégorie Personnes Formées "
        "Élu 1 1 Agent de la collectivité 1 0 « 4 Fantastiques » sans aucune formation : "
        "Agent de la collectivité · État territorial · Acteur socio-économique"
    ) in body
