"""The pages of the stories of change: the stories with their filters and the selection rounds, one
story, collecting and changing a story, verifying it and giving feedback, recording a selection
round, and the writers' frame of domains and periods — as each role sees them."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.evaluation.test_outcome_pages import an_action
from tests.evaluation.test_stories import TOLD, a_domain, a_period, a_story
from tests.evaluation.test_stories import a_round as a_service_round
from tests.governance.test_spaces import an_actor
from tests.pages import page_text
from tests.trust.world import build_world, client_as
from trajectoires.core.models import AuditEntry
from trajectoires.evaluation.models import ChangeDomain, ChangeStory, ReportingPeriod, SelectionRound
from trajectoires.evaluation.stories import story_feedback, story_verify

pytestmark = pytest.mark.django_db
BASE = "/territoires/ungersheim/evaluation/histoires/"
HELD = datetime.date(2026, 7, 3)


@pytest.fixture
def world():
    return build_world()


def a_round(world, period, considered, selected, **values):
    """A public round held on HELD, unless told otherwise."""
    values.setdefault("visibility", "public")
    values.setdefault("held_on", HELD)
    return a_service_round(world, period, considered, selected, **values)


def cards(body, titles):
    """The titles of `titles` shown as cards (a title, its badges, its teller), in the order of the page."""
    found = {}
    for title in titles:
        match = re.search(re.escape(title) + r" (Choisie )?(Vérifiée )?Racontée par", body)
        if match:
            found[title] = match.start()
    return sorted(found, key=found.get)


# The list ----------------------------------------------------------------------------------------


def list_world(world):
    period, domain = a_period(world), a_domain(world)
    mobility = a_domain(world, "Mobilité")
    canteen = a_story(world, period, domain, teller_name="Marc Keller", anonymous=False)
    bus = a_story(
        world,
        period,
        mobility,
        "Le bus du mardi",
        teller_name="Sonia",
        anonymous=True,
        collected_on=datetime.date(2026, 4, 20),
        what_happened="Le bus passe désormais le mardi au village.",
    )
    a_story(
        world,
        period,
        domain,
        "Le jardin partagé",
        teller_name="Jeanne",
        anonymous=False,
        visibility="partners",
        collected_on=datetime.date(2026, 3, 15),
    )
    a_story(
        world,
        period,
        domain,
        "La réunion des aînés",
        teller_name="Paul",
        anonymous=False,
        consent_given=False,
        visibility="private",
        collected_on=datetime.date(2026, 3, 10),
    )
    story_verify(
        actor=world.people["editor"], story=canteen, verified_on=TOLD, verification="Visite de la cantine."
    )
    a_round(world, period, [canteen, bus], canteen, held_on=HELD)
    return period, domain, canteen, bus


TITLES = ("Le bus du mardi", "La cantine a changé nos menus", "Le jardin partagé", "La réunion des aînés")


def test_the_stories_page_shows_each_role_the_stories_it_may_read_as_cards(client, world):
    list_world(world)
    body = page_text(client.get(BASE))
    assert "Les histoires de changement de Ungersheim" in body
    assert (
        "Les personnes qui ont vécu un changement le racontent avec leurs mots : ce qui s’est passé, "
        "et pourquoi cela compte pour elles."
    ) in body
    assert cards(body, TITLES) == ["Le bus du mardi", "La cantine a changé nos menus"]
    assert (
        "Le bus du mardi Racontée par Personne anonyme · Mobilité · Printemps 2026 · 20 avril 2026 "
        "Le bus passe désormais le mardi au village."
    ) in body
    assert (
        "La cantine a changé nos menus Choisie Vérifiée Racontée par Marc Keller · Vie quotidienne "
        "· Printemps 2026 · 2 avril 2026 Les maraîchers livrent la cantine chaque semaine."
    ) in body
    assert (
        "Tours de sélection Tour du 3 juillet 2026 · Printemps 2026 · Tous les domaines "
        "· 2 histoires examinées Histoire choisie : La cantine a changé nos menus "
        "Pourquoi : Elle montre un lien nouveau entre producteurs et familles."
    ) in body
    assert "Sonia" not in body and "Recueillir une histoire" not in body
    assert "Enregistrer un tour de sélection" not in body and "Domaines et périodes" not in body

    client_as(client, world, "contributor")
    body = page_text(client.get(BASE))
    assert cards(body, TITLES) == ["Le bus du mardi", "La cantine a changé nos menus", "Le jardin partagé"]
    assert "Racontée par Personne anonyme · Mobilité" in body and "Sonia" not in body
    assert "Recueillir une histoire" in body and "Enregistrer un tour de sélection" not in body

    client_as(client, world, "partner_funder")
    body = page_text(client.get(BASE))
    assert cards(body, TITLES) == ["Le bus du mardi", "La cantine a changé nos menus", "Le jardin partagé"]
    assert "Sonia" not in body and "Recueillir une histoire" not in body

    client_as(client, world, "viewer")
    body = page_text(client.get(BASE))
    assert cards(body, TITLES) == list(TITLES)
    assert "Le bus du mardi Racontée par Sonia · Mobilité" in body
    assert "La réunion des aînés Racontée par Paul · Vie quotidienne" in body
    assert "Recueillir une histoire" not in body  # a viewer reads only

    client_as(client, world, "editor")
    page = client.get(BASE).content.decode()
    assert f'<a href="{BASE}nouvelle/" role="button">Recueillir une histoire</a>' in page
    assert f'<a href="{BASE}tours/nouveau/" role="button" class="secondary">' in page
    assert f'<a href="{BASE}cadre/" role="button" class="secondary outline">Domaines et périodes</a>' in page


def test_a_private_round_and_its_selection_are_the_team_s(client, world):
    period, domain, canteen, bus = list_world(world)
    hidden = a_story(world, period, domain, "Une histoire privée", visibility="private", consent_given=False)
    a_round(world, period, [hidden, bus], hidden, held_on=datetime.date(2026, 8, 1))
    a_round(world, period, [canteen, bus], bus, held_on=datetime.date(2026, 9, 1), visibility="private")
    body = page_text(client.get(BASE))
    assert "Tour du 1 août 2026" in body and "Tour du 1 septembre 2026" not in body
    assert "Histoire choisie : une histoire que vous ne pouvez pas lire" in body
    assert "Le bus du mardi Racontée par Personne anonyme · Mobilité" in body  # no « Choisie »
    client_as(client, world, "viewer")
    body = page_text(client.get(BASE))
    assert "Le bus du mardi Choisie Racontée par Sonia" in body
    assert "Histoire choisie : Une histoire privée" in body


def test_the_filters_narrow_the_list_and_the_rounds(client, world):
    period, domain, _canteen, _bus = list_world(world)
    autumn = a_period(
        world, "Automne 2025", starts_on=datetime.date(2025, 9, 1), ends_on=datetime.date(2025, 12, 31)
    )
    a_story(world, autumn, domain, "La fête des voisins", collected_on=datetime.date(2025, 10, 4))
    mobility = ChangeDomain.objects.get(name="Mobilité")

    def shown(**query):
        return cards(page_text(client.get(BASE, query)), (*TITLES, "La fête des voisins"))

    assert shown() == ["Le bus du mardi", "La cantine a changé nos menus", "La fête des voisins"]
    assert shown(period=autumn.pk) == ["La fête des voisins"]
    assert shown(period=period.pk, domain=mobility.pk) == ["Le bus du mardi"]
    assert shown(domain=domain.pk) == ["La cantine a changé nos menus", "La fête des voisins"]
    body = page_text(client.get(BASE, {"period": autumn.pk}))
    assert "Tours de sélection de la période « Automne 2025 » Aucun tour de sélection" in body
    assert "Effacer les filtres" in body
    body = page_text(client.get(BASE, {"period": period.pk}))
    assert "Tours de sélection de la période « Printemps 2026 » Tour du 3 juillet 2026" in body
    assert "Aucune histoire ne correspond." in page_text(
        client.get(BASE, {"period": autumn.pk, "domain": mobility.pk})
    )
    # An unknown id is ignored; the filters are labelled in French.
    assert shown(period=999999, domain="x") == shown()
    page = client.get(BASE).content.decode()
    assert '<label for="id_period">Période de collecte\u00a0:</label>' in page
    assert '<label for="id_domain">Domaine de changement\u00a0:</label>' in page
    assert '<option value="" selected>Toutes les périodes</option>' in page
    assert f'<option value="{mobility.pk}">Mobilité</option>' in page


def test_the_pages_of_a_filtered_list_keep_the_filter(client, world):
    period, domain = a_period(world), a_domain(world)
    autumn = a_period(
        world, "Automne 2025", starts_on=datetime.date(2025, 9, 1), ends_on=datetime.date(2025, 12, 31)
    )
    for index in range(21):
        a_story(world, period, domain, f"Histoire {index:02d}")
    a_story(world, autumn, domain, "Histoire d’automne", collected_on=datetime.date(2025, 10, 4))
    page = client.get(BASE, {"period": period.pk}).content.decode()
    assert f'<a href="?period={period.pk}&amp;page=2">Suivant</a>' in page
    assert "Page 1 sur 2" in page_text(client.get(BASE, {"period": period.pk}))
    second = client.get(BASE, {"period": period.pk, "page": 2})
    assert f'<a href="?period={period.pk}&amp;page=1">Précédent</a>' in second.content.decode()
    body = page_text(second)
    assert body.count("Racontée par") == 1 and "Histoire d’automne" not in body
    # Without the filter, the autumn story is there too: 22 stories.
    assert "Histoire d’automne" in page_text(client.get(BASE, {"page": 2}))


def test_the_workspace_navigation_leads_to_the_stories(client, world):
    client_as(client, world, "viewer")
    page = client.get("/territoires/ungersheim/evaluation/resultats/").content.decode()
    assert f'<a href="{BASE}">Histoires de changement</a>' in page
    assert (
        f'<a href="{BASE}" aria-current="page">Histoires de changement</a>'
        in client.get(BASE).content.decode()
    )


# One story ---------------------------------------------------------------------------------------


def story_world(world):
    period, domain = a_period(world), a_domain(world)
    coop = an_actor(world, "Coopérative agricole", "socio_economique")
    hidden = an_actor(world, "Maraîcher discret", visibility="private")
    bike, secret = (
        an_action(world, "Plan vélo"),
        an_action(world, "Étude confidentielle", visibility="private"),
    )
    story = a_story(
        world,
        period,
        domain,
        teller_name="Sonia",
        anonymous=True,
        actors=[coop, hidden],
        actions=[bike, secret],
    )
    other = a_story(world, period, domain, "Le bus du mardi")
    story_verify(actor=world.people["editor"], story=story, verified_on=TOLD, verification="Visite faite.")
    story_feedback(
        actor=world.people["editor"],
        story=story,
        feedback="Votre histoire a été choisie.",
        given_on=datetime.date(2026, 7, 10),
    )
    a_round(world, period, [story, other], story, held_on=HELD)
    a_round(world, period, [story, other], other, held_on=datetime.date(2026, 8, 2))
    return story, coop, hidden, bike, secret


def test_anyone_reads_a_public_story_without_its_anonymous_teller(client, world):
    story, coop, _hidden, bike, _secret = story_world(world)
    url = f"{BASE}{story.pk}/"
    body = page_text(client.get(url))
    expected = [
        "La cantine a changé nos menus Histoire de changement · Vie quotidienne · Printemps 2026 · Public",
        "Ce qui s'est passé Les maraîchers livrent la cantine chaque semaine. "
        "Racontée par Personne anonyme Recueillie le 2 avril 2026",
        "Pourquoi c’est important Mes enfants mangent ce que je cultive.",
        "Qui et quoi elle concerne Acteurs impliqués Coopérative agricole (Acteur socio-économique) "
        "Acteur non visible Actions de la trajectoire Plan vélo",
        "Vérification Vérifiée le 2 avril 2026 Visite faite.",
        "Retour à la personne qui raconte Fait le 10 juillet 2026 Votre histoire a été choisie.",
        "Tours de sélection Tour du 2 août 2026 · l’a examinée Tour du 3 juillet 2026 · l’a choisie",
    ]
    positions = [body.index(part) for part in expected]
    assert positions == sorted(positions)
    page = client.get(url).content.decode()
    assert f'<a href="/territoires/ungersheim/acteurs/{coop.pk}/">Coopérative agricole</a>' in page
    assert f'<a href="/territoires/ungersheim/trajectoire/actions/{bike.pk}/">Plan vélo</a>' in page
    for hidden_text in (
        "Sonia",
        "Maraîcher discret",
        "Étude confidentielle",
        "Recueillie par",
        "Consentement",
    ):
        assert hidden_text not in body
    assert "Ce que vous pouvez faire" not in body

    client_as(client, world, "contributor")
    body = page_text(client.get(url))
    assert "Racontée par Personne anonyme Recueillie le" in body and "Sonia" not in body
    assert "Recueillie par" not in body

    client_as(client, world, "viewer")
    body = page_text(client.get(url))
    assert (
        "Racontée par Sonia (anonyme hors de l’équipe) Recueillie le 2 avril 2026 "
        "Recueillie par Léa, chargée de mission Consentement "
        "La personne qui raconte consent à ce que l’histoire soit racontée."
    ) in body
    assert "Maraîcher discret" in body and "Étude confidentielle" in body
    assert "Ce que vous pouvez faire" not in body

    client_as(client, world, "editor")
    body = page_text(client.get(url))
    assert (
        "Ce que vous pouvez faire Vérifier l’histoire Faire un retour à la personne qui raconte "
        "Modifier Supprimer"
    ) in body


def test_a_private_story_answers_404_to_who_may_not_read_it(client, world):
    story = a_story(world, a_period(world), a_domain(world), visibility="private", consent_given=False)
    url = f"{BASE}{story.pk}/"
    assert client.get(url).status_code == 404
    assert client.get(f"{BASE}999999/").status_code == 404
    for role in ("member_elsewhere", "contributor", "partner_funder"):
        client_as(client, world, role)
        assert client.get(url).status_code == 404, role
        assert "La cantine a changé nos menus" not in page_text(client.get(BASE))
    client_as(client, world, "viewer")
    body = page_text(client.get(url))
    assert (
        "La cantine a changé nos menus Histoire de changement · Vie quotidienne · Printemps 2026 · Privé"
        in body
    )
    assert "Consentement Pas de consentement : l’histoire reste privée à l’équipe." in body


# Collecting a story ------------------------------------------------------------------------------


def story_data(period, domain, **values):
    return {
        "period": period.pk,
        "domain": domain.pk,
        "title": "Le marché du jeudi",
        "teller_name": "Aline",
        "anonymous": "on",
        "consent_given": "on",
        "collector": "Léa",
        "collected_on": "2026-05-12",
        "what_happened": "Un marché de producteurs s’est installé place de la mairie.",
        "why_significant": "Je vends enfin mes légumes au village.",
        "visibility": "public",
    } | values


def test_a_contributor_collects_a_story_through_the_form(client, world):
    period, domain = a_period(world), a_domain(world)
    coop = an_actor(world, "Coopérative agricole", "socio_economique")
    market = an_action(world, "Marché local")
    client_as(client, world, "contributor")
    form = page_text(client.get(f"{BASE}nouvelle/"))
    for text in (
        "Recueillir une histoire",
        "Nom de la personne qui raconte : Comme la personne souhaite être nommée ; "
        "laissez vide si elle est une personne de la carte.",
        "Personne de la carte : Si la personne qui raconte figure sur la carte des acteurs du territoire. "
        "Pas sur la carte Coopérative agricole (Acteur socio-économique)",
        "La personne qui raconte reste anonyme : "
        "Une personne anonyme n’est nommée qu’à l’équipe du territoire.",
        "La personne qui raconte consent à ce que l’histoire soit racontée : "
        "Sans consentement, l’histoire reste privée à l’équipe.",
        "Au-delà de l’équipe seulement avec le consentement de la personne qui raconte.",
        "Marché local",
    ):
        assert text in form, text
    assert 'value="Contributor"' in client.get(f"{BASE}nouvelle/").content.decode()  # the collector
    response = client.post(
        f"{BASE}nouvelle/",
        story_data(period, domain, actors=[coop.pk], actions=[market.pk]),
        follow=True,
    )
    story = ChangeStory.objects.get()
    assert response.redirect_chain == [(f"{BASE}{story.pk}/", 302)]
    body = page_text(response)
    assert "L’histoire a été recueillie." in body
    assert "Le marché du jeudi Histoire de changement · Vie quotidienne · Printemps 2026 · Public" in body
    assert "Racontée par Personne anonyme" in body
    assert (story.author, story.teller_name, story.anonymous, story.consent_given, story.collected_on) == (
        world.people["contributor"],
        "Aline",
        True,
        True,
        datetime.date(2026, 5, 12),
    )
    assert (list(story.actors.all()), list(story.actions.all())) == ([coop], [market])
    changes = AuditEntry.objects.get(action="change_story.create").changes
    assert (changes["title"], changes["teller_name"]) == ([None, "Le marché du jeudi"], [None, True])


def test_a_contributor_who_collects_a_private_story_is_brought_back_to_the_list(client, world):
    period, domain = a_period(world), a_domain(world)
    client_as(client, world, "contributor")
    data = story_data(period, domain, visibility="private", consent_given="")
    response = client.post(f"{BASE}nouvelle/", data, follow=True)
    assert response.redirect_chain == [(BASE, 302)]
    body = page_text(response)
    assert "L’histoire a été recueillie." in body and "Le marché du jeudi" not in body
    assert ChangeStory.objects.get().visibility == "private"


def test_bad_input_shows_the_french_error_next_to_the_field_and_writes_nothing(client, world):
    period, domain = a_period(world), a_domain(world)
    client_as(client, world, "editor")
    audits = AuditEntry.objects.count()
    body = page_text(
        client.post(
            f"{BASE}nouvelle/",
            story_data(
                period, domain, consent_given="", anonymous="", teller_name="", collected_on="2999-01-01"
            ),
        )
    )
    assert (
        "Nom de la personne qui raconte : Comme la personne souhaite être nommée ; laissez vide si elle est "
        "une personne de la carte. Nommez la personne qui raconte, qui a choisi de ne pas rester anonyme."
    ) in body
    assert (
        "Recueillie le : "
        "Une histoire se recueille une fois racontée : la date ne peut pas être dans le futur."
    ) in body
    assert (
        "Au-delà de l’équipe seulement avec le consentement de la personne qui raconte. "
        "Une histoire n’est racontée au-delà de l’équipe qu’avec le consentement "
        "de la personne qui la raconte."
    ) in body
    assert (ChangeStory.objects.count(), AuditEntry.objects.count()) == (0, audits)


def test_the_form_asks_for_the_frame_first(client, world):
    client_as(client, world, "editor")
    body = page_text(client.get(f"{BASE}nouvelle/"))
    assert (
        "Une histoire appartient à une période de collecte et à un domaine de changement : "
        "le territoire n’a pas encore défini les deux. Définir les domaines et les périodes"
    ) in body
    client_as(client, world, "contributor")
    body = page_text(client.get(f"{BASE}nouvelle/"))
    assert "le territoire n’a pas encore défini les deux." in body
    assert "Définir les domaines et les périodes" not in body


def test_a_contributor_changes_their_own_story_only_and_a_selected_story_stays(client, world):
    period, domain = a_period(world), a_domain(world)
    theirs = a_story(world, period, domain, "Le bus du mardi", by="contributor")
    others = a_story(world, period, domain, by="editor")
    client_as(client, world, "contributor")
    assert client.get(f"{BASE}{others.pk}/modifier/").status_code == 404
    assert client.post(f"{BASE}{others.pk}/supprimer/").status_code == 404
    assert "Ce que vous pouvez faire" not in page_text(client.get(f"{BASE}{others.pk}/"))
    assert "Ce que vous pouvez faire Modifier Supprimer" in page_text(client.get(f"{BASE}{theirs.pk}/"))
    form = client.get(f"{BASE}{theirs.pk}/modifier/").content.decode()
    assert "Modifier l’histoire" in form and 'value="Le bus du mardi"' in form
    response = client.post(
        f"{BASE}{theirs.pk}/modifier/",
        story_data(period, domain, title="Le bus du mardi matin", collected_on="2026-04-02"),
        follow=True,
    )
    assert response.redirect_chain == [(f"{BASE}{theirs.pk}/", 302)]
    assert "L’histoire a été enregistrée." in page_text(response)
    assert AuditEntry.objects.get(action="change_story.update").changes["title"] == [
        "Le bus du mardi",
        "Le bus du mardi matin",
    ]

    a_round(world, period, [theirs, others], theirs, held_on=HELD)
    body = page_text(client.post(f"{BASE}{theirs.pk}/supprimer/"))
    assert (
        "Supprimer l’histoire Un panel a choisi cette histoire : supprimez d’abord le tour de sélection. "
        "Supprimer l’histoire « Le bus du mardi matin » ?"
    ) in body
    assert ChangeStory.objects.count() == 2
    SelectionRound.objects.all().delete()
    response = client.post(f"{BASE}{theirs.pk}/supprimer/", follow=True)
    assert response.redirect_chain == [(BASE, 302)]
    assert "L’histoire a été supprimée." in page_text(response)
    assert list(ChangeStory.objects.all()) == [others]


def test_writers_verify_a_story_and_record_the_feedback(client, world):
    story = a_story(world, a_period(world), a_domain(world))
    for url in (f"{BASE}{story.pk}/verification/", f"{BASE}{story.pk}/retour/"):
        for role in ("contributor", "viewer", "partner_funder"):
            client_as(client, world, role)
            assert client.get(url).status_code == 404, (role, url)
            assert client.post(url, {"verification": "X", "verified_on": "2026-05-01"}).status_code == 404
    client_as(client, world, "editor")
    url = f"{BASE}{story.pk}/verification/"
    body = page_text(client.get(url))
    assert (
        "Vérifier l’histoire Histoire « La cantine a changé nos menus », recueillie le 2 avril 2026" in body
    )
    body = page_text(client.post(url, {"verified_on": "2026-01-01", "verification": "Visite."}))
    assert "Vérifiée le : La date ne peut pas précéder le recueil de l’histoire." in body
    assert ChangeStory.objects.get().verified_on is None
    response = client.post(
        url, {"verified_on": "2026-05-01", "verification": "Visite de la cantine."}, follow=True
    )
    assert response.redirect_chain == [(f"{BASE}{story.pk}/", 302)]
    body = page_text(response)
    assert "La vérification a été enregistrée." in body
    assert "Vérification Vérifiée le 1 mai 2026 Visite de la cantine." in body

    url = f"{BASE}{story.pk}/retour/"
    body = page_text(client.post(url, {"feedback": "Merci.", "feedback_given_on": "2999-01-01"}))
    assert "Retour fait le : La date ne peut pas être dans le futur." in body
    response = client.post(
        url, {"feedback": "Votre histoire a été lue.", "feedback_given_on": "2026-07-10"}, follow=True
    )
    assert "Le retour a été enregistré." in page_text(response)
    assert "Retour à la personne qui raconte Fait le 10 juillet 2026 Votre histoire a été lue." in page_text(
        response
    )
    assert list(
        AuditEntry.objects.filter(action__in=["change_story.verify", "change_story.feedback"])
        .values_list("action", flat=True)
        .order_by("id")
    ) == ["change_story.verify", "change_story.feedback"]


# Selection rounds --------------------------------------------------------------------------------


def round_data(period, considered, selected, **values):
    return {
        "period": period.pk,
        "domain": "",
        "panel": "Maire, deux habitantes",
        "held_on": "2026-07-03",
        "considered": [story.pk for story in considered],
        "selected": selected.pk,
        "reasons": "Elle relie producteurs et familles.",
        "dissent": "",
        "visibility": "public",
    } | values


def test_a_round_selecting_a_story_it_did_not_consider_is_refused_on_the_form(client, world):
    period, domain = a_period(world), a_domain(world)
    first = a_story(world, period, domain)
    second = a_story(world, period, domain, "Le bus du mardi")
    outside = a_story(world, period, domain, "Le jardin partagé")
    client_as(client, world, "editor")
    audits = AuditEntry.objects.count()
    body = page_text(client.post(f"{BASE}tours/nouveau/", round_data(period, [first, second], outside)))
    assert (
        "Histoire choisie : Celle que le panel a trouvée la plus significative, "
        "parmi celles qu’il a examinées. Le panel choisit une des histoires qu’il a examinées. "
        "La cantine a changé nos menus (Vie quotidienne) "
        "Le bus du mardi (Vie quotidienne) Le jardin partagé (Vie quotidienne) Pourquoi cette histoire"
    ) in body
    assert (SelectionRound.objects.count(), AuditEntry.objects.count()) == (0, audits)


def test_a_writer_records_a_round_and_reads_it(client, world):
    period, domain = a_period(world), a_domain(world)
    autumn = a_period(
        world, "Automne 2025", starts_on=datetime.date(2025, 9, 1), ends_on=datetime.date(2025, 12, 31)
    )
    first = a_story(world, period, domain)
    second = a_story(world, period, domain, "Le bus du mardi", visibility="private", consent_given=False)
    a_story(world, autumn, domain, "La fête des voisins", collected_on=datetime.date(2025, 10, 4))
    mayor = an_actor(world, "Mairie d’Ungersheim", "elu")
    client_as(client, world, "editor")
    form = page_text(client.get(f"{BASE}tours/nouveau/"))
    assert (
        "Les histoires proposées sont celles de la période « Printemps 2026 ». "
        "Proposer celles d’une autre période : Automne 2025"
    ) in form
    assert "Le bus du mardi (Vie quotidienne)" in form and "La fête des voisins" not in form
    other = page_text(client.get(f"{BASE}tours/nouveau/", {"period": autumn.pk}))
    assert "La fête des voisins (Vie quotidienne)" in other and "Le bus du mardi" not in other
    data = round_data(
        period,
        [first, second],
        second,
        dissent="Deux membres préféraient la cantine.",
        panel_actors=[mayor.pk],
    )
    response = client.post(f"{BASE}tours/nouveau/", data, follow=True)
    selection = SelectionRound.objects.get()
    assert response.redirect_chain == [(f"{BASE}tours/{selection.pk}/", 302)]
    body = page_text(response)
    assert "Le tour de sélection a été enregistré." in body
    assert (
        "Tour de sélection du 3 juillet 2026 Printemps 2026 · Tous les domaines "
        "· Public — tout le monde, et les données ouvertes Ce que vous pouvez faire "
        "L’histoire choisie Le bus du mardi · Vie quotidienne "
        "Pourquoi cette histoire Elle relie producteurs et familles. "
        "Désaccords Deux membres préféraient la cantine. "
        "Le panel Maire, deux habitantes Mairie d’Ungersheim (Élu) "
        "Les autres histoires examinées La cantine a changé nos menus · Vie quotidienne"
    ) in body
    assert (selection.selected, set(selection.considered.all()), list(selection.panel_actors.all())) == (
        second,
        {first, second},
        [mayor],
    )
    assert AuditEntry.objects.get(action="selection_round.create").changes["selected"] == [None, second.pk]

    # Anyone reads the public round, without the private story it selected.
    client.logout()
    body = page_text(client.get(f"{BASE}tours/{selection.pk}/"))
    assert "L’histoire choisie Le panel a choisi une histoire que vous ne pouvez pas lire." in body
    assert "Le bus du mardi" not in body and "Ce que vous pouvez faire" not in body

    client_as(client, world, "admin")
    response = client.post(
        f"{BASE}tours/{selection.pk}/modifier/", round_data(period, [first, second], first), follow=True
    )
    assert "Le tour de sélection a été enregistré." in page_text(response)
    assert SelectionRound.objects.get().selected == first
    body = page_text(client.get(f"{BASE}tours/{selection.pk}/supprimer/"))
    assert (
        "Supprimer le tour de sélection du 3 juillet 2026 (Printemps 2026) ? Les histoires restent ; "
        "elles ne sont plus marquées comme choisies par ce tour."
    ) in body
    response = client.post(f"{BASE}tours/{selection.pk}/supprimer/", follow=True)
    assert response.redirect_chain == [(BASE, 302)]
    assert "Le tour de sélection a été supprimé." in page_text(response)
    assert not SelectionRound.objects.exists() and ChangeStory.objects.count() == 3


def test_a_private_round_answers_404_to_who_may_not_read_it(client, world):
    period, domain = a_period(world), a_domain(world)
    story = a_story(world, period, domain)
    selection = a_round(world, period, [story], story, visibility="private", held_on=HELD)
    url = f"{BASE}tours/{selection.pk}/"
    for role in ("anonymous", "member_elsewhere", "contributor", "partner_funder"):
        client_as(client, world, role)
        assert client.get(url).status_code == 404, role
        assert "Tour du 3 juillet 2026" not in page_text(client.get(BASE))
    client_as(client, world, "viewer")
    assert "Tour de sélection du 3 juillet 2026 Printemps 2026 · Tous les domaines · Privé" in page_text(
        client.get(url)
    )


# The frame ---------------------------------------------------------------------------------------


def test_writers_manage_the_domains_and_periods(client, world):
    client_as(client, world, "editor")
    body = page_text(client.get(f"{BASE}cadre/"))
    assert (
        "Domaines et périodes Les histoires sont recueillies, et choisies, par domaine de changement et par "
        "période de collecte. Domaines de changement Aucun domaine de changement pour l’instant. "
        "Ajouter un domaine de changement Périodes de collecte Aucune période de collecte pour l’instant."
    ) in body
    response = client.post(
        f"{BASE}cadre/domaines/nouveau/",
        {"name": "Vie quotidienne", "description": "Le quotidien."},
        follow=True,
    )
    assert response.redirect_chain == [(f"{BASE}cadre/", 302)]
    body = page_text(response)
    assert "Le domaine de changement a été enregistré." in body
    assert "Vie quotidienne — Le quotidien. Modifier Vie quotidienne Supprimer Vie quotidienne" in body
    body = page_text(client.post(f"{BASE}cadre/domaines/nouveau/", {"name": "vie quotidienne"}))
    assert (
        "Nom : Par exemple : coopération entre communes, vie quotidienne. Ce territoire a déjà un domaine"
        in body
    )
    assert ChangeDomain.objects.count() == 1

    body = page_text(
        client.post(
            f"{BASE}cadre/periodes/nouvelle/",
            {"label": "Printemps 2026", "starts_on": "2026-06-30", "ends_on": "2026-03-01"},
        )
    )
    assert "Finit le : Une période ne peut pas finir avant de commencer." in body
    assert not ReportingPeriod.objects.exists()
    response = client.post(
        f"{BASE}cadre/periodes/nouvelle/",
        {"label": "Printemps 2026", "starts_on": "2026-03-01", "ends_on": "2026-06-30"},
        follow=True,
    )
    assert "La période de collecte a été enregistrée." in page_text(response)
    assert "Printemps 2026 — du 1 mars 2026 au 30 juin 2026" in page_text(response)
    period, domain = ReportingPeriod.objects.get(), ChangeDomain.objects.get()
    response = client.post(
        f"{BASE}cadre/domaines/{domain.pk}/modifier/", {"name": "Vie de tous les jours"}, follow=True
    )
    assert "Vie de tous les jours Modifier" in page_text(response)

    a_story(world, period, domain)
    body = page_text(client.post(f"{BASE}cadre/domaines/{domain.pk}/supprimer/"))
    assert (
        "Supprimer le domaine Des histoires ou des tours appartiennent à ce domaine : il ne peut pas être "
        "supprimé. Supprimer « Vie de tous les jours » ?"
    ) in body
    body = page_text(client.post(f"{BASE}cadre/periodes/{period.pk}/supprimer/"))
    assert "Des histoires ou des tours appartiennent à cette période" in body
    assert (ChangeDomain.objects.count(), ReportingPeriod.objects.count()) == (1, 1)
    ChangeStory.objects.all().delete()
    response = client.post(f"{BASE}cadre/periodes/{period.pk}/supprimer/", follow=True)
    assert "La période de collecte a été supprimée." in page_text(response)
    assert not ReportingPeriod.objects.exists()


def test_write_pages_answer_404_to_who_may_not_use_them(client, world):
    period, domain = a_period(world), a_domain(world)
    story = a_story(world, period, domain)
    selection = a_round(world, period, [story], story, held_on=HELD)
    writers_only = [
        f"{BASE}tours/nouveau/",
        f"{BASE}tours/{selection.pk}/modifier/",
        f"{BASE}tours/{selection.pk}/supprimer/",
        f"{BASE}cadre/",
        f"{BASE}cadre/domaines/nouveau/",
        f"{BASE}cadre/domaines/{domain.pk}/modifier/",
        f"{BASE}cadre/domaines/{domain.pk}/supprimer/",
        f"{BASE}cadre/periodes/nouvelle/",
        f"{BASE}cadre/periodes/{period.pk}/modifier/",
        f"{BASE}cadre/periodes/{period.pk}/supprimer/",
        f"{BASE}{story.pk}/verification/",
        f"{BASE}{story.pk}/retour/",
    ]
    editors = [f"{BASE}{story.pk}/modifier/", f"{BASE}{story.pk}/supprimer/"]
    for url in [*writers_only, *editors, f"{BASE}nouvelle/"]:
        response = client.get(url)
        assert (response.status_code, response["Location"].split("?")[0]) == (302, "/compte/connexion/")
    for role in ("viewer", "member_elsewhere", "partner_funder", "contributor"):
        client_as(client, world, role)
        urls = [*writers_only, *editors] + ([] if role == "contributor" else [f"{BASE}nouvelle/"])
        for url in urls:
            assert client.get(url).status_code == 404, (role, url)
            assert client.post(url, {"name": "X", "label": "X"}).status_code == 404, (role, url)
    assert (ChangeDomain.objects.count(), ReportingPeriod.objects.count()) == (1, 1)
    assert (ChangeStory.objects.count(), SelectionRound.objects.count()) == (1, 1)
    assert not AuditEntry.objects.filter(action__endswith=".update").exists()
    assert not AuditEntry.objects.filter(action__endswith=".delete").exists()


# Cost --------------------------------------------------------------------------------------------


def test_the_list_and_a_story_cost_the_same_queries_whatever_their_size(client, world):
    period = a_period(world)

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    def grow(number):
        stories = []
        for index in range(number):
            teller = an_actor(world, f"Habitant {number}-{index}")
            stories.append(
                a_story(
                    world,
                    period,
                    a_domain(world, f"Domaine {number}-{index}"),
                    f"Histoire {number}-{index}",
                    teller=teller,
                    anonymous=index % 2 == 0,
                    actors=[an_actor(world, f"Acteur {number}-{index}")],
                    actions=[an_action(world, f"Action {number}-{index}")],
                )
            )
            story_verify(actor=world.people["admin"], story=stories[-1], verified_on=TOLD, verification="Vu.")
        for index in range(number):
            a_round(world, period, stories, stories[index], held_on=HELD)
        return stories[0]

    small = grow(2)
    client_as(client, world, "contributor")
    small_list, small_story = count(BASE), count(f"{BASE}{small.pk}/")
    SelectionRound.objects.all().delete()
    ChangeStory.objects.all().delete()
    large = grow(6)
    assert ChangeStory.objects.count() == 6 and SelectionRound.objects.count() == 6
    assert (count(BASE), count(f"{BASE}{large.pk}/")) == (small_list, small_story)
