"""Systemic effects and indicators, through their services: an effect assessed per period with its
reasoning and evidence, the network backing cooperation only; indicators whose values keep their
unit; every rule refused with its message and nothing written. The helpers here (`assess`,
`an_indicator`) serve the page, API and report tests."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tests.evaluation.test_stories import a_domain, a_period, a_story
from tests.trust.world import build_world
from trajectoires.cooperation.rounds import survey_round_create
from trajectoires.core.models import AuditEntry
from trajectoires.evaluation.effects import (
    effect_save,
    indicator_save,
    indicator_value_save,
    period_effects,
    readable_indicators,
)
from trajectoires.evaluation.models import EffectAssessment, IndicatorValue
from trajectoires.referential.selectors import referential_item

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


def assess(world, period, code="posture", level="growing", **values):
    return effect_save(
        actor=world.people[values.pop("by", "admin")],
        territory=world.territory,
        period=period,
        effect=referential_item("systemic_effect", code),
        level=level,
        reasoning=values.pop("reasoning", "Les élus co-construisent désormais les arbitrages."),
        **values,
    )


def an_indicator(world, name="Émissions du territoire", unit="tco2e", **values):
    return indicator_save(
        actor=world.people["admin"],
        territory=world.territory,
        name=name,
        unit=unit,
        visibility="public",
        **values,
    )


def test_an_effect_is_assessed_with_evidence_and_reasoning(world):
    period = a_period(world)
    story = a_story(world, period, a_domain(world))
    assess(world, period, stories=[story], visibility="public")
    stored = EffectAssessment.objects.get()
    assert (stored.effect.code, stored.level, list(stored.stories.all())) == ("posture", "growing", [story])
    rows = period_effects(None, world.territory, period)
    assert [
        (row.effect.code, row.assessment is not None, [s.title for s in row.stories]) for row in rows
    ] == [
        ("cooperation", False, []),
        ("posture", True, ["La cantine a changé nos menus"]),
        ("resilience", False, []),
    ]
    assert AuditEntry.objects.get(action="effect_assessment.create").changes["level"] == [None, "growing"]


def test_an_effect_without_evidence_or_twice_is_refused(world):
    period = a_period(world)
    with pytest.raises(ValidationError) as error:
        assess(world, period, level="soaring", reasoning=" ")
    assert error.value.message_dict == {
        "level": ["La valeur «\xa0'soaring'\xa0» n’est pas un choix valide."],
        "reasoning": ["Ce champ ne peut pas être vide."],
        "evidence": [
            "Appuyez l’appréciation sur au moins une histoire, un résultat "
            "ou un relevé du réseau de coopération."
        ],
    }
    story = a_story(world, period, a_domain(world))
    assess(world, period, stories=[story])
    with pytest.raises(ValidationError) as error:
        assess(world, period, stories=[story])
    assert error.value.message_dict == {"effect": ["Cet effet est déjà apprécié pour cette période."]}
    assert EffectAssessment.objects.count() == 1
    with pytest.raises(PermissionDenied):
        assess(world, period, code="resilience", by="contributor", stories=[story])


def test_the_network_backs_cooperation_only(world):
    period = a_period(world)
    survey = survey_round_create(
        actor=world.people["admin"],
        territory=world.territory,
        title="Relevé 2026",
        held_on=datetime.date(2026, 5, 1),
        visibility="public",
    )
    with pytest.raises(ValidationError) as error:
        assess(world, period, code="resilience", network_round=survey)
    assert error.value.message_dict == {
        "network_round": ["Le réseau de coopération n’appuie que l’effet coopération."]
    }
    assess(world, period, code="cooperation", network_round=survey)
    (cooperation, _posture, _resilience) = period_effects(world.people["viewer"], world.territory, period)
    assert cooperation.network_round == survey


def test_indicator_values_keep_their_unit(world):
    period = a_period(world)
    indicator = an_indicator(world, name="Part de bio à la cantine", unit="percent")
    with pytest.raises(ValidationError) as error:
        indicator_value_save(
            actor=world.people["admin"],
            indicator=indicator,
            period=period,
            unit="km",
            actual=Decimal("120"),
            target=Decimal("-1"),
        )
    assert error.value.message_dict == {
        "unit": ["Cet indicateur se mesure en % : donnez ses valeurs en %."],
        "actual": ["Une part est comprise entre 0 et 100 %."],
        "target": ["Cette valeur ne peut pas être négative."],
    }
    assert not IndicatorValue.objects.exists()
    indicator_value_save(
        actor=world.people["admin"],
        indicator=indicator,
        period=period,
        unit="percent",
        target=Decimal("50"),
        actual=Decimal("42.5"),
        comment="Hors goûters.",
    )
    indicator_value_save(
        actor=world.people["admin"],
        indicator=indicator,
        period=period,
        unit="%",
        target=Decimal("50"),
        actual=Decimal("45"),
    )
    assert list(IndicatorValue.objects.values_list("target", "actual", "comment")) == [
        (Decimal("50.00"), Decimal("45.00"), "")
    ]
    with pytest.raises(ValidationError) as error:
        indicator_save(
            actor=world.people["admin"],
            territory=world.territory,
            name="Part de bio à la cantine",
            unit="km",
            indicator=indicator,
        )
    assert error.value.message_dict == {
        "unit": ["Cet indicateur a des valeurs : son unité ne peut pas changer."]
    }
    (read,) = readable_indicators(None, world.territory)
    assert [(value.period.label, value.actual) for value in read.values.all()] == [
        ("Printemps 2026", Decimal("45.00"))
    ]


def test_a_custom_unit_is_named(world):
    with pytest.raises(ValidationError) as error:
        an_indicator(world, name="Repas servis", unit="custom")
    assert error.value.message_dict == {"custom_unit": ["Nommez l’unité."]}
    meals = an_indicator(world, name="Repas servis", unit="custom", custom_unit="repas")
    indicator_value_save(
        actor=world.people["admin"],
        indicator=meals,
        period=a_period(world),
        unit="repas",
        actual=Decimal("12000"),
    )
    assert IndicatorValue.objects.get().actual == Decimal("12000.00")
