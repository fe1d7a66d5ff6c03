import datetime

from django.urls import reverse

from trajectoires.cooperation.rounds import survey_round_create

from . import RecordCase

CASES = [
    RecordCase(
        name="survey round",
        create=lambda territory, visibility, author: survey_round_create(
            actor=author,
            territory=territory,
            title=f"Enquête de coopération ({visibility})",
            held_on=datetime.date(2025, 3, 1),
            visibility=visibility,
        ),
        read_url=lambda survey_round: reverse(
            "network:round", args=[survey_round.territory.slug, survey_round.pk]
        ),
        write_url=lambda survey_round: reverse(
            "network:round_edit", args=[survey_round.territory.slug, survey_round.pk]
        ),
        api_url=lambda survey_round: (
            f"/api/v1/territories/{survey_round.territory.slug}/rounds/{survey_round.pk}"
        ),
        title=lambda survey_round: survey_round.title,
    ),
]
