from collections.abc import Callable

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.translation import gettext as _


class UserLanguageMiddleware:
    """The user's time zone for dates and times, and their language: Spanish by default,
    English on request: the signed-in user's chosen language, else
    the one picked with the language switcher (cookie), else the installation's default.
    The browser's Accept-Language is deliberately not followed: many of our users' work
    computers are set up in English while they read Spanish."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.available = {code for code, _ in settings.LANGUAGES}

    def language_for(self, request: HttpRequest) -> str:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.language in self.available:
            return str(user.language)
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        return chosen if chosen in self.available else settings.LANGUAGE_CODE

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = self.language_for(request)
        request.LANGUAGE_CODE = language
        # override, not activate: the thread goes back to its previous language afterwards.
        user = getattr(request, "user", None)
        zone = user.time_zone if user is not None and user.is_authenticated else None
        if zone:
            timezone.activate(zone)
        try:
            with translation.override(language):
                response = self.get_response(request)
        finally:
            timezone.deactivate()
        response.headers.setdefault("Content-Language", language)
        return response


class SessionRefreshMiddleware:
    """Keeps a signed-in session alive without writing it on every request.

    The idle timeout slides with activity, but saving the session on each page view made
    every GET a database (or cache) write. The expiry is renewed at most once per
    `ATIENDE_SESSION_REFRESH_SECONDS`: a session then ends between the idle time minus
    that interval and the idle time after the last request, never later."""

    KEY = "_refreshed_at"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.interval = settings.ATIENDE_SESSION_REFRESH_SECONDS

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.modified or session.session_key is None or session.is_empty():
            return response
        now = int(timezone.now().timestamp())
        refreshed = session.get(self.KEY)
        if not isinstance(refreshed, int) or not 0 <= now - refreshed < self.interval:
            session[self.KEY] = now
        return response


class AgentTwoStepMiddleware:
    """With ATIENDE_AGENTS_REQUIRE_2FA, an engineer who has not set up an authenticator
    app yet is sent to set it up before any page: their account opens every client's
    tickets, so a password alone is not enough. Sign-in, sign-out and the set-up pages
    themselves (all under /accounts/) stay open, as do the API (tokens) and static files."""

    OPEN_PREFIXES = ("/accounts/", "/i18n/", "/static/", "/health", "/api/", "/favicon")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.ATIENDE_AGENTS_REQUIRE_2FA and self._must_set_up(request):
            messages.warning(
                request, _("Set up two-step sign-in with an authenticator app before using the desk.")
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    def _must_set_up(self, request: HttpRequest) -> bool:
        if request.path.startswith(self.OPEN_PREFIXES):
            return False
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not user.is_active:
            return False
        if getattr(user, "agent_or_none", None) is None:
            return False
        return not is_mfa_enabled(user, [Authenticator.Type.TOTP])
