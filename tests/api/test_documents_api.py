"""Planning documents and their legal links in the API: the same rights, the same checks and the
same sharing as the pages."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.planning.test_documents import (
    grand_est,
    mulhouse_alsace,
    record,
    strasbourg_territory,
    ungersheim,
    version_1_type,
)
from tests.trust.world import build_world
from trajectoires.accounts.services import api_token_create
from trajectoires.core.models import AuditEntry
from trajectoires.planning.documents import document_create
from trajectoires.planning.models import PlanningDocument

pytestmark = pytest.mark.django_db
BASE = "/api/v1/territories/ungersheim/documents"


@pytest.fixture
def world():
    return build_world()


def auth(world, role):
    _token, raw = api_token_create(user=world.people[role], name="script", scope="read_write")
    return {"Authorization": f"Bearer {raw}"}


def payload(**values):
    return {
        "doc_type": "plu",
        "title": "PLU d’Ungersheim",
        "writer": "commune-68343",
        "status": "adopted",
        "adopted_on": "2019-03-12",
        "review_due_on": "2031-03-12",
        "link": "https://example.org/plu",
        "summary": "Zonage agricole renforcé.",
        "visibility": "public",
    } | values


def test_an_editor_records_reads_replaces_and_deletes_a_document(client, world):
    response = client.post(
        f"{BASE}/", payload(), content_type="application/json", headers=auth(world, "editor")
    )
    assert response.status_code == 201
    document = PlanningDocument.objects.get()
    expected = {
        "id": document.pk,
        "title": "PLU d’Ungersheim",
        "type": {"code": "plu", "label": "Plan local d'urbanisme (PLU)"},
        "writer": {"ref": "commune-68343", "kind": "commune", "code": "68343", "name": "Ungersheim"},
        "status": "adopted",
        "adopted_on": "2019-03-12",
        "review_due_on": "2031-03-12",
        "review": "",
        "link": "https://example.org/plu",
        "summary": "Zonage agricole renforcé.",
        "visibility": "public",
        "recorded_by": {"slug": "ungersheim", "name": "Ungersheim"},
        "shared": False,
    }
    assert response.json() == expected
    assert client.get(f"{BASE}/{document.pk}").json() == expected
    assert (
        AuditEntry.objects.get(action="planning_document.create").scope == f"territory:{world.territory.pk}"
    )
    changed = client.put(
        f"{BASE}/{document.pk}",
        payload(title="PLU révisé", status="under_revision"),
        content_type="application/json",
        headers=auth(world, "admin"),
    )
    assert changed.json() == expected | {"title": "PLU révisé", "status": "under_revision"}
    assert AuditEntry.objects.get(action="planning_document.update").changes == {
        "status": ["adopted", "under_revision"],
        "title": ["PLU d’Ungersheim", "PLU révisé"],
    }
    deleted = client.delete(f"{BASE}/{document.pk}", headers=auth(world, "editor"))
    assert deleted.status_code == 204 and PlanningDocument.objects.count() == 0
    assert AuditEntry.objects.filter(action="planning_document.delete").count() == 1


def test_bad_input_names_the_fields_and_writes_nothing(client, world):
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    scot_by_commune = (
        "Un SCoT est élaboré par une intercommunalité (EPCI) ou un syndicat mixte, pas par une commune."
    )
    elsewhere = (
        "« Strasbourg » ne couvre pas le territoire « Ungersheim » : choisissez son périmètre ou une zone "
        "qui le contient."
    )
    cases = [
        (
            payload(doc_type="scot", status="in_preparation", adopted_on=None, review_due_on=None),
            {"writer": [scot_by_commune]},
        ),
        (payload(writer="commune-67482"), {"writer": [elsewhere]}),
        (
            payload(review_due_on="2018-01-01"),
            {"review_due_on": ["La date de révision ne peut pas précéder la date d’adoption."]},
        ),
        (payload(adopted_on=None), {"adopted_on": ["Un document adopté a besoin de sa date d’adoption."]}),
        (
            payload(adopted_on=tomorrow, review_due_on=None),
            {"adopted_on": ["La date d’adoption ne peut pas être dans le futur."]},
        ),
        (
            payload(doc_type="inconnu", writer="pays-1"),
            {
                "doc_type": [
                    "Sélectionnez un choix valide. Ce choix ne fait pas partie de ceux disponibles."
                ],
                "writer": [
                    "Choisissez une zone de la géographie, nommée type-code (region-44, commune-68343)."
                ],
            },
        ),
    ]
    for body, fields in cases:
        response = client.post(
            f"{BASE}/", body, content_type="application/json", headers=auth(world, "editor")
        )
        assert response.status_code == 422
        assert response.json()["error"] == {
            "status": 422,
            "code": "invalid",
            "message": "Certains champs ne sont pas valides.",
            "fields": fields,
        }
    assert PlanningDocument.objects.count() == 0
    assert not AuditEntry.objects.filter(action__startswith="planning_document").exists()


def test_a_version_1_type_is_kept_by_an_unchanged_replace_and_counts_as_in_force(client, world):
    """Version 2 of the référentiel is the current one: a document of a version-1 type keeps it
    while its type is unchanged, and a second one of the same type in force is refused (0009)."""
    document = document_create(
        actor=world.people["admin"],
        territory=world.territory,
        doc_type=version_1_type("plu"),
        title="PLU d’Ungersheim",
        writer=ungersheim(),
        status="adopted",
        adopted_on=datetime.date(2019, 3, 12),
        visibility="public",
    )
    headers = auth(world, "editor")
    response = client.post(
        f"{BASE}/", payload(title="Autre PLU"), content_type="application/json", headers=headers
    )
    assert (response.status_code, response.json()["error"]["fields"]) == (
        422,
        {
            "writer": [
                "« Ungersheim » a déjà un PLU en vigueur sur la plateforme, partagé par chaque territoire "
                "qu’elle couvre : il n’est enregistré qu’une fois."
            ]
        },
    )
    url = f"{BASE}/{document.pk}"
    response = client.put(url, payload(title="PLU révisé"), content_type="application/json", headers=headers)
    assert (response.status_code, response.json()["type"]) == (
        200,
        {"code": "plu", "label": "Plan local d'urbanisme (PLU)"},
    )
    document.refresh_from_db()
    assert (document.title, document.doc_type.version.number) == ("PLU révisé", 1)
    response = client.put(
        url, payload(doc_type="carte_communale"), content_type="application/json", headers=headers
    )
    assert (response.status_code, response.json()["type"]["code"]) == (200, "carte_communale")
    document.refresh_from_db()
    assert (document.doc_type.code, document.doc_type.version.number) == ("carte_communale", 2)
    assert list(PlanningDocument.objects.values_list("title", flat=True)) == ["PLU d’Ungersheim"]


def test_a_shared_document_is_read_through_every_territory_it_binds_and_kept_by_its_recorder(client, world):
    strasbourg = strasbourg_territory(world)
    sraddet = record(world, "sraddet", "SRADDET Grand Est", grand_est(), visibility="alliance")
    headers = auth(world, "strasbourg_admin")
    shared = client.get(f"/api/v1/territories/strasbourg/documents/{sraddet.pk}", headers=headers).json()
    assert (shared["shared"], shared["recorded_by"]) == (True, {"slug": "ungersheim", "name": "Ungersheim"})
    listed = client.get("/api/v1/territories/strasbourg/documents/", headers=headers).json()
    assert [row["title"] for row in listed["results"]] == ["SRADDET Grand Est"]
    for response in (
        client.put(
            f"/api/v1/territories/strasbourg/documents/{sraddet.pk}",
            payload(doc_type="sraddet", title="Pris", writer="region-44"),
            content_type="application/json",
            headers=headers,
        ),
        client.delete(f"/api/v1/territories/strasbourg/documents/{sraddet.pk}", headers=headers),
        client.get(
            f"/api/v1/territories/grande-synthe/documents/{sraddet.pk}",
            headers=auth(world, "member_elsewhere"),
        ),
    ):
        assert (response.status_code, response.json()["error"]["code"]) == (404, "not_found")
    assert PlanningDocument.objects.get().title == "SRADDET Grand Est"
    # The same writing body cannot have a second SRADDET in force.
    duplicate = client.post(
        "/api/v1/territories/strasbourg/documents/",
        payload(doc_type="sraddet", title="Autre SRADDET", writer="region-44"),
        content_type="application/json",
        headers=headers,
    )
    assert duplicate.json()["error"]["fields"] == {
        "writer": [
            "« Grand Est » a déjà un SRADDET en vigueur sur la plateforme, partagé par chaque territoire "
            "qu’elle couvre : il n’est enregistré qu’une fois."
        ]
    }
    assert strasbourg.recorded_documents.count() == 0


def test_viewers_and_anonymous_callers_may_not_write(client, world):
    document = record(world, "plu", "PLU", ungersheim(), visibility="private")
    refused = client.put(
        f"{BASE}/{document.pk}", payload(), content_type="application/json", headers=auth(world, "viewer")
    )
    assert (refused.status_code, refused.json()["error"]["code"]) == (404, "not_found")
    created = client.post(
        f"{BASE}/", payload(), content_type="application/json", headers=auth(world, "contributor")
    )
    assert created.status_code == 404
    assert client.post(f"{BASE}/", payload(), content_type="application/json").status_code == 401
    assert client.get(f"{BASE}/{document.pk}").status_code == 404
    assert PlanningDocument.objects.count() == 1


def test_the_list_filters_and_costs_the_same_queries(client, world):
    record(world, "plu", "PLU", ungersheim(), status="adopted", adopted_on=datetime.date(2019, 1, 1))
    record(world, "pcaet", "PCAET m2A", mulhouse_alsace())

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{BASE}/").status_code == 200
        return len(queries)

    one = count()
    for index in range(20):
        record(world, "plu", f"Ancien PLU {index}", ungersheim(), status="expired")
    assert count() == one
    titles = [row["title"] for row in client.get(f"{BASE}/", {"status": "adopted"}).json()["results"]]
    assert titles == ["PLU"]
    titles = [row["title"] for row in client.get(f"{BASE}/", {"type": "pcaet"}).json()["results"]]
    assert titles == ["PCAET m2A"]
    invalid = client.get(f"{BASE}/", {"status": "vieux"})
    assert invalid.status_code == 422 and list(invalid.json()["error"]["fields"]) == ["status"]


def test_the_legal_links_and_the_missing_ones(client, world):
    sraddet = record(world, "sraddet", "SRADDET Grand Est", grand_est())
    scot = record(world, "scot", "SCoT de la région mulhousienne", mulhouse_alsace())
    plu = record(world, "plu", "PLU d’Ungersheim", ungersheim())
    response = client.get(f"{BASE}/legal-links")
    ref = {
        "sraddet": {"id": sraddet.pk, "title": "SRADDET Grand Est", "type": "sraddet"},
        "scot": {"id": scot.pk, "title": "SCoT de la région mulhousienne", "type": "scot"},
        "plu": {"id": plu.pk, "title": "PLU d’Ungersheim", "type": "plu"},
    }
    assert response.json()["links"] == [
        {
            "source": ref["scot"],
            "kind": "compatibilite",
            "target": ref["sraddet"],
            "basis": "article L. 131-1 du code de l'urbanisme",
            "rule": "scot__compatibilite__sraddet",
        },
        {
            "source": ref["scot"],
            "kind": "prise_en_compte",
            "target": ref["sraddet"],
            "basis": "article L. 131-2 du code de l'urbanisme",
            "rule": "scot__prise_en_compte__sraddet",
        },
        {
            "source": ref["plu"],
            "kind": "compatibilite",
            "target": ref["scot"],
            "basis": "article L. 131-4 du code de l'urbanisme",
            "rule": "plu__compatibilite__scot",
        },
    ]
    assert response.json()["missing"][0] == {
        "source": ref["plu"],
        "kind": "compatibilite",
        "target_type": "plh",
        "basis": "article L. 131-4 du code de l'urbanisme",
        "rule": "plu__compatibilite__plh",
        "message": "« PLU d’Ungersheim » doit être compatible avec un PLH : aucun n’est enregistré.",
    }
    assert [row["target_type"] for row in response.json()["missing"]] == ["plh", "pdm", "pcaet"]
    english = client.get(f"{BASE}/legal-links", headers={"Accept-Language": "en"})
    assert (
        english.json()["missing"][0]["message"]
        == "“PLU d’Ungersheim” must be compatible with a PLH: none is recorded."
    )
