"""Participation spaces (K4): members drawn from the actor map with their category mix and the
« 4 Fantastiques » check, meetings with their attendance among the members, the decisions taken
there; a member the viewer may not read is counted but not named."""

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
from trajectoires.governance.decisions import decision_create
from trajectoires.governance.models import Decision, Meeting, ParticipationSpace
from trajectoires.governance.spaces import meeting_record, space_create, space_delete, space_update
from trajectoires.referential.selectors import referential_item

pytestmark = pytest.mark.django_db
BASE = "/territoires/ungersheim/participation/"
TODAY = timezone.localdate()


@pytest.fixture
def world():
    return build_world()


def category(code):
    return referential_item("actor_category", code)


def level(code):
    return referential_item("participation_level", code)


def an_actor(world, name, code="habitant_association", territory=None, visibility="public"):
    territory = territory or world.territory
    owner = "admin" if territory == world.territory else "member_elsewhere"
    return actor_create(
        actor=world.people[owner],
        territory=territory,
        kind="organisation",
        name=name,
        category=category(code),
        visibility=visibility,
    )


def make_space(world, members=(), visibility="public", author="admin", **values):
    return space_create(
        actor=world.people[author],
        territory=world.territory,
        name=values.pop("name", "Conseil participatif"),
        kind=values.pop("kind", "council"),
        purpose=values.pop("purpose", "Co-construire le plan vélo."),
        members=members,
        visibility=visibility,
        **values,
    )


def four(world):
    return [
        an_actor(world, "Maire", "elu"),
        an_actor(world, "Service urbanisme", "agent"),
        an_actor(world, "DDT du Haut-Rhin", "etat_territorial"),
        an_actor(world, "Coopérative agricole", "socio_economique"),
    ]


# Writes ------------------------------------------------------------------------------------------


def test_an_editor_creates_a_space_with_members_through_the_page(client, world):
    maire, urbanisme = an_actor(world, "Maire", "elu"), an_actor(world, "Service urbanisme", "agent")
    client_as(client, world, "editor")
    response = client.post(
        f"{BASE}espaces/nouveau/",
        {
            "name": "Conseil <b>citoyen</b>",
            "kind": "citizen_assembly",
            "purpose": "Suivre la transition.",
            "members": [maire.pk, urbanisme.pk],
            "visibility": "public",
        },
        follow=True,
    )
    space = ParticipationSpace.objects.get()
    assert response.redirect_chain == [(f"{BASE}espaces/{space.pk}/", 302)]
    body = page_text(response)
    assert "L’espace de participation a été enregistré." in body
    assert "Conseil <b>citoyen</b> Assemblée citoyenne · 2 membres · Public" in body
    assert "Conseil &lt;b&gt;citoyen&lt;/b&gt;" in response.content.decode()
    assert sorted(space.members.values_list("name", flat=True)) == ["Maire", "Service urbanisme"]
    audit = AuditEntry.objects.get(action="space.create")
    assert audit.changes["members"] == [None, sorted([maire.pk, urbanisme.pk])]
    assert audit.changes["name"] == [None, "Conseil <b>citoyen</b>"]
    assert audit.scope == f"territory:{world.territory.pk}"


def test_a_member_of_another_territory_is_refused_and_nothing_written(client, world):
    elsewhere = an_actor(world, "Port de Dunkerque", territory=world.elsewhere)
    with pytest.raises(ValidationError) as refused:
        make_space(world, members=[elsewhere], name="")
    assert refused.value.message_dict == {
        "name": ["Ce champ ne peut pas être vide."],
        "members": ["Choisissez des acteurs de ce territoire."],
    }
    # A private actor the author cannot read is refused in the same words.
    secret = an_actor(world, "Cabinet du maire", visibility="private")
    with pytest.raises(ValidationError) as refused:
        make_space(world, author="contributor", members=[secret])
    assert refused.value.message_dict == {"members": ["Choisissez des acteurs de ce territoire."]}
    client_as(client, world, "editor")
    response = client.post(
        f"{BASE}espaces/nouveau/",
        {"name": "Conseil", "kind": "senate", "members": [elsewhere.pk], "visibility": "public"},
    )
    body = page_text(response)
    assert "Type : Sélectionnez un choix valide. senate n’en fait pas partie." in body
    assert "Membres : Des acteurs de la carte." in body
    assert f"Sélectionnez un choix valide. {elsewhere.pk} n’en fait pas partie." in body
    assert ParticipationSpace.objects.count() == 0
    assert not AuditEntry.objects.filter(action="space.create").exists()


