"""Amounts in euros: exact decimals, never negative, at most two decimals."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _

MAX_AMOUNT = Decimal("999999999999.99")


def money(value, field: str) -> Decimal:
    """`value` as euros, or a ValidationError naming `field`."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise ValidationError({field: _("Enter an amount in euros, such as 12500.50.")}) from None
    if not amount.is_finite():
        raise ValidationError({field: _("Enter an amount in euros, such as 12500.50.")})
    if amount < 0:
        raise ValidationError({field: _("An amount cannot be negative.")})
    if amount.as_tuple().exponent < -2 and amount != amount.quantize(Decimal("0.01")):
        raise ValidationError({field: _("An amount has at most two decimals (cents).")})
    if amount > MAX_AMOUNT:
        raise ValidationError({field: _("This amount is too large.")})
    return amount.quantize(Decimal("0.01"))


def euros(amount: Decimal) -> str:
    """The amount in the active language's format, with its currency: « 12 500,50 € »."""
    return f"{number_format(amount, 2, force_grouping=True)}\u00a0€"


def percent_text(value: Decimal) -> str:
    """66,67 or 110 — two decimals only when there are hundredths, in the reader's language."""
    return number_format(value, decimal_pos=2 if value % 1 else 0)
