"""The demo's controversies: one at each stage in every demo territory, plus one decided then
reopened, with consistent transitions, the instruction's records, and no e-mail sent while loading."""

import logging
from itertools import pairwise

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.pages import page_text
from trajectoires.core.models import AuditEntry
from trajectoires.governance.controversies import controversy_story, stage_counts
from trajectoires.governance.models import Controversy, StageTransition
from trajectoires.territories.models import Territory

pytestmark = pytest.mark.django_db

EVERY_STAGE = [
    ("reported", 1), ("instructing", 2), ("deliberating", 1), ("decided", 1), ("followed_up", 1)
]  # fmt: skip


@pytest.fixture
def demo(django_capture_on_commit_callbacks, caplog):
    """The demo loaded as `make run` loads it, the callbacks after the commit run (as the tasks
    would) and what they log captured."""
    caplog.set_level(logging.INFO, logger="trajectoires.governance.controversy_notifications")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo", verbosity=0)
    return caplog


def test_each_demo_territory_has_a_controversy_at_each_stage_and_one_reopened(demo):
    """Counts, transitions, audit and silence of the whole demo."""
    for territory in Territory.objects.all():
        admin = territory.memberships.get(role="admin").user
        assert [(stage, n) for stage, _label, n in stage_counts(admin, territory)] == EVERY_STAGE
        # A visitor reads all but the one just reported, which the team qualifies first.
        public = [(stage, n) for stage, _label, n in stage_counts(AnonymousUser(), territory)]
        assert public == [("reported", 0), *EVERY_STAGE[1:]], territory.name
        reopened = [
            c for c in territory.controversies.all() if controversy_story(admin, territory, c.pk).reopened
        ]
        assert [(c.stage, c.decided_on is not None) for c in reopened] == [("instructing", True)]
    # The transitions follow each other, each move audited; loading tells no party.
    paths = {}
    for controversy in Controversy.objects.all():
        steps = list(controversy.transitions.order_by("at", "id"))
        assert steps[0].from_stage == "" and steps[0].to_stage == "reported"
        for before, after in pairwise(steps):
            assert after.from_stage == before.to_stage, controversy.subject
        assert steps[-1].to_stage == controversy.stage
        assert all(step.by == controversy.author for step in steps)
        paths.setdefault(tuple(step.to_stage for step in steps), []).append(controversy)
        groups = controversy.parties.exclude(group_name="").count()
        assert groups >= (controversy.stage != "reported"), controversy.subject
    assert sorted(len(group) for group in paths.values()) == [6] * 6

    assert ("reported", "instructing", "deliberating", "decided", "instructing") in paths
    moves = StageTransition.objects.exclude(from_stage="").count()
    assert moves == 6 * (0 + 1 + 2 + 3 + 4 + 4)
    assert AuditEntry.objects.filter(action="controversy.move").count() == moves
    assert mail.outbox == []
    assert [r for r in demo.records if r.name.endswith("controversy_notifications")] == []
    # Loading the demo again adds no controversy.
    call_command("demo", verbosity=0)
    assert Controversy.objects.count() == 36


def test_a_followed_up_story_tells_the_whole_instruction(client, demo):
    territory = Territory.objects.get(name="Biovallée")
    admin = territory.memberships.get(role="admin").user
    controversy = territory.controversies.get(stage="followed_up")
    story = controversy_story(AnonymousUser(), territory, controversy.pk)
    assert controversy.subject == "Partage de l'eau de la Drôme entre irrigation et tourisme"
    assert controversy.visibility == "public" and controversy.forum.name.startswith(
        "Conseil de développement"
    )
    assert [party.label for party in story.parties] == [
        "Chambre d'agriculture de la Drôme",
        "Professionnels du tourisme et des loisirs",
        "DDT de la Drôme",
        "Habitants pour une rivière vivante",
    ]
    assert [(e.kind, e.dated < controversy.decided_on) for e in story.expertise] == [
        ("document", True), ("hearing", True)
    ]  # fmt: skip
    assert [(s.state.number, len(s.signatories), bool(s.state.minority_view)) for s in story.states] == [
        (2, 3, True),
        (1, 4, False),
    ]
    assert story.states[0].state.minority_view.startswith("Les habitants pour une rivière vivante")
    assert [(f.done_on is not None) for f in story.follow_ups] == [True, False, False]
    assert controversy.instruction_use.startswith("L'étude des volumes a fixé l'effort commun")
    assert [t.to_stage for t in story.transitions] == [
        "reported", "instructing", "deliberating", "decided", "followed_up"
    ]  # fmt: skip
    assert (
        controversy_story(admin, territory, controversy.pk)
        .parties[0]
        .party.position.startswith("Garder assez d'eau")
    )
    # Its public page, and the private one just reported answering as missing.
    territory = Territory.objects.get(name="Grenoble-Alpes-Métropole")
    controversy = territory.controversies.get(stage="followed_up")
    text = page_text(client.get(reverse("controversies:detail", args=[territory.slug, controversy.pk])))
    assert "Zone à faibles émissions et ménages modestes" in text
    assert "Artisans et petits rouleurs des communes périphériques" in text
    assert "Les artisans demandent d'exempter tous les utilitaires jusqu'en 2030." in text
    private = territory.controversies.get(stage="reported")
    response = client.get(reverse("controversies:detail", args=[territory.slug, private.pk]))
    assert response.status_code == 404
    # Related decisions are linked where they fit; a decided story plans its follow-up.
    territory = Territory.objects.get(name="Ungersheim")
    pedestrian = territory.controversies.get(stage="decided")
    assert pedestrian.subject == "Piétonnisation du cœur du village"
    assert sorted(pedestrian.related_decisions.values_list("title", flat=True)) == [
        "Plan de circulation du centre (démonstration)",
        "Schéma des mobilités douces (démonstration)",
    ]
    assert list(pedestrian.follow_ups.values_list("done_on", flat=True)) == [None, None, None]


def test_each_demo_story_reads_in_the_order_of_its_expertise(demo):
    """Reported before any expertise, instructed while it is gathered, decided after it, each step
    after the one before; the états written after the instruction began."""
    today = timezone.localdate()
    for controversy in Controversy.objects.prefetch_related("expertise", "states", "transitions"):
        steps = sorted(controversy.transitions.all(), key=lambda step: step.id)
        moments = [step.at for step in steps]
        assert moments == sorted(moments) and len(set(moments)) == len(moments), controversy.subject
        assert controversy.created_at == moments[0]
        assert controversy.stage_changed_at == moments[-1]
        dated = [item.dated for item in controversy.expertise.all()]
        if dated:
            instructed = next(step.at for step in steps if step.to_stage == "instructing")
            assert moments[0].date() < instructed.date() < min(dated), controversy.subject
        if controversy.decided_on:
            assert max(dated) < controversy.decided_on < today, controversy.subject
        for state in controversy.states.all():
            assert moments[1] < state.written_at <= timezone.now(), controversy.subject