def test_a_viewer_may_not_create_nor_a_contributor_change_others_spaces(client, world):
    with pytest.raises(PermissionDenied):
        make_space(world, author="viewer")
    space = make_space(world)
    client_as(client, world, "contributor")
    assert client.get(f"{BASE}espaces/{space.pk}/modifier/").status_code == 404
    own = make_space(world, author="contributor", name="Atelier vélo", kind="workshop")
    assert client.get(f"{BASE}espaces/{own.pk}/modifier/").status_code == 200


def test_an_update_keeps_the_members_the_editor_cannot_read_and_is_audited(world):
    secret = an_actor(world, "Cabinet du préfet", "etat_territorial", visibility="private")
    maire = an_actor(world, "Maire", "elu")
    space = make_space(world, members=[secret, maire])
    # A contributor who authored the space cannot read the private actor; their edit keeps it.
    own = make_space(world, author="contributor", members=[maire], name="Atelier")
    space_update(actor=world.people["admin"], space=own, members=[maire, secret])
    space_update(actor=world.people["contributor"], space=own, members=[], name="Atelier mobilité")
    assert list(own.members.values_list("name", flat=True)) == ["Cabinet du préfet"]
    changes = AuditEntry.objects.filter(action="space.update").order_by("id").last().changes
    assert changes == {
        "name": ["Atelier", "Atelier mobilité"],
        "members": [sorted([maire.pk, secret.pk]), [secret.pk]],
    }
    assert space.members.count() == 2


def test_deleting_a_space_deletes_its_meetings_and_keeps_its_decisions(world):
    maire = an_actor(world, "Maire", "elu")
    space = make_space(world, members=[maire])
    meeting_record(
        actor=world.people["editor"], space=space, held_on=TODAY, agenda="Budget", attendees=[maire]
    )
    decision = decision_create(
        actor=world.people["editor"],
        territory=world.territory,
        title="Plan vélo",
        decided_on=TODAY,
        participation_level=level("co_construct"),
        space=space,
    )
    space_delete(actor=world.people["editor"], space=space)
    assert Meeting.objects.count() == 0
    decision.refresh_from_db()
    assert decision.space is None
    assert AuditEntry.objects.get(action="space.delete").changes["name"] == ["Conseil participatif", None]


# Meetings ----------------------------------------------------------------------------------------


def test_a_meeting_is_recorded_with_members_attending(client, world):
    maire, urbanisme = an_actor(world, "Maire", "elu"), an_actor(world, "Service urbanisme", "agent")
    space = make_space(world, members=[maire, urbanisme])
    client_as(client, world, "editor")
    form = client.get(f"{BASE}espaces/{space.pk}/reunions/nouvelle/").content.decode()
    assert "Maire (Élu)" in form and "Service urbanisme (Agent de la collectivité)" in form
    held_on = TODAY - datetime.timedelta(days=3)
    response = client.post(
        f"{BASE}espaces/{space.pk}/reunions/nouvelle/",
        {
            "held_on": held_on.isoformat(),
            "agenda": "1. Plan vélo\n2. Budget",
            "attendees": [maire.pk],
            "minutes": "Le plan vélo est <i>adopté</i>.",
        },
        follow=True,
    )
    meeting = Meeting.objects.get()
    assert response.redirect_chain == [(f"{BASE}espaces/{space.pk}/reunions/{meeting.pk}/", 302)]
    date = formats.date_format(held_on, "DATE_FORMAT")
    body = page_text(response)
    assert "La réunion a été enregistrée." in body
    assert f"Réunion du {date} Conseil participatif · 1 sur 2 membres" in body
    assert "Ordre du jour 1. Plan vélo 2. Budget" in body
    assert "Participants Maire · Élu" in body
    assert "Compte rendu Le plan vélo est <i>adopté</i>." in body
    assert "&lt;i&gt;adopté&lt;/i&gt;" in response.content.decode()
    audit = AuditEntry.objects.get(action="meeting.create")
    assert audit.changes["attendees"] == [None, [maire.pk]]
    assert audit.changes["held_on"] == [None, held_on.isoformat()]
    space_page = page_text(client.get(f"{BASE}espaces/{space.pk}/"))
    assert f"{date} 1. Plan vélo 2. Budget 1 sur 2 membres" in space_page


