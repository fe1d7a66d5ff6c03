import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from tests.pages import page_text
from trajectoires.cooperation.models import RoundMetrics
from trajectoires.governance.capacity_coverage import training_coverage
from trajectoires.governance.decisions import participation_summary
from trajectoires.planning.coherence import coherence_summary
from trajectoires.planning.document_selectors import documents_of
from trajectoires.planning.models import PlanningDocument, TransferabilitySheet
from trajectoires.planning.trajectory import trajectory_gaps
from trajectoires.steering.models import JournalEntry, Orientation, Vision
from trajectoires.territories.models import Territory
from trajectoires.territories.selectors import memberships_of

pytestmark = pytest.mark.django_db


def test_the_home_page_explains_the_platform_with_live_counts(client):
    body = page_text(client.get("/"))
    assert "Territoires en transition 0" in body
    assert "Régions 26 Départements 109 Intercommunalités (EPCI) 1 255 Communes 34 969" in body
    call_command("demo", verbosity=0)
    assert "Territoires en transition 6" in page_text(client.get("/"))


def test_the_home_page_in_english(client):
    response = client.get("/en/")
    assert '<html lang="en">' in response.content.decode()
    assert "Regions 26" in page_text(response)


def test_the_layout_is_accessible_and_credits_the_data(client):
    html = client.get("/").content.decode()
    assert '<html lang="fr">' in html
    assert '<a class="skip-link" href="#main">Aller au contenu</a>' in html
    assert '<main id="main"' in html and "<header" in html and "<footer" in html
    assert 'href="/en/" lang="en" hreflang="en">English</a>' in html
    assert "Licence Ouverte 2.0" in html and "@etalab/decoupage-administratif</a> 6.0.0" in html


