"""The pages of the controversy register (K6, C3): the register and its filters, the story a citizen
reads, reporting and changing a controversy, moving it along its life cycle and writing its
decision — as each role sees them."""

import datetime

import pytest
from django.core import mail
from django.utils import formats, timezone

from tests.governance.test_spaces import an_actor, level, make_space
from tests.pages import page_text
from tests.trust.world import build_world, client_as
from trajectoires.core.models import AuditEntry
from trajectoires.governance.controversies import controversy_report
from trajectoires.governance.controversy_lifecycle import controversy_move, decision_write
from trajectoires.governance.controversy_records import (
    expertise_add,
    follow_up_add,
    party_add,
    state_write,
)
from trajectoires.governance.decisions import decision_create
from trajectoires.governance.models import Controversy, Party, StageTransition
from trajectoires.referential.selectors import referential_item

pytestmark = pytest.mark.django_db
BASE = "/territoires/ungersheim/controverses/"
TODAY = timezone.localdate()


@pytest.fixture
def world():
    return build_world()


def date(value):
    return formats.date_format(value, "DATE_FORMAT")


def area(code):
    return referential_item("essential_need", code)


def report(world, subject="Méthaniseur de la plaine", author="admin", visibility="public", **values):
    return controversy_report(
        actor=world.people[author],
        territory=world.territory,
        subject=subject,
        description=values.pop("description", "Un projet de méthaniseur à 300 m des maisons."),
        visibility=visibility,
        **values,
    )


def move(world, controversy, stage, reason="Étape suivante."):
    return controversy_move(
        actor=world.people["admin"], controversy=controversy, to_stage=stage, reason=reason
    )


def two_parties(world, controversy):
    coop = an_actor(world, "Coopérative agricole", "socio_economique")
    farmers = party_add(
        actor=world.people["admin"],
        controversy=controversy,
        actor_record=coop,
        position="Pour le méthaniseur.",
        arguments="Valoriser les effluents d’élevage.",
        sources="Étude ADEME 2024\nhttps://example.org/etude",
        declared_interests="Exploite le futur méthaniseur.",
    )
    neighbours = party_add(
        actor=world.people["contributor"],
        controversy=controversy,
        group_name="Collectif des riverains",
        contact_email="riverains@example.org",
        position="Contre l’implantation près des maisons.",
    )
    return farmers, neighbours


def decided_story(world, visibility="public"):
    """A controversy instructed, deliberated, decided and followed up, with everything it gathered."""
    space = make_space(world, name="Conseil de la transition")
    controversy = report(
        world, forum=space, subject_areas=[area("energy"), area("food")], visibility=visibility
    )
    move(world, controversy, "instructing", "Le conseil se saisit du dossier.")
    farmers, _neighbours = two_parties(world, controversy)
    expertise_add(
        actor=world.people["editor"],
        controversy=controversy,
        kind="hearing",
        title="Audition de la DREAL",
        dated=datetime.date(2026, 1, 10),
        summary="Les distances réglementaires sont respectées.",
        source="https://example.org/dreal",
    )
    state_write(
        actor=world.people["editor"],
        controversy=controversy,
        statement="Première lecture.",
        signatories=[],
    )
    state_write(
        actor=world.people["editor"],
        controversy=controversy,
        statement="Le projet respecte les distances ; le désaccord porte sur les odeurs.",
        minority_view="Les riverains contestent l’étude d’odeurs.",
        signatories=[farmers],
    )
    move(world, controversy, "deliberating", "Les parties ont été entendues.")
    plan = decision_create(
        actor=world.people["admin"],
        territory=world.territory,
        title="Plan énergie 2026",
        decided_on=datetime.date(2026, 2, 1),
        participation_level=level("co_decide"),
        visibility="public",
    )
    decision_write(
        actor=world.people["admin"],
        controversy=controversy,
        decision_text="Le méthaniseur est autorisé à 500 m des maisons.",
        instruction_use="La décision reprend la distance demandée par les riverains.",
        related_decisions=[plan],
    )
    move(world, controversy, "decided", "Le conseil a tranché.")
    follow_up_add(
        actor=world.people["admin"],
        controversy=controversy,
        action="Mesurer les odeurs",
        due_on=datetime.date(2026, 9, 1),
    )
    return controversy


# The register ------------------------------------------------------------------------------------


def register_world(world):
    public_space = make_space(world, name="Conseil de la transition")
    secret_space = make_space(world, name="Comité restreint", visibility="private")
    methane = report(world, forum=public_space, subject_areas=[area("energy")])
    move(world, methane, "instructing")
    report(world, "Cantine bio", subject_areas=[area("food")])
    report(world, "Zone d’activités", visibility="private", forum=public_space)
    report(world, "Captage d’eau", forum=secret_space, subject_areas=[area("water")])
    return public_space, secret_space


