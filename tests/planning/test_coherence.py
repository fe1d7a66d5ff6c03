"""The coherence matrix (K8): planning documents × orientations of the vision, each cell coherent,
neutral, contradictory or not assessed, with the reason, who and when; its summary for the
dashboard; its pages and their rights."""

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.pages import page_text
from tests.trust.world import build_world, client_as
from trajectoires.accounts.models import User
from trajectoires.core.models import AuditEntry
from trajectoires.geo.selectors import area_from_reference
from trajectoires.planning.charts import coherence_heatmap
from trajectoires.planning.coherence import (
    coherence_assess,
    coherence_clear,
    coherence_matrix,
    coherence_summary,
)
from trajectoires.planning.models import CoherenceAssessment, PlanningDocument
from trajectoires.referential.selectors import referential_item
from trajectoires.steering.vision import OrientationInput, vision_save

pytestmark = pytest.mark.django_db
MATRIX = "/territoires/ungersheim/coherence/"
TODAY = datetime.date(2026, 3, 31)


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def make_vision(world):
    """The vision of a territory (Ungersheim unless told) with orientations of these titles."""

    def make(*titles, visibility="public", territory=None):
        territory = territory or world.territory
        admin = world.people["admin" if territory == world.territory else "member_elsewhere"]
        return vision_save(
            actor=admin,
            territory=territory,
            expected_version=0,
            horizon_year=timezone.localdate().year + 15,
            statement="Un village nourricier.",
            orientations=[
                OrientationInput(title, [referential_item("essential_need", "food")]) for title in titles
            ],
            reason="Conseil",
            visibility=visibility,
        )

    return make


@pytest.fixture
def make_document(world):
    """A planning document of a type, written by an area (Ungersheim's commune unless told)."""

    def make(title, doc_type="plu", writer="68343", *, territory=None, **fields):
        return PlanningDocument.objects.create(
            territory=territory or world.territory,
            doc_type=referential_item("planning_document_type", doc_type),
            title=title,
            writer=area_from_reference(writer),
            **{"status": "adopted", "visibility": "public"} | fields,
        )

    return make


def assess(world, document, orientation, value, reason, role="editor"):
    return coherence_assess(
        actor=world.people[role],
        territory=world.territory,
        document=document,
        orientation=orientation,
        value=value,
        reason=reason,
    )


def orientations_of(vision):
    return list(vision.orientations.order_by("position"))


# Services ---------------------------------------------------------------------------------------


