"""Actions of the trajectory (S5): written through the services, audited; services typed by name,
matched whatever their case; bad input named and nothing written."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from tests.pages import page_text
from tests.trust.world import build_world, client_as
from trajectoires.core.models import AuditEntry
from trajectoires.planning.actions import action_create, action_delete, action_update
from trajectoires.planning.models import Action, Service
from trajectoires.referential.models import ReferentialVersion
from trajectoires.referential.selectors import referential_item
from trajectoires.steering.vision import OrientationInput, vision_save

pytestmark = pytest.mark.django_db
BASE = "/territoires/ungersheim/trajectoire"
NEW = f"{BASE}/actions/nouvelle/"
YEAR = timezone.localdate().year
TOO_LONG = "est trop long : un nom de service compte au plus 120 caractères."


@pytest.fixture
def world():
    return build_world()


def need(code):
    return referential_item("essential_need", code)


def key_action(code):
    return referential_item("key_action", code)


def save_vision(world, titles, *, territory=None, actor="admin", visibility="private"):
    return vision_save(
        actor=world.people[actor],
        territory=territory or world.territory,
        expected_version=0,
        horizon_year=YEAR + 15,
        statement="Un village nourricier.",
        orientations=[OrientationInput(title, [need("food")]) for title in titles],
        reason="Conseil",
        visibility=visibility,
    )


def create(world, role="editor", **values):
    values = {"title": "Cantine bio"} | values
    return action_create(actor=world.people[role], territory=world.territory, **values)


def form_data(**values):
    return {
        "title": "Cantine <b>bio</b>",
        "description": "Approvisionner la cantine.\nAvec la régie.",
        "owner_service": "  restauration   scolaire ",
        "services": "Régie agricole\n\n  Urbanisme  \nRÉGIE AGRICOLE\n",
        "status": "in_progress",
        "starts_on": "2026-01-05",
        "ends_on": "2027-06-30",
        "budget": "45000",
        "visibility": "public",
    } | values


def test_an_editor_adds_an_action_whose_services_are_matched_or_created(client, world):
    vision = save_vision(world, ["Se nourrir ici", "Bouger autrement"])
    food, _moving = vision.orientations.order_by("position")
    existing = Service.objects.create(territory=world.territory, name="Restauration scolaire")
    client_as(client, world, "editor")
    form = client.get(NEW).content.decode()
    assert (
        '<datalist id="territory-services"><option value="Restauration scolaire"></option></datalist>' in form
    )
    assert 'list="territory-services"' in form

    post = form_data(orientations=[food.pk], key_actions=["K8", "K3"])
    response = client.post(NEW, post, follow=True)
    action = Action.objects.get()
    assert response.redirect_chain == [(f"{BASE}/actions/{action.pk}/", 302)]
    assert action.owner_service == existing
    assert list(Service.objects.filter(territory=world.territory).values_list("name", flat=True)) == [
        "Restauration scolaire",
        "Régie agricole",
        "Urbanisme",
    ]
    assert list(action.services.values_list("name", flat=True)) == ["Régie agricole", "Urbanisme"]
    assert (action.status, action.starts_on, action.ends_on, action.budget, action.author) == (
        "in_progress",
        datetime.date(2026, 1, 5),
        datetime.date(2027, 6, 30),
        Decimal("45000.00"),
        world.people["editor"],
    )
    body = page_text(response)
    assert "L’action a été enregistrée." in body
    assert "Cantine <b>bio</b> Action · En cours · Public — tout le monde, et les données ouvertes" in body
    assert "Cantine &lt;b&gt;bio&lt;/b&gt;" in response.content.decode()
    assert (
        "Service pilote Restauration scolaire Autres services impliqués Régie agricole, Urbanisme "
        "Dates Du 5 janvier 2026 au 30 juin 2027 Budget 45 000 €"
    ) in body
    assert "Approvisionner la cantine. Avec la régie." in body
    assert "Orientations de la vision que l’action sert Se nourrir ici" in body
    assert (
        "Actions clés K3 — Ancrer la transition dans les besoins essentiels "
        "K8 — Mettre la transversalité au cœur du mandat Modifier Supprimer"
    ) in body

    audit = AuditEntry.objects.get(action="action.create")
    assert (audit.actor_label, audit.object_id, audit.scope) == (
        str(world.people["editor"].pk),
        str(action.pk),
        f"territory:{world.territory.pk}",
    )
    assert audit.changes == {
        "title": [None, "Cantine <b>bio</b>"],
        "description": [None, "Approvisionner la cantine.\nAvec la régie."],
        "owner_service": [None, "Restauration scolaire"],
        "services": [None, ["Régie agricole", "Urbanisme"]],
        "status": [None, "in_progress"],
        "starts_on": [None, "2026-01-05"],
        "ends_on": [None, "2027-06-30"],
        "budget": [None, "45000.00"],
        "orientations": [None, [food.pk]],
        "key_actions": [None, ["K3", "K8"]],
        "visibility": [None, "public"],
    }


def test_an_action_names_no_service_when_none_is_given(world):
    action = create(world, description="  ", owner_service="   ", services=["", "  "])
    assert (action.owner_service, list(action.services.all()), action.description) == (None, [], "")
    assert Service.objects.count() == 0


@pytest.mark.parametrize(
    ("values", "errors"),
    [
        ({"title": "   "}, {"title": ["Ce champ ne peut pas être vide."]}),
        (
            {"starts_on": datetime.date(2026, 6, 1), "ends_on": datetime.date(2026, 5, 31)},
            {"ends_on": ["La fin ne peut pas précéder le début."]},
        ),
        ({"budget": Decimal("-1")}, {"budget": ["Le budget ne peut pas être négatif."]}),
        (
            {"budget": Decimal("1000000000.01")},
            {"budget": ["Le budget ne peut pas dépasser 1 000 000 000 €."]},
        ),
        (
            {"owner_service": "S" * 121},
            {"owner_service": [f"« {'S' * 40}… » {TOO_LONG}"]},
        ),
        (
            {"services": ["Urbanisme", "Très " + "long " * 30]},
            {"services": [f"« Très long long long long long long long… » {TOO_LONG}"]},
        ),
        (
            {"key_actions": ["a need, not a key action"]},
            {"key_actions": ["Choisissez des actions clés du référentiel."]},
        ),
        (
            {"visibility": "everyone"},
            {"visibility": ["La valeur «\u00a0'everyone'\u00a0» n’est pas un choix valide."]},
        ),
    ],
    ids=["empty title", "end before start", "negative budget", "absurd budget", "long owner", "long service",
         "not a key action", "visibility"],
)  # fmt: skip
def test_bad_input_is_named_and_nothing_is_written(world, values, errors):
    if "key_actions" in values:
        values["key_actions"] = [need("water")]
    with pytest.raises(ValidationError) as refused:
        create(world, **({"owner_service": "Urbanisme"} | values))
    assert refused.value.message_dict == errors
    written = AuditEntry.objects.filter(action__startswith="action.").count()
    assert (Action.objects.count(), Service.objects.count(), written) == (0, 0, 0)


def test_a_budget_of_one_billion_and_a_one_day_action_are_accepted(world):
    action = create(
        world,
        budget=Decimal("1000000000"),
        starts_on=datetime.date(2026, 6, 1),
        ends_on=datetime.date(2026, 6, 1),
        owner_service="S" * 120,
    )
    assert (action.budget, action.owner_service.name) == (Decimal("1000000000"), "S" * 120)


def test_orientations_of_another_territory_are_refused(world):
    other = save_vision(
        world, ["Autre"], territory=world.elsewhere, actor="member_elsewhere", visibility="public"
    )
    with pytest.raises(ValidationError) as refused:
        create(world, orientations=list(other.orientations.all()))
    assert refused.value.message_dict == {
        "orientations": ["Choisissez des orientations de la vision de ce territoire."]
    }
    assert Action.objects.count() == 0


def test_the_page_names_each_bad_field_and_writes_nothing(client, world):
    client_as(client, world, "editor")
    response = client.post(
        NEW,
        form_data(title="", budget="-5", starts_on="2026-06-01", ends_on="2026-01-01", status="dreaming"),
    )
    body = page_text(response)
    assert "Titre : Ce champ est obligatoire." in body
    assert "État : Sélectionnez un choix valide. dreaming n’en fait pas partie." in body
    assert Action.objects.count() == 0
    # Once the form's own checks pass, the service's rules land next to their fields.
    response = client.post(NEW, form_data(budget="-5", starts_on="2026-06-01", ends_on="2026-01-01"))
    body = page_text(response)
    assert "Fin : La fin ne peut pas précéder le début." in body
    assert "Budget (€) : Le budget ne peut pas être négatif." in body
    response = client.post(NEW, form_data(services="Urbanisme\n" + "x" * 130))
    assert f"Autres services impliqués : Un par ligne. « {'x' * 40}… » {TOO_LONG}" in page_text(response)
    assert (Action.objects.count(), Service.objects.count()) == (0, 0)


def test_an_update_renames_links_prunes_unused_services_and_is_audited(client, world):
    vision = save_vision(world, ["Se nourrir ici", "Bouger autrement"])
    food, moving = vision.orientations.order_by("position")
    action = create(world, owner_service="Voirie", services=["Urbanisme"], orientations=[food])
    create(world, title="Autre", owner_service="urbanisme")
    client_as(client, world, "admin")
    edit = client.get(f"{BASE}/actions/{action.pk}/modifier/").content.decode()
    assert 'name="owner_service" value="Voirie"' in edit
    response = client.post(
        f"{BASE}/actions/{action.pk}/modifier/",
        form_data(
            title="Cantine bio et locale",
            owner_service="Restauration scolaire",
            services="URBANISME\nvoirie",
            orientations=[moving.pk],
            budget="",
            visibility="partners",
        ),
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.owner_service.name == "Restauration scolaire"
    assert sorted(action.services.values_list("name", flat=True)) == ["Urbanisme", "Voirie"]
    assert list(action.orientations.all()) == [moving]
    update = AuditEntry.objects.get(action="action.update")
    assert update.actor_label == str(world.people["admin"].pk)
    assert update.changes == {
        "title": ["Cantine bio", "Cantine bio et locale"],
        "description": ["", "Approvisionner la cantine.\nAvec la régie."],
        "owner_service": ["Voirie", "Restauration scolaire"],
        "services": [["Urbanisme"], ["Urbanisme", "Voirie"]],
        "status": ["planned", "in_progress"],
        "starts_on": [None, "2026-01-05"],
        "ends_on": [None, "2027-06-30"],
        "orientations": [[food.pk], [moving.pk]],
        "visibility": ["private", "partners"],
    }
    # Voirie is kept while an action names it; dropped with its last action.
    action_update(actor=world.people["admin"], action=action, services=[])
    assert list(Service.objects.order_by("name").values_list("name", flat=True)) == [
        "Restauration scolaire",
        "Urbanisme",
    ]
    assert AuditEntry.objects.filter(action="action.update").order_by("pk").last().changes == {
        "services": [["Urbanisme", "Voirie"], []]
    }


def versions(action):
    return sorted(action.key_actions.values_list("code", "version__number"))


def test_an_unchanged_edit_keeps_version_1_key_actions_and_a_new_one_takes_version_2(client, world):
    """Version 2 of the référentiel is the current one: an action tagged with rows of version 1
    keeps them while their codes are kept (decision 0009)."""
    first = ReferentialVersion.objects.get(number=1)
    old = [referential_item("key_action", code, version=first) for code in ("K5", "K8")]
    action = create(world, key_actions=old, visibility="public")
    client_as(client, world, "admin")
    edit = f"{BASE}/actions/{action.pk}/modifier/"
    form = client.get(edit).content.decode()
    assert 'value="K5" id="id_key_actions_4" checked>' in form
    assert 'value="K8" id="id_key_actions_7" checked>' in form
    assert 'value="K3" id="id_key_actions_2">' in form
    assert client.post(edit, form_data(key_actions=["K5", "K8"])).status_code == 302
    assert versions(action) == [("K5", 1), ("K8", 1)]
    assert "key_actions" not in AuditEntry.objects.get(action="action.update").changes
    assert client.post(edit, form_data(key_actions=["K3", "K8"])).status_code == 302
    assert versions(action) == [("K3", 2), ("K8", 1)]
    assert AuditEntry.objects.filter(action="action.update").order_by("pk").last().changes == {
        "key_actions": [["K5", "K8"], ["K3", "K8"]]
    }
    body = page_text(client.get(f"{BASE}/actions/{action.pk}/"))
    assert (
        "Actions clés K3 — Ancrer la transition dans les besoins essentiels "
        "K8 — Mettre la transversalité au cœur du mandat Modifier Supprimer"
    ) in body
    # The service keeps the row too when given the current version's row of the same code.
    action_update(
        actor=world.people["admin"], action=action, key_actions=[key_action("K8"), key_action("K8")]
    )
    assert versions(action) == [("K8", 1)]


def test_an_edit_keeps_the_orientations_its_author_cannot_read(world):
    vision = save_vision(world, ["Se nourrir ici", "Bouger autrement"], visibility="private")
    food, moving = vision.orientations.order_by("position")
    action = create(world, role="contributor", visibility="partners")
    action_update(actor=world.people["editor"], action=action, orientations=[food])
    action_update(actor=world.people["contributor"], action=action, title="Cantine locale", orientations=[])
    assert list(action.orientations.all()) == [food]
    with pytest.raises(ValidationError) as refused:
        action_update(actor=world.people["contributor"], action=action, orientations=[moving])
    assert refused.value.message_dict == {
        "orientations": ["Choisissez des orientations de la vision de ce territoire."]
    }


def test_rights_to_add_edit_and_delete(client, world):
    with pytest.raises(PermissionDenied):
        create(world, role="viewer")
    own = create(world, role="contributor", visibility="partners")
    others = create(world, role="editor", title="Pistes cyclables", visibility="partners")
    with pytest.raises(PermissionDenied):
        action_update(actor=world.people["contributor"], action=others, title="Pris")
    client_as(client, world, "contributor")
    assert client.get(f"{BASE}/actions/{own.pk}/modifier/").status_code == 200
    assert client.get(f"{BASE}/actions/{others.pk}/modifier/").status_code == 404
    assert client.post(f"{BASE}/actions/{others.pk}/supprimer/").status_code == 404
    client.logout()
    assert client.get(NEW).status_code == 302
    client_as(client, world, "viewer")
    assert client.get(NEW).status_code == 404
    assert "Ajouter une action" not in page_text(client.get(f"{BASE}/"))


def test_a_contributor_s_private_action_goes_back_to_the_trajectory(client, world):
    client_as(client, world, "contributor")
    response = client.post(NEW, form_data(visibility="private"), follow=True)
    assert response.redirect_chain == [(f"{BASE}/", 302)]
    assert "L’action a été enregistrée." in page_text(response)
    assert Action.objects.get().visibility == "private"


def test_deleting_an_action_is_confirmed_audited_and_drops_its_unused_services(client, world):
    action = create(world, owner_service="Voirie", services=["Urbanisme"])
    create(world, title="Autre", owner_service="Urbanisme")
    client_as(client, world, "editor")
    confirm = page_text(client.get(f"{BASE}/actions/{action.pk}/supprimer/"))
    assert "Supprimer l’action Supprimer « Cantine bio » de la trajectoire ? Supprimer Annuler" in confirm
    response = client.post(f"{BASE}/actions/{action.pk}/supprimer/", follow=True)
    assert response.redirect_chain == [(f"{BASE}/", 302)]
    assert "L’action a été supprimée." in page_text(response)
    assert list(Action.objects.values_list("title", flat=True)) == ["Autre"]
    assert list(Service.objects.values_list("name", flat=True)) == ["Urbanisme"]
    audit = AuditEntry.objects.get(action="action.delete")
    assert audit.changes["title"] == ["Cantine bio", None]
    assert audit.changes["owner_service"] == ["Voirie", None]
    assert audit.changes["services"] == [["Urbanisme"], None]


def test_delete_through_the_service_needs_the_right(world):
    action = create(world)
    with pytest.raises(PermissionDenied):
        action_delete(actor=world.people["viewer"], action=action)
    assert Action.objects.count() == 1
