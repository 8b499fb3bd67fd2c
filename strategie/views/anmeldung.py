"""Sign-in and sign-out, password reset by e-mail and accepting an invitation: one-time links, German pages."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from strategie.anmeldeschutz import client_ip
from strategie.fehler import GERETTET
from strategie.forms import AnmeldeForm, PasswortSetzenForm, PasswortVergessenForm
from strategie.services.einladungen import accept_einladung, einladungstoken
from strategie.services.rolleneinladungen import accept_rolleneinladung, get_offene_rolleneinladung
from strategie.services.sicherheit import record_passwort_anfrage


class PasswortVergessenView(auth_views.PasswordResetView):
    template_name = "konto/passwort_vergessen.html"
    form_class = PasswortVergessenForm
    email_template_name = "konto/email_passwort.txt"
    html_email_template_name = "konto/email_passwort.html"
    subject_template_name = "konto/email_passwort_betreff.txt"
    success_url = reverse_lazy("strategie:passwort_gesendet")
    extra_email_context = {"portal": settings.PORTAL_NAME}

    def form_valid(self, form):
        """Throttled per e-mail address and per client; a throttled request gets the same answer, without e-mail."""
        if record_passwort_anfrage(email=form.cleaned_data["email"], ip_adresse=client_ip(self.request)):
            return super().form_valid(form)
        return redirect(self.get_success_url())


class PasswortGesendetView(auth_views.PasswordResetDoneView):
    template_name = "konto/passwort_gesendet.html"
    extra_context = {"gueltig_stunden": settings.PASSWORD_RESET_TIMEOUT // 3600}


class PasswortNeuView(auth_views.PasswordResetConfirmView):
    template_name = "konto/passwort_neu.html"
    form_class = PasswortSetzenForm
    success_url = reverse_lazy("strategie:passwort_fertig")


class PasswortFertigView(auth_views.PasswordResetCompleteView):
    template_name = "konto/passwort_fertig.html"


def _user_aus_link(uidb64: str):
    try:
        return get_user_model().objects.get(pk=force_str(urlsafe_base64_decode(uidb64)), is_active=True)
    except (ValueError, TypeError, OverflowError, get_user_model().DoesNotExist):
        return None


@never_cache
@require_http_methods(["GET", "POST"])
def einladung_annehmen(request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
    """The invited person sets the first password; the link works once and expires."""
    user = _user_aus_link(uidb64)
    gueltig = user is not None and einladungstoken.check_token(user, token)
    form = PasswortSetzenForm(user, request.POST or None) if gueltig else None
    if gueltig and form.is_valid():
        accept_einladung(user=user, passwort=form.cleaned_data["new_password1"])
        login(request, user, backend="strategie.backends.AnmeldeBackend")
        messages.success(
            request,
            f"Willkommen, {user.get_full_name() or user.username}! Ihr Passwort ist gesetzt und Sie sind angemeldet. "
            f"Künftig melden Sie sich mit Ihrem Benutzernamen „{user.username}“ oder Ihrer E-Mail-Adresse an.",
        )
        return redirect("portal:startseite")
    return render(
        request,
        "konto/passwort_neu.html",
        {"validlink": gueltig, "form": form, "einladung": True},
        status=200 if gueltig else 400,
    )


class AnmeldenView(auth_views.LoginView):
    template_name = "strategie/anmelden.html"
    authentication_form = AnmeldeForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["demo_zugaenge_zeigen"] = settings.DEMO_ZUGAENGE_ZEIGEN
        context["sitzung_abgelaufen"] = self.request.GET.get("sitzung") == "abgelaufen"
        context["eingabe_gerettet"] = bool(self.request.session.get(GERETTET))
        return context


class AbmeldenView(auth_views.LogoutView):
    template_name = "strategie/abgemeldet.html"


@login_required
@require_http_methods(["GET", "POST"])
def rolleneinladung_annehmen(request: HttpRequest, pk: int) -> HttpResponse:
    """An existing account accepts a role in a further strategy: signed in, one click. Someone else's, an expired
    or an accepted invitation is a 404."""
    einladung = get_offene_rolleneinladung(user=request.user, pk=pk)
    if einladung is None:
        raise Http404
    if request.method == "POST":
        try:
            accept_rolleneinladung(actor=request.user, pk=pk)
        except ValidationError as fehler:
            return render(
                request, "konto/rolleneinladung.html", {"einladung": einladung, "fehler": fehler.messages[0]}
            )
        messages.success(
            request,
            f"Sie gehören jetzt als {einladung.get_rolle_display()} zur Strategie „{einladung.strategie.kurztitel}“.",
        )
        return redirect(einladung.strategie.get_absolute_url())
    return render(request, "konto/rolleneinladung.html", {"einladung": einladung})