def subjects(body):
    names = ("Méthaniseur de la plaine", "Cantine bio", "Zone d’activités", "Captage d’eau")
    return [name for name in names if f"{name} ·" in body]


def test_the_register_lists_the_controversies_one_may_read(client, world):
    register_world(world)
    body = page_text(client.get(BASE))
    assert subjects(body) == ["Méthaniseur de la plaine", "Cantine bio", "Captage d’eau"]
    reported = date(TODAY)
    assert (
        f"Méthaniseur de la plaine · En instruction · Conseil de la transition · Énergie · 0 partie "
        f"· signalée le {reported}"
    ) in body
    assert (
        f"Cantine bio · Signalée · Pas encore d’instance · Alimentation · 0 partie · signalée le {reported}"
        in body
    )
    # The forum is there, but the anonymous reader may not read its name.
    assert (
        f"Captage d’eau · Signalée · Instance non visible · Eau · 0 partie · signalée le {reported}" in body
    )
    assert "Comité restreint" not in body
    assert "Signalée · 2 controverses En instruction · 1 controverse En délibération · 0 controverse" in body
    assert "Signaler une controverse" not in body
    # The team reads the private one and the secret forum; a contributor may report.
    client_as(client, world, "viewer")
    body = page_text(client.get(BASE))
    assert subjects(body) == ["Méthaniseur de la plaine", "Cantine bio", "Zone d’activités", "Captage d’eau"]
    assert "Captage d’eau · Signalée · Comité restreint · Eau" in body
    assert "Signaler une controverse" not in body
    client_as(client, world, "contributor")
    assert "Signaler une controverse" in page_text(client.get(BASE))


def test_each_filter_of_the_register_narrows_it(client, world):
    public_space, secret_space = register_world(world)
    client_as(client, world, "viewer")

    def shown(**query):
        return subjects(page_text(client.get(BASE, query)))

    assert shown(stage="instructing") == ["Méthaniseur de la plaine"]
    assert shown(stage="reported") == ["Cantine bio", "Zone d’activités", "Captage d’eau"]
    assert shown(forum=public_space.pk) == ["Méthaniseur de la plaine", "Zone d’activités"]
    assert shown(forum=secret_space.pk) == ["Captage d’eau"]
    assert shown(area="food") == ["Cantine bio"]
    assert shown(stage="reported", forum=public_space.pk) == ["Zone d’activités"]
    assert "Aucune controverse ne correspond." in page_text(client.get(BASE, {"stage": "decided"}))
    # The filters are labelled, and a forum one may not read is not offered.
    page = client.get(BASE).content.decode()
    for name, label in (("stage", "Étape"), ("forum", "Instance"), ("area", "Domaine")):
        assert f'<label for="id_{name}">{label}\u00a0:</label>' in page
    client.logout()
    assert "Comité restreint" not in client.get(BASE).content.decode()
    assert shown(forum=secret_space.pk) == subjects(
        page_text(client.get(BASE))
    )  # an unknown choice is ignored


def test_the_workspace_navigation_leads_to_the_register(client, world):
    client_as(client, world, "viewer")
    page = client.get("/territoires/ungersheim/participation/").content.decode()
    assert f'<a href="{BASE}">Controverses</a>' in page
    assert f'<a href="{BASE}" aria-current="page">Controverses</a>' in client.get(BASE).content.decode()


# The story ---------------------------------------------------------------------------------------


