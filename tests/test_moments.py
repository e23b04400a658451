"""Times as lists write them: `ago` and `elapsed` say what Django's `timesince` says, and
`formatted` what `date_format` says, in every language, without their cost."""

import datetime
import zoneinfo

import pytest
import time_machine
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.timesince import timesince

from atiende.ui import moments
from atiende.ui.templatetags.ui import ago

NOW = datetime.datetime(2026, 3, 31, 9, 30, 15, tzinfo=datetime.UTC)

# Every unit's edges, the singular and the plural, a month's worth of days around 28, and
# the calendar's months and years beyond.
ELAPSED = sorted(
    {
        datetime.timedelta(seconds=s)
        for s in (60, 61, 119, 120, 3599, 3600, 3601, 7199, 7200, 86399, 86400, 86401, 172800)
    }
    | {datetime.timedelta(days=d, hours=h) for d in range(1, 70) for h in (0, 5, 23)}
    | {datetime.timedelta(days=d, hours=h) for d in range(70, 800, 9) for h in (0, 11)}
    | {datetime.timedelta(days=d) for d in (365, 366, 400, 730, 731, 800, 3000)}
    | {datetime.timedelta(minutes=m, seconds=59) for m in range(1, 200, 7)}
)


@pytest.mark.parametrize("language", ["es", "en"])
def test_ago_matches_timesince_for_every_elapsed_time(language):
    with time_machine.travel(NOW, tick=False), translation.override(language):
        for elapsed in ELAPSED:
            when = timezone.now() - elapsed
            expected = translation.gettext("%(when)s ago") % {"when": timesince(when, depth=1)}
            assert ago(when) == expected, elapsed


def test_the_first_minute_is_a_moment_and_nothing_is_empty():
    with time_machine.travel(NOW, tick=False), translation.override("es"):
        assert ago(timezone.now() - datetime.timedelta(seconds=59)) == "hace un momento"
        assert ago(timezone.now() + datetime.timedelta(hours=1)) == "hace un momento"
        assert ago(timezone.now() - datetime.timedelta(hours=3)) == "hace 3\xa0horas"
        assert ago(timezone.now() - datetime.timedelta(days=1)) == "hace 1\xa0día"
        assert ago(None) == ""


# Month ends, a leap day, the first of a month, in UTC and in a zone west of it.
MOMENTS = [
    datetime.datetime(2026, 3, 31, 9, 30, 15, tzinfo=datetime.UTC),
    datetime.datetime(2024, 2, 29, 23, 59, 59, tzinfo=datetime.UTC),
    datetime.datetime(2026, 1, 31, 0, 0, tzinfo=datetime.UTC),
    datetime.datetime(2026, 5, 1, 0, 0, 1, 500000, tzinfo=datetime.UTC),
    datetime.datetime(2026, 3, 1, 2, 0, tzinfo=zoneinfo.ZoneInfo("America/Bogota")),
]


@pytest.mark.parametrize("language", ["es", "en"])
@pytest.mark.parametrize("now", MOMENTS)
def test_elapsed_matches_timesince_for_every_elapsed_time(language, now):
    with translation.override(language):
        for gap in ELAPSED:
            for when in (now - gap, (now - gap).astimezone(datetime.UTC)):
                assert moments.elapsed(when, now) == timesince(when, now, depth=1), (when, now)
        assert moments.elapsed(now, now) == timesince(now, now, depth=1)
        assert moments.elapsed(now + gap, now) == timesince(now + gap, now, depth=1)


def test_formatted_is_date_format_in_the_moments_zone_and_the_active_language():
    bogota = zoneinfo.ZoneInfo("America/Bogota")
    madrid = zoneinfo.ZoneInfo("Europe/Madrid")
    instant = NOW.astimezone(bogota)
    same_instant = NOW.astimezone(madrid)
    assert instant == same_instant

    for language in ("es", "en", "es"):
        with translation.override(language):
            for moment in (instant, same_instant, instant, NOW):
                assert moments.formatted(moment, "DATETIME_FORMAT") == date_format(moment, "DATETIME_FORMAT")
                assert moments.formatted(moment, "SHORT_DATE_FORMAT") == date_format(
                    moment, "SHORT_DATE_FORMAT"
                )
    with translation.override("es"):
        assert moments.formatted(instant, "DATETIME_FORMAT") != moments.formatted(
            same_instant, "DATETIME_FORMAT"
        )


@pytest.mark.parametrize("language", ["es", "en"])
@pytest.mark.parametrize("zone", ["America/Bogota", "America/Mexico_City", "Europe/Madrid"])
def test_the_moment_filter_writes_what_the_date_filter_writes(language, zone):
    from django.template import Context, Template

    page = Template('{% load ui %}{{ at|date:"DATETIME_FORMAT" }}|{{ at|moment }}|{{ none|moment }}')
    with translation.override(language), timezone.override(zoneinfo.ZoneInfo(zone)):
        for at in (NOW, NOW + datetime.timedelta(days=200, hours=7)):
            plain, kept, empty = page.render(Context({"at": at, "none": None})).split("|")
            assert kept == plain and empty == ""
