"""Tell the parties of a controversy by e-mail when it changes stage.

`controversy_move` enqueues `notify_parties` once its transaction commits, so a move that fails
sends nothing and the mail never delays the page. Each party is written to separately (no party
learns another's address): an actor at its e-mail in the map (not once erased), a group of
inhabitants at its contact address. A party with no address is skipped.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.utils import translation
from django.utils.translation import gettext as _

from .models import ControversyStage, Party, StageTransition

logger = logging.getLogger(__name__)


def party_address(party: Party) -> str:
    if party.actor_id is not None:
        return "" if party.actor.erased_at else party.actor.email
    return party.contact_email


@task
def notify_parties(transition_id: int, link: str) -> int:
    """Send the stage change to every party with an address; returns how many were written to."""
    step = StageTransition.objects.select_related("controversy__territory").filter(pk=transition_id).first()
    if step is None:
        return 0  # the controversy was deleted since
    controversy = step.controversy
    addresses = sorted({party_address(party) for party in controversy.parties.select_related("actor")} - {""})
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("« %(subject)s »: now %(stage)s") % {
            "subject": controversy.subject,
            "stage": ControversyStage(step.to_stage).label.lower(),
        }
        message = _(
            "The controversy « %(subject)s » (%(territory)s), in which you are a party, went from "
            "« %(before)s » to « %(after)s ».\n\nWhy: %(reason)s\n\nFollow it: %(link)s\n"
        ) % {
            "subject": controversy.subject,
            "territory": controversy.territory.name,
            "before": ControversyStage(step.from_stage).label,
            "after": ControversyStage(step.to_stage).label,
            "reason": step.reason,
            "link": settings.SITE_URL + link,
        }
    for address in addresses:
        send_mail(subject=subject, message=message, from_email=None, recipient_list=[address])
    logger.info(
        "Controversy %s: %s parties told of the move to %s", controversy.pk, len(addresses), step.to_stage
    )
    return len(addresses)
