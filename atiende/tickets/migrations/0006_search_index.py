"""Full-text search: a Spanish, accent-insensitive index kept current by triggers.

The substring column `search_text` goes; `tickets.search` explains what replaces it.

PostgreSQL: the `unaccent` extension and an `atiende_es` configuration (unaccent, then
the Spanish Snowball stemmer), a `tickets_ticketsearch` table with a public and an
internal `tsvector` per ticket (GIN indexed), and triggers that keep it current.
SQLite: an FTS5 table of stems, kept current by triggers that call the
`atiende_search_terms` function `tickets.search` registers on every connection.

Why triggers rather than calls from the actions: they run in the writer's transaction
whatever the writer is (actions, queryset updates such as merging, bulk loads, a future
API), so the index cannot drift and no new code path can forget it.
"""

from django.db import migrations

# --- PostgreSQL ------------------------------------------------------------------------

# File names are split at punctuation first: the parser would keep `informe-marzo.pdf`
# whole, and people search for `informe`.

_PG_DOCUMENT = """
to_tsvector('atiende_es', coalesce((
    SELECT string_agg(m.body_text, E'\\n' ORDER BY m.id) FROM tickets_message m
    WHERE m.ticket_id = t.id AND m.kind = '{kind}'), ''))
|| setweight(to_tsvector('atiende_es', coalesce((
    SELECT string_agg(regexp_replace(a.filename, '[^[:alnum:]]+', ' ', 'g'), ' ' ORDER BY a.id)
    FROM tickets_attachment a
    JOIN tickets_message m ON m.id = a.message_id
    WHERE a.ticket_id = t.id AND m.kind = '{kind}'), '')), 'B')
"""

PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    "CREATE TEXT SEARCH CONFIGURATION atiende_es (COPY = pg_catalog.spanish)",
    """ALTER TEXT SEARCH CONFIGURATION atiende_es
       ALTER MAPPING FOR asciiword, asciihword, hword_asciipart, word, hword, hword_part
       WITH unaccent, spanish_stem""",
    """CREATE TABLE tickets_ticketsearch (
        ticket_id bigint PRIMARY KEY,
        public_doc tsvector NOT NULL DEFAULT ''::tsvector,
        internal_doc tsvector NOT NULL DEFAULT ''::tsvector
    )""",
    "CREATE INDEX tickets_ticketsearch_public ON tickets_ticketsearch USING gin (public_doc)",
    # Agents search both parts: the same expression as `tickets.search`.
    "CREATE INDEX tickets_ticketsearch_all ON tickets_ticketsearch USING gin ((public_doc || internal_doc))",
    f"""CREATE FUNCTION atiende_search_refresh(target bigint) RETURNS void LANGUAGE sql AS $$
        INSERT INTO tickets_ticketsearch AS s (ticket_id, public_doc, internal_doc)
        SELECT t.id,
               setweight(to_tsvector('atiende_es', t.subject), 'A') || {_PG_DOCUMENT.format(kind="public")},
               {_PG_DOCUMENT.format(kind="note")}
        FROM tickets_ticket t WHERE t.id = target
        ON CONFLICT (ticket_id) DO UPDATE
        SET public_doc = excluded.public_doc, internal_doc = excluded.internal_doc
    $$""",
    """CREATE FUNCTION atiende_search_on_ticket() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'DELETE' THEN
            DELETE FROM tickets_ticketsearch WHERE ticket_id = OLD.id;
        ELSE
            PERFORM atiende_search_refresh(NEW.id);
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE FUNCTION atiende_search_on_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE tickets_ticketsearch;
        RETURN NULL;
    END $$""",
    # A new message is appended (the common case, cheap); any other change rebuilds.
    """CREATE FUNCTION atiende_search_on_message() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            IF NEW.kind = 'public' THEN
                UPDATE tickets_ticketsearch
                SET public_doc = public_doc || to_tsvector('atiende_es', NEW.body_text)
                WHERE ticket_id = NEW.ticket_id;
            ELSIF NEW.kind = 'note' THEN
                UPDATE tickets_ticketsearch
                SET internal_doc = internal_doc || to_tsvector('atiende_es', NEW.body_text)
                WHERE ticket_id = NEW.ticket_id;
            ELSE
                RETURN NULL;
            END IF;
            IF NOT FOUND THEN
                PERFORM atiende_search_refresh(NEW.ticket_id);
            END IF;
            RETURN NULL;
        END IF;
        PERFORM atiende_search_refresh(OLD.ticket_id);
        IF TG_OP = 'UPDATE' AND NEW.ticket_id <> OLD.ticket_id THEN
            PERFORM atiende_search_refresh(NEW.ticket_id);
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE FUNCTION atiende_search_on_attachment() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'DELETE' THEN
            PERFORM atiende_search_refresh(NEW.ticket_id);
        END IF;
        IF TG_OP = 'DELETE' OR NEW.ticket_id <> OLD.ticket_id THEN
            PERFORM atiende_search_refresh(OLD.ticket_id);
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER atiende_search_ticket_insert AFTER INSERT ON tickets_ticket
       FOR EACH ROW EXECUTE FUNCTION atiende_search_on_ticket()""",
    """CREATE TRIGGER atiende_search_ticket_subject AFTER UPDATE OF subject ON tickets_ticket
       FOR EACH ROW WHEN (OLD.subject IS DISTINCT FROM NEW.subject)
       EXECUTE FUNCTION atiende_search_on_ticket()""",
    """CREATE TRIGGER atiende_search_ticket_delete AFTER DELETE ON tickets_ticket
       FOR EACH ROW EXECUTE FUNCTION atiende_search_on_ticket()""",
    """CREATE TRIGGER atiende_search_ticket_truncate AFTER TRUNCATE ON tickets_ticket
       FOR EACH STATEMENT EXECUTE FUNCTION atiende_search_on_truncate()""",
    """CREATE TRIGGER atiende_search_message_write AFTER INSERT OR DELETE ON tickets_message
       FOR EACH ROW EXECUTE FUNCTION atiende_search_on_message()""",
    """CREATE TRIGGER atiende_search_message_update AFTER UPDATE ON tickets_message
       FOR EACH ROW WHEN (OLD.ticket_id IS DISTINCT FROM NEW.ticket_id
                          OR OLD.kind IS DISTINCT FROM NEW.kind
                          OR OLD.body_text IS DISTINCT FROM NEW.body_text)
       EXECUTE FUNCTION atiende_search_on_message()""",
    # Files are fewer than messages: every change to them rebuilds.
    """CREATE TRIGGER atiende_search_attachment_write AFTER INSERT OR DELETE ON tickets_attachment
       FOR EACH ROW EXECUTE FUNCTION atiende_search_on_attachment()""",
    """CREATE TRIGGER atiende_search_attachment_update AFTER UPDATE ON tickets_attachment
       FOR EACH ROW WHEN (OLD.ticket_id IS DISTINCT FROM NEW.ticket_id
                          OR OLD.message_id IS DISTINCT FROM NEW.message_id
                          OR OLD.filename IS DISTINCT FROM NEW.filename)
       EXECUTE FUNCTION atiende_search_on_attachment()""",
    "SELECT atiende_search_refresh(id) FROM tickets_ticket",
]

