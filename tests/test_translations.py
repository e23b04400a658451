"""The Spanish catalogue is complete and compiled: users read Spanish by default."""

import gettext
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def test_every_spanish_entry_is_translated_and_none_is_fuzzy():
    catalog = polib.pofile(str(LOCALE / "es" / "LC_MESSAGES" / "django.po"))

    untranslated = [entry.msgid for entry in catalog.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalog.fuzzy_entries()]

    assert untranslated == []
    assert fuzzy == []


def test_the_compiled_catalogue_matches_the_source():
    catalog = polib.pofile(str(LOCALE / "es" / "LC_MESSAGES" / "django.po"))
    with (LOCALE / "es" / "LC_MESSAGES" / "django.mo").open("rb") as compiled:
        translations = gettext.GNUTranslations(compiled)

    stale = [
        entry.msgid
        for entry in catalog.translated_entries()
        if not entry.msgid_plural
        and (
            translations.pgettext(entry.msgctxt, entry.msgid)
            if entry.msgctxt
            else translations.gettext(entry.msgid)
        )
        != entry.msgstr
    ]

    assert stale == []
