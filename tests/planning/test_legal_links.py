"""Legal links between planning documents, from the référentiel's `document_link` grid, on known
documents: which must be compatible with (or take into account) which, and what is missing."""

import datetime

import pytest

from tests.pages import page_text
from tests.planning.test_documents import area, doc_type, grand_est, mulhouse_alsace, record, ungersheim
from tests.trust.world import build_world
from trajectoires.planning.legal_links import (
    legal_links,
    link_rules,
    territory_legal_links,
    type_short_name,
)
from trajectoires.planning.models import PlanningDocument
from trajectoires.referential.selectors import referential_items

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


@pytest.fixture
def rules():
    return link_rules(referential_items("document_link"))


def pairs(links):
    return [(link.source.title, link.rule.kind, link.target.title, link.rule.basis) for link in links.links]


def messages(links):
    return [missing.message for missing in links.missing]


def test_the_rules_come_from_the_referentiel(rules):
    assert len(rules) == 24
    first = rules[0]
    assert (first.code, first.source_type, first.target_type, first.kind, first.basis, first.screened_by) == (
        "scot__compatibilite__sraddet",
        "scot",
        "sraddet",
        "compatibilite",
        "article L. 131-1 du code de l'urbanisme",
        "",
    )
    # The direct links of local plans to the SRADDET hold only where no SCoT covers them.
    assert sorted(rule.code for rule in rules if rule.screened_by == "scot") == [
        "carte_communale__compatibilite__sraddet",
        "carte_communale__prise_en_compte__sraddet",
        "plu__compatibilite__sraddet",
        "plu__prise_en_compte__sraddet",
        "plui__compatibilite__sraddet",
        "plui__prise_en_compte__sraddet",
    ]
    assert [
        type_short_name(doc_type(code)) for code in ("scot", "pdm", "carte_communale", "projet_de_territoire")
    ] == [
        "SCoT",
        "PDM",
        "carte communale",
        "projet de territoire",
    ]


def test_the_links_of_a_commune_under_its_intercommunality_and_region(world):
    record(world, "sraddet", "SRADDET Grand Est", grand_est())
    record(world, "scot", "SCoT de la région mulhousienne", mulhouse_alsace())
    record(world, "pcaet", "PCAET m2A", mulhouse_alsace())
    record(world, "plu", "PLU d’Ungersheim", ungersheim())
    links = territory_legal_links(None, world.territory)
    scot, sraddet = "SCoT de la région mulhousienne", "SRADDET Grand Est"
    urbanisme, cgct = (
        "article L. 131-%s du code de l'urbanisme",
        "article L. 4251-3 du code général des collectivités territoriales",
    )
    assert pairs(links) == [
        (scot, "compatibilite", sraddet, urbanisme % 1),
        (scot, "prise_en_compte", sraddet, urbanisme % 2),
        ("PLU d’Ungersheim", "compatibilite", scot, urbanisme % 4),
        ("PLU d’Ungersheim", "compatibilite", "PCAET m2A", urbanisme % 5),
        ("PCAET m2A", "compatibilite", sraddet, cgct),
        ("PCAET m2A", "prise_en_compte", sraddet, cgct),
        ("PCAET m2A", "prise_en_compte", scot, ""),
    ]
    # The SCoT screens the SRADDET from the PLU: no direct link, and none missing.
    assert messages(links) == [
        "« PLU d’Ungersheim » doit être compatible avec un PLH : aucun n’est enregistré.",
        "« PLU d’Ungersheim » doit être compatible avec un PDM : aucun n’est enregistré.",
    ]


def test_without_a_scot_the_plan_answers_to_the_sraddet_directly(world):
    record(world, "sraddet", "SRADDET Grand Est", grand_est())
    record(world, "plu", "PLU d’Ungersheim", ungersheim())
    links = territory_legal_links(None, world.territory)
    assert pairs(links) == [
        ("PLU d’Ungersheim", "compatibilite", "SRADDET Grand Est", "article L. 131-6 du code de l'urbanisme"),
        (
            "PLU d’Ungersheim",
            "prise_en_compte",
            "SRADDET Grand Est",
            "article L. 131-6 du code de l'urbanisme",
        ),
    ]
    assert messages(links) == [
        "« PLU d’Ungersheim » doit être compatible avec un SCoT : aucun n’est enregistré.",
        "« PLU d’Ungersheim » doit être compatible avec un PLH : aucun n’est enregistré.",
        "« PLU d’Ungersheim » doit être compatible avec un PDM : aucun n’est enregistré.",
        "« PLU d’Ungersheim » doit être compatible avec un PCAET : aucun n’est enregistré.",
    ]


