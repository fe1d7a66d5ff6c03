import pytest
from django.db import DatabaseError, transaction

from trajectoires.accounts.models import User
from trajectoires.core.audit import audit_record
from trajectoires.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_the_database_refuses_to_change_or_delete_an_audit_entry():
    entry = audit_record(actor=None, action="test.write", object_type="tests.thing", changes={"a": [1, 2]})
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(action="tampered")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()
    entry.refresh_from_db()
    assert (entry.action, entry.changes) == ("test.write", {"a": [1, 2]})


def test_personal_values_never_enter_the_trail():
    person = User.objects.create_user("lea@example.org", "a long password here", full_name="Léa Dupont")
    entry = audit_record(
        actor=person, action="account.update", obj=person, changes={"full_name": ["Léa Dupont", "Léa Martin"]}
    )
    assert entry.changes == {"full_name": ["•••", "•••"]}
    assert entry.object_repr == ""
    assert entry.actor_label == str(person.pk)
    assert "Léa" not in str(AuditEntry.objects.filter(pk=entry.pk).values().get())
