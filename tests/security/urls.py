"""Every URL pattern of the project, read from the resolver, and how to fill it in for one
company's objects. Shared by the URL × role matrix and the Content-Security-Policy check."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from tests.security.conftest import Objects, SecurityWorld


@dataclass(frozen=True)
class Pattern:
    key: str  # the URL's name (namespaced), or its route when it has none
    route: str
    model_admin: admin.ModelAdmin[Any] | None


def _walk(patterns: list[URLPattern | URLResolver], prefix: str, namespace: str) -> Iterator[Pattern]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        else:
            route = prefix + str(entry.pattern)
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            yield Pattern(name or route, route, getattr(entry.callback, "model_admin", None))


def all_patterns() -> list[Pattern]:
    """Every pattern, in resolver order; a name used twice keeps the first (the one that
    answers: the second is shadowed)."""
    seen: dict[str, Pattern] = {}
    for pattern in _walk(get_resolver().url_patterns, "/", ""):
        seen.setdefault(pattern.key, pattern)
    return list(seen.values())


# A URL's `pk` means a different object per page.
PK_OBJECT = {
    "attachment": "attachment",
    "desk:saved-view": "saved_view",
    "desk:saved-view-delete": "saved_view",
    "desk:company": "organization",
    "desk:company-edit": "organization",
    "desk:company-add-site": "organization",
    "desk:setup-client-edit": "organization",
    "desk:setup-client-sites": "organization",
    "desk:setup-client-contracts": "organization",
    "desk:setup-client-service-level": "organization",
    "desk:setup-client-contacts": "organization",
    "desk:setup-queue-offer": "queue",
    # Routing rules: the world has none, so any id is nobody's rule (404 for everyone).
    "desk:setup-routing-rule-remove": "requester",
    "desk:contact": "requester",
    "desk:contact-edit": "requester",
    "desk:contact-invite": "requester",
    "desk:contact-active": "requester",
    "admin:mail_inboundemail_raw": "inbound",
    "portal:kb-article": "article",
    "portal:kb-seen": "article",
    "portal:kb-vote": "article",
    "portal:kb-file": "article_file",
    "desk:kb-article-edit": "article",
    "desk:incident": "incident",
    "desk:incident-update": "incident",
    "desk:incident-resolve": "incident",
    "desk:incident-detach": "incident",
    "portal:incident-affects-me": "incident",
    "api:attachment-detail": "attachment",
    "api:attachment-content": "attachment",
    "api:company-detail": "organization",
    "api:company-sites": "organization",
    "api:company-contracts": "organization",
    "api:contact-deactivate": "requester",
    "api:article-detail": "article",
    "billing:contract": "contract",
    # API tokens: the world has none, so any id is someone else's (404 for everyone).
    "desk:token-revoke": "requester",
    "portal:token-revoke": "requester",
}
CONVERTER = re.compile(r"<(?:\w+:)?(\w+)>")
GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")


def takes_objects(pattern: Pattern) -> bool:
    """Whether the URL names an object (so it is checked against each company's)."""
    return bool(CONVERTER.search(pattern.route) or GROUP.search(pattern.route))


def _admin_object_pk(model_admin: admin.ModelAdmin[Any], objects: Objects) -> str:
    """The company's own object where the model has one; else any; else a missing one
    (the configuration site then says it does not exist)."""
    model = model_admin.model
    candidates: list[Model] = [objects.ticket, objects.organization, objects.requester, objects.queue]
    candidates.append(objects.requester.user)
    for candidate in candidates:
        if type(candidate) is model:
            return str(candidate.pk)
    instance = model._default_manager.order_by("pk").first()
    return str(instance.pk) if instance is not None else "0"


def _value(pattern: Pattern, kwarg: str, sw: SecurityWorld, objects: Objects) -> str:
    if kwarg == "pk" and pattern.key == "desk:ticket-canned":
        return str(sw.canned.pk)
    if kwarg == "pk" and pattern.key == "desk:ticket-message-accept":
        return str(objects.attachment.message_id)  # a message of the ticket (not held)
    if kwarg == "pk":
        assert pattern.key in PK_OBJECT, f"{pattern.key}: which object does its pk name? Add it to PK_OBJECT."
        return str(getattr(objects, PK_OBJECT[pattern.key]).pk)
    if pattern.key == "admin:auth_user_password_change":
        return str(objects.requester.user.pk)
    if kwarg in {"object_id", "id"}:
        assert pattern.model_admin is not None, pattern.key
        return _admin_object_pk(pattern.model_admin, objects)
    values: dict[str, str] = {
        "number": str(objects.ticket.number),
        "statement": objects.statement,
        "company": str(objects.organization.pk),
        "kind": "pdf",
        # The monthly review: last month (the world's tickets are this month's, so no review yet).
        "month": f"{(timezone.localdate().replace(day=1) - datetime.timedelta(days=1)):%Y-%m}",
        "name": objects.attachment.filename,
        "slug": objects.queue.slug,
        "field": "priority",
        "contact": str(objects.requester.pk),
        "key": "made-up-key",
        "source_id": "1",  # monitoring: an alert source (none in this world: 401 for all)
        "token": "made-up-token",
        "number_id": "1",  # WhatsApp: a number (none in this world: 404 for all)
        "digits": "573009998877",  # WhatsApp: an unknown number (nothing held: 404)
        "uidb36": "zz",
        "app_label": "tickets",
        "url": "no-such-page/",
        "content_type_id": str(ContentType.objects.get_for_model(objects.organization).pk),
    }
    assert kwarg in values, f"{pattern.key}: no value for <{kwarg}>; add one in tests/security/urls.py"
    return values[kwarg]


def path_for(pattern: Pattern, sw: SecurityWorld, target: str) -> str:
    objects = sw.objects[target]
    if pattern.key == "admin:view_on_site":  # a content type and an object of it
        return f"/admin/r/{ContentType.objects.get_for_model(objects.organization).pk}/{objects.organization.pk}/"
    path = GROUP.sub(lambda m: _value(pattern, m.group(1), sw, objects), pattern.route)
    path = CONVERTER.sub(lambda m: _value(pattern, m.group(1), sw, objects), path)
    return path.replace("^", "").replace("$", "")