def test_a_cell_is_assessed_assessed_again_and_cleared_with_every_change_audited(
    world, make_vision, make_document
):
    (food,) = orientations_of(make_vision("Se nourrir ici"))
    plu = make_document("PLU d’Ungersheim")
    editor, admin = world.people["editor"], world.people["admin"]

    cell = assess(world, plu, food, "coherent", "  Protège les terres maraîchères.  ")
    row = CoherenceAssessment.objects.get()
    assert (row.territory, row.document, row.orientation) == (world.territory, plu, food)
    assert (row.value, row.reason, row.assessed_by) == ("coherent", "Protège les terres maraîchères.", editor)
    assert row.pk == cell.pk
    created = AuditEntry.objects.get(action="coherence.assess")
    assert (created.actor_label, created.scope, created.object_repr) == (
        str(editor.pk),
        f"territory:{world.territory.pk}",
        "PLU d’Ungersheim × Se nourrir ici",
    )
    assert created.changes == {
        "document": [None, plu.pk],
        "orientation": [None, food.pk],
        "value": [None, "coherent"],
        "reason": [None, "Protège les terres maraîchères."],
        "assessed_by": [None, editor.pk],
    }

    assess(world, plu, food, "contradictory", "Ouvre 12 ha à l’urbanisation.", role="admin")
    row = CoherenceAssessment.objects.get()
    assert (row.pk, row.value, row.assessed_by) == (cell.pk, "contradictory", admin)
    changed = AuditEntry.objects.filter(action="coherence.assess").latest("id")
    assert changed.changes == {
        "value": ["coherent", "contradictory"],
        "reason": ["Protège les terres maraîchères.", "Ouvre 12 ha à l’urbanisation."],
        "assessed_by": [editor.pk, admin.pk],
    }

    coherence_clear(actor=editor, territory=world.territory, document=plu, orientation=food)
    assert CoherenceAssessment.objects.count() == 0
    cleared = AuditEntry.objects.get(action="coherence.clear")
    assert cleared.changes == {
        "document": [plu.pk, None],
        "orientation": [food.pk, None],
        "value": ["contradictory", None],
        "reason": ["Ouvre 12 ha à l’urbanisation.", None],
        "assessed_by": [admin.pk, None],
    }
    # Clearing a cell that is not assessed changes nothing and records nothing.
    coherence_clear(actor=editor, territory=world.territory, document=plu, orientation=food)
    assert AuditEntry.objects.filter(action="coherence.clear").count() == 1


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ("other_orientation", "orientation", "Choisissez une orientation de la vision de ce territoire."),
        (
            "other_document",
            "document",
            "Choisissez un document de planification en vigueur qui s’impose à ce territoire.",
        ),
        (
            "hidden_document",
            "document",
            "Choisissez un document de planification en vigueur qui s’impose à ce territoire.",
        ),
        ("value", "value", "Choisissez cohérent, neutre ou contradictoire."),
        ("reason", "reason", "Dites pourquoi : c’est la raison que le conseil discutera."),
    ],
)
def test_bad_input_is_named_and_nothing_is_written(world, make_vision, make_document, change, field, message):
    (food,) = orientations_of(make_vision("Se nourrir ici"))
    (elsewhere_food,) = orientations_of(make_vision("Se nourrir ailleurs", territory=world.elsewhere))
    values = {
        "document": make_document("PLU d’Ungersheim"),
        "orientation": food,
        "value": "coherent",
        "reason": "Protège les terres.",
    }
    if change == "other_orientation":
        values["orientation"] = elsewhere_food
    elif change == "other_document":  # written by Grande-Synthe: it does not bind Ungersheim
        values["document"] = make_document("PLU de Grande-Synthe", writer="59271", territory=world.elsewhere)
    elif change == "hidden_document":  # binds Ungersheim, but recorded privately by another territory
        values["document"] = make_document(
            "PAT du Haut-Rhin", "pat", "68", territory=world.elsewhere, visibility="private"
        )
    elif change == "value":
        values["value"] = "excellent"
    else:
        values["reason"] = "   "
    with pytest.raises(ValidationError) as refused:
        coherence_assess(actor=world.people["editor"], territory=world.territory, **values)
    assert refused.value.message_dict == {field: [message]}
    assert CoherenceAssessment.objects.count() == 0
    assert not AuditEntry.objects.filter(action__startswith="coherence.").exists()


def test_clearing_checks_the_cell_address_too(world, make_vision, make_document):
    make_vision("Se nourrir ici")
    (elsewhere_food,) = orientations_of(make_vision("Se nourrir ailleurs", territory=world.elsewhere))
    with pytest.raises(ValidationError) as refused:
        coherence_clear(
            actor=world.people["editor"],
            territory=world.territory,
            document=make_document("PLU d’Ungersheim"),
            orientation=elsewhere_food,
        )
    assert refused.value.message_dict == {
        "orientation": ["Choisissez une orientation de la vision de ce territoire."]
    }


@pytest.mark.parametrize("role", ["contributor", "viewer", "partner_funder", "member_elsewhere", "staff"])
def test_only_admins_and_editors_assess(world, make_vision, make_document, role):
    (food,) = orientations_of(make_vision("Se nourrir ici"))
    plu = make_document("PLU d’Ungersheim")
    with pytest.raises(PermissionDenied):
        assess(world, plu, food, "coherent", "Oui.", role=role)
    assess(world, plu, food, "coherent", "Oui.")
    with pytest.raises(PermissionDenied):
        coherence_clear(actor=world.people[role], territory=world.territory, document=plu, orientation=food)
    assert CoherenceAssessment.objects.count() == 1


# Selectors --------------------------------------------------------------------------------------


