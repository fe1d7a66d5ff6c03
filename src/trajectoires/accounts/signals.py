"""Signals sent by accounts, for the apps above it (a lower layer never imports a higher one)."""

from django.dispatch import Signal

# Sent by `services.account_delete` inside its transaction, before anything is deleted, with
# sender=User and user=<the account>. A receiver refuses the deletion by raising
# django.core.exceptions.ValidationError: its message is shown to the person and nothing is deleted.
account_deleting = Signal()
