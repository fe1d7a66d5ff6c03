"""The pages of the indicators (S4): the indicators with their target and actual value per period, as
a table and a small chart, read beside the stories and the effects; one indicator period by period;
defining an indicator and giving its values in its unit — as each role sees them."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.evaluation.test_effects import an_indicator
from tests.evaluation.test_stories import a_period
from tests.pages import page_text
from tests.trust.world import build_world, client_as
from trajectoires.core.models import AuditEntry
from trajectoires.evaluation.effects import indicator_save, indicator_value_save
from trajectoires.evaluation.models import Indicator, IndicatorValue

pytestmark = pytest.mark.django_db
BASE = "/territoires/ungersheim/evaluation/indicateurs/"
NEVER_ALONE = (
    "Ces chiffres se lisent à côté des histoires de changement et des effets systémiques, jamais seuls : "
    "ils disent combien, les histoires et les effets disent ce qui a changé et pourquoi."
)
PUBLIC = "Public — tout le monde, et les données ouvertes"
PRIVATE = "Privé — l'équipe du territoire"
WRONG_UNIT = "Cet indicateur se mesure en % : donnez ses valeurs en %."
SHARE = "Une part est comprise entre 0 et 100 %."


@pytest.fixture
def world():
    return build_world()


def text_of(response) -> str:
    """The visible text, without the charts' data."""
    without_data = re.sub(r"<script[^>]*>.*?</script>", " ", response.content.decode(), flags=re.S)
    return page_text(type("Page", (), {"content": without_data.encode()}))


def an_autumn(world):
    return a_period(
        world, "Automne 2025", starts_on=datetime.date(2025, 9, 1), ends_on=datetime.date(2025, 12, 31)
    )


def give(world, indicator, period, unit=None, comment="", **figures):
    return indicator_value_save(
        actor=world.people["admin"],
        indicator=indicator,
        period=period,
        unit=unit or indicator.unit,
        comment=comment,
        **{name: Decimal(value) for name, value in figures.items()},
    )


def indicators_world(world):
    """Two periods; a public indicator of emissions with values in both, a public share of organic
    food without values, a private indicator of meals with one value."""
    autumn, spring = an_autumn(world), a_period(world)
    emissions = an_indicator(world, description="Bilan carbone du territoire, hors industrie.")
    give(world, emissions, autumn, target="52000", actual="54300.5", comment="Estimation provisoire.")
    give(world, emissions, spring, target="50000")
    organic = an_indicator(world, name="Part de bio à la cantine", unit="percent")
    meals = indicator_save(
        actor=world.people["admin"],
        territory=world.territory,
        name="Repas servis",
        unit="custom",
        custom_unit="repas",
        visibility="private",
    )
    give(world, meals, spring, actual="12000")
    return autumn, spring, emissions, organic, meals


# The indicators ----------------------------------------------------------------------------------


def test_anyone_reads_the_indicators_as_tables_and_charts_beside_the_stories(client, world):
    _autumn, _spring, emissions, organic, _meals = indicators_world(world)
    response = client.get(BASE)
    body = text_of(response)
    assert "Les indicateurs de Ungersheim" in body
    assert f"{NEVER_ALONE} Les histoires de changement · Les effets systémiques" in body
    assert (
        f"Émissions du territoire En tCO2e · {PUBLIC} Bilan carbone du territoire, hors industrie. "
        "Émissions du territoire : cible et valeur constatée par période, en tCO2e "
        "Période Cible Valeur constatée Commentaire "
        "Automne 2025 52 000 tCO2e 54 300,50 tCO2e Estimation provisoire. "
        "Printemps 2026 50 000 tCO2e — —"
    ) in body
    assert f"Part de bio à la cantine En % · {PUBLIC} Aucune valeur enregistrée pour l’instant." in body
    assert "Repas servis" not in body and "Définir un indicateur" not in body
    page = response.content.decode()
    assert (
        f'<div class="chart chart-capacity" data-chart="indicator-chart-{emissions.pk}" role="img" '
        'aria-label="Émissions du territoire : cible et valeur constatée, période après période ; '
        'les mêmes chiffres sont dans le tableau ci-dessous."></div>'
    ) in page
    assert f'data-chart="indicator-chart-{organic.pk}"' not in page
    assert '<script src="/static/js/charts.js" defer></script>' in page
    assert '<a href="/territoires/ungersheim/evaluation/effets/">Les effets systémiques</a>' in page
    options = json.loads(
        re.search(
            rf'<script id="indicator-chart-{emissions.pk}" type="application/json">(.*?)</script>', page
        )[1]
    )
    assert options["xAxis"]["data"] == ["Automne 2025", "Printemps 2026"]
    assert options["yAxis"]["name"] == "tCO2e"
    assert [(serie["type"], serie["name"], serie["data"]) for serie in options["series"]] == [
        ("bar", "Valeur constatée", [54300.5, None]),
        ("line", "Cible", [52000.0, 50000.0]),
    ]
    assert options["series"][1]["lineStyle"]["type"] == "dashed"  # told apart by shape, not colour alone


