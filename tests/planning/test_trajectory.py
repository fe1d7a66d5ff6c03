"""The trajectory (S5): orientations without action, actions serving no orientation, and the work
across silos, on known data, through the viewer's visibility, in a constant number of queries."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.pages import page_text
from tests.trust.world import build_world, client_as
from trajectoires.planning.actions import ActionFilters, action_create
from trajectoires.planning.models import Service
from trajectoires.planning.trajectory import gaps_summary, silo_view, trajectory_gaps
from trajectoires.referential.models import ReferentialVersion
from trajectoires.referential.selectors import referential_item
from trajectoires.steering.vision import OrientationInput, vision_save

pytestmark = pytest.mark.django_db
PAGE = "/territoires/ungersheim/trajectoire/"


@pytest.fixture
def world():
    return build_world()


def known_trajectory(world, *, vision="public"):
    """Three orientations (the third without action) and four actions: one private, one serving
    no orientation; seven services links across five services."""
    food = referential_item("essential_need", "food")
    saved = vision_save(
        actor=world.people["admin"],
        territory=world.territory,
        expected_version=0,
        horizon_year=timezone.localdate().year + 15,
        statement="Un village nourricier et sobre.",
        orientations=[OrientationInput(title, [food]) for title in ("Se nourrir ici", "Bouger", "Habiter")],
        reason="Conseil",
        visibility=vision,
    )
    nourish, move, dwell = saved.orientations.order_by("position")
    k8 = referential_item("key_action", "K8")

    def add(title, owner, services, orientations, visibility="public", **values):
        return action_create(
            actor=world.people["admin"],
            territory=world.territory,
            title=title,
            owner_service=owner,
            services=services,
            orientations=orientations,
            visibility=visibility,
            **values,
        )

    actions = {
        "canteen": add(
            "Cantine bio",
            "Restauration scolaire",
            ["Régie agricole"],
            [nourish],
            status="in_progress",
            budget=Decimal("45000"),
            key_actions=[k8],
        ),
        "bikes": add(
            "Pistes cyclables", "Voirie", ["Urbanisme", "Mobilités"], [nourish, move],
            budget=Decimal("1200000.5"),
        ),
        "party": add("Fête des récoltes", "", [], [], status="completed"),
        "note": add("Note interne", "Urbanisme", ["Voirie"], [move], visibility="private"),
    }  # fmt: skip
    return (nourish, move, dwell), actions


def titles(actions):
    return [action.title for action in actions]


def test_the_gaps_on_known_data_for_the_team(world):
    (_nourish, _move, dwell), _ = known_trajectory(world)
    gaps = trajectory_gaps(world.people["viewer"], world.territory)
    assert [(item.orientation.title, titles(item.actions)) for item in gaps.orientations] == [
        ("Se nourrir ici", ["Cantine bio", "Pistes cyclables"]),
        ("Bouger", ["Note interne", "Pistes cyclables"]),
        ("Habiter", []),
    ]
    assert gaps.orientations_without_action == (dwell,)
    assert titles(gaps.actions_without_orientation) == ["Fête des récoltes"]
    assert gaps.action_count == 4


def test_the_silo_view_on_known_data_for_the_team(world):
    (nourish, move, dwell), _ = known_trajectory(world)
    silos = silo_view(world.people["editor"], world.territory)
    assert [(item.action.title, [s.name for s in item.services]) for item in silos.actions] == [
        ("Cantine bio", ["Restauration scolaire", "Régie agricole"]),
        ("Fête des récoltes", []),
        ("Note interne", ["Urbanisme", "Voirie"]),
        ("Pistes cyclables", ["Voirie", "Mobilités", "Urbanisme"]),
    ]
    assert (silos.action_count, silos.across_silos_count, silos.across_silos_share) == (4, 3, 0.75)
    assert silos.orientations == (nourish, move, dwell)
    assert [(row.service.name, row.counts, row.total) for row in silos.rows] == [
        ("Mobilités", (1, 1, 0), 1),
        ("Régie agricole", (1, 0, 0), 1),
        ("Restauration scolaire", (1, 0, 0), 1),
        ("Urbanisme", (1, 2, 0), 2),
        ("Voirie", (1, 2, 0), 2),
    ]


def test_a_private_action_is_not_counted_for_a_visitor(world):
    known_trajectory(world)
    for viewer in (None, world.people["member_elsewhere"], world.people["contributor"]):
        gaps = trajectory_gaps(viewer, world.territory)
        assert [(item.orientation.title, titles(item.actions)) for item in gaps.orientations] == [
            ("Se nourrir ici", ["Cantine bio", "Pistes cyclables"]),
            ("Bouger", ["Pistes cyclables"]),
            ("Habiter", []),
        ]
        silos = silo_view(viewer, world.territory)
        assert (silos.action_count, silos.across_silos_count) == (3, 2)
        assert [(row.service.name, row.counts, row.total) for row in silos.rows] == [
            ("Mobilités", (1, 1, 0), 1),
            ("Régie agricole", (1, 0, 0), 1),
            ("Restauration scolaire", (1, 0, 0), 1),
            ("Urbanisme", (1, 1, 0), 1),
            ("Voirie", (1, 1, 0), 1),
        ]


def test_an_action_linked_to_an_orientation_the_viewer_cannot_read_is_not_a_gap(world):
    known_trajectory(world, vision="private")
    gaps = trajectory_gaps(None, world.territory)
    assert (gaps.orientations, gaps.orientations_without_action) == ((), ())
    assert titles(gaps.actions_without_orientation) == ["Fête des récoltes"]
    assert silo_view(None, world.territory).rows[0].counts == ()


def test_filters_narrow_the_actions_counted(world):
    (_nourish, move, dwell), _ = known_trajectory(world)
    viewer = world.people["admin"]
    urbanisme = Service.objects.get(name="Urbanisme")
    by_service = trajectory_gaps(viewer, world.territory, ActionFilters(service=urbanisme.pk))
    assert [titles(item.actions) for item in by_service.orientations] == [
        ["Pistes cyclables"],
        ["Note interne", "Pistes cyclables"],
        [],
    ]
    in_progress = trajectory_gaps(viewer, world.territory, ActionFilters(status="in_progress"))
    assert in_progress.orientations_without_action == (move, dwell)
    tagged = silo_view(viewer, world.territory, ActionFilters(key_action="K8"))
    assert titles(item.action for item in tagged.actions) == ["Cantine bio"]


def test_the_key_action_filter_takes_a_code_and_finds_version_1_rows(client, world):
    """Version 2 of the référentiel is the current one: `?key_action=K8` finds the actions tagged
    with K8 of version 1 too (decision 0009)."""
    (nourish, _move, _dwell), _ = known_trajectory(world)
    k8_of_version_1 = referential_item("key_action", "K8", version=ReferentialVersion.objects.get(number=1))
    action_create(
        actor=world.people["admin"],
        territory=world.territory,
        title="Marché paysan",
        owner_service="Régie agricole",
        orientations=[nourish],
        key_actions=[k8_of_version_1],
        visibility="public",
    )
    tagged = silo_view(world.people["admin"], world.territory, ActionFilters(key_action="K8"))
    assert titles(item.action for item in tagged.actions) == ["Cantine bio", "Marché paysan"]
    response = client.get(PAGE, {"key_action": "K8"})
    assert '<option value="K8" selected>K8 — Mettre la transversalité au cœur du mandat</option>' in (
        response.content.decode()
    )
    body = page_text(response)
    assert "Seules les actions qui répondent aux filtres sont comptées : 2 actions." in body
    assert "Les orientations et leurs actions Se nourrir ici Cantine bio" in body
    assert "Marché paysan" in body and "Pistes cyclables" not in body


def test_the_trajectory_page_in_french(client, world):
    known_trajectory(world)
    client_as(client, world, "editor")
    body = page_text(client.get(PAGE))
    assert "Ungersheim Trajectoire Trajectoire de Ungersheim Tableau de bord Vision" in body
    assert (
        "D’une somme de projets à une trajectoire globale : les actions du territoire, les orientations "
        "de la vision qu’elles servent et les services qu’elles réunissent. Ajouter une action"
    ) in body
    assert (
        "Les orientations et leurs actions "
        "Se nourrir ici "
        "Cantine bio · En cours · service pilote : Restauration scolaire · budget : 45 000 € "
        "Pistes cyclables · Prévue · service pilote : Voirie · budget : 1 200 000,50 € "
        "Bouger "
        "Note interne · Prévue · service pilote : Urbanisme "
        "Pistes cyclables · Prévue · service pilote : Voirie · budget : 1 200 000,50 € "
        "Habiter Aucune action ne sert encore cette orientation. "
        "Orientations sans action Habiter "
        "Actions qui ne servent aucune orientation Fête des récoltes · Terminée "
        "Travailler entre les silos "
        "3 des 4 actions (75 %) mobilisent au moins deux services. "
        "Les services de chaque action "
        "Action Service pilote Autres services impliqués Services "
        "Cantine bio Restauration scolaire Régie agricole 2 "
        "Fête des récoltes — — 0 "
        "Note interne Urbanisme Voirie 2 "
        "Pistes cyclables Voirie Mobilités, Urbanisme 3 "
        "Nombre d’actions par service et par orientation "
        "Service Se nourrir ici Bouger Habiter Toutes les actions "
        "Mobilités 1 1 0 1 "
        "Régie agricole 1 0 0 1 "
        "Restauration scolaire 1 0 0 1 "
        "Urbanisme 1 2 0 2 "
        "Voirie 1 2 0 2"
    ) in body.replace("\u00a0", " ").replace("\u202f", " ")


def test_the_page_is_accessible_markup(client, world):
    known_trajectory(world)
    html = client.get(PAGE).content.decode()
    assert '<caption id="action-services-caption">Les services de chaque action</caption>' in html
    assert (
        '<caption id="silo-table-caption">Nombre d’actions par service et par orientation</caption>' in html
    )
    assert '<th scope="col">Habiter</th>' in html and '<th scope="row">Voirie</th>' in html
    assert '<h2 id="without-action-title">Orientations sans action</h2>' in html
    assert '<h2 id="without-orientation-title">Actions qui ne servent aucune orientation</h2>' in html
    assert 'style="' not in html and "<script>" not in html


def test_the_page_filters_and_says_so(client, world):
    known_trajectory(world)
    client_as(client, world, "admin")
    body = page_text(client.get(PAGE, {"status": "completed"}))
    assert "Seules les actions qui répondent aux filtres sont comptées : 1 action." in body
    assert (
        "Orientations sans action Se nourrir ici Bouger Habiter "
        "Actions qui ne servent aucune orientation Fête des récoltes · Terminée"
    ) in body
    assert "0 action sur 1 (0 %) mobilise au moins deux services." in body.replace("\u00a0", " ")
    voirie = Service.objects.get(name="Voirie")
    body = page_text(client.get(PAGE, {"service": voirie.pk, "status": "nonsense"}))
    assert "Seules les actions qui répondent aux filtres sont comptées : 2 actions." in body


def test_empty_trajectory_for_a_visitor(client, world):
    body = page_text(client.get(PAGE))
    assert (
        "Les orientations et leurs actions "
        "Aucune orientation de la vision que vous pouvez lire. Voir la vision "
        "Orientations sans action Aucune orientation de la vision que vous pouvez lire. "
        "Actions qui ne servent aucune orientation Aucune action que vous pouvez lire pour l’instant. "
        "Travailler entre les silos Aucune action que vous pouvez lire pour l’instant."
    ) in body
    assert "Ajouter une action" not in body


def _add(world, index, orientations):
    action_create(
        actor=world.people["admin"],
        territory=world.territory,
        title=f"Action {index}",
        owner_service=f"Service {index % 7}",
        services=[f"Service {(index + 1) % 7}", f"Service {(index + 3) % 7}"],
        orientations=orientations,
        key_actions=[referential_item("key_action", "K5"), referential_item("key_action", "K8")],
        budget=Decimal(index * 1000),
        visibility=["public", "private", "partners"][index % 3],
    )


@pytest.mark.parametrize("role", ["anonymous", "admin", "contributor"])
def test_the_page_costs_the_same_queries_whatever_the_data(client, world, role):
    (nourish, move, dwell), _ = known_trajectory(world)
    client_as(client, world, role)

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        return len(queries)

    urls = [PAGE, f"{PAGE}?key_action=K8"]  # the filter matches one action, then 41
    before = [count(url) for url in urls]

    for index in range(40):
        _add(world, index, [nourish, move] if index % 2 else [dwell])
    assert [count(url) for url in urls] == before


@pytest.mark.parametrize("role", ["viewer", "anonymous", "member_elsewhere", "contributor"])
def test_the_dashboard_s_summary_gives_the_figures_of_the_gaps(world, role):
    known_trajectory(world)
    viewer = world.people[role]
    gaps, summary = trajectory_gaps(viewer, world.territory), gaps_summary(viewer, world.territory)
    assert summary.action_count == gaps.action_count
    assert summary.orientations_without_action == gaps.orientations_without_action
    assert summary.actions_without_orientation_count == len(gaps.actions_without_orientation) == 1


def test_the_summary_with_a_vision_the_viewer_cannot_read(world):
    known_trajectory(world, vision="private")
    summary = gaps_summary(None, world.territory)
    assert (summary.action_count, summary.orientations_without_action) == (3, ())
    assert summary.actions_without_orientation_count == 1
