"""Signing in, throttled.

Failed attempts are counted in the database (so every worker sees them) per e-mail address typed and
per client address. Past `MAX_FAILURES_PER_EMAIL` failures for an e-mail address, or
`MAX_FAILURES_PER_ADDRESS` from one client address, within `WINDOW`, signing in is refused — even
with the right password — until enough failures have left the window; the refusal is recorded too,
but does not count as a failure, so the time announced to the person holds. A successful sign-in or a
password reset proves who holds the account: the failures before it stop counting for that e-mail.

An e-mail address without an account is counted and answered exactly like one with an account.
Attempts are their own log (no audit entry: the trail records changes to records, and a flood of
guesses must not drown it); they are kept `RETENTION` long.
"""

import datetime
import ipaddress
import math

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import formats, timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import ngettext

from .models import CLEARING_OUTCOMES, SignInAttempt, SignInOutcome, User

WINDOW = datetime.timedelta(minutes=15)
MAX_FAILURES_PER_EMAIL = 5
MAX_FAILURES_PER_ADDRESS = 20
RETENTION = datetime.timedelta(days=30)


def email_key(email: str) -> str:
    """A keyed digest of an e-mail address: the same address always gives the same key."""
    return salted_hmac("trajectoires.accounts.sign-in", email.strip().lower(), algorithm="sha256").hexdigest()


def client_address(request) -> str | None:
    """The client's IP address (an IPv6 client counts as its /64 network, which one host usually holds).

    Behind reverse proxies, set `TRUSTED_PROXY_COUNT` to their number: the address is then the one the
    outermost of them wrote in X-Forwarded-For. Without it the header is ignored, since anyone can send it.
    """
    if request is None:
        return None
    address = request.META.get("REMOTE_ADDR", "")
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies:
        forwarded = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [hop for hop in forwarded if hop]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False).network_address)
    return str(ip)


def sign_in_retry_at(*, email: str, address: str | None) -> datetime.datetime | None:
    """When signing in with this e-mail from this address will be allowed again; None if it is now."""
    now = timezone.now()
    key = email_key(email)
    since = now - WINDOW
    cleared = (
        SignInAttempt.objects.filter(email_key=key, outcome__in=CLEARING_OUTCOMES, at__gt=since)
        .order_by("-at")
        .values_list("at", flat=True)
        .first()
    )
    failures = SignInAttempt.objects.filter(outcome=SignInOutcome.FAILED)
    times = [_free_at(failures.filter(email_key=key, at__gt=cleared or since), MAX_FAILURES_PER_EMAIL)]
    if address is not None:
        times.append(_free_at(failures.filter(ip_address=address, at__gt=since), MAX_FAILURES_PER_ADDRESS))
    return max((time for time in times if time is not None), default=None)


def _free_at(failures: QuerySet, limit: int) -> datetime.datetime | None:
    """When fewer than `limit` of these failures remain inside the window, if that is still to come."""
    nth_latest = failures.order_by("-at").values_list("at", flat=True)[limit - 1 : limit]
    return nth_latest[0] + WINDOW if nth_latest else None


def sign_in_attempt_record(*, email: str, address: str | None, outcome: str) -> SignInAttempt:
    now = timezone.now()
    attempt = SignInAttempt(email_key=email_key(email), ip_address=address, at=now, outcome=outcome)
    attempt.full_clean()
    with transaction.atomic():
        SignInAttempt.objects.filter(at__lt=now - RETENTION).delete()
        attempt.save()
    return attempt


def sign_in_authenticate(*, request, email: str, password: str) -> User | None:
    """The active account with these credentials, or None. Raises ValidationError while throttled."""
    address = client_address(request)
    _refuse_while_throttled(email=email, address=address)
    user = authenticate(request, username=email.strip().lower(), password=password)
    outcome = SignInOutcome.FAILED if user is None else SignInOutcome.SUCCEEDED
    sign_in_attempt_record(email=email, address=address, outcome=outcome)
    return user


def password_confirm(*, request, user: User, password: str) -> bool:
    """Whether `password` is the signed-in person's own, throttled and recorded like a sign-in (a page
    that checks a password must not let a borrowed session guess it)."""
    address = client_address(request)
    _refuse_while_throttled(email=user.email, address=address)
    matches = user.check_password(password)
    outcome = SignInOutcome.SUCCEEDED if matches else SignInOutcome.FAILED
    sign_in_attempt_record(email=user.email, address=address, outcome=outcome)
    return matches


def _refuse_while_throttled(*, email: str, address: str | None) -> None:
    retry_at = sign_in_retry_at(email=email, address=address)
    if retry_at is None:
        return
    sign_in_attempt_record(email=email, address=address, outcome=SignInOutcome.REFUSED)
    raise ValidationError(throttled_message(retry_at), code="throttled")


def throttled_message(retry_at: datetime.datetime) -> str:
    minutes = max(1, math.ceil((retry_at - timezone.now()).total_seconds() / 60))
    time = formats.time_format(timezone.localtime(retry_at), "TIME_FORMAT")
    return ngettext(
        "Too many failed attempts to sign in. For your security, signing in is paused: "
        "try again at %(time)s (in %(minutes)s minute).",
        "Too many failed attempts to sign in. For your security, signing in is paused: "
        "try again at %(time)s (in %(minutes)s minutes).",
        minutes,
    ) % {"time": time, "minutes": minutes}