def test_the_team_reads_the_private_indicator_and_the_writers_may_define_one(client, world):
    indicators_world(world)
    client_as(client, world, "contributor")
    assert "Repas servis" not in page_text(client.get(BASE))
    client_as(client, world, "viewer")
    body = text_of(client.get(BASE))
    assert (
        f"Repas servis En repas · {PRIVATE} Repas servis : cible et valeur constatée par période, en repas "
        "Période Cible Valeur constatée Commentaire Printemps 2026 — 12 000 repas —"
    ) in body
    assert "Définir un indicateur" not in body
    client_as(client, world, "editor")
    assert (
        f'<a href="{BASE}nouveau/" role="button">Définir un indicateur</a>'
        in client.get(BASE).content.decode()
    )


def test_an_indicator_reads_period_by_period_on_its_own_page(client, world):
    _autumn, spring, emissions, _organic, meals = indicators_world(world)
    url = f"{BASE}{emissions.pk}/"
    body = text_of(client.get(url))
    assert (
        f"Émissions du territoire Indicateur en tCO2e · {PUBLIC} {NEVER_ALONE} "
        "Ce qu’il mesure et comment Bilan carbone du territoire, hors industrie. "
        "Période après période "
        "Cible et valeur constatée de chaque période de collecte, en tCO2e, la plus récente d’abord "
        "Période Cible Valeur constatée Commentaire "
        "Printemps 2026 50 000 tCO2e — — "
        "Automne 2025 52 000 tCO2e 54 300,50 tCO2e Estimation provisoire."
    ) in body
    assert "Ce que vous pouvez faire" not in body
    for role in ("anonymous", "contributor", "member_elsewhere"):
        assert client_as(client, world, role).get(f"{BASE}{meals.pk}/").status_code == 404, role
    client_as(client, world, "admin")
    response = client.get(url)
    assert "Ce que vous pouvez faire Modifier Supprimer" in page_text(response)
    page = response.content.decode()
    assert (
        f'<a href="{url}valeurs/{spring.pk}/">Modifier <span class="visually-hidden">les valeurs de '
        "Printemps 2026</span></a>"
    ) in page
    assert f'<a href="{url}valeurs/{spring.pk}/supprimer/">Supprimer <span class="visually-hidden">' in page


# Define, change, delete an indicator -------------------------------------------------------------


def test_a_writer_defines_an_indicator_with_errors_next_to_the_fields_first(client, world):
    client_as(client, world, "editor")
    url = f"{BASE}nouveau/"
    values = {
        "name": "Repas servis",
        "unit": "custom",
        "custom_unit": "",
        "description": "",
        "visibility": "public",
    }
    response = client.post(url, values)
    assert (
        '<ul class="errorlist" id="id_custom_unit_error"><li>Nommez l’unité.</li></ul>'
        in response.content.decode()
    )
    assert not Indicator.objects.exists()
    response = client.post(url, values | {"custom_unit": "repas"}, follow=True)
    meals = Indicator.objects.get()
    assert response.redirect_chain == [(f"{BASE}{meals.pk}/", 302)]
    assert "L’indicateur a été défini." in page_text(response)
    assert (meals.name, meals.unit_label, meals.visibility, meals.author) == (
        "Repas servis",
        "repas",
        "public",
        world.people["editor"],
    )
    assert AuditEntry.objects.filter(action="indicator.create").count() == 1


def test_the_unit_of_an_indicator_with_values_does_not_change(client, world):
    _autumn, _spring, emissions, _organic, _meals = indicators_world(world)
    client_as(client, world, "admin")
    url = f"{BASE}{emissions.pk}/modifier/"
    assert 'value="tco2e" required id="id_unit_0" checked' in client.get(url).content.decode()
    values = {
        "name": "Émissions",
        "unit": "eur",
        "custom_unit": "",
        "description": "",
        "visibility": "public",
    }
    response = client.post(url, values)
    assert (
        '<ul class="errorlist" id="id_unit_error"><li>Cet indicateur a des valeurs : son unité ne peut pas '
        "changer.</li></ul>"
    ) in response.content.decode()
    emissions.refresh_from_db()
    assert (emissions.name, emissions.unit) == ("Émissions du territoire", "tco2e")
    response = client.post(url, values | {"unit": "tco2e"}, follow=True)
    assert "L’indicateur a été enregistré." in page_text(response)
    assert Indicator.objects.get(pk=emissions.pk).name == "Émissions"


def test_a_writer_deletes_an_indicator_with_its_values(client, world):
    _autumn, _spring, emissions, _organic, _meals = indicators_world(world)
    client_as(client, world, "editor")
    url = f"{BASE}{emissions.pk}/supprimer/"
    assert "Supprimer l’indicateur « Émissions du territoire » et ses 2 valeurs enregistrées ?" in page_text(
        client.get(url)
    )
    response = client.post(url, follow=True)
    assert response.redirect_chain == [(BASE, 302)]
    assert "L’indicateur a été supprimé." in page_text(response)
    assert list(Indicator.objects.order_by("name").values_list("name", flat=True)) == [
        "Part de bio à la cantine",
        "Repas servis",
    ]
    assert IndicatorValue.objects.count() == 1