def test_a_link_holds_only_towards_a_body_containing_the_writer(rules):
    """Pure: a SCoT of another intercommunality does not bind the PLU; expired documents bind no one."""
    names = {"scot": "SCoT", "plh": "PLH", "pdm": "PDM", "pcaet": "PCAET", "sraddet": "SRADDET"}
    commune, epci, other_epci = 1, 2, 3
    plu = PlanningDocument(pk=10, doc_type=doc_type("plu"), title="PLU", writer_id=commune)
    foreign_scot = PlanningDocument(
        pk=11, doc_type=doc_type("scot"), title="SCoT voisin", writer_id=other_epci
    )
    expired_plh = PlanningDocument(
        pk=12, doc_type=doc_type("plh"), title="Ancien PLH", writer_id=epci, status="expired"
    )
    plh = PlanningDocument(pk=13, doc_type=doc_type("plh"), title="PLH", writer_id=epci)
    own_pcaet = PlanningDocument(pk=14, doc_type=doc_type("pcaet"), title="PCAET", writer_id=commune)
    links = legal_links(
        [plu, foreign_scot, expired_plh, plh, own_pcaet], rules, {commune: {epci}, other_epci: set()}, names
    )
    assert [(link.source.title, link.target.title) for link in links.links] == [
        ("PLU", "PLH"),
        ("PLU", "PCAET"),
    ]
    assert [(m.source.title, m.rule.code) for m in links.missing] == [
        ("SCoT voisin", "scot__compatibilite__sraddet"),
        ("SCoT voisin", "scot__prise_en_compte__sraddet"),
        ("PLU", "plu__compatibilite__scot"),
        ("PLU", "plu__compatibilite__pdm"),
        ("PLU", "plu__compatibilite__sraddet"),
        ("PLU", "plu__prise_en_compte__sraddet"),
        ("PCAET", "pcaet__compatibilite__sraddet"),
        ("PCAET", "pcaet__prise_en_compte__sraddet"),
        ("PCAET", "pcaet__prise_en_compte__scot"),
        ("PLH", "plh__compatibilite__scot"),
    ]
    assert links.missing[-2].message == "« PCAET » doit prendre en compte un SCoT : aucun n’est enregistré."
    assert [(link.source.title, link.target.title) for link in links.of(plh).links] == [("PLU", "PLH")]
    assert [m.message for m in links.of(plh).missing] == [
        "« PLH » doit être compatible avec un SCoT : aucun n’est enregistré."
    ]


def test_the_page_shows_the_links_as_a_table(client, world):
    record(world, "sraddet", "SRADDET Grand Est", grand_est())
    record(world, "scot", "SCoT de la région mulhousienne", mulhouse_alsace())
    plu = record(
        world, "plu", "PLU d’Ungersheim", ungersheim(), status="adopted", adopted_on=datetime.date(2019, 3, 1)
    )
    record(world, "pat", "PAT du Haut-Rhin", area("departement", "68"))
    body = page_text(client.get("/territoires/ungersheim/documents/"))
    assert (
        "Liens juridiques entre les documents Ce que la loi attend : un document doit être compatible avec "
        "(ne pas contrarier) ou prendre en compte (ne s’écarter que pour un motif justifié) les documents "
        "des structures dont la zone contient la sienne. Quel document doit être compatible avec quel "
        "autre, ou le prendre en compte Document Obligation Document de rang supérieur Base légale "
        "SCoT de la région mulhousienne doit être compatible avec SRADDET Grand Est "
        "article L. 131-1 du code de l'urbanisme "
        "SCoT de la région mulhousienne doit prendre en compte SRADDET Grand Est "
        "article L. 131-2 du code de l'urbanisme "
        "PLU d’Ungersheim doit être compatible avec SCoT de la région mulhousienne "
        "article L. 131-4 du code de l'urbanisme "
        "Documents attendus non enregistrés"
    ) in body
    detail = page_text(client.get(f"/territoires/ungersheim/documents/{plu.pk}/"))
    assert (
        "Ses liens juridiques Quel document doit être compatible avec quel autre, ou le prendre en compte "
        "Document Obligation Document de rang supérieur Base légale "
        "PLU d’Ungersheim doit être compatible avec SCoT de la région mulhousienne "
        "article L. 131-4 du code de l'urbanisme Documents attendus non enregistrés "
        "« PLU d’Ungersheim » doit être compatible avec un PLH : aucun n’est enregistré."
    ) in detail
