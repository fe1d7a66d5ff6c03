"""The indicators in the API: defined, changed and deleted by the writers, their values given per
period in their unit — a value of another unit refused naming `unit`, a share over 100 % naming the
figure — with the same rules as the pages; who reads what, and forbidden exactly like missing."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.api.test_controversies_api import NOT_FOUND, auth, call, fields
from tests.evaluation.test_effects import an_indicator
from tests.evaluation.test_stories import a_period
from tests.trust.world import build_world
from trajectoires.core.models import AuditEntry
from trajectoires.evaluation.effects import indicator_save, indicator_value_save
from trajectoires.evaluation.models import Indicator, IndicatorValue

pytestmark = pytest.mark.django_db
BASE = "/api/v1/territories/ungersheim/indicators/"
WRONG_UNIT = "Cet indicateur se mesure en % : donnez ses valeurs en %."
SHARE = "Une part est comprise entre 0 et 100 %."


@pytest.fixture
def world():
    return build_world()


def an_autumn(world):
    return a_period(
        world, "Automne 2025", starts_on=datetime.date(2025, 9, 1), ends_on=datetime.date(2025, 12, 31)
    )


def test_an_indicator_is_defined_given_values_read_changed_and_deleted(client, world):
    autumn, spring = an_autumn(world), a_period(world)
    payload = {"name": "Part de bio à la cantine", "unit": "percent", "description": "En euros d’achats."}
    response = call(client, "post", BASE, payload | {"visibility": "public"}, "editor", world)
    assert response.status_code == 201, response.content
    organic = Indicator.objects.get()
    expected = {
        "id": organic.pk,
        "territory": "ungersheim",
        "name": "Part de bio à la cantine",
        "unit": "percent",
        "custom_unit": "",
        "unit_label": "%",
        "description": "En euros d’achats.",
        "visibility": "public",
        "values": [],
    }
    assert response.json() == expected
    assert AuditEntry.objects.filter(action="indicator.create").count() == 1

    value = {"unit": "percent", "target": 50, "actual": 42.5, "comment": "Hors goûters."}
    response = call(client, "put", f"{BASE}{organic.pk}/values/{spring.pk}", value, "admin", world)
    assert response.status_code == 200, response.content
    spring_value = {
        "period": spring.pk,
        "period_label": "Printemps 2026",
        "target": 50.0,
        "actual": 42.5,
        "comment": "Hors goûters.",
    }
    assert response.json() == spring_value
    autumn_value = {"unit": "%", "target": None, "actual": 30, "comment": ""}  # the label is the unit too
    assert call(
        client, "put", f"{BASE}{organic.pk}/values/{autumn.pk}", autumn_value, "admin", world
    ).json() == {
        "period": autumn.pk,
        "period_label": "Automne 2025",
        "target": None,
        "actual": 30.0,
        "comment": "",
    }
    # A second PUT replaces the period's values.
    again = value | {"actual": 45}
    assert (
        call(client, "put", f"{BASE}{organic.pk}/values/{spring.pk}", again, "admin", world).status_code
        == 200
    )
    assert list(IndicatorValue.objects.order_by("period__starts_on").values_list("target", "actual")) == [
        (None, Decimal("30.00")),
        (Decimal("50.00"), Decimal("45.00")),
    ]
    read = Client().get(f"{BASE}{organic.pk}").json()
    assert read["values"] == [
        {"period": autumn.pk, "period_label": "Automne 2025", "target": None, "actual": 30.0, "comment": ""},
        spring_value | {"actual": 45.0},
    ]
    assert Client().get(BASE).json() == [read]

    changed = call(client, "patch", f"{BASE}{organic.pk}", {"name": "Bio à la cantine"}, "editor", world)
    assert (changed.status_code, changed.json()["name"]) == (200, "Bio à la cantine")
    assert fields(call(client, "patch", f"{BASE}{organic.pk}", {"unit": "km"}, "editor", world)) == {
        "unit": ["Cet indicateur a des valeurs : son unité ne peut pas changer."]
    }
    url = f"{BASE}{organic.pk}/values/{autumn.pk}"
    assert call(client, "delete", url, role="editor", world=world).status_code == 204
    assert call(client, "delete", url, role="editor", world=world).json() == NOT_FOUND
    assert [row["period_label"] for row in Client().get(f"{BASE}{organic.pk}").json()["values"]] == [
        "Printemps 2026"
    ]
    assert call(client, "delete", f"{BASE}{organic.pk}", role="admin", world=world).status_code == 204
    assert (Indicator.objects.count(), IndicatorValue.objects.count()) == (0, 0)
    audit = AuditEntry.objects.filter(action__startswith="indicator").order_by("id")
    assert [entry.action for entry in audit] == [
        "indicator.create",
        "indicator_value.save",
        "indicator_value.save",
        "indicator_value.save",
        "indicator.update",
        "indicator_value.delete",
        "indicator.delete",
    ]


def test_a_value_of_another_unit_is_refused_naming_the_unit_and_nothing_is_written(client, world):
    spring = a_period(world)
    organic = an_indicator(world, name="Part de bio à la cantine", unit="percent")
    url = f"{BASE}{organic.pk}/values/{spring.pk}"
    cases = [
        ({"unit": "km", "actual": 42.5}, {"unit": [WRONG_UNIT]}),
        ({"unit": "tco2e", "actual": 120, "target": -1}, {
            "unit": [WRONG_UNIT],
            "actual": [SHARE],
            "target": ["Cette valeur ne peut pas être négative."],
        }),
        ({"unit": "percent", "actual": 120}, {"actual": [SHARE]}),
        ({"unit": "percent"}, {"actual": ["Donnez la cible, la valeur constatée, ou les deux."]}),
        ({"unit": "percent", "actual": 12.345}, {
            "actual": ["Assurez-vous qu’il n’y a pas plus de 2 chiffres après la virgule."]
        }),
    ]  # fmt: skip
    for payload, expected in cases:
        assert fields(call(client, "put", url, payload, "admin", world)) == expected, payload
    assert set(fields(call(client, "put", url, {"actual": 10, "period": 1}, "admin", world))) == {
        "unit",
        "period",
    }
    assert not IndicatorValue.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="indicator_value").exists()


def test_bad_indicators_name_their_fields(client, world):
    an_indicator(world, name="Pistes cyclables", unit="km")
    cases = [
        ({"name": "Repas servis", "unit": "custom"}, {"custom_unit": ["Nommez l’unité."]}),
        ({"name": "Repas", "unit": "km", "custom_unit": "repas"}, {
            "custom_unit": ["Ne nommez une unité que si aucune de la liste ne convient."]
        }),
        ({"name": "pistes cyclables", "unit": "km"}, {
            "name": ["Ce territoire a déjà un indicateur de ce nom."]
        }),
        ({"name": " ", "unit": "km"}, {"name": ["Ce champ ne peut pas être vide."]}),
    ]  # fmt: skip
    for payload, expected in cases:
        assert fields(call(client, "post", BASE, payload, "editor", world)) == expected, payload
    assert list(fields(call(client, "post", BASE, {"name": "X", "unit": "miles"}, "editor", world))) == [
        "unit"
    ]
    assert Indicator.objects.count() == 1


def test_who_reads_what_and_forbidden_answers_like_missing(client, world):
    spring = a_period(world)
    public = an_indicator(world)
    private = indicator_save(
        actor=world.people["admin"], territory=world.territory, name="Budget interne", unit="eur"
    )
    indicator_value_save(
        actor=world.people["admin"], indicator=private, period=spring, unit="eur", actual=Decimal("1200")
    )

    def names(role):
        return [row["name"] for row in Client().get(BASE, headers=auth(world, role)).json()]

    assert names("anonymous") == names("contributor") == ["Émissions du territoire"]
    assert names("viewer") == ["Budget interne", "Émissions du territoire"]
    assert Client().get(f"{BASE}{private.pk}").json() == NOT_FOUND
    value = {"unit": "eur", "actual": 10}
    for role in ("anonymous", "viewer", "contributor", "member_elsewhere", "partner_funder"):
        expected = 401 if role == "anonymous" else 404
        for method, url, payload in (
            ("post", BASE, {"name": "X", "unit": "km"}),
            ("patch", f"{BASE}{public.pk}", {"name": "X"}),
            ("delete", f"{BASE}{public.pk}", None),
            ("put", f"{BASE}{private.pk}/values/{spring.pk}", value),
            ("put", f"{BASE}{private.pk}/values/{spring.pk}", value | {"unit": "km"}),  # right before rules
            ("delete", f"{BASE}{private.pk}/values/{spring.pk}", None),
        ):
            assert call(client, method, url, payload, role, world).status_code == expected, (
                role,
                method,
                url,
            )
    assert call(
        client, "put", f"{BASE}{public.pk}/values/{spring.pk + 1000}", value, "admin", world
    ).json() == (NOT_FOUND)
    assert (Indicator.objects.count(), IndicatorValue.objects.get().actual) == (2, Decimal("1200.00"))


def test_the_list_costs_the_same_whatever_the_values(client, world):
    autumn, spring = an_autumn(world), a_period(world)
    an_indicator(world)

    def cost():
        with CaptureQueriesContext(connection) as queries:
            assert Client().get(BASE).status_code == 200
        return len(queries)

    once = cost()
    for name in ("Budget", "Pistes cyclables"):
        indicator = an_indicator(world, name=name, unit="km")
        for period in (autumn, spring):
            indicator_value_save(
                actor=world.people["admin"],
                indicator=indicator,
                period=period,
                unit="km",
                actual=Decimal("3"),
            )
    assert cost() == once