@pytest.fixture
def known_matrix(world, make_vision, make_document):
    """Four documents in force × three orientations: 2 coherent, 1 neutral, 2 contradictory, 7 not
    assessed; an expired document, with a contradiction, stays out of the matrix."""
    food, mobility, housing = orientations_of(make_vision("Se nourrir", "Se déplacer", "Se loger"))
    sraddet = make_document("SRADDET Grand Est", "sraddet", "region:44", status="under_revision")
    pat = make_document("PAT du Haut-Rhin", "pat", "68", review_due_on=datetime.date(2026, 10, 1))
    plu = make_document("PLU d’Ungersheim", review_due_on=datetime.date(2026, 9, 30))
    pcaet = make_document(
        "Ancien plan climat", "budget_vert", status="expired", review_due_on=datetime.date(2024, 1, 1)
    )
    overdue = make_document("Carte communale", "carte_communale", review_due_on=datetime.date(2025, 12, 1))
    assess(world, plu, food, "coherent", "Protège les terres maraîchères.")
    assess(world, plu, mobility, "contradictory", "Parkings obligatoires en centre-bourg.")
    assess(world, sraddet, food, "coherent", "Objectif de sobriété foncière.")
    assess(world, sraddet, housing, "neutral", "Ne dit rien du logement rural.")
    assess(world, pat, food, "contradictory", "Favorise l’export plutôt que les circuits courts.")
    # Assessed while it was in force; it expired since (a cell cannot be assessed on it any more).
    CoherenceAssessment.objects.create(
        territory=world.territory, document=pcaet, orientation=mobility, value="contradictory",
        reason="Mise sur la voiture électrique seule.",
    )  # fmt: skip
    return {
        "orientations": (food, mobility, housing),
        "documents": {"sraddet": sraddet, "pat": pat, "plu": plu, "pcaet": pcaet, "overdue": overdue},
    }


def test_the_summary_of_a_known_matrix(world, known_matrix):
    summary = coherence_summary(world.people["viewer"], world.territory, today=TODAY)
    documents = known_matrix["documents"]
    assert (summary.coherent, summary.neutral, summary.contradictory, summary.not_assessed) == (2, 1, 2, 7)
    assert summary.total == 12
    assert [(c.document.title, c.orientation.title, c.reason) for c in summary.contradictions] == [
        ("PLU d’Ungersheim", "Se déplacer", "Parkings obligatoires en centre-bourg."),
        ("PAT du Haut-Rhin", "Se nourrir", "Favorise l’export plutôt que les circuits courts."),
    ]
    # Overdue, due within six months (to the day), or under revision; never expired; most urgent first.
    assert list(summary.due_for_review) == [documents["overdue"], documents["plu"], documents["sraddet"]]
    assert summary.counts == [
        ("coherent", "Cohérent", "✓", 2),
        ("neutral", "Neutre", "○", 1),
        ("contradictory", "Contradictoire", "✗", 2),
        ("not_assessed", "Non évalué", "?", 7),
    ]


def test_a_private_vision_hides_the_columns_and_their_cells_from_visitors(world, known_matrix, client):
    vision = known_matrix["orientations"][0].vision
    vision.visibility = "private"
    vision.save()
    visitor = coherence_matrix(None, world.territory)
    assert [d.title for d in visitor.documents] == [
        "SRADDET Grand Est",
        "PLU d’Ungersheim",
        "Carte communale",
        "PAT du Haut-Rhin",
    ]
    assert visitor.orientations == () and visitor.cells == []
    summary = coherence_summary(None, world.territory, today=TODAY)
    assert (summary.coherent, summary.contradictory, summary.not_assessed, summary.contradictions) == (
        0,
        0,
        0,
        (),
    )
    team = coherence_matrix(world.people["viewer"], world.territory)
    assert [o.title for o in team.orientations] == ["Se nourrir", "Se déplacer", "Se loger"]
    text = page_text(client.get(MATRIX))
    assert (
        "Aucune orientation de la vision que vous puissiez lire pour l’instant : la matrice en a besoin."
        in text
    )
    assert "Parkings obligatoires" not in text


