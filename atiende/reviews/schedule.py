"""When the monthly reviews go out: on the provider's first working day of the month, by
its business calendar (the default calendar: its weekdays, its country's holidays and its
closed dates), so a holiday on the 1st, or a weekend, moves the sending to the next
working day. Without a default calendar, Monday to Friday are the working days."""

from __future__ import annotations

import datetime

from atiende.reviews.models import month_start
from atiende.sla.models import Calendar

# A sending missed on its day (the workers were down) still goes out this many days later.
GRACE_DAYS = 7


def is_working_day(day: datetime.date) -> bool:
    calendar = Calendar.objects.filter(is_default=True).first()
    if calendar is None:
        return day.weekday() < 5
    business = calendar.business()
    if not business.has_hours:
        return day.weekday() < 5
    return bool(business.intervals(day))


def first_working_day(period: datetime.date) -> datetime.date:
    day = month_start(period)
    for _ in range(31):
        if is_working_day(day):
            return day
        day += datetime.timedelta(days=1)
    return month_start(period)  # a calendar closed all month: its first day


def is_sending_day(today: datetime.date) -> bool:
    """True from the month's first working day to `GRACE_DAYS` after it."""
    first = first_working_day(today)
    return first <= today <= first + datetime.timedelta(days=GRACE_DAYS)
