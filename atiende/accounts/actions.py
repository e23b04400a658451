"""Changes people make to their own account."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from atiende.accounts.models import Contact, User
from atiende.accounts.phones import to_e164

USER_PROFILE_FIELDS = ("full_name", "language", "time_zone")
CONTACT_PROFILE_FIELDS = ("phone", "extension", "area", "notifications", "whatsapp", "notify_by")


def update_contact_profile(
    user: User,
    *,
    full_name: str,
    phone: str,
    extension: str,
    area: str,
    language: str,
    notifications: str,
    time_zone: str | None = None,
    whatsapp: str | None = None,
    notify_by: str | None = None,
) -> Contact:
    """A contact edits their own profile (*Detalles*). The email and the companies are
    kept by the provider and are not touched here.

    Raises `PermissionDenied` for anyone who is not an active contact and
    `ValidationError` for values the models refuse (lengths, unknown choices)."""
    contact = user.contact_or_none if user.is_active else None
    if contact is None:
        raise PermissionDenied
    user.full_name = full_name.strip()
    user.language = language
    user.time_zone = time_zone or user.time_zone
    contact.phone = phone.strip()
    contact.extension = extension.strip()
    contact.area = area.strip()
    contact.notifications = notifications
    if whatsapp is not None:
        contact.whatsapp = to_e164(whatsapp) or whatsapp.strip()
    contact.notify_by = notify_by or contact.notify_by
    errors: dict[str, list[ValidationError]] = {}
    for instance, fields in ((user, USER_PROFILE_FIELDS), (contact, CONTACT_PROFILE_FIELDS)):
        try:
            instance.clean_fields(exclude=_all_fields_but(instance, fields))
        except ValidationError as refused:
            errors.update(refused.error_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        user.save(update_fields=USER_PROFILE_FIELDS)
        contact.save(update_fields=CONTACT_PROFILE_FIELDS)
    return contact


def _all_fields_but(instance: User | Contact, keep: tuple[str, ...]) -> list[str]:
    return [field.name for field in instance._meta.get_fields() if field.name not in keep]
