"""PostgreSQL: the search vectors move onto the ticket row (SQLite is unchanged).

Measured at 1,000,000 tickets: with the vectors in a table of their own, a search inside
a queue or a company had to fetch every ticket whose words matched (tens of thousands for
common words) before the queue or company narrowed them. On the ticket row, the GIN index
and the queue/company indexes are combined (BitmapAnd) and only tickets matching both are
read. The vectors stay out of the Django model: SQLite has no such type, and nothing but
these triggers writes them.

Columns `search_public` (subject weighted A, public messages, public files weighted B) and
`search_internal` (notes and their files); GIN indexes on the first and on both together.
"""

from django.db import migrations

_DOCUMENT = """
to_tsvector('atiende_es', coalesce((
    SELECT string_agg(m.body_text, E'\\n' ORDER BY m.id) FROM tickets_message m
    WHERE m.ticket_id = target AND m.kind = '{kind}'), ''))
|| setweight(to_tsvector('atiende_es', coalesce((
    SELECT string_agg(regexp_replace(a.filename, '[^[:alnum:]]+', ' ', 'g'), ' ' ORDER BY a.id)
    FROM tickets_attachment a JOIN tickets_message m ON m.id = a.message_id
    WHERE a.ticket_id = target AND m.kind = '{kind}'), '')), 'B')
"""

FORWARD = [
    "DROP TRIGGER IF EXISTS atiende_search_ticket_insert ON tickets_ticket",
    "DROP TRIGGER IF EXISTS atiende_search_ticket_subject ON tickets_ticket",
    "DROP TRIGGER IF EXISTS atiende_search_ticket_delete ON tickets_ticket",
    "DROP TRIGGER IF EXISTS atiende_search_ticket_truncate ON tickets_ticket",
    "DROP TRIGGER IF EXISTS atiende_search_message_write ON tickets_message",
    "DROP TRIGGER IF EXISTS atiende_search_message_update ON tickets_message",
    "DROP TRIGGER IF EXISTS atiende_search_attachment_write ON tickets_attachment",
    "DROP TRIGGER IF EXISTS atiende_search_attachment_update ON tickets_attachment",
    "DROP FUNCTION IF EXISTS atiende_search_on_ticket()",
    "DROP FUNCTION IF EXISTS atiende_search_on_truncate()",
    "DROP FUNCTION IF EXISTS atiende_search_refresh(bigint)",
    "ALTER TABLE tickets_ticket ADD COLUMN search_public tsvector NOT NULL DEFAULT ''::tsvector",
    "ALTER TABLE tickets_ticket ADD COLUMN search_internal tsvector NOT NULL DEFAULT ''::tsvector",
    """UPDATE tickets_ticket t SET search_public = s.public_doc, search_internal = s.internal_doc
       FROM tickets_ticketsearch s WHERE s.ticket_id = t.id""",
    "DROP TABLE tickets_ticketsearch",
    "SET LOCAL maintenance_work_mem = '256MB'",
    "CREATE INDEX ticket_search_public ON tickets_ticket USING gin (search_public)",
    # Agents search both parts: the same expression as `tickets.search`.
    "CREATE INDEX ticket_search_all ON tickets_ticket USING gin ((search_public || search_internal))",
    f"""CREATE FUNCTION atiende_search_public(target bigint, subject text) RETURNS tsvector
        LANGUAGE sql STABLE AS $$
        SELECT setweight(to_tsvector('atiende_es', subject), 'A') || {_DOCUMENT.format(kind="public")}
    $$""",
    f"""CREATE FUNCTION atiende_search_internal(target bigint) RETURNS tsvector
        LANGUAGE sql STABLE AS $$ SELECT {_DOCUMENT.format(kind="note")} $$""",
    """CREATE FUNCTION atiende_search_refresh(target bigint) RETURNS void LANGUAGE sql AS $$
        UPDATE tickets_ticket
        SET search_public = atiende_search_public(id, subject), search_internal = atiende_search_internal(id)
        WHERE id = target
    $$""",
    # A new or renamed ticket: computed on the row being written.
    """CREATE FUNCTION atiende_search_on_ticket() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        NEW.search_public := atiende_search_public(NEW.id, NEW.subject);
        RETURN NEW;
    END $$""",
    """CREATE OR REPLACE FUNCTION atiende_search_on_message() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN
            IF NEW.kind = 'public' THEN
                UPDATE tickets_ticket
                SET search_public = search_public || to_tsvector('atiende_es', NEW.body_text)
                WHERE id = NEW.ticket_id;
            ELSIF NEW.kind = 'note' THEN
                UPDATE tickets_ticket
                SET search_internal = search_internal || to_tsvector('atiende_es', NEW.body_text)
                WHERE id = NEW.ticket_id;
            END IF;
            RETURN NULL;
        END IF;
        PERFORM atiende_search_refresh(OLD.ticket_id);
        IF TG_OP = 'UPDATE' AND NEW.ticket_id <> OLD.ticket_id THEN
            PERFORM atiende_search_refresh(NEW.ticket_id);
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER atiende_search_ticket_insert BEFORE INSERT ON tickets_ticket
       FOR EACH ROW EXECUTE FUNCTION atiende_search_on_ticket()""",
    """CREATE TRIGGER atiende_search_ticket_subject BEFORE UPDATE OF subject ON tickets_ticket
       FOR EACH ROW WHEN (OLD.subject IS DISTINCT FROM NEW.subject)
       EXECUTE FUNCTION atiende_search_on_ticket()""",
    """CREATE TRIGGER atiende_search_message_write AFTER INSERT OR DELETE ON tickets_message
       FOR EACH ROW EXECUTE FUNCTION atiende_search_on_message()""",
    """CREATE TRIGGER atiende_search_message_update AFTER UPDATE ON tickets_message
       FOR EACH ROW WHEN (OLD.ticket_id IS DISTINCT FROM NEW.ticket_id
                          OR OLD.kind IS DISTINCT FROM NEW.kind
                          OR OLD.body_text IS DISTINCT FROM NEW.body_text)
       EXECUTE FUNCTION atiende_search_on_message()""",
    """CREATE TRIGGER atiende_search_attachment_write AFTER INSERT OR DELETE ON tickets_attachment
       FOR EACH ROW EXECUTE FUNCTION atiende_search_on_attachment()""",
    """CREATE TRIGGER atiende_search_attachment_update AFTER UPDATE ON tickets_attachment
       FOR EACH ROW WHEN (OLD.ticket_id IS DISTINCT FROM NEW.ticket_id
                          OR OLD.message_id IS DISTINCT FROM NEW.message_id
                          OR OLD.filename IS DISTINCT FROM NEW.filename)
       EXECUTE FUNCTION atiende_search_on_attachment()""",
]


def forward(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("tickets", "0007_open_ticket_indexes"),
    ]

    operations = [
        # Going back would need the table of 0006 rebuilt; restore a backup instead.
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