def test_anyone_reads_a_public_story_in_the_order_a_citizen_reads_it(client, world):
    controversy = decided_story(world)
    body = page_text(client.get(f"{BASE}{controversy.pk}/"))
    today = date(TODAY)
    expected = [
        "Méthaniseur de la plaine Controverse · Décidée · Public — tout le monde, et les données ouvertes",
        "De quoi s’agit-il Un projet de méthaniseur à 300 m des maisons. "
        f"Domaines Alimentation, Énergie Instance où elle est instruite Conseil de la transition "
        f"Signalée le {today}",
        "Où en est-elle Étape : Décidée.",
        f"{today} Signalée Signalée",
        f"{today} Signalée → En instruction Le conseil se saisit du dossier.",
        f"{today} En instruction → En délibération Les parties ont été entendues.",
        f"{today} En délibération → Décidée Le conseil a tranché.",
        "Les parties et leurs positions Coopérative agricole Acteur socio-économique "
        "Position Pour le méthaniseur. Arguments Valoriser les effluents d’élevage. "
        "Sources Étude ADEME 2024 https://example.org/etude Intérêts déclarés Exploite le futur méthaniseur.",
        "Collectif des riverains Groupe d’habitants Position Contre l’implantation près des maisons. "
        "Intérêts déclarés Aucun déclaré",
        "L’expertise recueillie Audition de la DREAL Audition · 10 janvier 2026 "
        "Les distances réglementaires sont respectées. Source : https://example.org/dreal",
        f"L’état de la controverse Version 2 Rédigée le {today} "
        "Le projet respecte les distances ; le désaccord porte sur les odeurs. "
        "Cosignée par : Coopérative agricole Avis minoritaire Les riverains contestent l’étude d’odeurs. "
        f"Versions précédentes Version 1 · {today}",
        f"La décision Décidée le {today} Le méthaniseur est autorisé à 500 m des maisons. "
        "Comment la décision s’est appuyée sur l’instruction "
        "La décision reprend la distance demandée par les riverains. "
        "Décisions liées Plan énergie 2026 · 1 février 2026 · Co-décider",
        "Suivi Les actions qui mettent en œuvre la décision Action Échéance Réalisée "
        "Mesurer les odeurs 1 septembre 2026 Pas encore réalisée",
    ]
    positions = [body.index(part) for part in expected]
    assert positions == sorted(positions)
    # Neither the group's address, nor who did what, nor any action for an anonymous reader.
    page = client.get(f"{BASE}{controversy.pk}/").content.decode()
    assert "riverains@example.org" not in page
    assert "Admin" not in body and "Editor" not in body
    assert "Ce que vous pouvez faire" not in body
    assert (
        f'href="/territoires/ungersheim/participation/decisions/{controversy.related_decisions.get().pk}/"'
        in page
    )


def test_the_team_reads_the_contact_address_and_who_took_each_step(client, world):
    controversy = decided_story(world)
    client_as(client, world, "viewer")
    body = page_text(client.get(f"{BASE}{controversy.pk}/"))
    assert "Courriel de contact du groupe riverains@example.org" in body
    assert "Le conseil a tranché. Admin" in body
    assert f"Version 2 Rédigée le {date(TODAY)} · Editor" in body
    # A contributor is not the team: no address, no names.
    client_as(client, world, "contributor")
    page = client.get(f"{BASE}{controversy.pk}/").content.decode()
    assert "riverains@example.org" not in page
    assert "Le conseil a tranché. Admin" not in page_text(client.get(f"{BASE}{controversy.pk}/"))


def test_a_private_story_answers_404_to_who_may_not_read_it(client, world):
    controversy = decided_story(world, visibility="private")
    url = f"{BASE}{controversy.pk}/"
    assert client.get(url).status_code == 404
    client_as(client, world, "member_elsewhere")
    assert client.get(url).status_code == 404
    assert client.get(f"{BASE}{controversy.pk}/etat/1/").status_code == 404
    assert client.get(f"{BASE}999999/").status_code == 404
    client_as(client, world, "viewer")
    assert "Méthaniseur de la plaine Controverse · Décidée · Privé" in page_text(client.get(url))


# Writes through the pages ------------------------------------------------------------------------


def test_a_contributor_who_reports_a_private_controversy_is_brought_back_to_the_register(client, world):
    client_as(client, world, "contributor")
    response = client.post(
        f"{BASE}nouvelle/",
        {"subject": "Bruit du stade", "description": "Les matchs du soir.", "visibility": "private"},
        follow=True,
    )
    controversy = Controversy.objects.get()
    assert (controversy.subject, controversy.author) == ("Bruit du stade", world.people["contributor"])
    # It is the team's to read now: the contributor lands on the register, not on a 404.
    assert response.redirect_chain == [(BASE, 302)]
    body = page_text(response)
    assert "La controverse a été signalée." in body
    assert "Bruit du stade" not in body


