#!/usr/bin/env python3
"""Tests deploy/backup.py once, end to end, on loopback: a PostgreSQL database with demo data
and a SeaweedFS bucket with evidence and a stored report are backed up, restored into a new
empty database and bucket, and compared (every table's rows, every object's SHA-256, and each
evidence file read back through Django against the hash its row records).

    .venv/bin/python deploy/backup_roundtrip.py        # prints what it compared; exit 0 = same
"""

import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SERVER = os.environ.get("BACKUP_TEST_SERVER", "postgres://postgres@127.0.0.1:5432")
PYTHON = str(ROOT / ".venv" / "bin" / "python")

FILL = """
from assessment.models import Submission
from assessment.selectors.reports import report_submission_queryset
from assessment.services import reports, submissions
from assessment.services.evidence_files import in_memory_file
draft = Submission.objects.filter(state="draft").select_related("created_by").first()
for n in range(3):
    pdf = b"%PDF-1.4\\n% backup test " + str(n).encode() + b"\\n%%EOF\\n"
    submissions.evidence_add_file(actor=draft.created_by, submission=draft, question_code="D1.1",
                                  uploaded_file=in_memory_file(pdf, f"evidence-{n}.pdf"))
certified = report_submission_queryset().filter(state="certified").first()
reports.submission_report_pdf(submission=certified, language="en", user=None)
"""

CHECK = """
import hashlib, json
from assessment.models import Evidence, StoredReport
evidence = [(e.file.name, hashlib.sha256(e.file.open("rb").read()).hexdigest() == e.sha256)
            for e in Evidence.objects.exclude(file="")]
stored = [(s.file.name, hashlib.sha256(s.file.open("rb").read()).hexdigest() == s.sha256)
          for s in StoredReport.objects.all()]
print(json.dumps({"evidence": evidence, "stored_reports": stored}))
"""

COUNT_ROWS = """
SELECT string_agg(format('%s=%s', table_name,
  (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I', table_name),
   false, true, '')))[1]::text), ',' ORDER BY table_name)
FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'
"""


def sh(command, **kwargs):
    finished = subprocess.run(command, check=False, text=True, capture_output=True, **kwargs)
    if finished.returncode:
        raise SystemExit(f"{' '.join(command[:3])} failed:\n{finished.stderr[-3000:]}")
    return finished.stdout


def rows(url: str) -> dict:
    counted = sh(["psql", url, "-Atc", COUNT_ROWS]).strip()
    return dict(pair.split("=") for pair in counted.split(","))


def main() -> int:
    from tests.services import start_seaweedfs

    s3 = start_seaweedfs()
    names = [f"pma_backup_{kind}_{os.getpid()}" for kind in ("source", "restored")]
    work = Path(tempfile.mkdtemp(prefix="pma-backup-"))
    try:
        buckets = [s3.create_bucket(f"backup-{kind}-{os.getpid()}") for kind in ("a", "b")]
        for name in names:
            sh(["psql", f"{SERVER}/postgres", "-c", f'CREATE DATABASE "{name}"'])
        environments = [
            {**os.environ, "DATABASE_URL": f"{SERVER}/{name}", **s3.environment(bucket)}
            for name, bucket in zip(names, buckets, strict=True)
        ]
        source, restored = environments
        sh([PYTHON, "manage.py", "migrate", "-v0"], cwd=ROOT, env=source)
        sh(
            [PYTHON, "manage.py", "seed_demo", "--platforms", "30", "--seed", "1"],
            cwd=ROOT,
            env=source,
        )
        sh([PYTHON, "manage.py", "shell", "-c", FILL], cwd=ROOT, env=source)

        print(sh([PYTHON, "deploy/backup.py", "backup", str(work)], cwd=ROOT, env=source).strip())
        print(
            sh([PYTHON, "deploy/backup.py", "restore", str(work)], cwd=ROOT, env=restored).strip()
        )

        before, after = rows(source["DATABASE_URL"]), rows(restored["DATABASE_URL"])
        manifest = json.loads((work / "manifest.json").read_text())
        client = s3.client()
        objects = {
            key: hashlib.sha256(
                client.get_object(Bucket=buckets[1], Key=key)["Body"].read()
            ).hexdigest()
            for key in manifest
        }
        checked = sh([PYTHON, "manage.py", "shell", "-v0", "-c", CHECK], cwd=ROOT, env=restored)
        files = json.loads(checked.strip().splitlines()[-1])
        problems = [
            f"table {t}: {before[t]} rows, restored {after.get(t)}"
            for t in before
            if before[t] != after.get(t)
        ]
        problems += [
            f"object {key} differs"
            for key, item in manifest.items()
            if objects[key] != item["sha256"]
        ]
        problems += [
            f"file {name} does not match its row"
            for kind in files.values()
            for name, ok in kind
            if not ok
        ]
        print(
            f"compared {len(before)} tables ({sum(int(v) for v in before.values())} rows), "
            f"{len(manifest)} objects, {len(files['evidence'])} evidence files and "
            f"{len(files['stored_reports'])} stored reports read back through Django"
        )
        for problem in problems:
            print("DIFFERENT:", problem)
        print("backup and restore: " + ("FAILED" if problems else "identical"))
        return 1 if problems or not files["evidence"] or not files["stored_reports"] else 0
    finally:
        for name in names:
            subprocess.run(
                ["psql", f"{SERVER}/postgres", "-qc", f'DROP DATABASE IF EXISTS "{name}"'],
                check=False,
            )  # noqa: S603,S607
        s3.stop()


if __name__ == "__main__":
    raise SystemExit(main())