def test_a_document_another_territory_recorded_privately_does_not_show(world, make_vision, make_document):
    make_vision("Se nourrir")
    make_document("PLU d’Ungersheim")
    make_document("PAT du Haut-Rhin", "pat", "68", territory=world.elsewhere, visibility="private")
    for role in ("admin", "viewer", "partner_funder"):
        assert [d.title for d in coherence_matrix(world.people[role], world.territory).documents] == [
            "PLU d’Ungersheim"
        ]
    # Its own team reads it, here as everywhere it binds.
    titles = [d.title for d in coherence_matrix(world.people["member_elsewhere"], world.territory).documents]
    assert titles == ["PLU d’Ungersheim", "PAT du Haut-Rhin"]


def test_the_matrix_costs_the_same_queries_whatever_its_size(client, world, make_vision, make_document):
    client_as(client, world, "editor")
    orientations = orientations_of(make_vision("Une"))
    first = make_document("Document 0")
    assess(world, first, orientations[0], "coherent", "Oui.")

    def measure():
        with CaptureQueriesContext(connection) as page:
            response = client.get(MATRIX)
        assert response.status_code == 200
        viewer = User.objects.get(pk=world.people["viewer"].pk)  # memberships not read yet
        with CaptureQueriesContext(connection) as summary:
            coherence_summary(viewer, world.territory)
        return len(page), len(summary)

    small = measure()
    vision = orientations[0].vision
    vision_save(
        actor=world.people["admin"],
        territory=world.territory,
        expected_version=1,
        horizon_year=vision.horizon_year,
        statement=vision.statement,
        orientations=[
            OrientationInput(f"Orientation {n}", [referential_item("essential_need", "food")])
            for n in range(6)
        ],
        reason="Six orientations",
        visibility="public",
    )
    types = ["plu", "pcaet", "plh", "pdm", "pat", "ctg", "budget_vert"]
    documents = [first] + [
        make_document(f"Document {n}", doc_type) for n, doc_type in enumerate(types[1:], 1)
    ]
    for document in documents:
        for orientation in orientations_of(vision):
            assess(world, document, orientation, "neutral", f"Raison {document.pk}-{orientation.pk}.")
    assert CoherenceAssessment.objects.filter(orientation__vision=vision).count() == 42
    assert measure() == small


# Pages ------------------------------------------------------------------------------------------


def test_the_matrix_page_shows_words_symbols_the_summary_and_links_for_writers(client, world, known_matrix):
    client_as(client, world, "editor")
    response = client.get(MATRIX)
    text = page_text(response)
    documents = known_matrix["documents"]
    food, _mobility, housing = known_matrix["orientations"]
    assert "Cohérence des documents de planification de Ungersheim" in text
    assert (
        "Documents de planification (lignes) et orientations de la vision (colonnes) "
        "Document de planification Se nourrir Se déplacer Se loger" in text
    )
    assert (
        "PLU d’Ungersheim Ungersheim · Adopté "
        "✓ Cohérent — PLU d’Ungersheim × Se nourrir Évaluer — PLU d’Ungersheim × Se nourrir "
        "✗ Contradictoire — PLU d’Ungersheim × Se déplacer Évaluer — PLU d’Ungersheim × Se déplacer "
        "? Non évalué — PLU d’Ungersheim × Se loger Évaluer — PLU d’Ungersheim × Se loger" in text
    )
    html = response.content.decode()
    plu = documents["plu"]
    assert f'href="/territoires/ungersheim/coherence/{plu.pk}/{food.pk}/"' in html
    assert f'href="/territoires/ungersheim/coherence/{plu.pk}/{housing.pk}/evaluer/"' in html
    assert (
        "Cases de la matrice par évaluation Évaluation Cases "
        "✓ Cohérent 2 ○ Neutre 1 ✗ Contradictoire 2 ? Non évalué 7" in text
    )
    assert (
        "Contradictions PLU d’Ungersheim × Se déplacer — Parkings obligatoires en centre-bourg. "
        "PAT du Haut-Rhin × Se nourrir — Favorise l’export plutôt que les circuits courts. Documents" in text
    )
    assert "Ancien plan climat" not in text
    # The page reads the real clock (past April 2026, every dated document in force is due).
    assert (
        "Documents à réviser Carte communale · Adopté · révision prévue le 1 décembre 2025 "
        "PLU d’Ungersheim · Adopté · révision prévue le 30 septembre 2026 "
        "PAT du Haut-Rhin · Adopté · révision prévue le 1 octobre 2026 SRADDET Grand Est · En révision"
        in text
    )
    # The heat map: its data block, drawn by the page's script, with a text alternative.
    assert 'data-chart="coherence-chart" role="img" aria-label="Carte de chaleur' in html
    assert 'src="/static/vendor/echarts/echarts.min.js"' in html and 'src="/static/js/charts.js"' in html
    chart = json.loads(
        html.split('<script id="coherence-chart" type="application/json">')[1].split("</script>")[0]
    )
    assert chart["series"][0]["type"] == "heatmap"
    assert chart["yAxis"]["data"][:2] == ["SRADDET Grand Est", "PLU d’Ungersheim"]