def test_a_contributor_reports_a_controversy_and_adds_a_party(client, world):
    space = make_space(world, name="Conseil de la transition")
    client_as(client, world, "contributor")
    form = page_text(client.get(f"{BASE}nouvelle/"))
    assert "Signaler une controverse" in form and "Conseil de la transition" in form
    response = client.post(
        f"{BASE}nouvelle/",
        {
            "subject": "Cantine <b>bio</b>",
            "description": "Passer la cantine au bio local.",
            "forum": space.pk,
            "subject_areas": ["food"],
            "visibility": "public",
        },
        follow=True,
    )
    controversy = Controversy.objects.get()
    assert response.redirect_chain == [(f"{BASE}{controversy.pk}/", 302)]
    body = page_text(response)
    assert "La controverse a été signalée." in body
    assert "Cantine <b>bio</b> Controverse · Signalée · Public" in body
    assert "Cantine &lt;b&gt;bio&lt;/b&gt;" in response.content.decode()
    assert controversy.author == world.people["contributor"] and controversy.stage == "reported"
    assert list(controversy.subject_areas.values_list("code", flat=True)) == ["food"]
    step = StageTransition.objects.get()
    assert (step.from_stage, step.to_stage, step.reason, step.by) == (
        "",
        "reported",
        "Signalée",
        controversy.author,
    )
    audit = AuditEntry.objects.get(action="controversy.create")
    assert audit.changes["subject"] == [None, "Cantine <b>bio</b>"]
    assert audit.changes["subject_areas"] == [None, ["food"]]
    assert audit.scope == f"territory:{world.territory.pk}"

    response = client.post(
        f"{BASE}{controversy.pk}/parties/nouvelle/",
        {
            "group_name": "Parents d’élèves",
            "contact_email": "parents@example.org",
            "position": "Pour, à prix constant.",
            "sources": "Enquête auprès des familles\n\nhttps://example.org/enquete",
            "declared_interests": "Leurs enfants mangent à la cantine.",
        },
        follow=True,
    )
    party = Party.objects.get()
    assert (party.group_name, party.contact_email, party.author) == (
        "Parents d’élèves",
        "parents@example.org",
        world.people["contributor"],
    )
    body = page_text(response)
    assert "La partie et sa position ont été enregistrées." in body
    assert (
        "Parents d’élèves Groupe d’habitants Position Pour, à prix constant. "
        "Sources Enquête auprès des familles https://example.org/enquete "
        "Intérêts déclarés Leurs enfants mangent à la cantine."
    ) in body
    assert AuditEntry.objects.get(action="party.create").changes["group_name"] == [None, "Parents d’élèves"]
    # The contributor changes the position they wrote, without seeing the address.
    edit = client.get(f"{BASE}{controversy.pk}/parties/{party.pk}/modifier/").content.decode()
    assert "parents@example.org" not in edit and "Modifier la position de Parents d’élèves" in page_text(
        client.get(f"{BASE}{controversy.pk}/parties/{party.pk}/modifier/")
    )
    client.post(
        f"{BASE}{controversy.pk}/parties/{party.pk}/modifier/",
        {"group_name": "Parents d’élèves", "position": "Pour, sans hausse de prix."},
    )
    party.refresh_from_db()
    assert (party.position, party.contact_email) == ("Pour, sans hausse de prix.", "parents@example.org")
    assert AuditEntry.objects.get(action="party.update").changes == {
        "position": ["Pour, à prix constant.", "Pour, sans hausse de prix."],
        "sources": ["Enquête auprès des familles\n\nhttps://example.org/enquete", ""],
        "declared_interests": ["Leurs enfants mangent à la cantine.", ""],
    }


def test_bad_input_shows_the_french_error_next_to_the_field_and_writes_nothing(client, world):
    coop = an_actor(world, "Coopérative agricole", "socio_economique")
    controversy = report(world)
    client_as(client, world, "admin")
    audits = AuditEntry.objects.count()

    body = page_text(
        client.post(f"{BASE}nouvelle/", {"subject": "  ", "description": "", "visibility": "public"})
    )
    assert "Objet : Ce champ est obligatoire." in body
    assert (
        "Description : Ce qui est en jeu, qui est en désaccord sur quoi, et depuis quand. "
        "Ce champ est obligatoire." in body
    )

    body = page_text(
        client.post(
            f"{BASE}{controversy.pk}/parties/nouvelle/",
            {"actor": coop.pk, "group_name": "Collectif des riverains", "position": "Contre."},
        )
    )
    assert (
        "Acteur de la carte : Soit un acteur de la carte… Choisissez un acteur de la carte ou nommez un "
        "groupe d’habitants (l’un des deux). Aucun : un groupe d’habitants "
        "Coopérative agricole (Acteur socio-économique) Groupe d’habitants"
    ) in body

    body = page_text(
        client.post(f"{BASE}{controversy.pk}/etape/", {"to_stage": "instructing", "reason": " "})
    )
    assert (
        "Pourquoi ? Dit aux parties et gardé dans l’historique. Dites pourquoi la controverse change d’étape."
        in body
    )
    assert "Choisissez d’abord l’instance où elle est instruite." in body

    space = make_space(world)
    controversy.forum = space
    controversy.save()
    move(world, controversy, "instructing")
    party_add(actor=world.people["admin"], controversy=controversy, actor_record=coop, position="Pour.")
    steps, audits = StageTransition.objects.count(), AuditEntry.objects.count()
    response = client.post(f"{BASE}{controversy.pk}/etape/", {"to_stage": "deliberating", "reason": "Prêt."})
    body = page_text(response)
    assert (
        "Nouvelle étape : Au moins deux parties doivent avoir exprimé leur position avant la délibération. "
        "En délibération Pourquoi ?"
    ) in body
    assert (
        "Ce dont chaque étape suivante a besoin En délibération "
        "Au moins deux parties doivent avoir exprimé leur position avant la délibération."
    ) in body
    controversy.refresh_from_db()
    assert controversy.stage == "instructing"
    assert (StageTransition.objects.count(), AuditEntry.objects.count()) == (steps, audits)
    assert Controversy.objects.count() == 1 and Party.objects.count() == 1


