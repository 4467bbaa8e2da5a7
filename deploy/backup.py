#!/usr/bin/env python3
"""Back up or restore a deployment: the PostgreSQL database (pg_dump) and the S3 bucket.

    DATABASE_URL=… S3_ENDPOINT_URL=… S3_BUCKET=… S3_ACCESS_KEY=… S3_SECRET_KEY=… \\
        .venv/bin/python deploy/backup.py backup /srv/backups/2027-03-31
    … deploy/backup.py restore /srv/backups/2027-03-31      # into an EMPTY database and bucket

A backup directory holds ``database.dump`` (pg_dump's custom format), ``bucket/`` (every
object, by key) and ``manifest.json`` (each object's size and SHA-256, checked on restore).
Take the database first and the bucket right after: objects are written before the rows that
name them, so every row of the dump finds its file (a few newer, unnamed objects are harmless).
Tested once end to end by deploy/backup_roundtrip.py (docs/deployment.md).
"""

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path


def _client():
    import boto3

    return boto3.client(
        "s3",
        endpoint_url=os.environ["S3_ENDPOINT_URL"],
        aws_access_key_id=os.environ.get("S3_ACCESS_KEY", ""),
        aws_secret_access_key=os.environ.get("S3_SECRET_KEY", ""),
        region_name=os.environ.get("S3_REGION", "us-east-1"),
    )


def _keys(client, bucket: str):
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            yield item["Key"]


def backup(directory: Path) -> dict:
    directory.mkdir(parents=True, exist_ok=True)
    subprocess.run(  # noqa: S603 -- pg_dump with the configured URL
        ["pg_dump", "--format=custom", "--no-owner", "--file", str(directory / "database.dump"),
         os.environ["DATABASE_URL"]],
        check=True,
    )  # fmt: skip
    client, bucket = _client(), os.environ["S3_BUCKET"]
    manifest = {}
    for key in _keys(client, bucket):
        body = client.get_object(Bucket=bucket, Key=key)["Body"].read()
        target = directory / "bucket" / key
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)
        manifest[key] = {"size": len(body), "sha256": hashlib.sha256(body).hexdigest()}
    (directory / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return manifest


def restore(directory: Path) -> dict:
    subprocess.run(  # noqa: S603 -- pg_restore with the configured URL
        ["pg_restore", "--no-owner", "--exit-on-error", "--dbname", os.environ["DATABASE_URL"],
         str(directory / "database.dump")],
        check=True,
    )  # fmt: skip
    client, bucket = _client(), os.environ["S3_BUCKET"]
    manifest = json.loads((directory / "manifest.json").read_text())
    for key, expected in manifest.items():
        body = (directory / "bucket" / key).read_bytes()
        if hashlib.sha256(body).hexdigest() != expected["sha256"]:
            raise SystemExit(f"backup damaged: {key} does not match its SHA-256")
        client.put_object(Bucket=bucket, Key=key, Body=body)
    return manifest


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("backup", "restore"):
        raise SystemExit("usage: deploy/backup.py backup|restore DIRECTORY")
    done = {"backup": backup, "restore": restore}[sys.argv[1]](Path(sys.argv[2]))
    print(f"{sys.argv[1]}: database and {len(done)} objects")
