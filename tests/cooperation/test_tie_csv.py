"""Importing a round's ties from CSV: the template, encodings and separators, every bad row
reported with its line and column, nothing written unless every row is right."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.pages import page_text
from tests.trust.world import build_world, client_as
from trajectoires.cooperation.models import RoundMetrics, Tie
from trajectoires.cooperation.tie_csv import ties_import, ties_template
from trajectoires.core.csvfile import CsvFileError, read_csv
from trajectoires.core.models import AuditEntry

from .network_data import actor, survey_round, tie

pytestmark = pytest.mark.django_db
COLUMNS = (
    "acteur_1, acteur_2, type, frequence, qualite, "
    "ouverture, fiabilite, mission_partagee, influence, implication, ressources"
)
HEADER = COLUMNS.replace(", ", ",")
SELF_TIE = "Un acteur ne peut pas être lié à lui-même : choisissez un autre acteur."


@pytest.fixture
def world():
    world = build_world()
    for name, code in [
        ("Mairie", "elu"),
        ("Services techniques", "agent"),
        ("DDT", "etat_territorial"),
        ("Coopérative Le Champ", "socio_economique"),
    ]:
        actor(world.territory, name, code)
    actor(world.elsewhere, "Mairie de Grande-Synthe", "elu")
    world.round = survey_round(world)
    return world


def upload(text: str, *, encoding="utf-8", name="liens.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def problems(world, content) -> list[str]:
    with pytest.raises(CsvFileError) as raised:
        ties_import(actor=world.people["editor"], survey_round=world.round, upload=content)
    return readable(raised.value.problems)


def readable(found) -> list[str]:
    """The problems as a person reads them (non-breaking spaces as spaces)."""
    return [str(problem).replace("\xa0", " ") for problem in found]


def test_the_template_is_utf8_with_a_bom_and_the_french_columns():
    assert ties_template() == ("\ufeff" + HEADER.replace(",", ";") + "\r\n").encode("utf-8")


def test_a_good_file_adds_every_tie_and_the_metrics_follow(world, django_capture_on_commit_callbacks):
    content = upload(
        HEADER + "\n"
        "Mairie,DDT,information,monthly,3,4,3,4,2,3,2\n"
        "Services techniques,Mairie,Projet commun,Hebdomadaire,4,,,,,,\n"
        "DDT,Coopérative Le Champ,Joint decision,a few times a year,2,1,1,1,1,1,1\n"
    )
    with django_capture_on_commit_callbacks(execute=True):
        result = ties_import(actor=world.people["editor"], survey_round=world.round, upload=content)
    assert result.created == 3
    rows = Tie.objects.order_by("id").values_list(
        "source__name", "target__name", "tie_type", "frequency", "quality", "openness", "resources"
    )
    assert list(rows) == [
        ("Mairie", "DDT", "information", "monthly", 3, 4, 2),
        ("Services techniques", "Mairie", "joint_project", "weekly", 4, None, None),
        ("DDT", "Coopérative Le Champ", "decision", "yearly", 2, 1, 1),
    ]
    audit = AuditEntry.objects.get(action="tie.import")
    assert audit.object_id == str(world.round.pk)
    assert [tie["quality"] for tie in audit.changes["ties"][1]] == [3, 4, 2]
    metrics = RoundMetrics.objects.get(round=world.round)
    # 3 linked pairs of 4 × 3 / 2 = 6.
    assert (metrics.status, metrics.tie_count, metrics.density) == ("ready", 3, 0.5)


def test_a_windows_file_with_semicolons_and_accented_headers(world):
    text = (
        "Acteur 1;Acteur 2;Type;Fréquence;Qualité;Mission partagée\r\n"
        "Coopérative Le Champ;Mairie;Partage de ressources;Mensuelle;4;3\r\n"
    )
    ties_import(
        actor=world.people["editor"], survey_round=world.round, upload=upload(text, encoding="cp1252")
    )
    assert list(Tie.objects.values_list("source__name", "tie_type", "shared_mission")) == [
        ("Coopérative Le Champ", "resources", 3)
    ]


def test_every_bad_row_is_reported_and_nothing_is_written(world):
    tie(world, world.round, world.territory.actors.get(name="Mairie"), world.territory.actors.get(name="DDT"))
    content = upload(
        HEADER + "\n"
        "Mairie,Mairie,information,monthly,3,,,,,,\n"  # line 2: to itself
        "Mairie,Mairie de Grande-Synthe,information,monthly,3,,,,,,\n"  # 3: another territory
        "Mairie,Services techniques,amitié,monthly,5,0,,,,,x\n"  # 4: type, quality, scores
        '"Services\ntechniques",Mairie,information,monthly,3,,,,,,\n'  # 5-6: a name over two lines
        "Services techniques,DDT,information,monthly,3,,,,,,\n"  # 7: right
        "DDT,Services techniques,information,daily,2,,,,,,\n"  # 8: the same as line 7
        "DDT,Mairie,information,weekly,4,,,,,,\n"  # 9: already in the round (Mairie – DDT)
        ",DDT,decision,,,,,,,,\n"  # 10: no first actor, no frequency, no quality
    )
    assert problems(world, content) == [
        f"Ligne 2, colonne « acteur_2 » : {SELF_TIE}",
        "Ligne 3, colonne « acteur_2 » : Aucun acteur de Ungersheim ne s’appelle "
        "« Mairie de Grande-Synthe ».",
        "Ligne 4, colonne « type » : « amitié » ne fait pas partie des valeurs acceptées : decision, "
        "information, joint_project, resources (ou leurs libellés).",
        "Ligne 4, colonne « qualite » : Saisissez un nombre entier de 1 à 4 (« 5 » indiqué).",
        "Ligne 4, colonne « ouverture » : Saisissez un nombre entier de 1 à 4 (« 0 » indiqué).",
        "Ligne 4, colonne « ressources » : Saisissez un nombre entier de 1 à 4 (« x » indiqué).",
        "Ligne 5, colonne « acteur_1 » : Aucun acteur de Ungersheim ne s’appelle « Services\ntechniques ».",
        "Ligne 8, colonne « type » : Le même lien figure déjà à la ligne 7.",
        "Ligne 9, colonne « type » : Ces deux acteurs ont déjà un lien de ce type dans cette enquête.",
        "Ligne 10, colonne « acteur_1 » : Indiquez un acteur.",
        "Ligne 10, colonne « frequence » : Cette valeur est obligatoire.",
        "Ligne 10, colonne « qualite » : Cette valeur est obligatoire.",
    ]
    assert Tie.objects.count() == 1
    assert not AuditEntry.objects.filter(action="tie.import").exists()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            upload("acteur_1,type,frequence,qualite,commentaire\nMairie,information,monthly,3,x\n"),
            [
                f"Ligne 1 : Colonnes inconnues : commentaire. Les colonnes sont : {COLUMNS}.",
                "Ligne 1 : Colonnes manquantes : acteur_2.",
            ],
        ),
        (
            upload("acteur_1,acteur_2,acteur_2,type,frequence,qualite\n"),
            ["Ligne 1 : Colonnes nommées plusieurs fois : acteur_2."],
        ),
        (upload(HEADER + "\n"), ["Le fichier ne contient aucun lien à importer."]),
        (upload(""), ["Le fichier est vide : sa première ligne doit nommer les colonnes."]),
        (
            upload(HEADER + "\nMairie,DDT,information,monthly,3,,,,,,,,\n"),
            ["Ligne 2 : Cette ligne a 13 valeurs pour 11 colonnes."],
        ),
        (
            upload(HEADER, encoding="utf-16"),
            [
                "Le fichier n’est pas un texte en UTF-8 ou Windows-1252 (c’est peut-être un classeur ou de "
                "l’UTF-16) : enregistrez-le au format « CSV UTF-8 » et envoyez-le de nouveau."
            ],
        ),
        (upload(HEADER, name="liens.xlsx"), ["Envoyez un fichier CSV (dont le nom se termine par .csv)."]),
    ],
    ids=["columns", "repeated", "no row", "empty", "too many values", "utf-16", "extension"],
)
def test_a_file_that_is_not_the_expected_table_is_refused_whole(world, content, expected):
    assert problems(world, content) == expected
    assert Tie.objects.count() == 0


def test_a_file_too_big_is_refused_before_it_is_read(world):
    with pytest.raises(CsvFileError) as raised:
        read_csv(upload(HEADER + "\n" + "x" * 3000), columns=["acteur_1"], max_bytes=2000)
    assert readable(raised.value.problems) == ["Le fichier est trop gros : 2,0 Kio au plus."]


def test_a_viewer_cannot_import(world):
    with pytest.raises(PermissionDenied):
        ties_import(
            actor=world.people["viewer"],
            survey_round=world.round,
            upload=upload(HEADER + "\nMairie,DDT,information,monthly,3\n"),
        )
    assert Tie.objects.count() == 0


def test_the_round_page_imports_and_lists_the_problems(client, world):
    client_as(client, world, "editor")
    url = f"/territoires/ungersheim/cooperation/enquetes/{world.round.pk}/liens/import/"
    bad = upload(HEADER + "\nMairie,Inconnu,information,monthly,3,,,,,,\n")
    body = page_text(client.post(url, {"file": bad}))
    assert (
        "Rien n’a été importé. Corrigez ces lignes et envoyez de nouveau le fichier : "
        "Ligne 2, colonne « acteur_2 » : Aucun acteur de Ungersheim ne s’appelle « Inconnu »." in body
    )
    good = upload(HEADER + "\nMairie,DDT,information,monthly,3,,,,,,\n")
    response = client.post(url, {"file": good}, follow=True)
    assert response.redirect_chain == [
        (f"/territoires/ungersheim/cooperation/enquetes/{world.round.pk}/", 302)
    ]
    assert "1 lien a été importé. Les mesures sont en cours de recalcul." in page_text(response)
    assert Tie.objects.count() == 1


def test_the_template_downloads(client, world):
    response = client.get("/territoires/ungersheim/cooperation/modele-liens.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="modele-liens-cooperation.csv"'
    assert response.content.decode("utf-8-sig").splitlines() == [HEADER.replace(",", ";")]


def test_asked_to_skip_bad_rows_it_writes_the_good_ones_and_lists_the_others(world):
    content = upload(
        HEADER + "\n"
        "Mairie,DDT,information,monthly,3,,,,,,\n"  # line 2: right
        "Mairie,Mairie,information,monthly,3,,,,,,\n"  # 3: to itself
        "DDT,Coopérative Le Champ,resources,weekly,4,,,,,,\n"  # 4: right
        "DDT,Mairie,information,weekly,4,,,,,,\n"  # 5: the same as line 2
    )
    result = ties_import(
        actor=world.people["editor"], survey_round=world.round, upload=content, skip_bad_rows=True
    )
    assert result.created == 2
    assert readable(result.skipped) == [
        f"Ligne 3, colonne « acteur_2 » : {SELF_TIE}",
        "Ligne 5, colonne « type » : Le même lien figure déjà à la ligne 2.",
    ]
    written = Tie.objects.order_by("pk").values_list("source__name", "target__name", "tie_type")
    assert list(written) == [("Mairie", "DDT", "information"), ("DDT", "Coopérative Le Champ", "resources")]
    assert AuditEntry.objects.filter(action="tie.import").count() == 1


def test_the_round_page_skips_bad_rows_only_when_asked(client, world):
    client_as(client, world, "editor")
    url = f"/territoires/ungersheim/cooperation/enquetes/{world.round.pk}/liens/import/"
    content = (
        HEADER + "\nMairie,DDT,information,monthly,3,,,,,,\nMairie,Inconnu,information,monthly,3,,,,,,\n"
    )
    assert "Rien n’a été importé." in page_text(client.post(url, {"file": upload(content)}))
    assert Tie.objects.count() == 0
    response = client.post(url, {"file": upload(content), "skip_bad_rows": "on"}, follow=True)
    text = page_text(response)
    assert "1 lien a été importé. Les mesures sont en cours de recalcul." in text
    assert "Ligne laissée de côté : Ligne 3, colonne « acteur_2 » : Aucun acteur de Ungersheim" in text
    assert Tie.objects.count() == 1