def test_an_attendee_who_is_not_a_member_is_refused_by_name(client, world):
    maire, voisin = an_actor(world, "Maire", "elu"), an_actor(world, "Comité de quartier")
    elsewhere = an_actor(world, "Port de Dunkerque", territory=world.elsewhere)
    space = make_space(world, members=[maire])
    with pytest.raises(ValidationError) as refused:
        meeting_record(
            actor=world.people["editor"],
            space=space,
            held_on=TODAY,
            agenda="Budget",
            attendees=[maire, voisin],
        )
    assert refused.value.message_dict == {
        "attendees": ["« Comité de quartier » n’est pas membre de cet espace."]
    }
    with pytest.raises(ValidationError) as refused:
        meeting_record(
            actor=world.people["editor"], space=space, held_on=TODAY, agenda="", attendees=[elsewhere]
        )
    assert refused.value.message_dict == {
        "agenda": ["Ce champ ne peut pas être vide."],
        "attendees": ["Choisissez des acteurs de ce territoire."],
    }
    # Through the page as well, next to the field.
    client_as(client, world, "editor")
    response = client.post(
        f"{BASE}espaces/{space.pk}/reunions/nouvelle/",
        {"held_on": TODAY.isoformat(), "agenda": "Budget", "attendees": [voisin.pk]},
    )
    assert (
        "Participants : Les membres de l’espace qui étaient présents. "
        "« Comité de quartier » n’est pas membre de cet espace."
    ) in page_text(response)
    assert Meeting.objects.count() == 0 and not AuditEntry.objects.filter(action="meeting.create").exists()


def test_a_future_meeting_takes_an_agenda_but_no_attendance_nor_minutes(world):
    maire = an_actor(world, "Maire", "elu")
    space = make_space(world, members=[maire])
    soon = TODAY + datetime.timedelta(days=10)
    with pytest.raises(ValidationError) as refused:
        meeting_record(
            actor=world.people["editor"],
            space=space,
            held_on=soon,
            agenda="Budget",
            minutes="…",
            attendees=[maire],
        )
    assert refused.value.message_dict == {
        "attendees": ["La présence se note une fois la réunion tenue."],
        "minutes": ["Le compte rendu s’écrit une fois la réunion tenue."],
    }
    far = TODAY + datetime.timedelta(days=400)
    with pytest.raises(ValidationError) as refused:
        meeting_record(actor=world.people["editor"], space=space, held_on=far, agenda="Budget")
    latest = formats.date_format(TODAY + datetime.timedelta(days=365), "DATE_FORMAT")
    assert refused.value.message_dict == {
        "held_on": [f"Une réunion s’annonce au plus un an à l’avance : le {latest} au plus tard."]
    }
    assert meeting_record(actor=world.people["editor"], space=space, held_on=soon, agenda="Budget").pk
    with pytest.raises(PermissionDenied):
        meeting_record(actor=world.people["viewer"], space=space, held_on=TODAY, agenda="Budget")


# The space page ----------------------------------------------------------------------------------


