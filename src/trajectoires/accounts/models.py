from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.full_clean(exclude=["password"])
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an e-mail address."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    is_staff = models.BooleanField(
        _("platform staff"), default=False, help_text=_("Platform staff run the alliance's directory.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email


class Funder(models.Model):
    """A funding organisation (State service, ADEME, Région, foundation…). The funding domain adds
    its programmes and contracts; here it is what funder memberships point to."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=220, unique=True)
    kind = models.ForeignKey(
        "referential.Item",
        verbose_name=_("type"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"grid__code": "funder_type"},
    )
    siren = models.CharField(_("SIREN"), max_length=9, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("funder")
        verbose_name_plural = _("funders")

    def __str__(self) -> str:
        return self.name


class FunderRole(models.TextChoices):
    ADMIN = "admin", _("Funder admin")
    OFFICER = "officer", _("Funder officer")


class FunderMembership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="funder_memberships")
    funder = models.ForeignKey(Funder, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=FunderRole.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "funder"], name="funder_membership_unique")]
        verbose_name = _("funder membership")

    def __str__(self) -> str:
        return f"{self.user_id} {self.role} @ {self.funder_id}"


class AssemblyRole(models.TextChoices):
    SECRETARIAT = "secretariat", _("Assembly secretariat")
    DELEGATE = "delegate", _("Assembly delegate")


class AssemblyMembership(models.Model):
    """A role in the Assemblée des territoires en transition (access rights, not mandates)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="assembly_memberships")
    role = models.CharField(_("role"), max_length=20, choices=AssemblyRole.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="assembly_membership_unique")]
        verbose_name = _("assembly membership")

    def __str__(self) -> str:
        return f"{self.user_id} {self.role}"


class TokenScope(models.TextChoices):
    READ = "read", _("Read")
    READ_WRITE = "read_write", _("Read and write")


class ApiToken(models.Model):
    """A personal API token. Only a digest is stored; the token is shown once, when created."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True, editable=False)
    digest = models.CharField(max_length=64, unique=True, editable=False)
    scope = models.CharField(_("scope"), max_length=12, choices=TokenScope.choices, default=TokenScope.READ)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class SignInOutcome(models.TextChoices):
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    REFUSED = "refused", _("Refused (too many failures)")
    PASSWORD_RESET = "reset", _("Password reset")


# A sign-in or a password reset proves who holds the account: earlier failures stop counting.
CLEARING_OUTCOMES = (SignInOutcome.SUCCEEDED, SignInOutcome.PASSWORD_RESET)


class SignInAttempt(models.Model):
    """One attempt to sign in (or to confirm a password), kept a short while to slow down guessing.

    The e-mail address typed is stored only as a keyed digest (`accounts.signin.email_key`), so the
    table names no one, and an address that has no account is throttled like one that has.
    """

    email_key = models.CharField(_("e-mail key"), max_length=64)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)
    outcome = models.CharField(_("outcome"), max_length=10, choices=SignInOutcome.choices)

    class Meta:
        ordering = ["-at"]
        indexes = [
            models.Index(fields=["email_key", "at"], name="signin_email_at_idx"),
            models.Index(fields=["ip_address", "at"], name="signin_ip_at_idx"),
            models.Index(fields=["at"], name="signin_at_idx"),
        ]
        verbose_name = _("sign-in attempt")
        verbose_name_plural = _("sign-in attempts")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.outcome} {self.ip_address or '-'}"