PG_BACKWARD = [
    "DROP TABLE IF EXISTS tickets_ticketsearch",
    "DROP TRIGGER IF EXISTS atiende_search_ticket_insert ON tickets_ticket",
    "DROP TRIGGER IF EXISTS atiende_search_ticket_subject ON tickets_ticket",
    "DROP TRIGGER IF EXISTS atiende_search_ticket_delete ON tickets_ticket",
    "DROP TRIGGER IF EXISTS atiende_search_ticket_truncate ON tickets_ticket",
    "DROP TRIGGER IF EXISTS atiende_search_message_write ON tickets_message",
    "DROP TRIGGER IF EXISTS atiende_search_message_update ON tickets_message",
    "DROP TRIGGER IF EXISTS atiende_search_attachment_write ON tickets_attachment",
    "DROP TRIGGER IF EXISTS atiende_search_attachment_update ON tickets_attachment",
    "DROP FUNCTION IF EXISTS atiende_search_on_attachment()",
    "DROP FUNCTION IF EXISTS atiende_search_on_message()",
    "DROP FUNCTION IF EXISTS atiende_search_on_truncate()",
    "DROP FUNCTION IF EXISTS atiende_search_on_ticket()",
    "DROP FUNCTION IF EXISTS atiende_search_refresh(bigint)",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS atiende_es",
]

# --- SQLite ----------------------------------------------------------------------------