def test_readers_get_no_assess_link(client, world, known_matrix):
    text = page_text(client.get(MATRIX))
    assert "✓ Cohérent — PLU d’Ungersheim × Se nourrir" in text
    assert "Évaluer" not in text


def test_the_heatmap_marks_each_cell_by_symbol_word_and_colour(world, known_matrix):
    chart = coherence_heatmap(coherence_matrix(None, world.territory))
    assert chart["xAxis"]["data"] == ["Se nourrir", "Se déplacer", "Se loger"]
    assert chart["visualMap"]["type"] == "piecewise"
    assert [(p["value"], p["label"], p["color"]) for p in chart["visualMap"]["pieces"]] == [
        (0, "? Non évalué", "#DDDDDD"),
        (1, "✗ Contradictoire", "#D55E00"),
        (2, "○ Neutre", "#F0E442"),
        (3, "✓ Cohérent", "#009E73"),
    ]
    plu_row = chart["series"][0]["data"][3:6]  # the second document, SRADDET first (by type)
    assert plu_row == [
        {
            "name": "PLU d’Ungersheim × Se nourrir — ✓ Cohérent",
            "value": [0, 1, 3],
            "label": {"formatter": "✓"},
        },
        {
            "name": "PLU d’Ungersheim × Se déplacer — ✗ Contradictoire",
            "value": [1, 1, 1],
            "label": {"formatter": "✗"},
        },
        {
            "name": "PLU d’Ungersheim × Se loger — ? Non évalué",
            "value": [2, 1, 0],
            "label": {"formatter": "?"},
        },
    ]
    assert chart["tooltip"] == {"renderMode": "richText", "formatter": "{b}", "confine": True}


def test_an_empty_matrix_says_why(client, world):
    assert (
        "Aucun document de planification s’imposant au territoire que vous puissiez lire pour l’instant."
        in (page_text(client.get(MATRIX)))
    )
    assert "Aucune contradiction relevée." in page_text(client.get(MATRIX))
    assert "Aucun document à réviser dans les six prochains mois." in page_text(client.get(MATRIX))


def test_the_cell_page_tells_value_reason_who_and_when(client, world, known_matrix):
    plu = known_matrix["documents"]["plu"]
    _food, mobility, housing = known_matrix["orientations"]
    cell = CoherenceAssessment.objects.get(document=plu, orientation=mobility)
    CoherenceAssessment.objects.filter(pk=cell.pk).update(
        assessed_at=datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC)
    )
    text = page_text(client.get(f"{MATRIX}{plu.pk}/{mobility.pk}/"))
    assert (
        "PLU d’Ungersheim × Se déplacer Une case de la matrice de cohérence de Ungersheim" in text
        and "Document de planification PLU d’Ungersheim · Plan local d'urbanisme (PLU) · Ungersheim · Adopté "
        "Orientation de la vision Se déplacer Cohérence ✗ Contradictoire "
        "Raison Parkings obligatoires en centre-bourg. Évaluée par Editor le 2 mars 2026"
        in text
    )
    assert "Évaluer" not in text
    blank = page_text(client.get(f"{MATRIX}{plu.pk}/{housing.pk}/"))
    assert "Cohérence ? Non évalué Personne n’a encore évalué cette case. Retour à la matrice" in blank


