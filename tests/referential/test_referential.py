import re

import pytest
from django.db.models import Count

from trajectoires.referential.models import Item, ReferentialVersion
from trajectoires.referential.selectors import referential_items

pytestmark = pytest.mark.django_db


def test_version_1_holds_every_grid_of_the_source():
    version = ReferentialVersion.objects.get()
    assert version.number == 1
    per_grid = dict(Item.objects.values_list("grid__code").annotate(n=Count("pk")))
    assert per_grid == {
        "posture": 3,
        "key_action": 10,
        "funder_commitment": 10,
        "stop": 5,
        "start": 5,
        "assembly_mission": 3,
        "need_group": 3,
        "essential_need": 11,
        "actor_category": 7,
        "participation_level": 5,
        "budget_line_category": 8,
        "systemic_effect": 3,
        "funder_type": 7,
        "planning_document_type": 16,
        "document_link": per_grid["document_link"],
    }
    assert per_grid["document_link"] >= 10


def test_ids_are_the_ones_of_the_specification():
    assert list(referential_items("key_action").values_list("code", flat=True)) == [
        f"K{n}" for n in range(1, 11)
    ]
    assert list(referential_items("funder_commitment").values_list("code", flat=True)) == [
        f"F{n}" for n in range(1, 11)
    ]
    assert list(referential_items("stop").values_list("code", flat=True)) == ["S1", "S2", "S3", "S4", "S5"]
    assert list(referential_items("start").values_list("code", flat=True)) == ["C1", "C2", "C3", "C4", "C5"]
    assert list(referential_items("assembly_mission").values_list("code", flat=True)) == ["A1", "A2", "A3"]


def test_key_actions_sit_under_their_posture():
    parents = dict(referential_items("key_action").values_list("code", "parent__code"))
    assert parents == {
        "K1": "P1",
        "K2": "P1",
        "K3": "P1",
        "K4": "P2",
        "K5": "P2",
        "K6": "P2",
        "K7": "P2",
        "K8": "P3",
        "K9": "P3",
        "K10": "P3",
    }


def test_the_four_fantastiques_and_the_eleven_needs():
    fantastiques = [item.code for item in referential_items("actor_category") if item.extra["fantastique"]]
    assert fantastiques == ["elu", "agent", "etat_territorial", "socio_economique"]
    groups = dict(referential_items("essential_need").values_list("code", "parent__code"))
    assert [code for code, group in groups.items() if group == "vital"] == [
        "water",
        "food",
        "shelter",
        "care",
        "safety",
    ]
    assert len(groups) == 11
    ranks = [item.extra["rank"] for item in referential_items("participation_level")]
    assert ranks == [1, 2, 3, 4, 5]


def test_every_item_is_bilingual_and_traced_to_its_source_line():
    for item in Item.objects.filter(grid__code__in=["key_action", "funder_commitment", "stop", "start"]):
        assert item.label_fr and item.label_en and item.description_fr and item.description_en
        assert item.source_line > 0 and item.source_excerpt


def test_the_public_page_presents_the_referential_in_both_languages(client):
    french = client.get("/referentiel/").content.decode()
    english = client.get("/en/referentiel/").content.decode()
    assert re.search(
        r'<dt id="key_action-K1"><span class="item-code">K1</span> Définir une vision inspirante', french
    )
    k1_en = Item.objects.get(code="K1").label_en
    assert f'<span class="item-code">K1</span> {k1_en}' in english
    assert '<h2 id="funder_commitment">' in french
