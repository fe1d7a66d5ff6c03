"""Importing actors from a CSV file: all rows or none, each problem with its line and column."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.pages import page_text
from tests.trust.world import build_world, client_as
from trajectoires.cooperation.actor_csv import actors_import
from trajectoires.cooperation.models import Actor
from trajectoires.core.csvfile import CsvFileError
from trajectoires.core.models import AuditEntry

from .actor_data import make_actor

pytestmark = pytest.mark.django_db
IMPORT = "/territoires/ungersheim/acteurs/importer/"
HEADER = "nom,type,categorie,organisation,fonction,email,telephone,visibilite\n"


@pytest.fixture
def world():
    return build_world()


def upload(text: str, *, encoding="utf-8", name="acteurs.csv"):
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def post(client, file):
    return client.post(IMPORT, {"file": file})


def test_the_template_is_utf8_with_a_bom_a_header_and_an_example(client, world):
    client_as(client, world, "contributor")
    response = client.get("/territoires/ungersheim/acteurs/modele.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="modele-acteurs.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines == [
        "nom;type;categorie;organisation;fonction;email;telephone;visibilite",
        "Jeanne Exemple;personne;elu;;Adjointe à la transition écologique;jeanne.exemple@example.org;"
        "03 89 00 00 00;prive",
    ]
    client_as(client, world, "viewer")
    assert client.get("/territoires/ungersheim/acteurs/modele.csv").status_code == 404


def test_the_template_imports_as_it_is(world):
    client_template = actors_import(
        actor=world.people["editor"],
        territory=world.territory,
        upload=upload(
            "\ufeffnom,type,categorie,organisation,fonction,email,telephone,visibilite\n"
            "Jeanne Exemple,personne,elu,,Adjointe,jeanne@example.org,03 89 00 00 00,prive\n"
        ),
    )
    assert [actor.name for actor in client_template] == ["Jeanne Exemple"]


def test_a_good_file_creates_every_actor_with_its_organisation(client, world):
    make_actor(world, "Préfecture du Haut-Rhin", kind="organisation", code="etat_territorial")
    client_as(client, world, "editor")
    text = HEADER + (
        "Anne Martin,personne,Élu,Mairie d'Ungersheim,Adjointe,anne@example.org,06 11 22 33 44,public\n"
        "Mairie d'Ungersheim,organisation,agent,,,,,\n"
        "DDT du Haut-Rhin,Organisation,État territorial,préfecture du haut-rhin,,,,partenaires\n"
        "\n"
        '"Ferme ""Les Prés""",organisation,socio_economique,,,,,alliance\n'
    )
    response = post(client, upload(text))
    assert response.status_code == 302
    assert response["Location"] == "/territoires/ungersheim/acteurs/"
    rows = {
        actor.name: (
            actor.kind,
            actor.category.code,
            actor.organisation and actor.organisation.name,
            actor.visibility,
        )
        for actor in Actor.objects.select_related("category", "organisation")
    }
    assert rows == {
        "Anne Martin": ("person", "elu", "Mairie d'Ungersheim", "public"),
        "Mairie d'Ungersheim": ("organisation", "agent", None, "private"),
        "DDT du Haut-Rhin": ("organisation", "etat_territorial", "Préfecture du Haut-Rhin", "partners"),
        'Ferme "Les Prés"': ("organisation", "socio_economique", None, "alliance"),
        "Préfecture du Haut-Rhin": ("organisation", "etat_territorial", None, "private"),
    }
    assert Actor.objects.get(name="Anne Martin").phone == "06 11 22 33 44"
    assert AuditEntry.objects.filter(action="actor.import").count() == 4
    listing = page_text(client.get(response["Location"]))
    assert "4 acteurs ont été importés." in listing


def test_bad_rows_are_each_reported_with_line_and_column_and_nothing_is_written(client, world):
    make_actor(world, "Anne Martin")
    client_as(client, world, "editor")
    text = HEADER + (
        "Anne Martin,personne,elu,,,,,\n"  # line 2: already in the map
        "Paul Durand,robot,elu,,,,,\n"  # line 3
        "Léa Petit,personne,astronaute,,,,,\n"  # line 4
        "Marc Blanc,personne,agent,Inconnue SA,,pas-une-adresse,appelez-moi,secret\n"  # line 5
        ",personne,agent,,,,,\n"  # line 6
        "Zoé Roux,personne,media,,,,,\n"  # line 7: fine
        "Zoé Roux,personne,media,,,,,\n"  # line 8: twice in the file
    )
    response = post(client, upload(text))
    assert response.status_code == 422
    errors = [(e.line, e.column, e.message) for e in response.context["errors"]]
    assert errors == [
        (
            2,
            "nom",
            "« Anne Martin » figure déjà dans la carte des acteurs : il n’est pas importé une seconde fois.",
        ),
        (3, "type", "Écrivez « organisation » ou « personne »."),
        (
            4,
            "categorie",
            "Catégorie inconnue « astronaute » : utilisez l’une de celles-ci : elu, agent, etat_territorial, "
            "socio_economique, chercheur, media, habitant_association.",
        ),
        (
            5,
            "visibilite",
            "Écrivez « prive », « partenaires », « alliance » ou « public » (vide signifie privé).",
        ),
        (5, "email", "Saisissez une adresse de courriel valide."),
        (
            5,
            "telephone",
            "Saisissez un numéro de téléphone : des chiffres, des espaces, des points, des tirets, et + pour "
            "l’étranger.",
        ),
        (5, "organisation", "Aucune organisation « Inconnue SA » dans ce fichier ni dans le territoire."),
        (6, "nom", "Ce champ ne peut pas être vide."),
        (8, "nom", "« Zoé Roux » figure déjà à la ligne 7."),
    ]
    text = page_text(response)
    assert "Le fichier a été refusé : 9 erreurs, rien n’a été importé." in text
    assert "3 type Écrivez « organisation » ou « personne »." in text
    assert list(Actor.objects.values_list("name", flat=True)) == ["Anne Martin"]
    assert not AuditEntry.objects.filter(action="actor.import").exists()


