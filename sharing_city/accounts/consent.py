"""Consent to the terms of use and the privacy notice, per version, and asking again.

A member who agreed to an earlier version of a document is asked to agree to the current one
before any other page (ConsentMiddleware). Accounts that never agreed through the site at all
(made by a city admin or the demo loader) are not stopped: there is no earlier consent to
renew, and the desk staff they belong to agreed to their terms of service on paper.

The API is not stopped either: an app reads GET /api/v1/accounts/me/consent/ and records the
member's answer with POST on the same URL; a 403 in the middle of a desk's scan would lose work.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from .models import Consent, PolicyDocument

SESSION_KEY = "policy_consent"  # the versions this session's member is known to have agreed to


def current_versions() -> dict[str, str]:
    return dict(settings.POLICY_VERSIONS)


def documents_to_renew(member: Any) -> list[str]:
    """The documents whose current version the member has not agreed to, though they agreed to
    an earlier one. One query."""
    agreed: dict[str, set[str]] = {}
    for document, version in Consent.objects.filter(member=member).values_list(
        "document", "version"
    ):
        agreed.setdefault(document, set()).add(version)
    return [
        doc
        for doc, version in current_versions().items()
        if doc in agreed and version not in agreed[doc]
    ]


def record_consent(
    *, member: Any, documents: Iterable[str] | None = None, now: dt.datetime | None = None
) -> list[Consent]:
    """Record the member's consent to the current version of each document (all by default).
    Agreeing twice to the same version changes nothing."""
    now = now or timezone.now()
    versions = current_versions()
    documents = list(documents) if documents is not None else list(versions)
    rows = []
    with transaction.atomic():
        for document in documents:
            row, _ = Consent.objects.get_or_create(
                member=member,
                document=PolicyDocument(document),
                version=versions[document],
                defaults={"at": now},
            )
            rows.append(row)
        # The member row's own timestamps: the latest agreement to each document.
        member.terms_accepted_at = now if "terms" in documents else member.terms_accepted_at
        member.privacy_accepted_at = now if "privacy" in documents else member.privacy_accepted_at
        member.save(update_fields=["terms_accepted_at", "privacy_accepted_at"])
    return rows


def remember(request: HttpRequest, member: Any) -> list[str]:
    """Check once and keep the answer in the session, so other pages cost no query."""
    to_renew = documents_to_renew(member)
    request.session[SESSION_KEY] = {"versions": current_versions(), "renew": to_renew}
    return to_renew


def on_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        remember(request, user)


# Paths a member asked to agree may still open: the consent page and the documents, signing
# out, and what pages need to render (static files, translations). The API and the admin
# login have their own ways (see the module docstring).
EXEMPT_PREFIXES = ("/static/", "/media/", "/api/", "/i18n/", "/jsi18n/", "/healthz", "/admin/login")


def _exempt(request: HttpRequest) -> bool:
    path = request.path
    if path.startswith(EXEMPT_PREFIXES):
        return True
    return path in {
        reverse("accounts:consent"),
        reverse("accounts:terms"),
        reverse("accounts:privacy"),
        reverse("accounts:logout"),
    }


class ConsentMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not _exempt(request):
            known = request.session.get(SESSION_KEY)
            if known and known.get("versions") == current_versions():
                to_renew = known.get("renew", [])
            else:  # a new version was published since this session checked
                to_renew = remember(request, user)
            if to_renew:
                query = urlencode({"next": request.get_full_path()})
                return redirect(f"{reverse('accounts:consent')}?{query}")
        return self.get_response(request)


def safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def _export_rows(member: Any) -> list[dict[str, Any]]:
    from .rights import row

    return [row(c, "document", "version", "at") for c in Consent.objects.filter(member=member)]


def register_consent_rights() -> None:
    from django.utils.translation import gettext_lazy as _

    from .rights import register_section

    # Kept when the account closes: they hold nothing personal, and they are the record
    # that the data processed until then was processed with consent.
    register_section(
        "accounts.consents", _("Consents"), _export_rows, covers=["accounts.Consent.member"]
    )
