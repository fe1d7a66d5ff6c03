"""Signals sent by cooperation, for the apps above it (a lower layer never imports a higher one)."""

from django.dispatch import Signal

# Sent by `actor_gdpr.actor_erase` inside its transaction, before the person's name is replaced by
# a pseudonym, with sender=Actor and record=<the actor, name still in place>: receivers hide the name
# wherever their records quote it, while it can still be recognised.
actor_erasing = Signal()
