"""Reading what monitoring sends: Alertmanager's webhook (version 4) and our generic JSON.

Both become `Alert`s. Anything we cannot read raises `PayloadError` with the reason, which
the endpoint returns as a 400 problem (the sender's mistake: retrying would not help).

Alertmanager posts a group of alerts::

    {"version": "4", "groupKey": "...", "status": "firing", "receiver": "...",
     "alerts": [{"status": "firing", "labels": {...}, "annotations": {...},
                 "startsAt": "...", "endsAt": "...", "generatorURL": "...", "fingerprint": "..."}]}

The generic format is one alert, or a list of them::

    {"fingerprint": "disk-db1", "status": "firing", "title": "Disk almost full",
     "description": "...", "labels": {"host": "db1"}, "severity": "warning",
     "starts_at": "2026-01-31T10:00:00Z", "url": "https://monitor.example/checks/12"}

Only `status` and `title` are required; without a fingerprint the alert is identified by
its title and labels.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from atiende.monitoring.models import AlertFormat, AlertStatus

FINGERPRINT_MAX_LENGTH = 128
TEXT_MAX_LENGTH = 10_000
# Alertmanager's zero time: "no end yet".
_ZERO_YEAR = 1


class PayloadError(ValueError):
    pass


@dataclass(frozen=True)
class Alert:
    fingerprint: str
    status: AlertStatus
    name: str
    summary: str = ""
    description: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)
    starts_at: datetime.datetime | None = None
    ends_at: datetime.datetime | None = None
    url: str = ""
    severity: str = ""


def parse(body: bytes, format: str) -> list[Alert]:
    try:
        data = json.loads(body)
    except (UnicodeDecodeError, ValueError) as error:
        raise PayloadError(_("The body is not valid JSON: %(error)s") % {"error": error}) from error
    if format == AlertFormat.ALERTMANAGER:
        return parse_alertmanager(data)
    return parse_generic(data)


def parse_alertmanager(data: object) -> list[Alert]:
    if not isinstance(data, dict):
        raise PayloadError(_("Expected Alertmanager's webhook object."))
    version = data.get("version")
    if version is not None and str(version) != "4":
        raise PayloadError(
            _("Alertmanager webhook version %(version)s is not supported (only 4).") % {"version": version}
        )
    alerts = data.get("alerts")
    if not isinstance(alerts, list):
        raise PayloadError(_("The payload has no list of alerts."))
    parsed = []
    for index, alert in enumerate(alerts):
        where = f"alerts[{index}]"
        if not isinstance(alert, dict):
            raise PayloadError(_("%(where)s is not an object.") % {"where": where})
        labels = _strings(alert.get("labels"), f"{where}.labels")
        annotations = _strings(alert.get("annotations"), f"{where}.annotations")
        parsed.append(
            Alert(
                fingerprint=_fingerprint(alert.get("fingerprint"), labels, where),
                status=_status(alert.get("status"), where),
                name=labels.get("alertname", ""),
                summary=annotations.get("summary", "") or annotations.get("title", ""),
                description=annotations.get("description", "") or annotations.get("message", ""),
                labels=labels,
                annotations=annotations,
                starts_at=_instant(alert.get("startsAt"), f"{where}.startsAt"),
                ends_at=_instant(alert.get("endsAt"), f"{where}.endsAt"),
                url=_text(alert.get("generatorURL"), f"{where}.generatorURL"),
            )
        )
    return parsed


def parse_generic(data: object) -> list[Alert]:
    items = data if isinstance(data, list) else [data]
    parsed = []
    for index, item in enumerate(items):
        where = f"[{index}]" if isinstance(data, list) else "body"
        if not isinstance(item, dict):
            raise PayloadError(_("%(where)s is not an object.") % {"where": where})
        title = _text(item.get("title"), f"{where}.title")
        if not title.strip():
            raise PayloadError(_("%(where)s.title is required.") % {"where": where})
        labels = _strings(item.get("labels"), f"{where}.labels")
        parsed.append(
            Alert(
                fingerprint=_fingerprint(item.get("fingerprint"), {**labels, "title": title}, where),
                status=_status(item.get("status"), where),
                name=title,
                description=_text(item.get("description"), f"{where}.description"),
                labels=labels,
                starts_at=_instant(item.get("starts_at"), f"{where}.starts_at"),
                ends_at=_instant(item.get("ends_at"), f"{where}.ends_at"),
                url=_text(item.get("url"), f"{where}.url"),
                severity=_text(item.get("severity"), f"{where}.severity"),
            )
        )
    return parsed


def _status(value: object, where: str) -> AlertStatus:
    if value in AlertStatus.values:
        return AlertStatus(str(value))
    raise PayloadError(_('%(where)s.status must be "firing" or "resolved".') % {"where": where})


def _text(value: object, where: str) -> str:
    if value is None:
        return ""
    if not isinstance(value, str | int | float | bool):
        raise PayloadError(_("%(where)s must be text.") % {"where": where})
    return str(value)[:TEXT_MAX_LENGTH]


def _strings(value: object, where: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise PayloadError(_("%(where)s must be an object of names and values.") % {"where": where})
    return {str(key)[:200]: _text(item, f"{where}.{key}") for key, item in value.items()}


def _fingerprint(value: object, labels: dict[str, str], where: str) -> str:
    """The sender's fingerprint, or ours: a hash of the labels (what identifies an alert)."""
    given = _text(value, f"{where}.fingerprint").strip()
    if given:
        if len(given) > FINGERPRINT_MAX_LENGTH or not given.isprintable():
            raise PayloadError(
                _("%(where)s.fingerprint must be printable and at most %(max)s characters.")
                % {"where": where, "max": FINGERPRINT_MAX_LENGTH}
            )
        return given
    canonical = json.dumps(labels, sort_keys=True, ensure_ascii=False).encode()
    return "sha256:" + hashlib.sha256(canonical).hexdigest()[:32]


def _instant(value: object, where: str) -> datetime.datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise PayloadError(_("%(where)s must be an RFC 3339 date and time.") % {"where": where})
    try:
        moment = datetime.datetime.fromisoformat(value)
    except ValueError as error:
        raise PayloadError(_("%(where)s must be an RFC 3339 date and time.") % {"where": where}) from error
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return None if moment.year == _ZERO_YEAR else moment
