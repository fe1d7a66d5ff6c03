import pytest
from django.core.exceptions import ValidationError

from tests.trust.world import build_world
from trajectoires.accounts.models import User
from trajectoires.accounts.signals import account_deleting

pytestmark = pytest.mark.django_db


def test_the_last_admin_of_a_territory_cannot_erase_their_account():
    world = build_world()
    with pytest.raises(ValidationError) as error:
        account_deleting.send(sender=User, user=world.people["admin"])
    assert error.value.messages == [
        "Vous êtes le seul administrateur de Ungersheim : désignez-y un autre administrateur avant de "
        "supprimer votre compte."
    ]
    account_deleting.send(sender=User, user=world.people["editor"])  # not an admin: nothing refused
