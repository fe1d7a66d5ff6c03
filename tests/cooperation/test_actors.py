"""The actor map (K5): writes and their rules, contact details for the team only, the list."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.pages import page_text, sent_form
from tests.trust.world import build_world, client_as
from trajectoires.cooperation.actors import actor_create, actor_delete, actor_update
from trajectoires.cooperation.models import Actor
from trajectoires.core.models import AuditEntry
from trajectoires.referential.models import ReferentialVersion
from trajectoires.referential.selectors import referential_item

from .actor_data import category, make_actor, make_tie

pytestmark = pytest.mark.django_db
LIST = "/territoires/ungersheim/acteurs/"


@pytest.fixture
def world():
    return build_world()


def actor_data(**values):
    data = {
        "kind": "person",
        "name": "Jean-Claude <b>Mensch</b>",
        "category": "elu",
        "function": "Maire",
        "email": "maire@ungersheim.example",
        "phone": "03 89 00 00 00",
        "notes": "Préfère le téléphone.",
        "visibility": "partners",
    }
    return data | values


def test_an_editor_adds_a_person_with_their_organisation(client, world):
    mairie = make_actor(world, "Mairie d'Ungersheim", kind="organisation", code="agent")
    client_as(client, world, "editor")
    response = client.post(f"{LIST}nouveau/", actor_data(organisation=mairie.pk), follow=True)
    actor = Actor.objects.get(kind="person")
    assert response.redirect_chain == [(f"{LIST}{actor.pk}/", 302)]
    assert (actor.name, actor.category.code, actor.organisation, actor.email, actor.visibility) == (
        "Jean-Claude <b>Mensch</b>",
        "elu",
        mairie,
        "maire@ungersheim.example",
        "partners",
    )
    html = response.content.decode()
    assert "<h1>Jean-Claude &lt;b&gt;Mensch&lt;/b&gt;</h1>" in html
    text = page_text(response)
    assert "L’acteur a été enregistré." in text
    assert "Organisation Mairie d'Ungersheim" in text
    assert "Courriel maire@ungersheim.example" in text


def test_a_persons_trail_keeps_field_names_and_no_value(world):
    person = make_actor(world, "Anne Martin", email="anne@example.org", function="DGS")
    audit = AuditEntry.objects.get(action="actor.create", object_id=str(person.pk))
    assert audit.scope == f"territory:{world.territory.pk}"
    assert audit.object_repr == ""
    assert audit.changes["name"] == ["•••", "•••"]
    assert "Anne" not in json.dumps(audit.changes) and "anne@" not in json.dumps(audit.changes)


def test_an_organisations_trail_masks_its_contact_details_only(world):
    organisation = make_actor(world, "Préfecture", kind="organisation", code="etat_territorial", phone="0389")
    audit = AuditEntry.objects.get(action="actor.create", object_id=str(organisation.pk))
    assert audit.object_repr == "Préfecture"
    assert audit.changes["name"] == [None, "Préfecture"]
    assert audit.changes["category"] == [None, "etat_territorial"]
    assert audit.changes["phone"] == ["•••", "•••"]
    actor_update(actor=world.people["editor"], record=organisation, visibility="public", notes="Secret")
    update = AuditEntry.objects.get(action="actor.update")
    assert update.changes == {"notes": ["•••", "•••"], "visibility": ["private", "public"]}


def test_bad_input_names_the_field_and_writes_nothing(client, world):
    client_as(client, world, "editor")
    response = client.post(
        f"{LIST}nouveau/",
        actor_data(name="", email="pas-une-adresse", kind="robot", visibility="everyone"),
    )
    text = page_text(response)
    assert "Nom : Ce champ est obligatoire." in text
    assert "Saisissez une adresse de courriel valide." in text
    assert "Sélectionnez un choix valide. robot n’en fait pas partie." in text
    assert Actor.objects.count() == 0


def test_the_services_rules_across_rows_name_their_field(world):
    admin = world.people["admin"]
    person = make_actor(world, "Anne Martin")
    elsewhere = make_actor(
        world,
        "Mairie de Grande-Synthe",
        kind="organisation",
        territory=world.elsewhere,
        by="member_elsewhere",
    )
    cases = [
        ({"phone": "appelez-moi"}, "phone", "Saisissez un numéro de téléphone"),
        ({"name": "Anne Martin"}, "name", "Une personne de ce nom figure déjà dans la carte des acteurs."),
        ({"organisation": elsewhere}, "organisation", "Choisissez une organisation de ce territoire."),
        ({"organisation": person}, "organisation", "Choisissez une organisation de ce territoire."),
        ({"user_email": "inconnu@example.org"}, "user_email", "Aucun compte de la plateforme"),
    ]
    for values, field, message in cases:
        data = {"kind": "person", "name": "Paul Durand", "category": category("elu")} | values
        with pytest.raises(ValidationError) as refused:
            actor_create(actor=admin, territory=world.territory, **data)
        assert field in refused.value.message_dict, values
        assert message in " ".join(refused.value.message_dict[field])
    need = referential_item("essential_need", "water")
    with pytest.raises(ValidationError) as refused:
        actor_create(actor=admin, territory=world.territory, kind="person", name="Paul", category=need)
    assert "category" in refused.value.message_dict
    assert Actor.objects.filter(name__startswith="Paul").count() == 0


def test_an_organisation_may_belong_to_another_but_never_to_itself(world):
    prefecture = make_actor(world, "Préfecture du Haut-Rhin", kind="organisation", code="etat_territorial")
    ddt = make_actor(
        world, "DDT du Haut-Rhin", kind="organisation", code="etat_territorial", organisation=prefecture
    )
    assert ddt.organisation == prefecture
    with pytest.raises(ValidationError) as refused:
        actor_update(actor=world.people["editor"], record=prefecture, organisation=ddt)
    assert refused.value.message_dict["organisation"] == [
        "Une organisation ne peut pas appartenir à elle-même, même par d’autres."
    ]
    with pytest.raises(ValidationError) as refused:
        actor_update(actor=world.people["editor"], record=prefecture, kind="person")
    assert refused.value.message_dict["kind"] == [
        "Cette organisation a des membres : elle ne peut pas devenir une personne."
    ]


def test_a_platform_account_is_linked_by_its_email(world):
    viewer = world.people["viewer"]
    person = make_actor(world, "Vera Viewer", user_email="VIEWER@ungersheim.example")
    assert person.user == viewer
    with pytest.raises(ValidationError) as refused:
        make_actor(world, "Vera bis", user_email="viewer@ungersheim.example")
    assert refused.value.message_dict["user_email"] == [
        "Ce compte représente déjà un autre acteur de ce territoire."
    ]
    with pytest.raises(ValidationError) as refused:
        actor_create(
            actor=world.people["contributor"],
            territory=world.territory,
            kind="person",
            name="Carl",
            category=category("elu"),
            user_email="editor@ungersheim.example",
        )
    assert refused.value.message_dict["user_email"] == [
        "Seuls les administrateurs et éditeurs de l’équipe relient des comptes de la plateforme."
    ]
    actor_update(actor=world.people["editor"], record=person, user_email="")
    person.refresh_from_db()
    assert person.user is None


def test_contributors_add_actors_but_do_not_change_them(client, world):
    client_as(client, world, "contributor")
    form = client.get(f"{LIST}nouveau/")
    assert "Compte sur la plateforme" not in page_text(form)
    client.post(f"{LIST}nouveau/", actor_data(name="Association Les Jardins", kind="organisation"))
    added = Actor.objects.get(name="Association Les Jardins")
    assert client.get(f"{LIST}{added.pk}/modifier/").status_code == 404
    assert client.get(f"{LIST}{added.pk}/supprimer/").status_code == 404
    with pytest.raises(PermissionDenied):
        actor_update(actor=world.people["contributor"], record=added, name="Autre")
    response = client.post(f"{LIST}nouveau/", actor_data(name="Léa Petit", visibility="private"), follow=True)
    assert response.redirect_chain == [(LIST, 302)]
    assert "L’acteur a été ajouté ; seule l’équipe du territoire peut le consulter." in page_text(response)
    assert Actor.objects.get(name="Léa Petit").visibility == "private"
    client_as(client, world, "viewer")
    assert client.get(f"{LIST}nouveau/").status_code == 404
    client.logout()
    assert client.get(f"{LIST}nouveau/").status_code == 302


@pytest.mark.parametrize(
    ("role", "sees_contacts"),
    [
        ("admin", True),
        ("editor", True),
        ("viewer", True),
        ("contributor", False),
        ("partner_funder", False),
        ("assembly_delegate", False),
        ("member_elsewhere", False),
        ("anonymous", False),
    ],
)
def test_contact_details_are_for_the_team_only_whatever_the_visibility(client, world, role, sees_contacts):
    actor = make_actor(
        world, "Anne Martin", visibility="public", email="anne@example.org", phone="0611223344", notes="Note"
    )
    client_as(client, world, role)
    page = page_text(client.get(f"{LIST}{actor.pk}/"))
    listing = page_text(client.get(LIST))
    assert "Anne Martin" in page and "Anne Martin" in listing
    for text in (page, listing):
        assert ("anne@example.org" in text) is sees_contacts
        assert ("0611223344" in text) is sees_contacts
    assert ("Note" in page) is sees_contacts


def test_an_organisation_the_viewer_may_not_read_is_not_named(client, world):
    secret = make_actor(world, "Cabinet discret", kind="organisation", visibility="private")
    make_actor(world, "Anne Martin", visibility="public", organisation=secret)
    client_as(client, world, "anonymous")
    assert "Cabinet discret" not in client.get(LIST).content.decode()
    client_as(client, world, "viewer")
    assert "Cabinet discret" in page_text(client.get(LIST))


def test_the_list_counts_each_category_and_says_what_the_4_fantastiques_miss(client, world):
    make_actor(world, "Maire", code="elu")
    make_actor(world, "DGS", code="agent")
    make_actor(world, "Adjointe", code="elu")
    client_as(client, world, "viewer")
    text = page_text(client.get(LIST))
    assert "Élu 2 oui" in text
    assert "Agent de la collectivité 1 oui" in text
    assert "Chercheur 0 non" in text
    assert "Incomplets : manquent à la carte : État territorial, Acteur socio-économique." in text
    make_actor(world, "Sous-préfecture", kind="organisation", code="etat_territorial")
    make_actor(world, "Chambre d'agriculture", kind="organisation", code="socio_economique")
    text = page_text(client.get(LIST))
    assert (
        "Complets : élus, agents, État territorial et acteurs socio-économiques sont tous dans la carte."
        in text
    )


def test_the_list_filters_by_category_kind_and_name(client, world):
    make_actor(world, "Anne Martin", code="elu")
    make_actor(world, "Mairie", kind="organisation", code="agent")
    make_actor(world, "Paul Martin", code="agent")
    client_as(client, world, "viewer")

    def names(query):
        response = client.get(LIST + query)
        return [actor.name for actor in response.context["page"].object_list]

    assert names("?category=agent") == ["Mairie", "Paul Martin"]
    assert names("?kind=person") == ["Anne Martin", "Paul Martin"]
    assert names("?q=martin&category=elu") == ["Anne Martin"]
    assert names("") == ["Anne Martin", "Mairie", "Paul Martin"]


def test_html_in_names_is_shown_escaped_in_the_list(client, world):
    make_actor(world, "<script>alert(1)</script>", visibility="public")
    html = client.get(LIST).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.parametrize("role", ["viewer", "anonymous", "partner_funder"])
def test_the_list_costs_the_same_queries_with_1_and_with_50_actors(client, world, role):
    organisation = make_actor(world, "Mairie", kind="organisation", visibility="public")
    client_as(client, world, role)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(LIST).status_code == 200
        return len(captured)

    few = queries()
    for number in range(50):
        make_actor(
            world, f"Personne {number}", visibility="public", organisation=organisation, email="a@b.fr"
        )
    assert queries() == few


def test_a_detail_page_costs_the_same_queries_with_many_members(client, world):
    organisation = make_actor(world, "Mairie", kind="organisation", visibility="public")
    client_as(client, world, "viewer")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(f"{LIST}{organisation.pk}/")
        return len(captured)

    few = queries()
    for number in range(20):
        make_actor(world, f"Agent {number}", code="agent", organisation=organisation)
    assert queries() == few


def test_an_actor_with_ties_is_not_deleted(client, world):
    anne, paul = make_actor(world, "Anne"), make_actor(world, "Paul")
    make_tie(anne, paul)
    client_as(client, world, "editor")
    response = client.post(f"{LIST}{anne.pk}/supprimer/")
    assert response.status_code == 409
    assert "Cet acteur a des liens de coopération dans des enquêtes" in page_text(response)
    assert Actor.objects.filter(pk=anne.pk).exists()


def test_an_editor_deletes_an_actor_without_ties(client, world):
    mairie = make_actor(world, "Mairie", kind="organisation")
    client_as(client, world, "editor")
    response = client.post(f"{LIST}{mairie.pk}/supprimer/", follow=True)
    assert response.redirect_chain == [(LIST, 302)]
    assert "L’acteur a été supprimé." in page_text(response)
    assert not Actor.objects.filter(pk=mairie.pk).exists()
    audit = AuditEntry.objects.get(action="actor.delete")
    assert audit.changes["name"] == ["Mairie", None]
    with pytest.raises(PermissionDenied):
        actor_delete(actor=world.people["viewer"], record=make_actor(world, "Autre"))


def test_an_actor_of_a_version_1_category_is_saved_unchanged_and_keeps_it(client, world):
    first = ReferentialVersion.objects.get(number=1)
    anne = make_actor(world, "Anne Martin", code="elu", function="Adjointe")
    Actor.objects.filter(pk=anne.pk).update(category=referential_item("actor_category", "elu", version=first))
    client_as(client, world, "editor")
    edit = f"{LIST}{anne.pk}/modifier/"
    form = client.get(edit)
    assert '<option value="elu" selected>Élu</option>' in form.content.decode()
    sent = sent_form(form, "name")
    assert sent["category"] == ["elu"]
    response = client.post(edit, sent | {"function": "Maire"}, follow=True)
    assert "L’acteur a été enregistré." in page_text(response)
    anne.refresh_from_db()
    assert (anne.function, anne.category.code, anne.category.version.number) == ("Maire", "elu", 1)
    assert AuditEntry.objects.get(action="actor.update").changes == {"function": ["•••", "•••"]}
    text = page_text(client.get(LIST, {"category": "elu"}))
    assert "Élu 1 oui Agent de la collectivité 0 oui" in text and "Anne Martin" in text
    client.post(edit, sent_form(client.get(edit), "name") | {"category": "agent"})
    anne.refresh_from_db()
    assert (anne.category.code, anne.category.version.number) == ("agent", 2)