def test_the_admin_takes_a_controversy_through_its_whole_life_cycle(
    client, world, django_capture_on_commit_callbacks
):
    space = make_space(world, name="Conseil de la transition")
    coop = an_actor(world, "Coopérative agricole", "socio_economique")
    controversy = report(world, forum=space)
    client_as(client, world, "admin")
    url = f"{BASE}{controversy.pk}/"

    def post(path, data):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"{url}{path}", data, follow=True)
        assert response.redirect_chain == [(url, 302)], page_text(response)
        return page_text(response)

    assert "La controverse est désormais « En instruction »." in post(
        "etape/", {"to_stage": "instructing", "reason": "Le conseil se saisit du dossier."}
    )
    post("parties/nouvelle/", {"actor": coop.pk, "position": "Pour."})
    post(
        "parties/nouvelle/",
        {
            "group_name": "Collectif des riverains",
            "contact_email": "riverains@example.org",
            "position": "Contre.",
        },
    )
    post(
        "expertise/nouvelle/",
        {
            "kind": "document",
            "title": "Étude d’odeurs",
            "dated": "2026-01-10",
            "summary": "Faibles nuisances.",
        },
    )
    farmers = Party.objects.order_by("id").first()
    assert "La version 1 de l’état de la controverse a été enregistrée." in post(
        "etat/nouveau/",
        {"statement": "Le désaccord porte sur les odeurs.", "minority_view": "", "signatories": [farmers.pk]},
    )
    form = client.get(f"{url}etat/nouveau/").content.decode()
    assert "Le désaccord porte sur les odeurs.</textarea>" in form  # the new version starts from the last one
    mail.outbox.clear()
    post("etape/", {"to_stage": "deliberating", "reason": "Les parties ont été entendues."})
    assert [message.to for message in mail.outbox] == [["riverains@example.org"]]
    assert "La décision a été enregistrée." in post(
        "decision/",
        {
            "decision_text": "Autorisé à 500 m.",
            "instruction_use": "Reprend la distance demandée par les riverains.",
        },
    )
    post("etape/", {"to_stage": "decided", "reason": "Le conseil a tranché."})
    assert "L’action de suivi a été prévue." in post(
        "suivi/nouveau/", {"action": "Mesurer les odeurs", "due_on": "2026-09-01"}
    )
    post("etape/", {"to_stage": "followed_up", "reason": "Les actions sont lancées."})
    body = post("etape/", {"to_stage": "instructing", "reason": "De nouvelles plaintes."})
    today = date(TODAY)
    assert "Étape : En instruction. Rouverte une fois." in body
    assert (
        f"{today} Signalée Signalée Admin {today} Signalée → En instruction Le conseil se saisit du dossier. "
        f"Admin {today} En instruction → En délibération Les parties ont été entendues. "
        f"Admin {today} En délibération → Décidée Le conseil a tranché. "
        f"Admin {today} Décidée → Suivie Les actions sont lancées. "
        f"Admin {today} Suivie → En instruction (rouverte) De nouvelles plaintes. Admin"
    ) in body
    controversy.refresh_from_db()
    assert (controversy.stage, controversy.decided_on) == ("instructing", TODAY)
    moves = AuditEntry.objects.filter(action="controversy.move").order_by("id")
    assert [entry.changes["stage"] for entry in moves] == [
        ["reported", "instructing"],
        ["instructing", "deliberating"],
        ["deliberating", "decided"],
        ["decided", "followed_up"],
        ["followed_up", "instructing"],
    ]
    assert AuditEntry.objects.filter(action="controversy.decision").count() == 1
    assert AuditEntry.objects.filter(action="expertise.create").count() == 1
