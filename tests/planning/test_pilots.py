"""Pilots (K9): a hypothesis tested on a modest scope, iterated (tried → observed → decided), whose
status follows each decision; closed once scaled up or stopped; a stopped pilot keeps its lessons
and counts as learning."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import formats, timezone

from tests.pages import page_text
from tests.trust.world import build_world, client_as
from trajectoires.cooperation.actors import actor_create
from trajectoires.core.models import AuditEntry
from trajectoires.planning.iterations import PilotClosed, iteration_record
from trajectoires.planning.models import Pilot, PilotIteration
from trajectoires.planning.pilots import pilot_create, pilot_delete, pilot_update, pilots_by_status
from trajectoires.referential.selectors import referential_item
from trajectoires.steering.vision import OrientationInput, vision_save
from trajectoires.territories.permissions import viewer_scope

pytestmark = pytest.mark.django_db
BASE = "/territoires/ungersheim/pilotes/"
START = datetime.date(2026, 3, 2)
TODAY = timezone.localdate()


@pytest.fixture
def world():
    return build_world()


def make_pilot(world, title="Cantine 100 % locale", visibility="private", author="admin", **values):
    return pilot_create(
        actor=world.people[author],
        territory=world.territory,
        title=title,
        hypothesis="Si la cantine achète aux maraîchers du village, alors les repas seront locaux.",
        scope="L’école du centre, un trimestre.",
        started_on=values.pop("started_on", START),
        visibility=visibility,
        **values,
    )


def iterate(world, pilot, decision="continue", held_on=None, actor="editor", **values):
    return iteration_record(
        actor=world.people[actor],
        pilot=pilot,
        held_on=held_on or START + datetime.timedelta(days=30 * (pilot.iterations.count() + 1)),
        tried=values.pop("tried", "Deux repas par semaine."),
        observed=values.pop("observed", "Les enfants mangent tout."),
        decision=decision,
        adjustment=values.pop("adjustment", "On continue."),
        **values,
    )


def vision_of(world, territory=None, visibility="private"):
    food = referential_item("essential_need", "food")
    territory = territory or world.territory
    owner = "admin" if territory == world.territory else "member_elsewhere"
    return vision_save(
        actor=world.people[owner],
        territory=territory,
        expected_version=0,
        horizon_year=TODAY.year + 15,
        statement="Un village nourricier.",
        orientations=[OrientationInput("Se nourrir ici", [food])],
        reason="Conseil",
        visibility=visibility,
    )


def an_actor(world, name="Ferme du Moulin", territory=None, visibility="private"):
    territory = territory or world.territory
    owner = "admin" if territory == world.territory else "member_elsewhere"
    return actor_create(
        actor=world.people[owner],
        territory=territory,
        kind="organisation",
        name=name,
        category=referential_item("actor_category", "socio_economique"),
        visibility=visibility,
    )


# Life cycle ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("decision", "status"),
    [("continue", "running"), ("adjust", "adjusted"), ("scale_up", "scaled_up"), ("stop", "stopped")],
)
@pytest.mark.parametrize("before", ["running", "adjusted"])
def test_each_decision_of_an_open_pilot_sets_its_status(world, before, decision, status):
    pilot = make_pilot(world)
    if before == "adjusted":
        iterate(world, pilot, "adjust")
    assert pilot.status == before
    iteration = iterate(world, pilot, decision, lessons="Les maraîchers ont besoin d’un contrat.")
    pilot.refresh_from_db()
    assert pilot.status == status
    assert iteration.number == (2 if before == "adjusted" else 1)
    audit = AuditEntry.objects.filter(action="pilot_iteration.create").latest("id")
    assert audit.changes["decision"] == [None, decision]
    assert audit.scope == f"territory:{world.territory.pk}"


@pytest.mark.parametrize("closing", ["scale_up", "stop"])
@pytest.mark.parametrize("decision", ["continue", "adjust", "scale_up", "stop"])
def test_a_closed_pilot_refuses_any_new_iteration(world, closing, decision):
    pilot = make_pilot(world, lessons="Un contrat annuel rassure les maraîchers.")
    iterate(world, pilot, closing)
    with pytest.raises(PilotClosed) as refused:
        iterate(world, pilot, decision)
    expected = {"scale_up": "Passé à l’échelle", "stop": "Arrêté — enseignements tirés"}[closing]
    assert refused.value.messages == [
        f"Ce pilote est clos ({expected}) : il ne reçoit plus de nouvelle itération."
    ]
    assert pilot.iterations.count() == 1


def test_iterations_are_numbered_in_order_and_tell_the_pilot_s_story(world):
    pilot = make_pilot(world)
    numbers = [iterate(world, pilot, decision).number for decision in ("continue", "adjust", "continue")]
    assert numbers == [1, 2, 3]
    assert list(pilot.iterations.values_list("number", "decision")) == [
        (1, "continue"),
        (2, "adjust"),
        (3, "continue"),
    ]
    pilot.refresh_from_db()
    assert pilot.status == "running"


def test_stopping_requires_the_lessons_learnt(world):
    pilot = make_pilot(world)
    with pytest.raises(ValidationError) as refused:
        iterate(world, pilot, "stop", lessons="   ")
    assert refused.value.message_dict == {
        "lessons": ["Arrêter un pilote consigne les enseignements tirés : rédigez-les."]
    }
    assert (PilotIteration.objects.count(), Pilot.objects.get().status) == (0, "running")
    iterate(world, pilot, "stop", lessons="Sans cuisinier formé, le local ne tient pas.")
    pilot.refresh_from_db()
    assert (pilot.status, pilot.lessons) == ("stopped", "Sans cuisinier formé, le local ne tient pas.")
    assert AuditEntry.objects.get(action="pilot.update").changes == {
        "lessons": ["", "Sans cuisinier formé, le local ne tient pas."],
        "status": ["running", "stopped"],
    }


def test_a_pilot_that_already_holds_lessons_stops_with_them(world):
    pilot = make_pilot(world, lessons="Premiers enseignements.")
    iterate(world, pilot, "stop")
    pilot.refresh_from_db()
    assert (pilot.status, pilot.lessons) == ("stopped", "Premiers enseignements.")


def test_lessons_given_with_any_iteration_replace_the_pilot_s_and_blank_keeps_them(world):
    pilot = make_pilot(world, lessons="Avant.")
    iterate(world, pilot, "adjust", lessons="")
    assert Pilot.objects.get().lessons == "Avant."
    iterate(world, pilot, "continue", lessons="Après.")
    assert Pilot.objects.get().lessons == "Après."


def test_a_stopped_pilot_keeps_its_lessons_and_its_status_only_follows_iterations(world):
    pilot = make_pilot(world)
    iterate(world, pilot, "stop", lessons="Appris.")
    with pytest.raises(ValidationError) as refused:
        pilot_update(actor=world.people["editor"], pilot=pilot, lessons="")
    assert refused.value.message_dict == {
        "lessons": ["Un pilote arrêté garde les enseignements tirés : rédigez-les."]
    }
    with pytest.raises(TypeError):
        pilot_update(actor=world.people["editor"], pilot=pilot, status="running")
    assert Pilot.objects.get().status == "stopped"


# Bad input ------------------------------------------------------------------------------------------


def test_iteration_dates_stay_between_the_start_today_and_the_previous_iteration(world):
    pilot = make_pilot(world)

    def refused(held_on):
        with pytest.raises(ValidationError) as error:
            iterate(world, pilot, held_on=held_on)
        return error.value.message_dict

    assert refused(START - datetime.timedelta(days=1)) == {
        "held_on": ["Le pilote a commencé le 2 mars 2026 : une itération ne peut pas être datée d’avant."]
    }
    assert refused(TODAY + datetime.timedelta(days=1)) == {
        "held_on": ["Une itération est datée d’aujourd’hui au plus tard : elle consigne ce qui s’est passé."]
    }
    iterate(world, pilot, held_on=datetime.date(2026, 5, 4))
    assert refused(datetime.date(2026, 5, 3)) == {
        "held_on": [
            "L’itération précédente est datée du 4 mai 2026 : celle-ci ne peut pas être datée d’avant."
        ]
    }
    iterate(world, pilot, held_on=datetime.date(2026, 5, 4))  # the same day is fine
    assert pilot.iterations.count() == 2


def test_a_bad_iteration_names_every_field_at_once_and_writes_nothing(world):
    pilot = make_pilot(world)
    with pytest.raises(ValidationError) as refused:
        iteration_record(
            actor=world.people["editor"],
            pilot=pilot,
            held_on=START - datetime.timedelta(days=3),
            tried="",
            observed="Rien",
            decision="stop",
            adjustment="",
        )
    assert refused.value.message_dict == {
        "adjustment": ["Ce champ ne peut pas être vide."],
        "held_on": ["Le pilote a commencé le 2 mars 2026 : une itération ne peut pas être datée d’avant."],
        "lessons": ["Arrêter un pilote consigne les enseignements tirés : rédigez-les."],
        "tried": ["Ce champ ne peut pas être vide."],
    }
    assert PilotIteration.objects.count() == 0
    assert not AuditEntry.objects.filter(action__startswith="pilot_iteration").exists()


def test_a_start_more_than_a_year_ahead_is_refused(world):
    latest = TODAY + datetime.timedelta(days=365)
    assert make_pilot(world, started_on=latest).started_on == latest
    with pytest.raises(ValidationError) as refused:
        make_pilot(world, started_on=latest + datetime.timedelta(days=1))
    date = formats.date_format(latest, "j F Y")
    assert refused.value.message_dict == {
        "started_on": [f"Un pilote commence au plus tard dans un an : le {date} au plus tard."]
    }
    assert Pilot.objects.count() == 1


def test_the_start_cannot_move_after_an_existing_iteration(world):
    pilot = make_pilot(world)
    iterate(world, pilot, held_on=datetime.date(2026, 4, 1))
    with pytest.raises(ValidationError) as refused:
        pilot_update(actor=world.people["editor"], pilot=pilot, started_on=datetime.date(2026, 4, 2))
    assert refused.value.message_dict == {
        "started_on": ["Une itération est datée du 1 avril 2026 : le pilote ne peut pas commencer après."]
    }
    assert Pilot.objects.get().started_on == START
    pilot_update(actor=world.people["editor"], pilot=pilot, started_on=datetime.date(2026, 4, 1))
    assert Pilot.objects.get().started_on == datetime.date(2026, 4, 1)


def test_actors_and_orientations_of_another_territory_are_refused(world):
    foreign_actor = an_actor(world, "Ferme d’ailleurs", territory=world.elsewhere, visibility="public")
    foreign_orientation = vision_of(world, world.elsewhere, visibility="public").orientations.get()
    with pytest.raises(ValidationError) as refused:
        make_pilot(world, actors=[foreign_actor])
    assert refused.value.message_dict == {"actors": ["Choisissez des acteurs de ce territoire."]}
    with pytest.raises(ValidationError) as refused:
        make_pilot(world, orientations=[foreign_orientation])
    assert refused.value.message_dict == {
        "orientations": ["Choisissez des orientations de la vision de ce territoire."]
    }
    assert Pilot.objects.count() == 0


def test_bad_input_on_the_page_is_named_and_nothing_written(client, world):
    client_as(client, world, "editor")
    response = client.post(
        f"{BASE}nouveau/",
        {
            "title": "",
            "hypothesis": "H",
            "scope": "",
            "started_on": (TODAY + datetime.timedelta(days=400)).isoformat(),
            "visibility": "secret",
        },
    )
    body = page_text(response)
    assert "Titre : Ce champ est obligatoire." in body
    assert (
        "Périmètre : Volontairement modeste : où, avec qui, pour combien de temps. Ce champ est obligatoire."
        in body
    )
    assert "Qui peut la lire : Sélectionnez un choix valide. secret n’en fait pas partie." in body
    assert Pilot.objects.count() == 0


# Rights ---------------------------------------------------------------------------------------------


def test_who_may_start_edit_and_iterate(client, world):
    pilot = make_pilot(world, visibility="partners")
    with pytest.raises(PermissionDenied):
        make_pilot(world, author="viewer")
    with pytest.raises(PermissionDenied):
        iterate(world, pilot, actor="contributor")  # not theirs
    own = make_pilot(world, title="Le pilote du contributeur", visibility="partners", author="contributor")
    assert iterate(world, own, actor="contributor").number == 1
    client_as(client, world, "viewer")
    for url in (f"{BASE}nouveau/", f"{BASE}{pilot.pk}/modifier/", f"{BASE}{pilot.pk}/iterations/nouvelle/"):
        assert client.get(url).status_code == 404
    client.logout()
    response = client.get(f"{BASE}{pilot.pk}/iterations/nouvelle/")
    assert response.status_code == 302 and response["Location"].startswith("/compte/")


def test_deleting_a_pilot_removes_its_iterations_and_is_audited(client, world):
    pilot = make_pilot(world)
    iterate(world, pilot)
    client_as(client, world, "editor")
    response = client.post(f"{BASE}{pilot.pk}/supprimer/", follow=True)
    assert "Le pilote a été supprimé." in page_text(response)
    assert (Pilot.objects.count(), PilotIteration.objects.count()) == (0, 0)
    assert AuditEntry.objects.get(action="pilot.delete").changes["title"] == ["Cantine 100 % locale", None]


def test_pilot_delete_checks_the_right(world):
    pilot = make_pilot(world)
    with pytest.raises(PermissionDenied):
        pilot_delete(actor=world.people["viewer"], pilot=pilot)


# Pages ----------------------------------------------------------------------------------------------


def test_an_editor_starts_a_pilot_and_records_two_iterations_through_the_pages(client, world):
    orientation = vision_of(world).orientations.get()
    farm = an_actor(world)
    client_as(client, world, "editor")
    response = client.post(
        f"{BASE}nouveau/",
        {
            "title": "Cantine <b>locale</b>",
            "hypothesis": "Si la cantine achète local, alors les repas changent.",
            "scope": "L’école du centre, un trimestre.",
            "started_on": "2026-03-02",
            "actors": [farm.pk],
            "orientations": [orientation.pk],
            "visibility": "alliance",
        },
        follow=True,
    )
    pilot = Pilot.objects.get()
    assert response.redirect_chain == [(f"{BASE}{pilot.pk}/", 302)]
    body = page_text(response)
    assert "Le pilote a été enregistré." in body
    assert "Cantine <b>locale</b> En cours · commencé le 2 mars 2026 · Alliance" in body
    assert "Cantine &lt;b&gt;locale&lt;/b&gt;" in response.content.decode()
    assert "Hypothèse Si la cantine achète local, alors les repas changent." in body
    assert "Périmètre L’école du centre, un trimestre." in body
    assert "Acteurs impliqués Ferme du Moulin" in body
    assert "Orientations de la vision qu’il sert Se nourrir ici" in body
    assert "Itérations : essayé, observé, décidé Aucune itération enregistrée pour l’instant." in body
    assert "Fiche de transférabilité Pas encore rédigée. Lire la fiche de transférabilité" in body

    iteration_url = f"{BASE}{pilot.pk}/iterations/nouvelle/"
    assert "Enregistrer l’itération 1" in page_text(client.get(iteration_url))
    for held_on, decision, tried in (
        ("2026-04-06", "adjust", "Un repas local."),
        ("2026-05-11", "continue", "Deux."),
    ):
        response = client.post(
            iteration_url,
            {
                "held_on": held_on,
                "tried": tried,
                "observed": "Moins de gaspillage.",
                "evidence": "Pesées des restes.",
                "decision": decision,
                "adjustment": "Passer à deux repas.",
                "lessons": "",
            },
            follow=True,
        )
    body = page_text(response)
    assert "L’itération 2 a été enregistrée." in body
    assert (
        "Itération 1 · 6 avril 2026 Essayé Un repas local. Observé Moins de gaspillage. "
        "Preuves Pesées des restes. Décision Ajuster — Passer à deux repas. "
        "Itération 2 · 11 mai 2026 Essayé Deux."
    ) in body
    assert "En cours · commencé le 2 mars 2026" in body
    assert "Aucun enseignement rédigé pour l’instant." in body


def test_a_stopped_pilot_reads_as_learning_and_its_iteration_page_refuses(client, world):
    pilot = make_pilot(world, visibility="public")
    iterate(world, pilot, "stop", lessons="Le local demande un cuisinier formé.")
    body = page_text(client.get(f"{BASE}{pilot.pk}/"))
    assert "Cantine 100 % locale Arrêté — enseignements tirés · commencé le 2 mars 2026 · Public" in body
    assert (
        "Ce pilote a été arrêté : il compte comme un apprentissage, et ses enseignements sont "
        "consignés ci-dessous."
    ) in body
    assert "Enseignements Le local demande un cuisinier formé." in body
    assert "Cantine 100 % locale · Arrêté — enseignements tirés" in page_text(client.get(BASE))
    client_as(client, world, "editor")
    assert "Le pilote est clos : il ne reçoit plus de nouvelle itération." in page_text(
        client.get(f"{BASE}{pilot.pk}/")
    )
    url = f"{BASE}{pilot.pk}/iterations/nouvelle/"
    for response in (client.get(url), client.post(url, {"held_on": "2026-06-01", "decision": "continue"})):
        body = page_text(response)
        assert (
            "Ce pilote est clos (Arrêté — enseignements tirés) : il ne reçoit plus de nouvelle itération."
        ) in body
        assert "Enregistrer l’itération" not in body.replace("Enregistrer l’itération 2", "")
    assert PilotIteration.objects.count() == 1


def test_the_iteration_form_names_bad_dates_and_missing_lessons(client, world):
    pilot = make_pilot(world)
    client_as(client, world, "editor")
    response = client.post(
        f"{BASE}{pilot.pk}/iterations/nouvelle/",
        {
            "held_on": "2026-01-01",
            "tried": "T",
            "observed": "O",
            "decision": "stop",
            "adjustment": "On arrête.",
        },
    )
    body = page_text(response)
    assert (
        "Date : Le pilote a commencé le 2 mars 2026 : une itération ne peut pas être datée d’avant." in body
    )
    assert (
        "Enseignements : Ils remplacent les enseignements du pilote ; obligatoires pour l’arrêter. "
        "Arrêter un pilote consigne les enseignements tirés : rédigez-les."
    ) in body
    assert PilotIteration.objects.count() == 0


def test_the_list_filters_by_status_and_costs_the_same_queries(client, world):
    def add(index):
        pilot = make_pilot(world, title=f"Pilote {index}", visibility="public")
        iterate(world, pilot, "adjust" if index % 2 else "continue")

    def count():
        with CaptureQueriesContext(connection) as queries:
            client.get(BASE)
        return len(queries)

    add(0)
    add(1)
    one = count()
    for index in range(2, 30):
        add(index)
    assert count() == one
    body = page_text(client.get(BASE, {"status": "adjusted"}))
    assert "Pilote 3 · Ajusté · depuis le 2 mars 2026 · 1 itération · Public" in body
    assert "Pilote 2 " not in body


def test_the_pilot_page_costs_the_same_queries_whatever_its_size(client, world):
    orientation = vision_of(world, visibility="public").orientations.get()
    small = make_pilot(world, visibility="public", orientations=[orientation])
    big = make_pilot(
        world,
        title="Grand",
        visibility="public",
        orientations=[orientation],
        actors=[an_actor(world, f"Acteur {n}", visibility="public") for n in range(8)],
    )
    iterate(world, small)
    for _ in range(8):
        iterate(world, big)

    def count(pilot):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{BASE}{pilot.pk}/").status_code == 200
        return len(queries)

    assert count(small) == count(big)


# Dashboard ------------------------------------------------------------------------------------------


def test_pilots_by_status_counts_the_readable_pilots_in_one_query(world, django_assert_num_queries):
    make_pilot(world, "A", visibility="public")
    iterate(world, make_pilot(world, "B", visibility="public"), "adjust")
    iterate(world, make_pilot(world, "C", visibility="private"), "stop", lessons="Appris.")
    iterate(world, make_pilot(world, "D", visibility="alliance"), "scale_up")
    viewer = world.people["viewer"]
    viewer_scope(viewer)
    with django_assert_num_queries(1):
        counts = pilots_by_status(viewer, world.territory)
    assert counts == {"running": 1, "adjusted": 1, "scaled_up": 1, "stopped": 1}
    assert pilots_by_status(None, world.territory) == {
        "running": 1,
        "adjusted": 1,
        "scaled_up": 0,
        "stopped": 0,
    }
    assert pilots_by_status(world.people["member_elsewhere"], world.territory)["scaled_up"] == 1