# The values of a period --------------------------------------------------------------------------


def test_the_value_form_shows_and_posts_the_unit_and_refuses_another_one(client, world):
    _autumn, spring, _emissions, organic, _meals = indicators_world(world)
    client_as(client, world, "admin")
    url = f"{BASE}{organic.pk}/valeurs/{spring.pk}/"
    response = client.get(url)
    body = page_text(response)
    assert (
        "Part de bio à la cantine sur Printemps 2026 "
        "La cible et la valeur constatée de la période du 1 mars 2026 au 30 juin 2026 ; donnez l’une des "
        "deux, ou les deux. Unité : % Cible : Ce que le territoire visait pour la période. "
        "Valeur constatée : Ce qui a été mesuré sur la période. "
        "Commentaire : Ce que le chiffre comprend ou laisse de côté, d’où il vient."
    ) in body
    assert '<input type="hidden" name="unit" value="percent" id="id_unit">' in response.content.decode()
    # Posted in another unit: the service's words, beside the unit, and nothing written.
    response = client.post(url, {"unit": "km", "target": "50", "actual": "42,5", "comment": ""})
    page = response.content.decode()
    assert (
        '<p id="unit-text"><strong>Unité :</strong> %</p>\n  '
        f'<ul class="errorlist" id="id_unit_error"><li>{WRONG_UNIT}</li></ul>'
    ) in page
    assert not IndicatorValue.objects.filter(indicator=organic).exists()
    # A share over 100 %.
    response = client.post(url, {"unit": "percent", "target": "50", "actual": "120", "comment": ""})
    assert f'<ul class="errorlist" id="id_actual_error"><li>{SHARE}</li></ul>' in response.content.decode()
    assert not IndicatorValue.objects.filter(indicator=organic).exists()
    assert not AuditEntry.objects.filter(action="indicator_value.save", object_id=str(organic.pk)).exists()
    # Written in French.
    response = client.post(
        url, {"unit": "percent", "target": "50", "actual": "42,5", "comment": "Hors goûters."}, follow=True
    )
    assert response.redirect_chain == [(f"{BASE}{organic.pk}/", 302)]
    assert "Les valeurs ont été enregistrées." in page_text(response)
    assert "Printemps 2026 50 % 42,50 % Hors goûters." in text_of(response)
    assert list(
        IndicatorValue.objects.filter(indicator=organic).values_list("target", "actual", "comment")
    ) == [(Decimal("50.00"), Decimal("42.50"), "Hors goûters.")]
    assert 'name="actual" value="42,50"' in client.get(url).content.decode()


def test_a_writer_deletes_the_values_of_a_period(client, world):
    autumn, spring, emissions, organic, _meals = indicators_world(world)
    client_as(client, world, "admin")
    url = f"{BASE}{emissions.pk}/valeurs/{autumn.pk}/supprimer/"
    assert (
        "Supprimer la cible et la valeur constatée de « Émissions du territoire » sur Automne 2025 ?"
        in page_text(client.get(url))
    )
    response = client.post(url, follow=True)
    assert response.redirect_chain == [(f"{BASE}{emissions.pk}/", 302)]
    assert "Les valeurs ont été supprimées." in page_text(response)
    assert list(emissions.values.values_list("period__label", flat=True)) == ["Printemps 2026"]
    assert client.get(f"{BASE}{organic.pk}/valeurs/{spring.pk}/supprimer/").status_code == 404
    assert client.get(f"{BASE}{organic.pk}/valeurs/{spring.pk + 1000}/").status_code == 404


@pytest.mark.parametrize("role", ["viewer", "contributor", "member_elsewhere", "partner_funder", "staff"])
def test_the_write_pages_answer_404_to_who_may_not_write(client, world, role):
    _autumn, spring, emissions, _organic, _meals = indicators_world(world)
    client_as(client, world, role)
    for url in (
        f"{BASE}nouveau/",
        f"{BASE}{emissions.pk}/modifier/",
        f"{BASE}{emissions.pk}/supprimer/",
        f"{BASE}{emissions.pk}/valeurs/{spring.pk}/",
        f"{BASE}{emissions.pk}/valeurs/{spring.pk}/supprimer/",
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"name": "X", "unit": "km", "actual": "1"}).status_code == 404, url
    assert Indicator.objects.count() == 3 and IndicatorValue.objects.count() == 3


def test_the_indicators_page_costs_the_same_whatever_the_values(client, world):
    autumn, spring = an_autumn(world), a_period(world)
    emissions = an_indicator(world)
    give(world, emissions, spring, actual="100")
    client_as(client, world, "viewer")

    def cost():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(BASE).status_code == 200
        return len(queries)

    once = cost()
    give(world, emissions, autumn, actual="120")
    for name in ("Budget", "Pistes cyclables", "Eau consommée"):
        indicator = an_indicator(world, name=name, unit="km")
        give(world, indicator, autumn, target="10")
        give(world, indicator, spring, actual="12")
    assert cost() == once
    assert text_of(client.get(BASE)).count("Automne 2025 10 km —") == 3
