#!/usr/bin/env python3
"""Submit a questionnaire from your own system through the REST API (standard library only).

    python examples/api_client.py --base-url https://assessment.example.gov.cn \\
        --token pma_… --platform 12 --cycle 2027 --answers examples/answers.csv \\
        --file D1.2=device-report.pdf --submit

It starts a draft (or continues the one that exists), saves every answer of the CSV in one
request (with the versions it just read, so nobody's newer answer is overwritten), attaches
the CSV's evidence links and the given files, and, with --submit, hands the questionnaire in.

The CSV has the columns question_code, value and evidence_url (optional). A value is read as
JSON where it can be (true, 12, 3.5, ["a", "b"]) and as text otherwise (an option code).
Create the token on the web: “API tokens”, in the top bar once signed in.
"""

import argparse
import csv
import json
import mimetypes
import sys
import uuid
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlencode
from urllib.request import Request, urlopen


class ApiError(Exception):
    def __init__(self, status: int, body: dict):
        self.status = status
        self.body = body
        super().__init__(f"{status} {body.get('code')}: {body.get('message')} {body.get('field')}")


class Client:
    def __init__(self, base_url: str, token: str, language: str = "zh-hans"):
        self.base_url = base_url.rstrip("/") + "/api/v1/"
        self.headers = {"Authorization": f"Bearer {token}", "Accept-Language": language}

    def request(self, method: str, path: str, *, json_body=None, body=None, headers=None):
        headers = {**self.headers, **(headers or {})}
        if json_body is not None:
            body = json.dumps(json_body).encode("utf-8")
            headers["Content-Type"] = "application/json"
        request = Request(self.base_url + path, data=body, method=method, headers=headers)  # noqa: S310
        try:
            with urlopen(request) as response:  # noqa: S310 (the base URL is the caller's)
                content = response.read()
        except HTTPError as error:
            try:
                detail = json.loads(error.read() or b"{}")
            except ValueError:
                detail = {"code": "http_error", "message": str(error), "field": ""}
            raise ApiError(error.code, detail) from None
        return json.loads(content) if content else None

    def get(self, path: str, **params):
        query = f"?{urlencode(params)}" if params else ""
        return self.request("GET", path + query)

    def post(self, path: str, json_body=None, **kwargs):
        return self.request(
            "POST", path, json_body=json_body if json_body is not None else {}, **kwargs
        )

    def upload(self, path: str, fields: dict[str, str], file_field: str, file_path: Path):
        boundary = uuid.uuid4().hex
        parts = []
        for name, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        content_type = mimetypes.guess_type(file_path.name)[0] or "application/octet-stream"
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
            f'filename="{file_path.name}"\r\nContent-Type: {content_type}\r\n\r\n'.encode()
            + file_path.read_bytes()
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(
            "POST",
            path,
            body=b"".join(parts),
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )


def read_answers(path: Path) -> list[dict]:
    """Rows of the CSV as {question_code, value, evidence_url}."""
    rows = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            code = (row.get("question_code") or "").strip()
            if not code:
                continue
            raw = (row.get("value") or "").strip()
            try:
                value = json.loads(raw) if raw else None
            except ValueError:
                value = raw  # an option code
            rows.append(
                {"question_code": code, "value": value, "evidence_url": row.get("evidence_url", "")}
            )
    return rows


def find_or_start_draft(client: Client, platform: int, cycle: str) -> dict:
    existing = client.get("submissions/", platform=platform, cycle=cycle)["results"]
    if existing:
        return existing[0]
    return client.post("submissions/", {"platform": platform, "cycle": cycle})


def save_answers(client: Client, submission_id: int, rows: list[dict]) -> dict:
    """All answers in one request, each based on the version just read (0 if unanswered)."""
    versions = {
        answer["question_code"]: answer["version"]
        for answer in client.get(f"submissions/{submission_id}/answers/")
    }
    body = {
        "answers": [
            {
                "question_code": row["question_code"],
                "value": row["value"],
                "version": versions.get(row["question_code"], 0),
            }
            for row in rows
        ]
    }
    # The key makes a retry after a lost response safe: the server answers it from memory.
    return client.post(
        f"submissions/{submission_id}/answers/",
        body,
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )


def attach_links(client: Client, submission_id: int, rows: list[dict]) -> int:
    current = {
        (item["question_code"], item["url"])
        for item in client.get(f"submissions/{submission_id}/evidence/")
        if item["is_current"]
    }
    attached = 0
    for row in rows:
        url = (row.get("evidence_url") or "").strip()
        if url and (row["question_code"], url) not in current:
            client.post(
                f"submissions/{submission_id}/evidence/links/",
                {"question_code": row["question_code"], "url": url},
            )
            attached += 1
    return attached


def run(arguments: list[str] | None = None, out=sys.stdout) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--platform", type=int, required=True, help="the platform's id")
    parser.add_argument("--cycle", required=True, help="the cycle's code, e.g. 2027")
    parser.add_argument("--answers", type=Path, required=True, help="CSV of answers")
    parser.add_argument(
        "--file",
        action="append",
        default=[],
        metavar="CODE=PATH",
        help="attach a file to a question (repeatable)",
    )
    parser.add_argument("--submit", action="store_true", help="hand the questionnaire in")
    parser.add_argument("--language", default="zh-hans", choices=["zh-hans", "en"])
    options = parser.parse_args(arguments)

    client = Client(options.base_url, options.token, options.language)
    submission = find_or_start_draft(client, options.platform, options.cycle)
    submission_id = submission["id"]
    print(f"submission {submission_id} ({submission['state']})", file=out)

    rows = read_answers(options.answers)
    saved = save_answers(client, submission_id, rows)
    print(f"answers saved: {len(saved['answers'])}, changed: {len(saved['changed'])}", file=out)
    print(f"links attached: {attach_links(client, submission_id, rows)}", file=out)
    for item in options.file:
        code, _sep, file_name = item.partition("=")
        evidence = client.upload(
            f"submissions/{submission_id}/evidence/files/",
            {"question_code": code},
            "file",
            Path(file_name),
        )
        print(
            f"file attached to {code}: {evidence['original_name']} {evidence['sha256']}", file=out
        )

    completeness = client.get(f"submissions/{submission_id}/completeness/")
    for problem in completeness["problems"]:
        print(f"  to do: {problem['question_code']} {problem['message']}", file=out)
    if options.submit and completeness["complete"]:
        submission = client.post(f"submissions/{submission_id}/submit/", {"note": "via API"})
        print(f"submitted: {submission['state']}, claimed {submission['claimed_result']}", file=out)
    score = client.get(f"submissions/{submission_id}/score/")["provisional"]
    print(f"provisional result: {score['result']} (S = {score['progress_index']})", file=out)
    print(score["breakdown"]["decision"], file=out)
    return {"submission": submission, "score": score, "completeness": completeness}


if __name__ == "__main__":
    try:
        run()
    except ApiError as error:
        print(f"refused: {error}", file=sys.stderr)
        sys.exit(1)
