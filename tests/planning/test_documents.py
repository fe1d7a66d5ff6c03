"""Planning documents (K8): recorded once by a territory they bind, shared with every territory
inside their writing body, kept by the recording team; bad input named, nothing written."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import formats, timezone

from tests.pages import page_text
from tests.trust.world import build_world, client_as, person
from trajectoires.core.models import AuditEntry
from trajectoires.geo.models import Area
from trajectoires.geo.selectors import area_from_reference
from trajectoires.planning.coherence import coherence_assess
from trajectoires.planning.document_forms import DocumentForm
from trajectoires.planning.document_selectors import documents_of, due_for_review
from trajectoires.planning.documents import document_create, document_delete, document_update
from trajectoires.planning.models import CoherenceAssessment, PlanningDocument
from trajectoires.referential.models import Item, ReferentialVersion
from trajectoires.referential.selectors import referential_item
from trajectoires.steering.vision import OrientationInput, vision_save
from trajectoires.territories.models import TerritoryMembership
from trajectoires.territories.services import territory_create

pytestmark = pytest.mark.django_db
LIST = "/territoires/ungersheim/documents/"
NEW = "/territoires/ungersheim/documents/nouveau/"
TODAY = timezone.localdate()


@pytest.fixture
def world():
    return build_world()


def doc_type(code: str) -> Item:
    return referential_item("planning_document_type", code)


def area(kind: str, code: str) -> Area:
    return Area.objects.get(kind=kind, code=code)


def grand_est() -> Area:
    return area("region", "44")


def mulhouse_alsace() -> Area:
    return area("epci", "200066009")


def ungersheim() -> Area:
    return area("commune", "68343")


def strasbourg_territory(world):
    """Another commune of Grand Est, with its own admin."""
    territory = territory_create(
        actor=None,
        name="Strasbourg",
        kind="commune",
        areas=[area_from_reference("67482")],
        alliance_joined_on=datetime.date(2024, 1, 1),
    )
    admin = person("admin@strasbourg.example")
    TerritoryMembership.objects.create(user=admin, territory=territory, role="admin")
    world.people["strasbourg_admin"] = admin
    return territory


def record(world, code, title, writer, *, territory=None, actor="admin", **values):
    values = {"status": "in_preparation", "visibility": "public"} | values
    return document_create(
        actor=world.people[actor],
        territory=territory or world.territory,
        doc_type=doc_type(code),
        title=title,
        writer=writer,
        **values,
    )


def form_data(**values):
    return {
        "doc_type": "plu",
        "title": "PLU d’<em>Ungersheim</em>",
        "writer": "commune-68343",
        "status": "adopted",
        "adopted_on": "2019-03-12",
        "review_due_on": "2031-03-12",
        "link": "https://example.org/plu",
        "summary": "Zonage agricole renforcé.",
        "visibility": "public",
    } | values


def test_an_editor_records_a_document_and_the_change_is_audited(client, world):
    client_as(client, world, "editor")
    response = client.post(NEW, form_data(), follow=True)
    document = PlanningDocument.objects.get()
    assert response.redirect_chain == [(f"/territoires/ungersheim/documents/{document.pk}/", 302)]
    body = page_text(response)
    assert "Le document de planification a été enregistré." in body
    assert "PLU d’<em>Ungersheim</em> Plan local d'urbanisme (PLU) · Adopté · Public — tout le monde" in body
    assert "PLU d’&lt;em&gt;Ungersheim&lt;/em&gt;" in response.content.decode()
    assert (
        "Structure qui l’élabore Ungersheim (Commune) Statut Adopté Adopté le 12 mars 2019 "
        "Révision prévue le 12 mars 2031 Enregistré par Ungersheim Résumé Zonage agricole renforcé. "
        "Lire le document https://example.org/plu"
    ) in body
    assert (
        "Documents attendus non enregistrés « PLU d’<em>Ungersheim</em> » doit être compatible avec un "
        "SCoT : aucun n’est enregistré. (article L. 131-4 du code de l'urbanisme)"
    ) in body
    assert (document.territory, document.writer, document.author) == (
        world.territory,
        ungersheim(),
        world.people["editor"],
    )
    audit = AuditEntry.objects.get(action="planning_document.create")
    assert (audit.scope, audit.object_repr) == (
        f"territory:{world.territory.pk}",
        "PLU d’<em>Ungersheim</em>",
    )
    assert audit.changes == {
        "adopted_on": [None, "2019-03-12"],
        "doc_type": [None, "plu"],
        "link": [None, "https://example.org/plu"],
        "review_due_on": [None, "2031-03-12"],
        "status": [None, "adopted"],
        "summary": [None, "Zonage agricole renforcé."],
        "title": [None, "PLU d’<em>Ungersheim</em>"],
        "visibility": [None, "public"],
        "writer": [None, "commune-68343"],
    }


def test_the_form_offers_the_areas_binding_the_territory_from_the_region_down(client, world):
    client_as(client, world, "admin")
    form = client.get(NEW).content.decode()
    start = form.index('name="writer"')
    options = form[start : form.index("</select>", start)]
    assert [line.strip() for line in options.split("\n")[1:] if "option" in line] == [
        '<option value="region-44">Grand Est (Région)</option>',
        '<option value="departement-68">Haut-Rhin (Département)</option>',
        '<option value="epci-200066009">CA Mulhouse Alsace Agglomération (EPCI)</option>',
        '<option value="commune-68343">Ungersheim (Commune)</option>',
    ]


WRONG_INPUTS = [
    (
        {"doc_type": "scot", "writer": "commune-68343", "status": "in_preparation", "adopted_on": ""},
        "writer",
        "Un SCoT est élaboré par une intercommunalité (EPCI) ou un syndicat mixte, pas par une commune.",
    ),
    (
        {"doc_type": "carte_communale", "writer": "region-44"},
        "writer",
        "Une carte communale est élaborée par une commune ou une intercommunalité (EPCI), "
        "pas par une région.",
    ),
    (
        {"doc_type": "crte", "writer": "departement-68"},
        "writer",
        "Un CRTE est élaboré par l’État ou une intercommunalité (EPCI), pas par un département.",
    ),
    (
        {"writer": "commune-67482"},
        "writer",
        "« Strasbourg » ne couvre pas le territoire « Ungersheim » : choisissez son périmètre ou une zone "
        "qui le contient.",
    ),
    (
        {"writer": "commune-99999"},
        "writer",
        "Choisissez une zone de la géographie, nommée type-code (region-44, commune-68343).",
    ),
    (
        {"review_due_on": "2019-01-01"},
        "review_due_on",
        "La date de révision ne peut pas précéder la date d’adoption.",
    ),
    ({"adopted_on": ""}, "adopted_on", "Un document adopté a besoin de sa date d’adoption."),
    (
        {"adopted_on": (TODAY + datetime.timedelta(days=1)).isoformat(), "review_due_on": ""},
        "adopted_on",
        "La date d’adoption ne peut pas être dans le futur.",
    ),
]


@pytest.mark.parametrize(("values", "field", "message"), WRONG_INPUTS, ids=[case[1] for case in WRONG_INPUTS])
def test_bad_input_is_named_and_nothing_is_written(client, world, values, field, message):
    client_as(client, world, "editor")
    response = client.post(NEW, form_data(**values))
    assert response.status_code == 200
    assert message in page_text(response)
    assert PlanningDocument.objects.count() == 0
    assert not AuditEntry.objects.filter(action__startswith="planning_document").exists()


def test_the_service_names_each_field_at_fault(world):
    with pytest.raises(ValidationError) as refused:
        record(
            world,
            "scot",
            "",
            ungersheim(),
            status="adopted",
            adopted_on=TODAY + datetime.timedelta(days=3),
            review_due_on=TODAY,
        )
    assert refused.value.message_dict == {
        "title": ["Ce champ ne peut pas être vide."],
        "writer": [
            "Un SCoT est élaboré par une intercommunalité (EPCI) ou un syndicat mixte, pas par une commune."
        ],
        "adopted_on": ["La date d’adoption ne peut pas être dans le futur."],
        "review_due_on": ["La date de révision ne peut pas précéder la date d’adoption."],
    }
    assert PlanningDocument.objects.count() == 0


def test_a_higher_scale_document_must_be_readable_by_the_territories_it_binds(world):
    with pytest.raises(ValidationError) as refused:
        record(world, "scot", "SCoT de la région mulhousienne", mulhouse_alsace(), visibility="partners")
    assert refused.value.message_dict == {
        "visibility": [
            "Un document de « CA Mulhouse Alsace Agglomération » est partagé avec tous les territoires qu’il "
            "couvre : rendez-le lisible par l’alliance ou par tout le monde."
        ]
    }
    assert not PlanningDocument.objects.exists()
    # The territory's own document may stay with its team.
    assert record(world, "plu", "PLU d’Ungersheim", ungersheim(), visibility="private").pk


def test_a_second_document_in_force_is_refused_without_revealing_a_private_one(client, world):
    strasbourg = strasbourg_territory(world)
    record(world, "sraddet", "SRADDET confidentiel", grand_est(), visibility="alliance")
    client.force_login(world.people["strasbourg_admin"])
    response = client.post(
        "/territoires/strasbourg/documents/nouveau/",
        form_data(doc_type="sraddet", title="SRADDET Grand Est", writer="region-44"),
    )
    body = page_text(response)
    assert (
        "« Grand Est » a déjà un SRADDET en vigueur sur la plateforme, partagé par chaque territoire "
        "qu’elle couvre : il n’est enregistré qu’une fois."
    ) in body
    assert "confidentiel" not in response.content.decode()
    assert PlanningDocument.objects.count() == 1
    # Once the first one has expired, a new one can be recorded.
    first = PlanningDocument.objects.get()
    document_update(actor=world.people["admin"], document=first, status="expired")
    second = record(
        world, "sraddet", "SRADDET 2026", grand_est(), territory=strasbourg, actor="strasbourg_admin"
    )
    assert second.pk and PlanningDocument.objects.count() == 2
    # Nor may the old one come back into force beside it.
    with pytest.raises(ValidationError) as refused:
        document_update(actor=world.people["admin"], document=first, status="adopted", adopted_on=TODAY)
    assert list(refused.value.message_dict) == ["writer"]


def version_1_type(code: str) -> Item:
    return referential_item("planning_document_type", code, version=ReferentialVersion.objects.get(number=1))


def test_a_second_document_in_force_is_refused_across_versions_of_the_referentiel(client, world):
    """A SRADDET written with référentiel 1 and one with référentiel 2 (the current one) are two
    SRADDET of the same writer: the second is refused (decision 0009)."""
    strasbourg = strasbourg_territory(world)
    first = document_create(
        actor=world.people["admin"],
        territory=world.territory,
        doc_type=version_1_type("sraddet"),
        title="SRADDET Grand Est",
        writer=grand_est(),
        visibility="alliance",
    )
    refusal = (
        "« Grand Est » a déjà un SRADDET en vigueur sur la plateforme, partagé par chaque territoire "
        "qu’elle couvre : il n’est enregistré qu’une fois."
    )
    with pytest.raises(ValidationError) as refused:
        record(world, "sraddet", "SRADDET 2026", grand_est(), territory=strasbourg, actor="strasbourg_admin")
    assert refused.value.message_dict == {"writer": [refusal]}
    client.force_login(world.people["strasbourg_admin"])
    response = client.post(
        "/territoires/strasbourg/documents/nouveau/",
        form_data(doc_type="sraddet", title="SRADDET 2026", writer="region-44"),
    )
    assert refusal in page_text(response)
    assert list(PlanningDocument.objects.values_list("title", "doc_type__version__number")) == [
        ("SRADDET Grand Est", 1)
    ]
    # Once it has expired, the current version's SRADDET is recorded.
    document_update(actor=world.people["admin"], document=first, status="expired")
    second = record(
        world, "sraddet", "SRADDET 2026", grand_est(), territory=strasbourg, actor="strasbourg_admin"
    )
    assert (second.doc_type.code, second.doc_type.version.number) == ("sraddet", 2)


def test_an_unchanged_edit_keeps_a_version_1_type_and_a_new_type_takes_version_2(client, world):
    document = document_create(
        actor=world.people["admin"],
        territory=world.territory,
        doc_type=version_1_type("plu"),
        title="PLU",
        writer=ungersheim(),
        status="adopted",
        adopted_on=datetime.date(2020, 1, 1),
        visibility="public",
    )
    client_as(client, world, "editor")
    edit = f"/territoires/ungersheim/documents/{document.pk}/modifier/"
    form = client.get(edit).content.decode()
    assert '<option value="plu" selected>Plan local d&#x27;urbanisme (PLU)</option>' in form
    data = form_data(title="PLU révisé", adopted_on="2020-01-01", review_due_on="")
    checked = DocumentForm.for_document(document, data)
    assert checked.is_valid() and checked.cleaned_data["doc_type"] == document.doc_type
    assert client.post(edit, data).status_code == 302
    document.refresh_from_db()
    assert (document.title, document.doc_type.code, document.doc_type.version.number) == (
        "PLU révisé",
        "plu",
        1,
    )
    assert "doc_type" not in AuditEntry.objects.get(action="planning_document.update").changes
    # The service keeps it too when given the current version's row of the same type.
    document_update(actor=world.people["admin"], document=document, doc_type=doc_type("plu"))
    document.refresh_from_db()
    assert document.doc_type.version.number == 1
    assert client.post(edit, data | {"doc_type": "carte_communale"}).status_code == 302
    document.refresh_from_db()
    assert (document.doc_type.code, document.doc_type.version.number) == ("carte_communale", 2)
    assert AuditEntry.objects.filter(action="planning_document.update").order_by("pk").last().changes == {
        "doc_type": ["plu", "carte_communale"]
    }


def test_a_region_s_document_is_shared_inside_the_region_and_kept_by_its_recorder(client, world):
    strasbourg = strasbourg_territory(world)
    sraddet = record(world, "sraddet", "SRADDET Grand Est", grand_est(), visibility="alliance")
    own = record(world, "plu", "PLU d’Ungersheim", ungersheim())
    # Strasbourg reads the région's document, shared by Ungersheim, but not Ungersheim's PLU.
    client.force_login(world.people["strasbourg_admin"])
    body = page_text(client.get("/territoires/strasbourg/documents/"))
    assert "SRADDET Grand Est Schéma régional" in body and "Partagé par Ungersheim" in body
    assert "PLU d’Ungersheim" not in body
    detail = client.get(f"/territoires/strasbourg/documents/{sraddet.pk}/")
    assert "Partagé par Ungersheim : élaboré par Grand Est, il s’impose aussi à ce territoire." in page_text(
        detail
    )
    assert "Modifier" not in page_text(detail)
    assert client.get(f"/territoires/strasbourg/documents/{own.pk}/").status_code == 404
    # It cannot change or delete it: the same 404 as a missing document.
    assert client.get(f"/territoires/strasbourg/documents/{sraddet.pk}/modifier/").status_code == 404
    assert client.post(f"/territoires/strasbourg/documents/{sraddet.pk}/supprimer/").status_code == 404
    with pytest.raises(PermissionDenied):
        document_update(actor=world.people["strasbourg_admin"], document=sraddet, title="Pris")
    assert PlanningDocument.objects.get(pk=sraddet.pk).title == "SRADDET Grand Est"
    # Grande-Synthe, in Hauts-de-France, is not bound by it.
    assert list(documents_of(world.people["member_elsewhere"], world.elsewhere)) == []
    client.force_login(world.people["member_elsewhere"])
    assert client.get(f"/territoires/grande-synthe/documents/{sraddet.pk}/").status_code == 404
    assert "SRADDET Grand Est" not in page_text(client.get("/territoires/grande-synthe/documents/"))
    assert [d.title for d in documents_of(world.people["strasbourg_admin"], strasbourg)] == [
        "SRADDET Grand Est"
    ]


def test_the_recording_team_edits_and_deletes_with_audit_rows(client, world):
    document = record(
        world, "plu", "PLU", ungersheim(), status="adopted", adopted_on=datetime.date(2020, 1, 1)
    )
    client_as(client, world, "editor")
    edit = f"/territoires/ungersheim/documents/{document.pk}/modifier/"
    form = client.get(edit).content.decode()
    assert '<option value="commune-68343" selected>Ungersheim (Commune)</option>' in form
    response = client.post(
        edit,
        form_data(title="PLU révisé", status="under_revision", adopted_on="2020-01-01", review_due_on=""),
    )
    assert response.status_code == 302
    assert AuditEntry.objects.get(action="planning_document.update").changes == {
        "link": ["", "https://example.org/plu"],
        "status": ["adopted", "under_revision"],
        "summary": ["", "Zonage agricole renforcé."],
        "title": ["PLU", "PLU révisé"],
    }
    confirm = page_text(client.get(f"/territoires/ungersheim/documents/{document.pk}/supprimer/"))
    assert "Supprimer « PLU révisé » ? Chaque territoire compris" in confirm
    response = client.post(f"/territoires/ungersheim/documents/{document.pk}/supprimer/", follow=True)
    assert "Le document de planification a été supprimé." in page_text(response)
    assert PlanningDocument.objects.count() == 0
    assert AuditEntry.objects.get(action="planning_document.delete").changes["title"] == ["PLU révisé", None]


def test_contributors_and_viewers_may_not_add(client, world):
    for role in ("contributor", "viewer", "member_elsewhere"):
        client.logout()
        client_as(client, world, role)
        assert client.get(NEW).status_code == 404
        assert client.post(NEW, form_data()).status_code == 404
    client.logout()
    assert client.get(NEW).status_code == 302
    assert PlanningDocument.objects.count() == 0


def test_the_list_goes_from_the_region_down_with_review_marks(client, world):
    soon = TODAY + datetime.timedelta(days=90)
    record(world, "plu", "PLU d’Ungersheim", ungersheim(), review_due_on=soon)
    record(
        world, "pcaet", "PCAET m2A", mulhouse_alsace(), status="adopted", adopted_on=datetime.date(2019, 1, 1)
    )
    record(
        world,
        "pat",
        "PAT du Haut-Rhin",
        area("departement", "68"),
        review_due_on=TODAY - datetime.timedelta(days=1),
    )
    record(
        world, "sraddet", "SRADDET Grand Est", grand_est(), review_due_on=TODAY + datetime.timedelta(days=400)
    )
    body = page_text(client.get(LIST))
    headings = [
        body.index(f" {name} {name} · 1 document")
        for name in ("Région", "Département", "Intercommunalité (EPCI)", "Commune")
    ]
    assert headings == sorted(headings)
    yesterday = formats.date_format(TODAY - datetime.timedelta(days=1), "DATE_FORMAT")
    pat = "PAT du Haut-Rhin Projet alimentaire territorial (PAT) Haut-Rhin En préparation"
    assert f"{pat} – {yesterday}" in body
    assert body.count("Révision dépassée") == 1
    assert body.count("Révision dans moins de six mois") == 1
    assert "Ce territoire" in body
    due = due_for_review(documents_of(None, world.territory), today=TODAY)
    assert [d.title for d in due] == ["PAT du Haut-Rhin", "PLU d’Ungersheim"]


def test_the_list_filters_by_status_and_type(client, world):
    record(world, "plu", "PLU d’Ungersheim", ungersheim())
    record(
        world, "pcaet", "PCAET m2A", mulhouse_alsace(), status="adopted", adopted_on=datetime.date(2019, 1, 1)
    )
    body = page_text(client.get(LIST, {"status": "adopted"}))
    assert "PCAET m2A" in body and "PLU d’Ungersheim Plan" not in body
    body = page_text(client.get(LIST, {"type": "plu"}))
    assert "PLU d’Ungersheim Plan" in body and "PCAET m2A Plan" not in body
    body = page_text(client.get(LIST, {"type": "scot"}))
    assert "Aucun document de planification ne correspond à ces filtres." in body


def test_list_and_detail_cost_the_same_queries_whatever_the_data(client, world):
    client_as(client, world, "admin")
    plu = record(world, "plu", "PLU", ungersheim(), status="adopted", adopted_on=datetime.date(2020, 1, 1))

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    detail = f"/territoires/ungersheim/documents/{plu.pk}/"
    one = (count(LIST), count(detail))
    record(world, "sraddet", "SRADDET", grand_est(), visibility="alliance")
    record(world, "scot", "SCoT", mulhouse_alsace(), visibility="public")
    record(world, "pcaet", "PCAET", mulhouse_alsace(), visibility="alliance")
    record(world, "plh", "PLH", mulhouse_alsace(), visibility="alliance")
    for index in range(30):
        record(world, "plu", f"Ancien PLU {index}", ungersheim(), status="expired")
    assert (count(LIST), count(detail)) == one
    assert "Ancien PLU 29" in page_text(client.get(LIST))


def test_deleting_a_shared_document_records_each_territory_s_lost_assessments_in_its_history(world):
    strasbourg = strasbourg_territory(world)
    sraddet = record(world, "sraddet", "SRADDET Grand Est", grand_est(), visibility="alliance")
    cells = {}
    for territory, admin in ((world.territory, "admin"), (strasbourg, "strasbourg_admin")):
        vision = vision_save(
            actor=world.people[admin],
            territory=territory,
            expected_version=0,
            horizon_year=timezone.localdate().year + 15,
            statement="Un territoire nourricier.",
            orientations=[OrientationInput("Manger local", [referential_item("essential_need", "food")])],
            reason="Conseil",
            visibility="public",
        )
        cells[territory.slug] = coherence_assess(
            actor=world.people[admin],
            territory=territory,
            document=sraddet,
            orientation=vision.orientations.get(),
            value="coherent",
            reason=f"Avis de {territory.name}.",
        )
    document_delete(actor=world.people["admin"], document=sraddet)
    assert CoherenceAssessment.objects.count() == 0
    deleted = AuditEntry.objects.filter(action="coherence.delete").order_by("scope")
    assert [(entry.scope, entry.object_id, entry.changes["reason"]) for entry in deleted] == sorted(
        [
            (f"territory:{world.territory.pk}", str(cells["ungersheim"].pk), ["Avis de Ungersheim.", None]),
            (f"territory:{strasbourg.pk}", str(cells["strasbourg"].pk), ["Avis de Strasbourg.", None]),
        ]
    )
    assert {entry.actor_label for entry in deleted} == {str(world.people["admin"].pk)}
