"""Programmes and their rules, through the services: written by a funder admin only, validated field
by field, audited in the funder's log; a funder's area of competence; the eligibility checks
(`share_problems`, `territory_within`) on the real geography."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from tests.funding.builders import build_funding_world
from trajectoires.accounts.models import FunderMembership
from trajectoires.core.models import AuditEntry
from trajectoires.funding.models import FunderArea, Programme
from trajectoires.funding.programmes import (
    ProgrammeInput,
    competence_set,
    programme_create,
    programme_update,
    share_problems,
    territory_within,
)
from trajectoires.geo.selectors import area_from_reference
from trajectoires.referential.selectors import referential_item
from trajectoires.territories.permissions import forget_viewer_scope
from trajectoires.territories.services import territory_create

pytestmark = pytest.mark.django_db
JOINED = datetime.date(2024, 1, 1)


@pytest.fixture
def fw():
    return build_funding_world()


def category(code):
    return referential_item("budget_line_category", code)


def area(reference):
    return area_from_reference(reference)


def trail(action):
    return list(AuditEntry.objects.filter(action=action).order_by("id").values_list("scope", "changes"))


def test_a_funder_admin_creates_a_programme_audited_in_the_funders_log(fw):
    programme = programme_create(
        actor=fw.region_admin,
        funder=fw.region,
        data=ProgrammeInput(
            name="  Ingénierie rurale  ",
            description="Pour les communes de moins de 3 500 habitants.",
            territory_kinds=["epci", "commune", "commune"],
            areas=[area("region:44"), area("68")],
            categories=[category("training_action"), category("human_engineering")],
            diagnostic_categories=[category("human_engineering")],
            min_years=2,
            max_years=4,
            cofinancing_cap=Decimal("33.50"),
        ),
    )
    programme.refresh_from_db()
    assert (programme.funder, programme.name, programme.slug, programme.is_open) == (
        fw.region,
        "Ingénierie rurale",
        "ingenierie-rurale",
        True,
    )
    assert programme.territory_kinds == ["commune", "epci"]
    assert sorted(programme.areas.values_list("kind", "code")) == [("departement", "68"), ("region", "44")]
    assert sorted(programme.categories.values_list("code", flat=True)) == [
        "human_engineering",
        "training_action",
    ]
    assert list(programme.diagnostic_categories.values_list("code", flat=True)) == ["human_engineering"]
    assert (programme.min_years, programme.max_years, programme.cofinancing_cap) == (2, 4, Decimal("33.50"))
    entry = AuditEntry.objects.filter(action="programme.create").latest("id")
    assert (entry.actor_label, entry.object_type, entry.object_id, entry.scope) == (
        str(fw.region_admin.pk),
        "funding.programme",
        str(programme.pk),
        f"funder:{fw.region.pk}",
    )
    assert entry.changes == {
        "name": [None, "Ingénierie rurale"],
        "description": [None, "Pour les communes de moins de 3 500 habitants."],
        "is_open": [None, True],
        "territory_kinds": [None, ["commune", "epci"]],
        "areas": [None, ["44", "68"]],
        "categories": [None, ["human_engineering", "training_action"]],
        "diagnostic_categories": [None, ["human_engineering"]],
        "min_years": [None, 2],
        "max_years": [None, 4],
        "cofinancing_cap": [None, "33.50"],
    }


@pytest.mark.parametrize("who", ["region_officer", "prefecture_admin", "territory_admin", "staff"])
def test_only_the_funders_admin_writes_its_programmes(fw, who):
    actor = {
        "region_officer": fw.region_officer,
        "prefecture_admin": fw.prefecture_admin,
        "territory_admin": fw.people["admin"],
        "staff": fw.people["staff"],
    }[who]
    before = (Programme.objects.count(), AuditEntry.objects.count())
    with pytest.raises(PermissionDenied):
        programme_create(actor=actor, funder=fw.region, data=ProgrammeInput(name="Autre programme"))
    with pytest.raises(PermissionDenied):
        programme_update(actor=actor, programme=fw.region_programme, data=ProgrammeInput(name="Renommé"))
    with pytest.raises(PermissionDenied):
        competence_set(actor=actor, funder=fw.region, areas=[area("region:44")])
    assert (Programme.objects.count(), AuditEntry.objects.count()) == before
    fw.region_programme.refresh_from_db()
    assert fw.region_programme.name == "Territoires en transition Grand Est"
    assert not FunderArea.objects.exists()


@pytest.mark.parametrize(
    ("values", "errors"),
    [
        ({"name": "   "}, {"name": ["Un programme a un nom."]}),
        (
            {"min_years": 5, "max_years": 3},
            {"min_years": ["Les durées vont de 1 à 10 ans, la minimale d’abord."]},
        ),
        ({"min_years": 0}, {"min_years": ["Les durées vont de 1 à 10 ans, la minimale d’abord."]}),
        ({"max_years": 11}, {"min_years": ["Les durées vont de 1 à 10 ans, la minimale d’abord."]}),
        (
            {"cofinancing_cap": Decimal(0)},
            {"cofinancing_cap": ["Un plafond de cofinancement est une part comprise entre 0 et 100 %."]},
        ),
        (
            {"cofinancing_cap": Decimal("100.01")},
            {"cofinancing_cap": ["Un plafond de cofinancement est une part comprise entre 0 et 100 %."]},
        ),
        (
            {"territory_kinds": ["commune", "canton", "quartier"]},
            {"territory_kinds": ["Type de territoire inconnu : canton, quartier."]},
        ),
        (
            {"categories": [("key_action", "K1")]},
            {"categories": ["Choisissez des catégories de lignes budgétaires du référentiel."]},
        ),
        (
            {"diagnostic_categories": [("funder_type", "region")]},
            {"categories": ["Choisissez des catégories de lignes budgétaires du référentiel."]},
        ),
        (
            {"name": "", "min_years": 4, "max_years": 2, "cofinancing_cap": Decimal(-5)},
            {
                "name": ["Un programme a un nom."],
                "min_years": ["Les durées vont de 1 à 10 ans, la minimale d’abord."],
                "cofinancing_cap": ["Un plafond de cofinancement est une part comprise entre 0 et 100 %."],
            },
        ),
    ],
    ids=[
        "no-name",
        "min-above-max",
        "min-zero",
        "max-eleven",
        "cap-zero",
        "cap-above-100",
        "unknown-kind",
        "category-of-another-grid",
        "diagnostic-category-of-another-grid",
        "several",
    ],
)
def test_a_programme_with_bad_rules_is_refused_field_by_field_and_nothing_written(fw, values, errors):
    values = {  # items are named (grid, code) here: the database is not there when parameters are
        key: [referential_item(*value) if isinstance(value, tuple) else value for value in values]
        if isinstance(values, list)
        else values
        for key, values in values.items()
    }
    before = (Programme.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ValidationError) as error:
        programme_create(
            actor=fw.region_admin, funder=fw.region, data=ProgrammeInput(**{"name": "P"} | values)
        )
    assert error.value.message_dict == errors
    with pytest.raises(ValidationError) as error:
        programme_update(
            actor=fw.region_admin,
            programme=fw.region_programme,
            data=ProgrammeInput(**{"name": "P"} | values),
        )
    assert error.value.message_dict == errors
    assert (Programme.objects.count(), AuditEntry.objects.count()) == before
    fw.region_programme.refresh_from_db()
    assert (fw.region_programme.name, fw.region_programme.min_years) == (
        "Territoires en transition Grand Est",
        3,
    )


def test_the_bounds_themselves_are_accepted(fw):
    programme = programme_create(
        actor=fw.region_admin,
        funder=fw.region,
        data=ProgrammeInput(name="Large", min_years=1, max_years=10, cofinancing_cap=Decimal(100)),
    )
    assert (programme.min_years, programme.max_years, programme.cofinancing_cap) == (1, 10, Decimal(100))
    one_year = programme_create(
        actor=fw.region_admin,
        funder=fw.region,
        data=ProgrammeInput(name="Court", min_years=1, max_years=1, cofinancing_cap=Decimal("0.01")),
    )
    assert (one_year.min_years, one_year.max_years, one_year.cofinancing_cap) == (1, 1, Decimal("0.01"))


def test_slugs_are_unique_within_a_funder(fw):
    def create(actor, funder, name):
        return programme_create(actor=actor, funder=funder, data=ProgrammeInput(name=name)).slug

    assert fw.region_programme.slug == "territoires-en-transition-grand-est"
    assert fw.state_programme.slug == "fonds-vert-ingenierie"
    assert create(fw.region_admin, fw.region, "Territoires en transition Grand Est") == (
        "territoires-en-transition-grand-est-2"
    )
    assert create(fw.region_admin, fw.region, "Territoires en transition — Grand Est !") == (
        "territoires-en-transition-grand-est-3"
    )
    # Another funder may use the same slug: a programme's address is under its funder's.
    assert create(fw.prefecture_admin, fw.world.partner, "Territoires en transition Grand Est") == (
        "territoires-en-transition-grand-est"
    )
    assert create(fw.region_admin, fw.region, "!!!") == "programme"
    assert create(fw.region_admin, fw.region, "???") == "programme-2"


def test_an_update_keeps_the_slug_and_audits_only_what_changed(fw):
    programme = fw.region_programme
    categories = list(programme.categories.all())
    programme_update(
        actor=fw.region_admin,
        programme=programme,
        data=ProgrammeInput(
            name="Territoires en transition (Grand Est)",
            areas=[area("region:44")],
            categories=categories,
            min_years=3,
            max_years=6,
            cofinancing_cap=Decimal("40"),
            is_open=False,
        ),
    )
    programme.refresh_from_db()
    assert (programme.slug, programme.name, programme.is_open, programme.cofinancing_cap) == (
        "territoires-en-transition-grand-est",
        "Territoires en transition (Grand Est)",
        False,
        Decimal("40.00"),
    )
    assert trail("programme.update") == [
        (
            f"funder:{fw.region.pk}",
            {
                "cofinancing_cap": ["50.00", "40.00"],
                "is_open": [True, False],
                "name": ["Territoires en transition Grand Est", "Territoires en transition (Grand Est)"],
            },
        )
    ]
    # Read back from the database (40.00), the same cap typed as 40 is no change.
    programme_update(
        actor=fw.region_admin,
        programme=programme,
        data=ProgrammeInput(
            name="Territoires en transition (Grand Est)",
            areas=[area("region:44")],
            categories=categories,
            min_years=3,
            max_years=6,
            cofinancing_cap=Decimal("40"),
            is_open=True,
        ),
    )
    assert trail("programme.update")[1:] == [(f"funder:{fw.region.pk}", {"is_open": [False, True]})]


def test_a_funder_admin_sets_its_area_of_competence_and_each_change_is_audited(fw):
    competence_set(actor=fw.region_admin, funder=fw.region, areas=[area("region:44")])
    assert list(FunderArea.objects.filter(funder=fw.region).values_list("area__kind", "area__code")) == [
        ("region", "44")
    ]
    competence_set(actor=fw.region_admin, funder=fw.region, areas=[area("68"), area("67")])
    assert sorted(FunderArea.objects.filter(funder=fw.region).values_list("area__code", flat=True)) == [
        "67",
        "68",
    ]
    competence_set(actor=fw.region_admin, funder=fw.region, areas=[])
    assert not FunderArea.objects.filter(funder=fw.region).exists()
    scope = f"funder:{fw.region.pk}"
    assert trail("funder.competence") == [
        (scope, {"areas": [[], ["44"]]}),
        (scope, {"areas": [["44"], ["67", "68"]]}),
        (scope, {"areas": [["67", "68"], []]}),
    ]
    entry = AuditEntry.objects.filter(action="funder.competence").latest("id")
    assert (entry.object_type, entry.object_id) == ("accounts.funder", str(fw.region.pk))


def test_a_new_admin_of_the_funder_may_write_once_a_member(fw):
    newcomer = fw.region_officer
    with pytest.raises(PermissionDenied):
        programme_create(actor=newcomer, funder=fw.region, data=ProgrammeInput(name="Essai"))
    FunderMembership.objects.filter(user=newcomer).update(role="admin")
    forget_viewer_scope(newcomer)
    assert (
        programme_create(actor=newcomer, funder=fw.region, data=ProgrammeInput(name="Essai")).slug == "essai"
    )


def test_a_territory_lies_within_the_areas_that_contain_its_perimeter(fw):
    ungersheim, grande_synthe = fw.territory, fw.world.elsewhere
    ids = {reference: area(reference).pk for reference in ("68343", "68", "region:44", "59", "region:32")}
    assert territory_within(ungersheim, {ids["68343"]})
    assert territory_within(ungersheim, {ids["68"]})
    assert territory_within(ungersheim, {ids["region:44"]})
    assert territory_within(ungersheim, {ids["59"], ids["region:44"]})
    assert not territory_within(ungersheim, {ids["59"]})
    assert not territory_within(ungersheim, {ids["region:32"]})
    assert territory_within(grande_synthe, {ids["region:32"]})
    assert not territory_within(grande_synthe, {ids["region:44"], ids["68"]})
    # Every area of the perimeter must be inside: a perimeter across two régions is not.
    across = territory_create(
        actor=None,
        name="Entre deux régions",
        kind="other",
        areas=[area("68343"), area("59271")],
        alliance_joined_on=JOINED,
    )
    assert not territory_within(across, {ids["region:44"]})
    assert territory_within(across, {ids["region:44"], ids["region:32"]})


def test_share_problems_names_each_broken_rule_by_field(fw):
    region, state = fw.region_programme, fw.state_programme
    ungersheim, grande_synthe = fw.territory, fw.world.elsewhere
    total = Decimal("300000.00")
    assert share_problems(region, ungersheim, 2027, 2029, Decimal("150000.00"), total) == {}
    assert share_problems(state, grande_synthe, 2027, 2031, Decimal("240000.00"), total) == {}
    assert share_problems(region, grande_synthe, 2027, 2029, Decimal("100000.00"), total) == {
        "territory": "Grande-Synthe est hors des zones du programme « Territoires en transition Grand Est »."
    }
    assert share_problems(region, ungersheim, 2027, 2033, Decimal("150000.01"), total) == {
        "end_year": (
            "Le programme « Territoires en transition Grand Est » finance des contrats de 3 à 6 ans ; "
            "celui-ci en dure 7."
        ),
        "amount": "Le programme « Territoires en transition Grand Est » finance au plus 50 % d’un contrat.",
    }
    assert share_problems(state, ungersheim, 2027, 2028, Decimal("240000.01"), total) == {
        "end_year": (
            "Le programme « Fonds vert — ingénierie » finance des contrats de 3 à 5 ans ; celui-ci en dure 2."
        ),
        "amount": "Le programme « Fonds vert — ingénierie » finance au plus 80 % d’un contrat.",
    }
    haut_rhin = territory_create(
        actor=None, name="Haut-Rhin", kind="departement", areas=[area("68")], alliance_joined_on=JOINED
    )
    assert share_problems(state, haut_rhin, 2027, 2029, Decimal("1.00"), total) == {
        "territory": "Le programme « Fonds vert — ingénierie » ne finance pas ce type de territoire."
    }
    # The Haut-Rhin lies in the Grand Est: the Région's programme funds any kind there.
    assert share_problems(region, haut_rhin, 2027, 2029, Decimal("1.00"), total) == {}
    # A cap with decimals is written in the reader's language; a total of zero has no cap to break.
    programme_update(
        actor=fw.region_admin,
        programme=region,
        data=ProgrammeInput(
            name=region.name, areas=[area("region:44")], max_years=6, cofinancing_cap=Decimal("12.5")
        ),
    )
    assert share_problems(region, ungersheim, 2027, 2029, Decimal("37500.01"), total) == {
        "amount": "Le programme « Territoires en transition Grand Est » finance au plus 12,50 % d’un contrat."
    }
    assert share_problems(region, ungersheim, 2027, 2029, Decimal("37500.00"), total) == {}
    assert share_problems(region, ungersheim, 2027, 2029, Decimal("10.00"), Decimal(0)) == {}


def test_share_problems_in_english(fw):
    with translation.override("en"):
        assert share_problems(
            fw.region_programme, fw.world.elsewhere, 2027, 2029, Decimal("200000.00"), Decimal("300000.00")
        ) == {
            "territory": (
                "Grande-Synthe lies outside the areas of the programme “Territoires en transition Grand Est”."
            ),
            "amount": "The programme “Territoires en transition Grand Est” pays at most 50 % of a contract.",
        }
