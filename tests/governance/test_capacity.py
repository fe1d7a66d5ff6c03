"""The team's capacity to act (K7): trainings and training-actions, the DGS and the transverse
expertise pole, and the coverage of change-management training among élus and agents."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import formats, timezone

from tests.pages import page_text
from tests.trust.world import build_world, client_as
from trajectoires.cooperation.actors import actor_create
from trajectoires.core.models import AuditEntry
from trajectoires.governance.capacity import (
    participants_by_category,
    team_structure_save,
    training_create,
    training_update,
    trainings_of,
)
from trajectoires.governance.capacity_coverage import coverage_chart, training_coverage
from trajectoires.governance.models import TeamStructure, Training
from trajectoires.referential.models import ReferentialVersion
from trajectoires.referential.selectors import referential_item

pytestmark = pytest.mark.django_db
BASE = "/territoires/ungersheim/capacite/"
TODAY = timezone.localdate()


@pytest.fixture
def world():
    return build_world()


def category(code):
    return referential_item("actor_category", code)


def an_actor(world, name, code="elu", kind="person", visibility="public", territory=None):
    territory = territory or world.territory
    owner = "admin" if territory == world.territory else "member_elsewhere"
    return actor_create(
        actor=world.people[owner],
        territory=territory,
        kind=kind,
        name=name,
        category=category(code),
        visibility=visibility,
    )


def a_training(world, title="Conduire le changement", author="admin", **values):
    return training_create(
        actor=world.people[author],
        territory=world.territory,
        title=title,
        held_on=values.pop("held_on", datetime.date(2026, 3, 12)),
        hours=values.pop("hours", Decimal("7")),
        **values,
    )


def known_team(world):
    """Élus A, B, C (private), I and the municipal council (an organisation); agents D to G and J;
    a farm; a researcher. T1 (public, change management, 7 h): A, D, the farm, the council;
    T2 (private, change management, 14 h): B, C, E; T3 (public training-action, 3.5 h): F, A, H."""
    people = {name: an_actor(world, f"Élue {name}") for name in "ABI"}
    people["C"] = an_actor(world, "Élue C", visibility="private")
    people["council"] = an_actor(world, "Conseil municipal", kind="organisation")
    for name in "DEFGJ":
        people[name] = an_actor(world, f"Agent {name}", code="agent")
    people["farm"] = an_actor(world, "Ferme du Moulin", code="socio_economique", kind="organisation")
    people["H"] = an_actor(world, "Chercheuse H", code="chercheur")
    a_training(
        world,
        "Conduire le changement",
        change_management=True,
        organisation="CNFPT",
        participants=[people[key] for key in ("A", "D", "farm", "council")],
        visibility="public",
    )
    a_training(
        world,
        "Séminaire interne",
        held_on=datetime.date(2026, 4, 2),
        hours=Decimal("14"),
        change_management=True,
        participants=[people[key] for key in ("B", "C", "E")],
        visibility="private",
    )
    a_training(
        world,
        "Chantier école : la cantine",
        held_on=datetime.date(2026, 5, 20),
        hours=Decimal("3.5"),
        is_training_action=True,
        participants=[people[key] for key in ("F", "A", "H")],
        visibility="public",
    )
    return people


def figures(coverage):
    return {
        "totals": (coverage.trainings, coverage.hours, coverage.training_actions, coverage.change_management),
        "coverage": [(row.category.code, row.people, row.trained, row.share) for row in coverage.coverage],
        "fantastiques": [
            (row.category.code, row.actors, row.participants, row.trainings, row.person_hours)
            for row in coverage.fantastiques
        ],
        "absent": [item.code for item in coverage.absent_fantastiques],
    }


# Writes -------------------------------------------------------------------------------------------


def test_a_training_is_written_with_its_participants_and_audited(world):
    elu = an_actor(world, "Élue A")
    agent = an_actor(world, "Agent D", code="agent", visibility="private")
    training = a_training(
        world,
        hours=Decimal("10.5"),
        organisation=" CNFPT ",
        is_training_action=True,
        change_management=True,
        participants=[elu, agent],
    )
    assert Training.objects.filter(pk=training.pk).values(
        "title", "hours", "organisation", "is_training_action", "change_management", "visibility", "author"
    ).get() == {
        "title": "Conduire le changement",
        "hours": Decimal("10.5"),
        "organisation": "CNFPT",
        "is_training_action": True,
        "change_management": True,
        "visibility": "private",
        "author": world.people["admin"].pk,
    }
    assert sorted(training.participants.values_list("name", flat=True)) == ["Agent D", "Élue A"]
    audit = AuditEntry.objects.get(action="training.create")
    assert (audit.scope, audit.object_id) == (f"territory:{world.territory.pk}", str(training.pk))
    assert audit.changes == {
        "change_management": [None, True],
        "held_on": [None, "2026-03-12"],
        "hours": [None, "10.5"],
        "is_training_action": [None, True],
        "organisation": [None, "CNFPT"],
        "participants": [None, sorted([elu.pk, agent.pk])],
        "title": [None, "Conduire le changement"],
        "visibility": [None, "private"],
    }
    training_update(actor=world.people["editor"], training=training, hours="12", participants=[elu])
    assert AuditEntry.objects.get(action="training.update").changes == {
        "hours": ["10.5", "12"],
        "participants": [sorted([elu.pk, agent.pk]), [elu.pk]],
    }


def test_participants_of_both_versions_of_a_category_form_one_group(client, world):
    """Version 2 of the référentiel is the current one: an élu written with version 1 and one
    written with version 2 are grouped together, and an agent of version 1 may be the DGS
    (decision 0009)."""
    first = ReferentialVersion.objects.get(number=1)
    elu_of_version_1 = referential_item("actor_category", "elu", version=first)
    agent_of_version_1 = referential_item("actor_category", "agent", version=first)
    old_elu = actor_create(
        actor=world.people["admin"],
        territory=world.territory,
        kind="person",
        name="Élue Z",
        category=elu_of_version_1,
        visibility="public",
    )
    old_agent = actor_create(
        actor=world.people["admin"],
        territory=world.territory,
        kind="person",
        name="Agent Y",
        category=agent_of_version_1,
        visibility="public",
    )
    new_elu, new_agent = an_actor(world, "Élue A"), an_actor(world, "Agent D", code="agent")
    training = a_training(world, participants=[new_elu, old_elu, new_agent, old_agent], visibility="public")
    read = trainings_of(world.people["admin"], world.territory).get(pk=training.pk)
    groups = participants_by_category(read)
    assert [(category.code, [actor.name for actor in people]) for category, people in groups] == [
        ("elu", ["Élue A", "Élue Z"]),
        ("agent", ["Agent D", "Agent Y"]),
    ]
    client_as(client, world, "viewer")
    body = page_text(client.get(f"{BASE}formations/{training.pk}/"))
    assert (
        "Participants par catégorie d’acteurs Élu (2) Élue A Élue Z "
        "Agent de la collectivité (2) Agent D Agent Y"
    ) in body
    structure = team_structure_save(
        actor=world.people["admin"], territory=world.territory, dgs=old_agent, visibility="public"
    )
    assert structure.dgs == old_agent


@pytest.mark.parametrize(
    ("values", "errors"),
    [
        ({"hours": Decimal("0")}, {"hours": ["Une formation dure plus de 0 heure."]}),
        ({"hours": Decimal("-3")}, {"hours": ["Une formation dure plus de 0 heure."]}),
        (
            {"hours": Decimal("200.5")},
            {
                "hours": [
                    "Une formation dure au plus 200 heures : enregistrez un parcours plus long "
                    "séance par séance."
                ]
            },
        ),
        (
            {"hours": Decimal("2.25")},
            {"hours": ["Assurez-vous qu'il n'y a pas plus de 1 chiffre après la virgule."]},
        ),
        ({"title": "  "}, {"title": ["Ce champ ne peut pas être vide."]}),
    ],
)
def test_bad_training_input_is_named_and_nothing_written(world, values, errors):
    with pytest.raises(ValidationError) as refused:
        a_training(world, **values)
    assert refused.value.message_dict == errors
    assert (Training.objects.count(), AuditEntry.objects.filter(action__startswith="training").count()) == (
        0,
        0,
    )


def test_a_training_more_than_a_year_ahead_is_refused_but_one_a_year_ahead_is_not(world):
    latest = TODAY + datetime.timedelta(days=365)
    with pytest.raises(ValidationError) as refused:
        a_training(world, held_on=latest + datetime.timedelta(days=1))
    date = formats.date_format(latest, "DATE_FORMAT")
    assert refused.value.message_dict == {
        "held_on": [f"Une formation s’enregistre au plus un an à l’avance : le {date} au plus tard."]
    }
    assert Training.objects.count() == 0
    assert a_training(world, held_on=latest).held_on == latest


def test_participants_of_another_territory_are_refused(world):
    stranger = an_actor(world, "Élue d’ailleurs", territory=world.elsewhere)
    with pytest.raises(ValidationError) as refused:
        a_training(world, participants=[an_actor(world, "Élue A"), stranger])
    assert refused.value.message_dict == {"participants": ["Choisissez des acteurs de ce territoire."]}
    assert Training.objects.count() == 0


def test_a_contributor_keeps_the_participants_they_cannot_read(world):
    hidden = an_actor(world, "Agent caché", code="agent", visibility="private")
    shown = an_actor(world, "Élue A")
    training = a_training(world, author="contributor", visibility="partners", participants=[shown])
    training.participants.add(hidden)
    training_update(actor=world.people["contributor"], training=training, participants=[])
    assert list(training.participants.values_list("name", flat=True)) == ["Agent caché"]
    with pytest.raises(PermissionDenied):
        training_update(actor=world.people["contributor"], training=a_training(world), title="Autre")
    with pytest.raises(PermissionDenied):
        a_training(world, author="viewer")


def test_the_structure_is_written_and_audited(world):
    dgs = an_actor(world, "Claire Martin", code="agent")
    member = an_actor(world, "Agent D", code="agent")
    structure = team_structure_save(
        actor=world.people["editor"],
        territory=world.territory,
        dgs=dgs,
        dgs_role="Relie les services au projet de territoire.",
        pole_name="Pôle transition",
        pole_missions="Accompagner les services.",
        pole_services="  Urbanisme \n\n Eau   et assainissement\n",
        pole_members=[member],
        visibility="public",
    )
    assert structure.pole_services == "Urbanisme\nEau et assainissement"
    assert AuditEntry.objects.get(action="team_structure.create").changes == {
        "dgs": [None, dgs.pk],
        "dgs_role": [None, "Relie les services au projet de territoire."],
        "pole_members": [None, [member.pk]],
        "pole_missions": [None, "Accompagner les services."],
        "pole_name": [None, "Pôle transition"],
        "pole_services": [None, "Urbanisme\nEau et assainissement"],
        "visibility": [None, "public"],
    }
    team_structure_save(
        actor=world.people["admin"],
        territory=world.territory,
        dgs=dgs,
        pole_name="Pôle transition",
        pole_members=[member],
        visibility="public",
    )
    assert TeamStructure.objects.count() == 1
    assert AuditEntry.objects.get(action="team_structure.update").changes == {
        "dgs_role": ["Relie les services au projet de territoire.", ""],
        "pole_missions": ["Accompagner les services.", ""],
        "pole_services": ["Urbanisme\nEau et assainissement", ""],
    }
    with pytest.raises(PermissionDenied):
        team_structure_save(actor=world.people["contributor"], territory=world.territory)


@pytest.mark.parametrize(
    ("setup", "errors"),
    [
        (
            lambda world: {"dgs": an_actor(world, "Maire", code="elu")},
            {"dgs": ["Le ou la DGS est une personne de la catégorie « Agent de la collectivité »."]},
        ),
        (
            lambda world: {"dgs": an_actor(world, "Services techniques", code="agent", kind="organisation")},
            {"dgs": ["Le ou la DGS est une personne de la catégorie « Agent de la collectivité »."]},
        ),
        (
            lambda world: {"dgs": an_actor(world, "DGS d’ailleurs", code="agent", territory=world.elsewhere)},
            {"dgs": ["Choisissez des acteurs de ce territoire."]},
        ),
        (
            lambda world: {
                "pole_name": "Pôle",
                "pole_members": [
                    an_actor(world, "Agent d’ailleurs", code="agent", territory=world.elsewhere)
                ],
            },
            {"pole_members": ["Choisissez des acteurs de ce territoire."]},
        ),
        (
            lambda world: {"pole_missions": "Relier."},
            {"pole_name": ["Nommez le pôle pour lui donner des membres, des missions ou des services."]},
        ),
        (
            lambda world: {"pole_name": "Pôle", "pole_services": "Urbanisme\n" + "x" * 201},
            {"pole_services": ["Un service par ligne, de 200 caractères au plus chacun."]},
        ),
    ],
)
def test_bad_structure_input_is_named_and_nothing_written(world, setup, errors):
    values = setup(world)
    with pytest.raises(ValidationError) as refused:
        team_structure_save(actor=world.people["admin"], territory=world.territory, **values)
    assert refused.value.message_dict == errors
    assert TeamStructure.objects.count() == 0
    assert not AuditEntry.objects.filter(action__startswith="team_structure").exists()


# Coverage -----------------------------------------------------------------------------------------


def test_the_team_reads_the_coverage_of_every_training_and_actor(world):
    known_team(world)
    assert figures(training_coverage(world.people["viewer"], world.territory)) == {
        "totals": (3, Decimal("24.5"), 1, 2),
        "coverage": [("elu", 4, 3, 0.75), ("agent", 5, 2, 0.4)],
        "fantastiques": [
            ("elu", 5, 4, 3, Decimal("45.5")),
            ("agent", 5, 3, 3, Decimal("24.5")),
            ("etat_territorial", 0, 0, 0, Decimal("0.0")),
            ("socio_economique", 1, 1, 1, Decimal("7.0")),
        ],
        "absent": ["etat_territorial"],
    }


def test_a_visitor_s_coverage_counts_only_public_trainings_and_actors(world):
    known_team(world)
    assert figures(training_coverage(None, world.territory)) == {
        "totals": (2, Decimal("10.5"), 1, 1),
        "coverage": [("elu", 3, 1, 1 / 3), ("agent", 5, 1, 0.2)],
        "fantastiques": [
            ("elu", 4, 2, 2, Decimal("17.5")),
            ("agent", 5, 2, 2, Decimal("10.5")),
            ("etat_territorial", 0, 0, 0, Decimal("0.0")),
            ("socio_economique", 1, 1, 1, Decimal("7.0")),
        ],
        "absent": ["etat_territorial"],
    }


def test_the_coverage_costs_the_same_queries_whatever_the_data(world):
    def count():
        with CaptureQueriesContext(connection) as queries:
            training_coverage(world.people["viewer"], world.territory)
        return len(queries)

    count()  # the viewer's memberships, read once
    empty = count()
    known_team(world)
    assert count() == empty == 5


def test_the_chart_shows_the_table_s_figures(world):
    known_team(world)
    chart = coverage_chart(training_coverage(world.people["admin"], world.territory))
    assert chart["yAxis"]["data"] == ["Élu", "Agent de la collectivité"]
    assert [(serie["name"], serie["data"]) for serie in chart["series"]] == [
        ("Formés à la conduite du changement", [3, 2]),
        ("Pas encore formés", [1, 3]),
    ]
    assert "decal" in chart["series"][1]["itemStyle"]  # told apart by a pattern, not colour alone


# Pages --------------------------------------------------------------------------------------------


def test_the_team_page_tells_the_organisation_the_coverage_and_the_trainings(client, world):
    people = known_team(world)
    team_structure_save(
        actor=world.people["admin"],
        territory=world.territory,
        dgs=an_actor(world, "Claire <b>Martin</b>", code="agent"),
        dgs_role="Stratège : relie les services au projet de territoire.",
        pole_name="Pôle transition",
        pole_missions="Accompagner les services dans la transition.",
        pole_services="Urbanisme\nEau et assainissement",
        pole_members=[people["D"], people["H"]],
        visibility="public",
    )
    client_as(client, world, "viewer")
    response = client.get(BASE)
    body = page_text(response)
    assert "L’équipe de Ungersheim et sa capacité d’agir" in body
    assert (
        "L’organisation de l’équipe Public — tout le monde, et les données ouvertes "
        "Directeur ou directrice général·e des services (DGS) "
        "Claire <b>Martin</b> Stratège : relie les services au projet de territoire. "
        "Pôle d’expertise transversal : Pôle transition Ses missions Accompagner les services dans la "
        "transition. Ses membres Agent D · Agent de la collectivité Chercheuse H · Chercheur "
        "Les services qu’il relie Urbanisme Eau et assainissement"
    ) in body
    assert "Claire &lt;b&gt;Martin&lt;/b&gt;" in response.content.decode()
    assert (
        "5 élus et agents sur 10 ont suivi au moins une formation à la conduite du changement (50 %)."
    ) in body
    assert (
        "Personnes formées à la conduite du changement, par catégorie Catégorie Personnes Formées "
        "Pas encore formés Part formée Élu 4 3 1 75 % Agent de la collectivité 6 2 4 33 %"
    ) in body
    assert (
        "Qui, parmi les « 4 Fantastiques », suit les formations Catégorie Acteurs de la carte "
        "Ont suivi une formation Formations Heures-personnes Élu 5 4 3 45,5 Agent de la collectivité "
        "6 3 3 24,5 État territorial 0 0 0 0 Acteur socio-économique 1 1 1 7 "
        "Encore absents des formations : État territorial."
    ) in body
    assert (
        "3 formations, 24,5 heures en tout. Formations-actions : 1. Sur la conduite du changement : 2."
    ) in body
    assert (
        "Chantier école : la cantine · 20 mai 2026 · 3,5 h · formation-action · hors conduite du "
        "changement Élu : Élue A · Agent de la collectivité : Agent F · Chercheur : Chercheuse H"
    ) in body
    assert (
        "Conduire le changement · 12 mars 2026 · 7 h · par CNFPT · formation · sur la conduite du "
        "changement Élu : Conseil municipal, Élue A · Agent de la collectivité : Agent D · "
        "Acteur socio-économique : Ferme du Moulin"
    ) in body
    assert 'data-chart="coverage-chart"' in response.content.decode()
    assert "Ajouter une formation" not in body and "Modifier l’organisation" not in body  # a viewer reads


def test_a_visitor_reads_only_the_public_part_of_the_team_page(client, world):
    known_team(world)
    team_structure_save(
        actor=world.people["admin"], territory=world.territory, pole_name="Pôle secret", visibility="private"
    )
    body = page_text(client.get(BASE))
    assert "Séminaire interne" not in body and "Élue C" not in body and "Pôle secret" not in body
    assert "L’organisation de l’équipe n’est pas encore décrite, ou vous ne pouvez pas la lire." in body
    assert "2 élus et agents sur 8 ont suivi au moins une formation" in body
    assert "2 formations, 10,5 heures en tout." in body
    assert "Ajouter une formation" not in body


def test_the_team_page_costs_the_same_queries_whatever_the_data(client, world):
    client_as(client, world, "admin")

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(BASE).status_code == 200
        return len(queries)

    people = known_team(world)
    team_structure_save(
        actor=world.people["admin"],
        territory=world.territory,
        dgs=people["D"],
        pole_name="Pôle",
        pole_members=[people["E"]],
    )
    small = count()
    many = [an_actor(world, f"Agent {n}", code="agent") for n in range(20)]
    for n in range(20):
        a_training(world, f"Formation {n}", participants=many[n:], change_management=n % 2 == 0)
    team_structure_save(
        actor=world.people["admin"],
        territory=world.territory,
        dgs=people["D"],
        pole_name="Pôle",
        pole_members=many,
    )
    assert count() == small


def test_an_editor_adds_edits_and_deletes_a_training_through_the_pages(client, world):
    elu = an_actor(world, "Élue A")
    client_as(client, world, "editor")
    form = page_text(client.get(f"{BASE}formations/nouvelle/"))
    assert "Ajouter une formation Formations de l’équipe de Ungersheim" in form
    assert "Participants : Élue A · Élu" in form
    response = client.post(
        f"{BASE}formations/nouvelle/",
        {
            "title": "Conduire le <i>changement</i>",
            "held_on": "2026-03-12",
            "hours": "7,5",
            "organisation": "CNFPT",
            "change_management": "on",
            "participants": [elu.pk],
            "visibility": "public",
        },
        follow=True,
    )
    training = Training.objects.get()
    assert response.redirect_chain == [(f"{BASE}formations/{training.pk}/", 302)]
    body = page_text(response)
    assert "La formation a été enregistrée." in body
    assert (
        "Conduire le <i>changement</i> 12 mars 2026 · 7,5 h · Public — tout le monde, et les données "
        "ouvertes Organisée par CNFPT Type Formation "
        "Sur la conduite du changement oui Participants par catégorie d’acteurs Élu (1) Élue A"
    ) in body
    assert "Conduire le &lt;i&gt;changement&lt;/i&gt;" in response.content.decode()
    response = client.post(
        f"{BASE}formations/{training.pk}/modifier/",
        {"title": "Conduire le changement", "held_on": "2026-03-12", "hours": "8", "visibility": "public"},
        follow=True,
    )
    assert "8 h" in page_text(response) and "Aucun participant nommé pour l’instant." in page_text(response)
    assert "Supprimer « Conduire le changement » et la liste de ses participants ?" in page_text(
        client.get(f"{BASE}formations/{training.pk}/supprimer/")
    )
    response = client.post(f"{BASE}formations/{training.pk}/supprimer/", follow=True)
    assert "La formation a été supprimée." in page_text(response)
    assert Training.objects.count() == 0
    assert AuditEntry.objects.get(action="training.delete").changes["title"] == [
        "Conduire le changement",
        None,
    ]


def test_bad_input_on_the_training_page_is_named_and_nothing_written(client, world):
    client_as(client, world, "editor")
    response = client.post(
        f"{BASE}formations/nouvelle/",
        {"title": "Formation", "held_on": "2026-03-12", "hours": "250", "visibility": "public"},
    )
    assert (
        "Heures : La durée de la formation, jusqu’à 200 heures (par pas de 0,1). Une formation dure au plus "
        "200 heures : enregistrez un parcours plus long séance par séance. Organisée par :"
    ) in page_text(response)
    response = client.post(
        f"{BASE}formations/nouvelle/",
        {"title": "", "held_on": "pas une date", "hours": "", "visibility": "public"},
    )
    body = page_text(response)
    assert "Titre : Ce champ est obligatoire. Date : Saisissez une date valide." in body
    assert (
        "Heures : La durée de la formation, jusqu’à 200 heures (par pas de 0,1). Ce champ est obligatoire."
        in body
    )
    assert Training.objects.count() == 0


def test_the_structure_form_is_the_writers_and_names_a_bad_dgs(client, world):
    mayor = an_actor(world, "Maire", code="elu")
    client_as(client, world, "contributor")
    assert client.get(f"{BASE}organisation/modifier/").status_code == 404
    client_as(client, world, "editor")
    body = page_text(client.get(f"{BASE}organisation/modifier/"))
    assert "L’organisation de l’équipe Comment l’équipe de Ungersheim agit au-delà des silos" in body
    response = client.post(f"{BASE}organisation/modifier/", {"dgs": mayor.pk, "visibility": "public"})
    assert "Le ou la DGS est une personne de la catégorie « Agent de la collectivité »." in page_text(
        response
    )
    assert TeamStructure.objects.count() == 0
    dgs = an_actor(world, "Claire Martin", code="agent")
    response = client.post(
        f"{BASE}organisation/modifier/",
        {"dgs": dgs.pk, "pole_name": "Pôle transition", "pole_services": "Urbanisme", "visibility": "public"},
        follow=True,
    )
    assert response.redirect_chain == [(BASE, 302)]
    body = page_text(response)
    assert "L’organisation de l’équipe a été enregistrée." in body
    assert "Claire Martin" in body and "Les services qu’il relie Urbanisme" in body
    client.logout()
    response = client.get(f"{BASE}organisation/modifier/")
    assert response.status_code == 302 and response["Location"].startswith("/compte/")


def test_who_may_add_and_edit_trainings_through_the_pages(client, world):
    training = a_training(world, visibility="partners")
    client_as(client, world, "viewer")
    assert client.get(f"{BASE}formations/nouvelle/").status_code == 404
    assert client.get(f"{BASE}formations/{training.pk}/modifier/").status_code == 404
    client_as(client, world, "contributor")
    assert client.get(f"{BASE}formations/nouvelle/").status_code == 200
    assert client.get(f"{BASE}formations/{training.pk}/modifier/").status_code == 404
    assert client.post(f"{BASE}formations/{training.pk}/supprimer/").status_code == 404
    assert Training.objects.count() == 1
