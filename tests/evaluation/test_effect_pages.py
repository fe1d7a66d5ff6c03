"""The pages of the systemic effects (C4): the three effects of a reporting period with their level
on the scale, the reasoning and the evidence; one assessment on its own page; assessing, changing
and deleting an assessment — as each role sees them."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.cooperation.network_data import actor, survey_round, tie
from tests.evaluation.test_effects import assess
from tests.evaluation.test_outcomes import harvest
from tests.evaluation.test_stories import a_domain, a_period, a_story
from tests.pages import page_text
from tests.trust.world import build_world, client_as
from trajectoires.core.models import AuditEntry
from trajectoires.evaluation.models import EffectAssessment
from trajectoires.evaluation.stories import period_save

pytestmark = pytest.mark.django_db
BASE = "/territoires/ungersheim/evaluation/effets/"
SCALE = "En recul Inchangé Émergent En progression (le niveau apprécié) Transforme le territoire"
NO_EVIDENCE = (
    "Appuyez l’appréciation sur au moins une histoire, un résultat ou un relevé du réseau de coopération."
)
PUBLIC = "Public — tout le monde, et les données ouvertes"
PRIVATE = "Privé — l'équipe du territoire"
COOPERATION = "Densité et qualité des liens entre acteurs, y compris entre catégories et entre échelons."
POSTURE = "Évolution des manières de faire et de se positionner des élus, des équipes et des partenaires."


@pytest.fixture
def world():
    return build_world()


def an_autumn(world):
    return a_period(
        world, "Automne 2025", starts_on=datetime.date(2025, 9, 1), ends_on=datetime.date(2025, 12, 31)
    )


def period_world(world):
    """Autumn 2025 (empty) and spring 2026: posture assessed in public on a story and an outcome,
    resilience assessed in private on a private outcome; cooperation not assessed."""
    autumn, spring = an_autumn(world), a_period(world)
    story = a_story(world, spring, a_domain(world))
    canteen = harvest(world, "La cantine scolaire")
    council = harvest(world, "Le conseil municipal", visibility="private")
    posture = assess(world, spring, "posture", stories=[story], outcomes=[canteen], visibility="public")
    resilience = assess(
        world,
        spring,
        "resilience",
        level="emerging",
        reasoning="Le réseau de chaleur a tenu pendant la vague de froid.",
        outcomes=[council],
    )
    return autumn, spring, story, canteen, council, posture, resilience


# The effects of a period -------------------------------------------------------------------------


def test_anyone_reads_the_three_effects_of_the_latest_period_with_their_scale_and_evidence(client, world):
    _autumn, spring, story, canteen, _council, _posture, _resilience = period_world(world)
    response = client.get(BASE)
    body = page_text(response)
    assert "Les effets systémiques de Ungersheim" in body
    assert "Période de collecte : Printemps 2026 Automne 2025 Afficher" in body
    assert "Les périodes de collecte se définissent avec les histoires de changement." in body
    assert (
        "Printemps 2026, du 1 mars 2026 au 30 juin 2026 "
        f"Coopération {COOPERATION} "
        "Aucune appréciation de cet effet que vous pouvez lire pour cette période. "
        f"Posture {POSTURE} "
        f"Niveau Niveau apprécié : En progression. · {PUBLIC} {SCALE} "
        "Raisonnement Les élus co-construisent désormais les arbitrages. "
        "Preuves Histoires de changement La cantine a changé nos menus "
        "Résultats observés La cantine scolaire — Ils livrent la cantine en circuit court. "
        "L’appréciation de l’effet Posture sur sa propre page "
        "Résilience Capacité du territoire à absorber les chocs, à s'adapter et à se transformer. "
        "Aucune appréciation de cet effet que vous pouvez lire pour cette période."
    ) in body
    page = response.content.decode()
    assert '<li aria-current="step"><strong>En progression</strong> (le niveau apprécié)</li>' in page
    assert f'<a href="/territoires/ungersheim/evaluation/histoires/{story.pk}/">La cantine a changé' in page
    assert (
        f'<a href="/territoires/ungersheim/evaluation/resultats/{canteen.pk}/">La cantine scolaire</a>'
        in page
    )
    assert '<option value="' + str(spring.pk) + '" selected>Printemps 2026</option>' in page
    for absent in ("Apprécier l’effet", "Modifier", "Supprimer l’appréciation", "/histoires/cadre/"):
        assert absent not in body and absent not in page


def test_the_team_reads_the_private_assessment_and_the_writers_may_assess(client, world):
    period_world(world)
    client_as(client, world, "viewer")
    body = page_text(client.get(BASE))
    assert (
        f"Résilience Capacité du territoire à absorber les chocs, à s'adapter et à se transformer. "
        f"Niveau Niveau apprécié : Émergent. · {PRIVATE} "
        "En recul Inchangé Émergent (le niveau apprécié) En progression Transforme le territoire "
        "Raisonnement Le réseau de chaleur a tenu pendant la vague de froid. "
        "Preuves Histoires de changement Aucune histoire que vous pouvez lire. "
        "Résultats observés Le conseil municipal — Ils livrent la cantine en circuit court."
    ) in body
    assert "Apprécier l’effet" not in body and "Modifier" not in body
    # A contributor reads as the partners do: not the private assessment.
    client_as(client, world, "contributor")
    body = page_text(client.get(BASE))
    assert "Le réseau de chaleur" not in body and "Les élus co-construisent" in body
    assert body.count("Aucune appréciation de cet effet que vous pouvez lire pour cette période.") == 2
    client_as(client, world, "editor")
    response = client.get(BASE)
    page = response.content.decode()
    assert "Pas encore apprécié pour cette période. Apprécier l’effet Coopération" in page_text(response)
    spring = EffectAssessment.objects.get(effect__code="posture").period
    assert f'href="{BASE}periodes/{spring.pk}/cooperation/apprecier/" role="button">Apprécier' in page
    assert (
        '<a href="/territoires/ungersheim/evaluation/histoires/cadre/">'
        "Les périodes de collecte se définissent avec les histoires de changement.</a>"
    ) in page
    assert 'Modifier <span class="visually-hidden">l’appréciation de l’effet Posture</span>' in page


def test_a_period_is_chosen_by_its_id_in_the_address(client, world):
    autumn, _spring, *_rest = period_world(world)
    body = page_text(client.get(BASE, {"period": autumn.pk}))
    assert "Automne 2025, du 1 septembre 2025 au 31 décembre 2025" in body
    assert body.count("Aucune appréciation de cet effet que vous pouvez lire pour cette période.") == 3
    elsewhere = period_save(
        actor=world.people["member_elsewhere"],
        territory=world.elsewhere,
        label="Printemps 2026",
        starts_on=datetime.date(2026, 3, 1),
        ends_on=datetime.date(2026, 6, 30),
    )
    for unknown in (elsewhere.pk, autumn.pk + 1000, "printemps"):
        assert client.get(BASE, {"period": unknown}).status_code == 404, unknown


def test_without_a_period_the_page_says_where_periods_are_defined(client, world):
    body = page_text(client.get(BASE))
    assert (
        "Aucune période de collecte pour l’instant : les effets s’apprécient période par période. "
        "Les périodes de collecte se définissent avec les histoires de changement."
    ) in body


def test_the_cooperation_effect_shows_its_network_round_with_its_figures(
    client, world, django_capture_on_commit_callbacks
):
    spring = a_period(world)
    with django_capture_on_commit_callbacks(execute=True):
        survey = survey_round(world, held_on=datetime.date(2026, 5, 1), title="Relevé 2026")
        mairie, services = (
            actor(world.territory, "Mairie", "elu"),
            actor(world.territory, "Services", "agent"),
        )
        coop = actor(world.territory, "Coopérative Le Champ", "socio_economique")
        tie(world, survey, mairie, services)
        tie(world, survey, services, coop)
    cooperation = assess(world, spring, "cooperation", network_round=survey, visibility="public")
    response = client.get(f"{BASE}{cooperation.pk}/")
    body = page_text(response)
    assert (
        f"Coopération Effet systémique · Printemps 2026 {COOPERATION} "
        f"Niveau Niveau apprécié : En progression. · {PUBLIC} {SCALE} "
        "Raisonnement Les élus co-construisent désormais les arbitrages. "
        "Preuves Histoires de changement Aucune histoire que vous pouvez lire. "
        "Résultats observés Aucun résultat que vous pouvez lire. "
        "Réseau de coopération Relevé 2026 · 1 mai 2026 "
        "Densité : 0,67 · liens entre catégories : 100 %"
    ) in body
    assert f'<a href="/territoires/ungersheim/cooperation/enquetes/{survey.pk}/">Relevé 2026</a>' in (
        response.content.decode()
    )
    # The network shows only on cooperation.
    assert "Réseau de coopération" not in page_text(client.get(BASE)).split("Posture", 1)[1]


def test_an_assessment_reads_on_its_own_page_as_its_visibility_allows(client, world):
    *_rest, posture, resilience = period_world(world)
    assert "Ce que vous pouvez faire" not in page_text(client.get(f"{BASE}{posture.pk}/"))
    for role in ("anonymous", "contributor", "member_elsewhere", "partner_funder"):
        assert client_as(client, world, role).get(f"{BASE}{resilience.pk}/").status_code == 404, role
    client_as(client, world, "viewer")
    body = page_text(client.get(f"{BASE}{resilience.pk}/"))
    assert "Résilience Effet systémique · Printemps 2026" in body and "Ce que vous pouvez faire" not in body
    client_as(client, world, "admin")
    assert "Ce que vous pouvez faire Modifier Supprimer" in page_text(client.get(f"{BASE}{resilience.pk}/"))


# Assess, change, delete --------------------------------------------------------------------------


def test_an_effect_without_evidence_is_refused_next_to_the_evidence_and_nothing_is_written(client, world):
    spring = a_period(world)
    a_story(world, spring, a_domain(world))
    client_as(client, world, "editor")
    url = f"{BASE}periodes/{spring.pk}/posture/apprecier/"
    response = client.post(
        url, {"level": "growing", "reasoning": "Les élus changent.", "visibility": "public"}
    )
    assert response.status_code == 200
    assert NO_EVIDENCE in page_text(response)
    assert (
        '<ul class="errorlist" id="evidence-errors"><li>Appuyez l’appréciation sur au moins une histoire, '
        "un résultat ou un relevé du réseau de coopération.</li></ul>"
    ) in response.content.decode()
    assert '<fieldset aria-describedby="evidence-help evidence-errors">' in response.content.decode()
    assert not EffectAssessment.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="effect_assessment").exists()
    # The form's own checks land next to their field, and write nothing either.
    response = client.post(url, {"level": "soaring", "reasoning": " ", "visibility": "public"})
    page = response.content.decode()
    assert '<ul class="errorlist" id="id_reasoning_error"><li>Ce champ est obligatoire.</li></ul>' in page
    assert "Sélectionnez un choix valide. soaring n’en fait pas partie." in page_text(response)
    assert not EffectAssessment.objects.exists()


def test_a_writer_assesses_cooperation_with_stories_of_the_period_outcomes_and_a_round(client, world):
    autumn, spring = an_autumn(world), a_period(world)
    domain = a_domain(world)
    story = a_story(world, spring, domain)
    a_story(world, autumn, domain, title="Une histoire de l’automne")
    canteen = harvest(world, "La cantine scolaire")
    survey = survey_round(world, held_on=datetime.date(2026, 5, 1), title="Relevé 2026")
    client_as(client, world, "admin")
    url = f"{BASE}periodes/{spring.pk}/cooperation/apprecier/"
    response = client.get(url)
    body = page_text(response)
    assert (
        "Apprécier l’effet Coopération sur Printemps 2026 "
        f"{COOPERATION} "
        "Dites comment l’effet a évolué sur la période, pourquoi, et sur quelles preuves : au moins une "
        "histoire de changement, un résultat observé ou un relevé du réseau de coopération. "
        "Comment l’effet a évolué sur la période : "
        "En recul Inchangé Émergent En progression Transforme le territoire "
        "Raisonnement : Pourquoi ce niveau : ce que montrent les preuves, et ce qu’elles ne montrent pas. "
        "Preuves Ce qui appuie l’appréciation ; seul ce que vous pouvez lire est proposé. "
        "Histoires de changement de la période : La cantine a changé nos menus "
        "Résultats observés : La cantine scolaire — Ils livrent la cantine en circuit court. "
        "Relevé du réseau de coopération : Sa densité et sa part de liens entre catégories appuient "
        "l’appréciation. Aucun Relevé 2026 (1 mai 2026)"
    ) in body
    assert "Une histoire de l’automne" not in body
    values = {
        "level": "emerging",
        "reasoning": "Les agents et les maraîchers se parlent désormais.",
        "stories": [story.pk],
        "outcomes": [canteen.pk],
        "network_round": survey.pk,
        "visibility": "partners",
    }
    response = client.post(url, values, follow=True)
    assert response.redirect_chain == [(f"{BASE}?period={spring.pk}", 302)]
    assert "L’effet a été apprécié." in page_text(response)
    stored = EffectAssessment.objects.get()
    assert (
        stored.effect.code,
        stored.level,
        stored.reasoning,
        list(stored.stories.all()),
        list(stored.outcomes.all()),
        stored.network_round,
        stored.visibility,
        stored.author,
    ) == (
        "cooperation",
        "emerging",
        "Les agents et les maraîchers se parlent désormais.",
        [story],
        [canteen],
        survey,
        "partners",
        world.people["admin"],
    )
    assert AuditEntry.objects.filter(action="effect_assessment.create").count() == 1
    # Once assessed, the address of the new assessment leads to its form.
    assert client.get(url).url == f"{BASE}{stored.pk}/modifier/"


def test_posture_and_resilience_offer_no_network(client, world):
    spring = a_period(world)
    survey_round(world, held_on=datetime.date(2026, 5, 1), title="Relevé 2026")
    client_as(client, world, "admin")
    page = client.get(f"{BASE}periodes/{spring.pk}/posture/apprecier/").content.decode()
    assert 'name="network_round"' not in page and "Relevé 2026" not in page
    body = page_text(client.get(f"{BASE}periodes/{spring.pk}/posture/apprecier/"))
    assert "Aucune histoire de changement de cette période que vous pouvez lire." in body
    assert "Aucun résultat observé que vous pouvez lire." in body
    assert client.get(f"{BASE}periodes/{spring.pk}/bonheur/apprecier/").status_code == 404
    assert client.get(f"{BASE}periodes/{spring.pk + 1000}/posture/apprecier/").status_code == 404


def test_a_writer_changes_then_deletes_an_assessment(client, world):
    *_rest, story, canteen, _council, posture, _resilience = period_world(world)
    spring = posture.period
    client_as(client, world, "editor")
    url = f"{BASE}{posture.pk}/modifier/"
    page = client.get(url).content.decode()
    assert 'value="growing" required id="id_level_3" checked' in page
    assert f'value="{story.pk}" id="id_stories_0" checked' in page
    response = client.post(
        url,
        {
            "level": "transforming",
            "reasoning": "Tout a changé.",
            "outcomes": [canteen.pk],
            "visibility": "public",
        },
        follow=True,
    )
    assert response.redirect_chain == [(f"{BASE}?period={spring.pk}", 302)]
    assert "L’appréciation a été enregistrée." in page_text(response)
    assert "Niveau apprécié : Transforme le territoire." in page_text(response)
    posture.refresh_from_db()
    assert (posture.level, posture.reasoning, list(posture.stories.all())) == (
        "transforming",
        "Tout a changé.",
        [],
    )
    assert AuditEntry.objects.get(action="effect_assessment.update").changes == {
        "level": ["growing", "transforming"],
        "reasoning": ["Les élus co-construisent désormais les arbitrages.", "Tout a changé."],
        "stories": [[story.pk], []],
    }
    delete = f"{BASE}{posture.pk}/supprimer/"
    assert (
        "Supprimer l’appréciation de l’effet Posture sur Printemps 2026 ? Les histoires, résultats et "
        "relevés du réseau sur lesquels elle s’appuie restent."
    ) in page_text(client.get(delete))
    response = client.post(delete, follow=True)
    assert response.redirect_chain == [(f"{BASE}?period={spring.pk}", 302)]
    assert "L’appréciation a été supprimée." in page_text(response)
    assert list(EffectAssessment.objects.values_list("effect__code", flat=True)) == ["resilience"]
    assert AuditEntry.objects.filter(action="effect_assessment.delete").count() == 1


@pytest.mark.parametrize("role", ["viewer", "contributor", "member_elsewhere", "partner_funder", "staff"])
def test_the_write_pages_answer_404_to_who_may_not_assess(client, world, role):
    *_rest, posture, _resilience = period_world(world)
    spring = posture.period
    client_as(client, world, role)
    for url in (
        f"{BASE}periodes/{spring.pk}/cooperation/apprecier/",
        f"{BASE}{posture.pk}/modifier/",
        f"{BASE}{posture.pk}/supprimer/",
    ):
        assert client.get(url).status_code == 404, url
        assert (
            client.post(url, {"level": "receding", "reasoning": "X", "visibility": "public"}).status_code
            == 404
        )
    assert EffectAssessment.objects.get(pk=posture.pk).level == "growing"
    assert EffectAssessment.objects.count() == 2


def test_signing_in_is_asked_before_any_write(client, world):
    *_rest, posture, _resilience = period_world(world)
    response = client.get(f"{BASE}{posture.pk}/modifier/")
    assert (response.status_code, response.url.split("?")[0]) == (302, "/compte/connexion/")


def test_the_period_page_costs_the_same_whatever_the_evidence(client, world):
    spring = a_period(world)
    domain = a_domain(world)
    story = a_story(world, spring, domain)
    posture = assess(world, spring, "posture", stories=[story], visibility="public")
    client_as(client, world, "viewer")

    def cost():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(BASE).status_code == 200
        return len(queries)

    once = cost()
    stories = [a_story(world, spring, domain, title=f"Histoire {n}") for n in range(4)]
    outcomes = [harvest(world, f"Acteur {n}") for n in range(4)]
    survey = survey_round(world, held_on=datetime.date(2026, 5, 1), title="Relevé 2026")
    assess(world, spring, "posture", stories=[story, *stories], outcomes=outcomes, assessment=posture)
    assess(world, spring, "cooperation", stories=stories, outcomes=outcomes, network_round=survey)
    assess(world, spring, "resilience", outcomes=outcomes)
    assert cost() == once
    assert page_text(client.get(BASE)).count("Histoire 3") == 2
