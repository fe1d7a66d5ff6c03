from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy, translate_url
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from .forms import (
    AccountDeleteForm,
    NewPasswordForm,
    ProfileForm,
    ResetRequestForm,
    SignInForm,
    TokenCreateForm,
    add_service_error,
)
from .selectors import access_api_token, api_tokens_of
from .services import account_delete, account_update, api_token_create, api_token_revoke


def in_language(url: str, language: str) -> str:
    """A path of this site, in whichever language it is written, in `language` (French at /,
    English under /en/); a path that is not one of the site's pages is returned as it is."""
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translated = translate_url(url, language)
        if translated != url:
            return translated
    return url


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm

    def get_success_url(self) -> str:
        """The page asked for (or the home page), in the person's own language."""
        return in_language(super().get_success_url(), self.request.user.language)


class ResetRequestView(auth_views.PasswordResetView):
    form_class = ResetRequestForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class ResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    form_class = NewPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class ResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


def _profile_page(request, *, profile_form=None, token_form=None, new_token=None):
    user = request.user
    context = {
        "profile_form": profile_form
        or ProfileForm(initial={"full_name": user.full_name, "language": user.language}),
        "token_form": token_form or TokenCreateForm(),
        "tokens": api_tokens_of(user),
        "new_token": new_token,
    }
    return render(request, "accounts/profile.html", context)


@login_required
def profile(request):
    if request.method != "POST":
        return _profile_page(request)
    form = ProfileForm(request.POST)
    if form.is_valid():
        try:
            user = account_update(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            with translation.override(user.language):
                messages.success(request, _("Your profile was saved."))
            return redirect(in_language(request.path, user.language))
    return _profile_page(request, profile_form=form)


@never_cache
@login_required
def token_create(request):
    """The new token's text is in this response only: it is neither stored nor shown again."""
    if request.method != "POST":
        return redirect("accounts:profile")
    form = TokenCreateForm(request.POST)
    if form.is_valid():
        try:
            token, raw = api_token_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            return _profile_page(request, new_token={"token": token, "text": raw})
    return _profile_page(request, token_form=form)


@require_POST
@login_required
def token_revoke(request, token_id: int):
    token = api_token_revoke(user=request.user, token=access_api_token(request.user, token_id))
    messages.success(
        request, _("The token “%(name)s” was revoked: it no longer opens the API.") % {"name": token.name}
    )
    return redirect("accounts:profile")


@sensitive_post_parameters("password")
@login_required
def delete(request):
    form = AccountDeleteForm(request.POST or None, user=request.user, request=request)
    if request.method == "POST" and form.is_valid():
        language = request.user.language
        try:
            account_delete(user=request.user, password=form.cleaned_data["password"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            logout(request)
            with translation.override(language):
                messages.success(request, _("Your account was deleted. Thank you for having taken part."))
                return redirect("site:home")
    return render(request, "accounts/account_delete.html", {"form": form})
