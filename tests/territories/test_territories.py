import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.pages import page_text
from trajectoires.core.models import AuditEntry
from trajectoires.geo.selectors import area_from_reference
from trajectoires.territories.models import Territory, TerritoryArea
from trajectoires.territories.services import territory_create

pytestmark = pytest.mark.django_db
JOINED = datetime.date(2024, 3, 1)
ONE_COMMUNE = (
    "Un territoire de type « Commune » correspond exactement à un territoire administratif de ce type."
)


def areas(*references):
    return [area_from_reference(reference) for reference in references]


def test_a_custom_perimeter_of_three_epci(staff):
    territory = territory_create(
        actor=staff,
        name="Biovallée",
        kind="other",
        alliance_joined_on=JOINED,
        areas=areas("242600252", "200040509", "242600534"),
        description="Vallée de la Drôme",
    )
    assert territory.slug == "biovallee"
    assert sorted(territory.areas.values_list("code", flat=True)) == ["200040509", "242600252", "242600534"]
    entry = AuditEntry.objects.get(action="territory.create")
    assert (entry.actor_label, entry.object_type, entry.object_id) == (
        str(staff.pk),
        "territories.territory",
        str(territory.pk),
    )
    assert entry.changes == {
        "name": [None, "Biovallée"],
        "kind": [None, "other"],
        "alliance_joined_on": [None, "2024-03-01"],
        "areas": [None, ["epci:200040509", "epci:242600252", "epci:242600534"]],
    }


@pytest.mark.parametrize(
    ("kind", "references", "message"),
    [
        ("commune", ["244200770"], ONE_COMMUNE),
        ("commune", ["42218", "68343"], ONE_COMMUNE),
        ("other", [], "Un territoire couvre au moins un territoire administratif."),
        (
            "petr",
            ["42218", "244200770"],
            "Saint-Étienne (42218) est déjà inclus dans Saint-Étienne Métropole (244200770) : "
            "indiquez l'un ou l'autre.",
        ),
    ],
)
def test_a_perimeter_that_does_not_fit_its_kind_is_refused_and_nothing_written(
    staff, kind, references, message
):
    with pytest.raises(ValidationError) as error:
        territory_create(
            actor=staff, name="Essai", kind=kind, areas=areas(*references), alliance_joined_on=JOINED
        )
    assert error.value.message_dict == {"areas": [message]}
    assert (
        Territory.objects.count(),
        TerritoryArea.objects.count(),
        AuditEntry.objects.filter(action="territory.create").count(),
    ) == (0, 0, 0)


def test_two_territories_with_the_same_name_get_distinct_addresses(staff):
    first = territory_create(
        actor=staff, name="Pays test", kind="pays", areas=areas("42218"), alliance_joined_on=JOINED
    )
    second = territory_create(
        actor=staff, name="Pays test", kind="pays", areas=areas("68343"), alliance_joined_on=JOINED
    )
    assert (first.slug, second.slug) == ("pays-test", "pays-test-2")


def test_staff_create_a_territory_from_the_web(client, staff):
    client.force_login(staff)
    response = client.post(
        "/territoires/nouveau/",
        {
            "name": "Saint-Étienne Métropole",
            "kind": "epci",
            "areas": "244200770",
            "alliance_joined_on": "2025-01-15",
            "description": "Métropole <b>en</b> transition",
        },
        follow=True,
    )
    territory = Territory.objects.get()
    assert response.redirect_chain == [(f"/territoires/{territory.slug}/", 302)]
    html = response.content.decode()
    assert "Le territoire « Saint-Étienne Métropole » a été créé." in page_text(response)
    assert "Métropole &lt;b&gt;en&lt;/b&gt; transition" in html
    assert "membre de l'alliance depuis le 15 janvier 2025" in page_text(response)
    assert '<a href="/annuaire/epci/244200770/">Saint-Étienne Métropole</a>' in html


def test_the_web_form_names_the_field_at_fault_and_writes_nothing(client, staff):
    client.force_login(staff)
    response = client.post(
        "/territoires/nouveau/",
        {
            "name": "",
            "kind": "epci",
            "areas": "244200770 99999 nope",
            "alliance_joined_on": "2025-13-45",
        },
    )
    assert response.status_code == 200
    body = page_text(response)
    assert "Nom : Ce champ est obligatoire." in body
    assert "Aucun territoire administratif actuel n'a le code 99999, nope." in body
    assert "Membre de l'alliance depuis : Saisissez une date valide." in body
    assert Territory.objects.count() == 0


def test_only_staff_reach_the_creation_form(client, member):
    assert client.get("/territoires/nouveau/").url == "/compte/connexion/?next=/territoires/nouveau/"
    client.force_login(member)
    assert client.get("/territoires/nouveau/").status_code == 404
    assert (
        client.post("/territoires/nouveau/", {"name": "X", "kind": "commune", "areas": "42218"}).status_code
        == 404
    )
    assert Territory.objects.count() == 0


def test_the_cli_creates_a_territory_through_the_same_checks(capsys):
    call_command(
        "territory",
        "create",
        "--name",
        "Ungersheim",
        "--kind",
        "commune",
        "--area",
        "68343",
        "--joined",
        "2021-03-15",
    )
    assert "Created Ungersheim (ungersheim)." in capsys.readouterr().out
    assert Territory.objects.get().areas.get().name == "Ungersheim"
    with pytest.raises(
        CommandError,
        match=re.escape(
            "Nothing was created. areas: Aucun territoire administratif actuel n'a le code 00000."
        ),
    ):
        call_command("territory", "create", "--name", "X", "--kind", "commune", "--area", "00000")
    assert Territory.objects.count() == 1


def test_the_territory_list_costs_the_same_queries_with_1_and_50_territories(client, staff):
    def count_queries():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/territoires/").status_code == 200
        return len(queries)

    territory_create(actor=staff, name="T0", kind="commune", areas=areas("42218"), alliance_joined_on=JOINED)
    one = count_queries()
    for index in range(1, 50):
        territory_create(
            actor=staff, name=f"T{index}", kind="pays", areas=areas("68343"), alliance_joined_on=JOINED
        )
    assert count_queries() == one
    assert page_text(client.get("/territoires/")).count("Pays") == 49


def test_the_territory_page_lists_its_perimeter(client, staff):
    territory_create(
        actor=staff,
        name="Biovallée",
        kind="other",
        alliance_joined_on=JOINED,
        areas=areas("242600252", "200040509", "242600534"),
    )
    response = client.get("/territoires/biovallee/")
    body = page_text(response)
    assert "Population 59 232" in body
    assert "Territoires administratifs du périmètre 3" in body
    assert re.findall(r'<th scope="row"><a href="/annuaire/epci/(\d+)/">', response.content.decode()) == [
        "200040509",
        "242600534",
        "242600252",
    ]
    assert client.get("/territoires/inconnu/").status_code == 404


def test_the_creation_form_offers_todays_date_in_the_format_date_inputs_read(client, staff):
    client.force_login(staff)
    html = client.get("/territoires/nouveau/").content.decode()
    today = timezone.localdate().isoformat()
    assert re.search(rf'<input type="date" name="alliance_joined_on" value="{today}"', html)
