"""PostgreSQL triggers that make the audit tables append-only in SQL, not only in Python.

UPDATE, DELETE and TRUNCATE of the submission events and the security audit events are
refused, whoever sends them, unless the transaction first says `SET LOCAL pma.audit_purge =
'on'` (only `manage.py prune_audit`, for rows past the retention period, and the test
database's flush do). The database role the application uses should not own the tables in
production (docs/security.md), so that it cannot drop the triggers either.
"""

TABLES = ["assessment_submissionevent", "assessment_auditevent"]

CREATE_FUNCTION = """
CREATE OR REPLACE FUNCTION pma_append_only() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('pma.audit_purge', true), '') = 'on' THEN
        IF TG_OP = 'TRUNCATE' THEN RETURN NULL; END IF;
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit events are append-only: % of % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""


def create_sql() -> list[str]:
    statements = [CREATE_FUNCTION]
    for table in TABLES:
        statements += [
            f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};",
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION pma_append_only();",
            f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};",
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION pma_append_only();",
        ]
    return statements


def drop_sql() -> list[str]:
    statements = []
    for table in TABLES:
        statements += [
            f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};",
            f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};",
        ]
    return [*statements, "DROP FUNCTION IF EXISTS pma_append_only();"]


def install(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in create_sql():
        schema_editor.execute(statement, params=None)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in drop_sql():
        schema_editor.execute(statement, params=None)


def chain_existing_events(apps, schema_editor):
    """Events written before the chain existed get their place in it (once, at migration)."""
    from assessment.models.security import chain_hash

    event_model = apps.get_model("assessment", "SubmissionEvent")
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "postgresql":
            cursor.execute("SET LOCAL pma.audit_purge = 'on'")
    last, batch = {}, []
    rows = event_model.objects.order_by("submission_id", "created_at", "id")
    # SQLite may not write a table while a cursor over it is open: read it whole there.
    rows = rows.iterator(2000) if schema_editor.connection.vendor == "postgresql" else list(rows)
    for event in rows:
        sequence, previous = last.get(event.submission_id, (0, ""))
        payload = {
            "submission": event.submission_id,
            "sequence": sequence + 1,
            "created_at": event.created_at.isoformat(),
            "kind": event.kind,
            "actor": event.actor_id,
            "from": event.from_state,
            "to": event.to_state,
            "question": event.question_code,
            "note": event.note,
            "detail": event.detail,
        }
        event.sequence, event.previous_hash = sequence + 1, previous
        event.hash = chain_hash(previous, payload)
        last[event.submission_id] = (event.sequence, event.hash)
        batch.append(event)
        if len(batch) >= 2000:
            # The historical model's manager is a plain one, so this update is allowed here.
            event_model.objects.bulk_update(batch, ["sequence", "previous_hash", "hash"])
            batch = []
    if batch:
        event_model.objects.bulk_update(batch, ["sequence", "previous_hash", "hash"])