def test_pages_carry_a_content_security_policy_without_inline_script(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy


def test_the_demo_alliance_is_loaded_once_on_real_areas(capsys):
    call_command("demo")
    out = capsys.readouterr().out
    assert "staff@trajectoires.demo  /  trajectoires-demo  (platform staff)" in out
    kinds = dict(Territory.objects.values_list("name", "kind"))
    assert kinds == {
        "Ungersheim": "commune",
        "Grande-Synthe": "commune",
        "Communauté de communes du Thouarsais": "epci",
        "Agglomération de La Rochelle": "epci",
        "Grenoble-Alpes-Métropole": "epci",
        "Biovallée": "other",
    }
    epci_types = {t.name: t.areas.get().epci_type for t in Territory.objects.filter(kind="epci")}
    assert sorted(epci_types.values()) == ["CA", "CC", "METRO"]
    assert Territory.objects.get(name="Biovallée").areas.count() == 3
    assert get_user_model().objects.get(email="staff@trajectoires.demo").is_staff

    call_command("demo")
    assert "0 item(s) created" in capsys.readouterr().out
    assert Territory.objects.count() == 6


def test_the_demo_has_one_account_per_role_with_its_memberships():
    call_command("demo", verbosity=0)
    roles = {
        user.email: [(view.kind, view.role, view.target_name) for view in memberships_of(user)]
        for user in get_user_model().objects.order_by("email")
    }
    assert roles == {
        "admin@biovallee.demo": [("territory", "admin", "Biovallée")],
        "admin@departement-drome.demo": [("funder", "admin", "Département de la Drôme (démonstration)")],
        "admin@etat-haut-rhin.demo": [
            ("funder", "admin", "Services de l'État dans le Haut-Rhin (démonstration)")
        ],
        "admin@grande-synthe.demo": [("territory", "admin", "Grande-Synthe")],
        "admin@grenoble.demo": [("territory", "admin", "Grenoble-Alpes-Métropole")],
        "admin@larochelle.demo": [("territory", "admin", "Agglomération de La Rochelle")],
        "admin@region-grand-est.demo": [("funder", "admin", "Région Grand Est (démonstration)")],
        "admin@territoires-vivants.demo": [
            ("funder", "admin", "Fondation Territoires vivants (démonstration)")
        ],
        "admin@thouarsais.demo": [("territory", "admin", "Communauté de communes du Thouarsais")],
        "admin@ungersheim.demo": [("territory", "admin", "Ungersheim")],
        "charge@etat-haut-rhin.demo": [
            ("funder", "officer", "Services de l'État dans le Haut-Rhin (démonstration)")
        ],
        "contributeur@ungersheim.demo": [("territory", "contributor", "Ungersheim")],
        "delegue@assemblee.demo": [("assembly", "delegate", "Assemblée des territoires en transition")],
        "editeur@ungersheim.demo": [("territory", "editor", "Ungersheim")],
        "lecteur@ungersheim.demo": [("territory", "viewer", "Ungersheim")],
        "secretariat@assemblee.demo": [
            ("assembly", "secretariat", "Assemblée des territoires en transition")
        ],
        "staff@trajectoires.demo": [],
    }
    visibilities = set(JournalEntry.objects.values_list("visibility", flat=True))
    assert visibilities == {"alliance", "partners", "private", "public"}
    visions = {
        vision.territory.name: (vision.version, vision.visibility, vision.orientations.count())
        for vision in Vision.objects.select_related("territory")
    }
    assert visions == {
        "Ungersheim": (1, "public", 3),
        "Grande-Synthe": (1, "public", 3),
        "Communauté de communes du Thouarsais": (1, "public", 3),
        "Agglomération de La Rochelle": (1, "public", 3),
        "Grenoble-Alpes-Métropole": (1, "public", 3),
        "Biovallée": (1, "public", 3),
    }


def test_each_demo_territory_has_a_workspace_whose_cooperation_grows(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo", verbosity=0)
    for territory in Territory.objects.all():
        assert territory.actors.count() == 21
        assert territory.journal_entries.filter(entry_type="learning").count() == 1
        assert territory.celebrations.count() == 2 and territory.narratives.count() == 2
        rounds = RoundMetrics.objects.filter(round__territory=territory).order_by("round__held_on")
        assert [metrics.status for metrics in rounds] == ["ready", "ready", "ready"]
        ties = [metrics.tie_count for metrics in rounds]
        shares = [metrics.cross_category_share for metrics in rounds]
        assert ties == sorted(ties) and ties[0] < ties[-1], territory.name
        assert shares == sorted(shares), territory.name
        assert [metrics.fantastic_four_complete for metrics in rounds] == [False, False, True]


def test_each_demo_territory_steers_with_shared_documents_a_trajectory_and_pilots():
    call_command("demo", verbosity=0)
    anonymous = AnonymousUser()
    for territory in Territory.objects.all():
        documents = documents_of(anonymous, territory)
        assert [document.doc_type.code for document in documents] == [
            "sraddet", "scot", "plu" if territory.kind == "commune" else "plui", "pcaet", "pat"
        ], territory.name  # fmt: skip
        summary = coherence_summary(anonymous, territory)
        assert (summary.coherent, summary.neutral, summary.contradictory, summary.not_assessed) == (
            7,
            5,
            2,
            1,
        )
        gaps = trajectory_gaps(anonymous, territory)
        assert [o.title for o in gaps.orientations_without_action] == [
            Orientation.objects.get(vision__territory=territory, position=3).title
        ]
        assert [a.title for a in gaps.actions_without_orientation] == [
            "Refonte du site internet de la collectivité"
        ]
        assert sorted(territory.pilots.values_list("status", flat=True)) == [
            "adjusted", "running", "scaled_up", "stopped"
        ]  # fmt: skip
    # A région's SRADDET is recorded once and shared by the demo territories inside it.
    sraddet = PlanningDocument.objects.get(doc_type__code="sraddet", writer__name="Nouvelle-Aquitaine")
    readers = [t.name for t in Territory.objects.all() if sraddet in documents_of(anonymous, t)]
    assert readers == ["Agglomération de La Rochelle", "Communauté de communes du Thouarsais"]
    assert TransferabilitySheet.objects.filter(published_at__isnull=False).count() == 6


def test_each_demo_territory_governs_with_people_and_trains_its_team():
    call_command("demo", verbosity=0)
    for territory in Territory.objects.all():
        admin = territory.memberships.get(role="admin").user
        assert territory.participation_spaces.count() == 2
        council = territory.participation_spaces.get(kind="development_council")
        assert council.meetings.count() == 2
        summary = participation_summary(admin, territory)
        assert [(item.code, count) for item, count in summary.levels] == [
            ("inform", 1), ("consult", 1), ("concert", 1), ("co_construct", 2), ("co_decide", 1)
        ]  # fmt: skip
        coverage = training_coverage(admin, territory)
        assert [(row.category.code, row.people, row.trained) for row in coverage.coverage] == [
            ("elu", 2, 2), ("agent", 3, 3)
        ], territory.name  # fmt: skip
        assert coverage.absent_fantastiques == []


def test_the_demo_loads_only_into_a_new_database_when_asked(capsys, member):
    call_command("demo", "--if-new")
    assert Territory.objects.count() == 0
    assert "staff@trajectoires.demo  /  trajectoires-demo" in capsys.readouterr().out


def test_demo_staff_can_sign_in_with_the_printed_password(client):
    call_command("demo", verbosity=0)
    response = client.post(
        "/compte/connexion/", {"username": "staff@trajectoires.demo", "password": "trajectoires-demo"}
    )
    assert response.status_code == 302 and response.url == "/"
    wrong = client.post("/compte/connexion/", {"username": "staff@trajectoires.demo", "password": "nope"})
    assert (
        "Cette adresse électronique et ce mot de passe ne correspondent à aucun compte actif."
        in page_text(wrong)
    )