def test_an_editor_assesses_a_cell_through_the_form(client, world, known_matrix):
    plu = known_matrix["documents"]["plu"]
    housing = known_matrix["orientations"][2]
    client_as(client, world, "editor")
    url = f"{MATRIX}{plu.pk}/{housing.pk}/evaluer/"
    form = page_text(client.get(url))
    assert (
        "Évaluer la cohérence Le document « PLU d’Ungersheim » va-t-il dans le sens de l’orientation "
        "« Se loger » ?" in form
    )
    assert "Cohérence avec l’orientation : Cohérent Neutre Contradictoire Raison :" in form
    assert "Marquer comme non évaluée" not in form  # nothing to clear yet
    response = client.post(url, {"value": "neutral", "reason": "<b>Rien</b> sur le logement."}, follow=True)
    assert response.redirect_chain == [(MATRIX, 302)]
    assert "L’évaluation a été enregistrée." in page_text(response)
    assert "&lt;b&gt;Rien&lt;/b&gt;" in client.get(f"{MATRIX}{plu.pk}/{housing.pk}/").content.decode()
    row = CoherenceAssessment.objects.get(document=plu, orientation=housing)
    assert (row.value, row.reason, row.assessed_by) == (
        "neutral",
        "<b>Rien</b> sur le logement.",
        world.people["editor"],
    )

    again = page_text(client.get(url))
    assert "Actuellement : Neutre." in again and "Marquer comme non évaluée" in again
    cleared = client.post(url, {"clear": "1"}, follow=True)
    assert "La case est revenue à « non évaluée »." in page_text(cleared)
    assert not CoherenceAssessment.objects.filter(document=plu, orientation=housing).exists()


def test_the_form_names_what_is_missing_and_writes_nothing(client, world, known_matrix):
    plu = known_matrix["documents"]["plu"]
    housing = known_matrix["orientations"][2]
    client_as(client, world, "editor")
    response = client.post(f"{MATRIX}{plu.pk}/{housing.pk}/evaluer/", {"value": "superbe", "reason": " "})
    text = page_text(response)
    assert "Sélectionnez un choix valide. superbe n’en fait pas partie." in text
    assert "Dites pourquoi : c’est la raison que le conseil discutera." in text
    assert not CoherenceAssessment.objects.filter(document=plu, orientation=housing).exists()


@pytest.mark.parametrize(("role", "status"), [("viewer", 404), ("contributor", 404), ("anonymous", 302)])
def test_the_assess_page_is_refused_to_others(client, world, known_matrix, role, status):
    plu = known_matrix["documents"]["plu"]
    food = known_matrix["orientations"][0]
    client_as(client, world, role)
    url = f"{MATRIX}{plu.pk}/{food.pk}/evaluer/"
    assert client.get(url).status_code == status
    assert client.post(url, {"value": "neutral", "reason": "Non."}).status_code == status
    assert client.post(url, {"clear": "1"}).status_code == status
    assert CoherenceAssessment.objects.get(document=plu, orientation=food).value == "coherent"


def test_a_hidden_cell_answers_like_a_missing_one(client, world, make_vision, make_document):
    (food,) = orientations_of(make_vision("Se nourrir", visibility="private"))
    plu = make_document("PLU d’Ungersheim")
    assess(world, plu, food, "coherent", "Protège les terres.")
    hidden = make_document("PAT du Haut-Rhin", "pat", "68", territory=world.elsewhere, visibility="private")
    client_as(client, world, "contributor")
    forbidden = client.get(f"{MATRIX}{plu.pk}/{food.pk}/")
    missing = client.get(f"{MATRIX}{plu.pk}/{food.pk + 1000}/")
    assert forbidden.status_code == missing.status_code == 404
    assert page_text(forbidden) == page_text(missing)
    client_as(client, world, "admin")
    assert client.get(f"{MATRIX}{plu.pk}/{food.pk}/").status_code == 200
    assert client.get(f"{MATRIX}{hidden.pk}/{food.pk}/").status_code == 404
    assert client.get(f"{MATRIX}{hidden.pk}/{food.pk}/evaluer/").status_code == 404