def _sqlite_rebuild(ticket: str) -> str:
    """The statement that recomputes one ticket's public and internal columns."""
    part = """coalesce((SELECT group_concat(atiende_search_terms(m.body_text), ' ')
                   FROM tickets_message m WHERE m.ticket_id = {t} AND m.kind = '{kind}'), '')
           || ' ' ||
           coalesce((SELECT group_concat(atiende_search_terms(a.filename), ' ')
                   FROM tickets_attachment a JOIN tickets_message m ON m.id = a.message_id
                   WHERE a.ticket_id = {t} AND m.kind = '{kind}'), '')"""
    return (
        f"UPDATE tickets_search_fts SET public = {part.format(t=ticket, kind='public')}, "
        f"internal = {part.format(t=ticket, kind='note')} WHERE rowid = {ticket};"
    )


SQLITE_FORWARD = [
    """CREATE VIRTUAL TABLE tickets_search_fts USING fts5(
        subject, public, internal, tokenize = 'unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER tickets_search_ticket_insert AFTER INSERT ON tickets_ticket BEGIN
        INSERT INTO tickets_search_fts (rowid, subject, public, internal)
        VALUES (new.id, atiende_search_terms(new.subject), '', '');
    END""",
    """CREATE TRIGGER tickets_search_ticket_subject AFTER UPDATE OF subject ON tickets_ticket
    WHEN old.subject IS NOT new.subject BEGIN
        UPDATE tickets_search_fts SET subject = atiende_search_terms(new.subject) WHERE rowid = new.id;
    END""",
    """CREATE TRIGGER tickets_search_ticket_delete AFTER DELETE ON tickets_ticket BEGIN
        DELETE FROM tickets_search_fts WHERE rowid = old.id;
    END""",
    """CREATE TRIGGER tickets_search_message_insert AFTER INSERT ON tickets_message
    WHEN new.kind IN ('public', 'note') BEGIN
        UPDATE tickets_search_fts SET
            public = CASE WHEN new.kind = 'public'
                     THEN public || ' ' || atiende_search_terms(new.body_text) ELSE public END,
            internal = CASE WHEN new.kind = 'note'
                       THEN internal || ' ' || atiende_search_terms(new.body_text) ELSE internal END
        WHERE rowid = new.ticket_id;
    END""",
    f"""CREATE TRIGGER tickets_search_message_update AFTER UPDATE OF ticket_id, kind, body_text
    ON tickets_message WHEN old.ticket_id IS NOT new.ticket_id OR old.kind IS NOT new.kind
        OR old.body_text IS NOT new.body_text BEGIN
        {_sqlite_rebuild("old.ticket_id")}
        {_sqlite_rebuild("new.ticket_id")}
    END""",
    f"""CREATE TRIGGER tickets_search_message_delete AFTER DELETE ON tickets_message BEGIN
        {_sqlite_rebuild("old.ticket_id")}
    END""",
    f"""CREATE TRIGGER tickets_search_attachment_insert AFTER INSERT ON tickets_attachment BEGIN
        {_sqlite_rebuild("new.ticket_id")}
    END""",
    f"""CREATE TRIGGER tickets_search_attachment_update AFTER UPDATE OF ticket_id, message_id, filename
    ON tickets_attachment WHEN old.ticket_id IS NOT new.ticket_id OR old.message_id IS NOT new.message_id
        OR old.filename IS NOT new.filename BEGIN
        {_sqlite_rebuild("old.ticket_id")}
        {_sqlite_rebuild("new.ticket_id")}
    END""",
    f"""CREATE TRIGGER tickets_search_attachment_delete AFTER DELETE ON tickets_attachment BEGIN
        {_sqlite_rebuild("old.ticket_id")}
    END""",
    """INSERT INTO tickets_search_fts (rowid, subject, public, internal)
       SELECT id, atiende_search_terms(subject), '', '' FROM tickets_ticket""",
    _sqlite_rebuild("tickets_search_fts.rowid").replace(" WHERE rowid = tickets_search_fts.rowid;", ";"),
]

SQLITE_BACKWARD = [
    *(
        f"DROP TRIGGER IF EXISTS tickets_search_{name}"
        for name in [
            "ticket_insert",
            "ticket_subject",
            "ticket_delete",
            "message_insert",
            "message_update",
            "message_delete",
            "attachment_insert",
            "attachment_update",
            "attachment_delete",
        ]
    ),
    "DROP TABLE IF EXISTS tickets_search_fts",
]


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    statements = {"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


def backward(apps, schema_editor):  # type: ignore[no-untyped-def]
    statements = {"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}.get(
        schema_editor.connection.vendor, []
    )
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0005_ticket_cc"),
    ]

    operations = [
        migrations.RemoveField(model_name="ticket", name="search_text"),
        migrations.RunPython(forward, backward),
    ]
