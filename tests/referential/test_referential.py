import re

import pytest
from django.db.models import Count

from trajectoires.referential.models import Item, ReferentialVersion
from trajectoires.referential.selectors import referential_item, referential_items

pytestmark = pytest.mark.django_db


VERSION_1_GRIDS = {
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
}


def _items_per_grid(number: int) -> dict[str, int]:
    items = Item.objects.filter(version__number=number)
    return dict(items.values_list("grid__code").annotate(n=Count("pk")))


def test_version_1_holds_every_grid_of_the_source():
    per_grid = _items_per_grid(1)
    assert per_grid["document_link"] >= 10
    assert per_grid == VERSION_1_GRIDS | {"document_link": per_grid["document_link"]}


def test_version_2_is_current_and_keeps_every_code_of_version_1():
    assert list(ReferentialVersion.objects.values_list("number", flat=True)) == [2, 1]
    codes = {
        number: set(Item.objects.filter(version__number=number).values_list("grid__code", "code"))
        for number in (1, 2)
    }
    assert codes[1] < codes[2]
    assert codes[2] - codes[1] == {("maturity_level", f"M{n}") for n in range(1, 6)} | {
        ("checklist_progress", code) for code in ("not_started", "started", "well_advanced", "achieved")
    }
    assert not Item.objects.filter(version__number=2, parent__version__number=1).exists()


def test_each_key_action_describes_its_five_maturity_levels_in_both_languages():
    levels = list(referential_items("maturity_level").values_list("code", "label_fr"))
    assert levels == [
        ("M1", "Pas encore engagé"),
        ("M2", "Premiers pas"),
        ("M3", "En construction"),
        ("M4", "Installé"),
        ("M5", "Ancré et transmis"),
    ]
    for key_action in referential_items("key_action"):
        for language in ("fr", "en"):
            described = key_action.extra[f"levels_{language}"]
            assert len(described) == 5 and all(len(text) >= 40 for text in described), key_action.code
    assert [item.extra["score"] for item in referential_items("checklist_progress")] == [0, 1, 2, 3]


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
    grids = ["key_action", "funder_commitment", "stop", "start"]
    for item in Item.objects.filter(grid__code__in=grids):
        assert item.label_fr and item.label_en and item.description_fr and item.description_en
        assert item.source_line > 0 and item.source_excerpt


def test_the_public_page_presents_the_referential_in_both_languages(client):
    french = client.get("/referentiel/").content.decode()
    english = client.get("/en/referentiel/").content.decode()
    assert re.search(
        r'<dt id="key_action-K1"><span class="item-code">K1</span> Définir une vision inspirante', french
    )
    k1_en = referential_item("key_action", "K1").label_en
    assert f'<span class="item-code">K1</span> {k1_en}' in english
    assert '<h2 id="funder_commitment">' in french
    k1 = referential_item("key_action", "K1")
    summary = "<summary>Ce que veut dire chaque niveau de maturité</summary>"
    assert f"{summary}\n        <ol><li>{k1.extra['levels_fr'][0]}</li>" in french
    assert f"<li>{k1.extra['levels_en'][4]}</li></ol>" in english
