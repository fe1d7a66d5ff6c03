from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .models import TokenScope, User
from .services import account_password_reset
from .signin import password_confirm, sign_in_authenticate


class SignInForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"), widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"})
    )

    error_messages = {
        "invalid_login": _("This e-mail address and password do not match an active account."),
        "inactive": _("This account is inactive."),
    }

    def clean(self):
        email = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if email and password:
            self.user_cache = sign_in_authenticate(request=self.request, email=email, password=password)
            if self.user_cache is None:
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class ResetRequestForm(PasswordResetForm):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        """In the language the person chose, whatever the language of the page."""
        with translation.override(context["user"].language):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class NewPasswordForm(SetPasswordForm):
    def save(self, commit: bool = True) -> User:
        return account_password_reset(user=self.user, password=self.cleaned_data["new_password1"])


def language_choices() -> list[tuple[str, str]]:
    """Each language in its own name: a person finds theirs whatever the page's language."""
    codes = [code for code, _name in settings.LANGUAGES]
    return [(code, translation.get_language_info(code)["name_local"].capitalize()) for code in codes]


class ProfileForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=language_choices,
        help_text=_("The pages open in this language when you sign in, and we write to you in it."),
    )


class TokenCreateForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"),
        max_length=100,
        help_text=_("What the token is for, for instance “Export to our spreadsheet”."),
    )
    scope = forms.ChoiceField(
        label=_("Access"), choices=TokenScope.choices, initial=TokenScope.READ, widget=forms.RadioSelect
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "token_%s")
        super().__init__(*args, **kwargs)


class AccountDeleteForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("To confirm that it is you."),
    )

    def __init__(self, *args, user: User, request, **kwargs):
        self.user, self.request = user, request
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not password_confirm(request=self.request, user=self.user, password=password):
            raise ValidationError(_("This password is not correct."), code="password_incorrect")
        return password


def add_service_error(form: forms.Form, error: ValidationError) -> None:
    """Show a service's refusal on the form: on its field when the form has it, else above the form."""
    if hasattr(error, "error_dict") and set(error.error_dict) <= {*form.fields, NON_FIELD_ERRORS}:
        form.add_error(None, error)
    else:
        form.add_error(None, error.messages)