def test_a_windows_file_with_semicolons_and_accents_is_read(world):
    text = (
        "Nom;Type;Catégorie;Organisation;Fonction;Email;Téléphone;Visibilité\r\n"
        "Hélène Lefèvre;personne;élu;;Première adjointe;;;privé\r\n"
        "Chambre d'agriculture;organisation;Acteur socio-économique;;;;;\r\n"
    )
    created = actors_import(
        actor=world.people["editor"], territory=world.territory, upload=upload(text, encoding="cp1252")
    )
    assert [(actor.name, actor.function, actor.category.code) for actor in created] == [
        ("Hélène Lefèvre", "Première adjointe", "elu"),
        ("Chambre d'agriculture", "", "socio_economique"),
    ]


def test_an_organisation_cannot_belong_to_itself_through_others(world):
    text = HEADER + "A,organisation,agent,B,,,,\nB,organisation,agent,A,,,,\nC,organisation,agent,C,,,,\n"
    with pytest.raises(CsvFileError) as refused:
        actors_import(actor=world.people["editor"], territory=world.territory, upload=upload(text))
    assert [(p.line, p.column) for p in refused.value.problems] == [
        (2, "organisation"),
        (3, "organisation"),
        (4, "organisation"),
    ]
    assert not Actor.objects.exists()


@pytest.mark.parametrize(
    ("content", "name", "line", "words"),
    [
        (b"", "acteurs.csv", None, ["Le fichier soumis est vide."]),
        (b"nom,genre,categorie\nA,personne,elu\n", "acteurs.csv", 1, ["genre", "type"]),
        (b"nom,categorie\nA,elu\n", "acteurs.csv", 1, ["type"]),
        (HEADER.encode(), "acteurs.csv", 1, ["Le fichier n’a aucun acteur sous sa ligne d’en-tête."]),
        (b"PK\x03\x04\x00\x00binary", "acteurs.csv", None, ["UTF-8"]),
        (b"nom,type,categorie\nA,personne,elu\n", "acteurs.xlsx", None, [".csv"]),
        (b"nom,type,categorie\n" + b"A,personne,elu\n" * 150_000, "acteurs.csv", None, ["2"]),
    ],
    ids=["empty", "unknown column", "missing column", "no row", "binary", "extension", "too big"],
)
def test_a_file_that_is_not_the_expected_table_is_refused_with_the_reason(
    client, world, content, name, line, words
):
    client_as(client, world, "editor")
    response = post(client, SimpleUploadedFile(name, content, content_type="text/csv"))
    assert response.status_code == 422
    text = page_text(response)
    problems = response.context["errors"]
    if problems:
        assert "rien n’a été importé" in text
        assert {problem.line for problem in problems} == {line}
        assert all(" ".join(problem.message.split()) in text for problem in problems)
    messages = " ".join(problem.message for problem in problems) or text
    assert all(word in messages for word in words)
    assert not Actor.objects.exists()


def test_contributors_may_import_viewers_may_not(client, world):
    client_as(client, world, "contributor")
    assert (
        post(client, upload(HEADER + "Atelier vélo,organisation,habitant_association,,,,,\n")).status_code
        == 302
    )
    assert Actor.objects.get().name == "Atelier vélo"
    client_as(client, world, "viewer")
    assert client.get(IMPORT).status_code == 404
    assert post(client, upload(HEADER + "Autre,organisation,media,,,,,\n")).status_code == 404
    client.logout()
    assert client.get(IMPORT).status_code == 302


def test_the_import_page_says_duplicates_are_never_overwritten(client, world):
    client_as(client, world, "editor")
    text = page_text(client.get(IMPORT))
    assert "Rien n’est enregistré tant que toutes les lignes ne sont pas valides." in text
    assert (
        "Un acteur déjà dans la carte (même type, même nom) est signalé comme doublon et jamais écrasé"
        in text
    )


def test_five_thousand_rows_import_in_seconds(world):
    rows = "".join(
        f"Personne {n},personne,habitant_association,Collectif {n % 50},,p{n}@example.org,,\n"
        for n in range(4950)
    )
    organisations = "".join(f"Collectif {n},organisation,habitant_association,,,,,\n" for n in range(50))
    started = time.perf_counter()
    created = actors_import(
        actor=world.people["editor"], territory=world.territory, upload=upload(HEADER + organisations + rows)
    )
    elapsed = time.perf_counter() - started
    assert len(created) == 5000
    assert Actor.objects.filter(organisation__name="Collectif 7").count() == 99
    assert AuditEntry.objects.filter(action="actor.import").count() == 5000
    print(f"5,000 actors imported in {elapsed:.1f} s")