def test_the_space_page_shows_the_category_mix_and_the_missing_fantastiques(client, world):
    maire, urbanisme = an_actor(world, "Maire", "elu"), an_actor(world, "Service urbanisme", "agent")
    secret = an_actor(world, "Adjointe à la transition", "elu", visibility="private")
    asso = an_actor(world, "Amis du verger")
    space = make_space(world, members=[maire, urbanisme, secret, asso])
    decision_create(
        actor=world.people["admin"],
        territory=world.territory,
        title="Plan vélo",
        decided_on=datetime.date(2026, 1, 15),
        participation_level=level("co_decide"),
        space=space,
        visibility="public",
    )
    decision_create(
        actor=world.people["admin"],
        territory=world.territory,
        title="Note interne",
        decided_on=datetime.date(2026, 1, 16),
        participation_level=level("inform"),
        space=space,
    )
    body = page_text(client.get(f"{BASE}espaces/{space.pk}/"))
    assert "Conseil participatif Conseil · 4 membres · Public" in body
    assert (
        "Les « 4 Fantastiques » ne sont pas tous là. Absents de cet espace : État territorial, "
        "Acteur socio-économique." in body
    )
    assert "Élu (« 4 Fantastiques ») 2 50 % Maire , Acteur non visible" in body
    assert "Agent de la collectivité (« 4 Fantastiques ») 1 25 % Service urbanisme" in body
    assert "Habitant / association 1 25 % Amis du verger" in body
    assert "Adjointe" not in body
    assert "Décisions prises dans cet espace Plan vélo · 15 janvier 2026 · Co-décider" in body
    assert "Note interne" not in body
    # The team reads every member.
    client_as(client, world, "viewer")
    assert "Élu (« 4 Fantastiques ») 2 50 % Adjointe à la transition , Maire" in page_text(
        client.get(f"{BASE}espaces/{space.pk}/")
    )


def test_a_space_with_the_four_fantastiques(client, world):
    space = make_space(world, members=four(world))
    body = page_text(client.get(f"{BASE}espaces/{space.pk}/"))
    assert (
        "Les « 4 Fantastiques » sont tous là : élus, agents de la collectivité, services de l’État et "
        "acteurs socio-économiques siègent ensemble dans cet espace." in body
    )


def test_the_space_page_and_list_cost_the_same_queries_whatever_their_size(client, world):
    actors = four(world)
    space = make_space(world, members=actors[:1])

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    meeting_record(actor=world.people["admin"], space=space, held_on=TODAY, agenda="A", attendees=actors[:1])
    decision_create(
        actor=world.people["admin"],
        territory=world.territory,
        title="D0",
        decided_on=TODAY,
        participation_level=level("consult"),
        space=space,
        visibility="public",
    )
    client_as(client, world, "viewer")
    one_page, one_list = count(f"{BASE}espaces/{space.pk}/"), count(BASE)
    more = actors[1:] + [an_actor(world, f"Association {index}") for index in range(20)]
    space_update(actor=world.people["admin"], space=space, members=actors + more[3:])
    for index in range(15):
        meeting_record(
            actor=world.people["admin"], space=space, held_on=TODAY, agenda=f"R{index}", attendees=more[3:]
        )
        decision_create(
            actor=world.people["admin"],
            territory=world.territory,
            title=f"D{index + 1}",
            decided_on=TODAY,
            participation_level=level("co_decide"),
            space=space,
            visibility="public",
        )
        make_space(world, name=f"Atelier {index}", members=more[3:])
    assert count(f"{BASE}espaces/{space.pk}/") == one_page
    assert count(BASE) == one_list
    assert Decision.objects.count() == 16


def test_the_spaces_list_filters_by_kind_and_hides_what_one_may_not_read(client, world):
    make_space(world, members=four(world), name="Conseil de développement", kind="development_council")
    make_space(world, name="Atelier vélo", kind="workshop")
    make_space(world, name="Comité secret", kind="committee", visibility="private")
    body = page_text(client.get(BASE))
    assert "Conseil de développement · Conseil de développement · 4 membres · 0 réunion · Public" in body
    assert "Atelier vélo · Atelier · 0 membre · 0 réunion · Public" in body
    assert "Comité secret" not in body
    filtered = page_text(client.get(BASE, {"kind": "workshop"}))
    assert "Atelier vélo" in filtered and "Conseil de développement ·" not in filtered


def test_a_meeting_reads_as_its_space(client, world):
    maire = an_actor(world, "Maire", "elu")
    space = make_space(world, members=[maire], visibility="private")
    meeting = meeting_record(actor=world.people["admin"], space=space, held_on=TODAY, agenda="Budget")
    url = f"{BASE}espaces/{space.pk}/reunions/{meeting.pk}/"
    assert client.get(url).status_code == 404
    other = make_space(world, name="Autre")
    assert client.get(f"{BASE}espaces/{other.pk}/reunions/{meeting.pk}/").status_code == 404
    client_as(client, world, "viewer")
    assert "Aucune présence notée." in page_text(client.get(url))
