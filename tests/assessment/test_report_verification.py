"""The public verification page: outcome first, SM3 beside SHA-256, signatures of uploads,
unguessable numbers (legacy ones keep verifying), a throttle, and nothing private shown."""

import hashlib
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessment.models import IssuedReport, Submission
from assessment.selectors.reports import report_submission_queryset
from assessment.services import report_numbers, reports
from tests.factories import reviewed_submission

pytestmark = [pytest.mark.django_db, pytest.mark.once]


def issue_number(submission, language="en"):
    """A report number without rendering the PDF (the facts and hashes are the same)."""
    submission = report_submission_queryset().get(pk=submission.pk)
    return reports.report_issue(submission=submission, language=language, user=None)


def render(submission, language="en"):
    submission = report_submission_queryset().get(pk=submission.pk)
    return reports.submission_report_pdf(submission=submission, language=language, user=None)


def detail_url(report):
    return reverse("verify_report_detail", kwargs={"number": report.number})


def verdicts(page: str) -> list[str]:
    return re.findall(r'class="verify-verdict (verdict-\w+)"', page)


# --- Numbers -----------------------------------------------------------------------------------


def test_report_numbers_carry_64_random_bits_and_a_check():
    numbers = {report_numbers.new_report_number("2027") for _ in range(2000)}
    assert len(numbers) == 2000
    for number in list(numbers)[:50]:
        assert re.fullmatch(r"IIP-2027-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", number)
        assert report_numbers.report_number_is_well_formed(number)
    assert report_numbers.RANDOM_CHARACTERS * 5 >= 64
    # Every random character position takes many values: not a counter.
    randoms = [number.replace("-", "")[7:20] for number in numbers]
    for position in range(report_numbers.RANDOM_CHARACTERS):
        assert len({text[position] for text in randoms}) > 20


def test_a_mistyped_number_is_refused_and_look_alike_letters_are_read():
    number = report_numbers.new_report_number("2027")
    last = number[-1]
    typo = number[:-1] + ("0" if last != "0" else "1")
    assert not report_numbers.report_number_is_well_formed(typo)
    typed = number[:-19] + number[-19:].replace("0", "O").replace("1", "I").lower()
    assert report_numbers.normalise_report_number(" " + typed.lower() + " ") == number


def test_issued_numbers_are_random_not_serial():
    submission = reviewed_submission(result="growth", certified=True)
    english = issue_number(submission, "en")
    chinese = issue_number(submission, "zh-hans")
    assert report_numbers.NUMBER_PATTERN.match(english.number)
    assert str(english.pk).zfill(6) not in english.number
    assert english.number[:-19] == chinese.number[:-19] and english.number != chinese.number


def test_a_stored_legacy_number_keeps_verifying(client):
    submission = reviewed_submission(result="growth", certified=True)
    fresh = issue_number(submission)
    legacy_number = "IIP-" + submission.cycle.code.upper() + "-000042-1A2B"
    facts = {**fresh.canonical_data, "report_number": legacy_number}
    legacy = IssuedReport.objects.create(
        number=legacy_number,
        submission=fresh.submission,
        language="en",
        certified=True,
        canonical_sha256=reports.canonical_hash(facts),
        canonical_data=facts,
    )
    response = client.get(reverse("verify_report"), {"number": legacy_number.lower()})
    assert response["Location"] == detail_url(legacy)
    record = client.get(detail_url(legacy)).context["verification"]
    assert record["facts_match"] is True
    assert record["outcome"] == "genuine"


# --- Throttle ----------------------------------------------------------------------------------


def test_verification_is_throttled_per_client_address(client, settings):
    settings.VERIFY_RATE_PER_MINUTE = 3
    submission = reviewed_submission(result="growth", certified=True)
    report = issue_number(submission)
    statuses = [client.get(detail_url(report)).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    refused = client.get(detail_url(report))
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    guessed = client.get(reverse("verify_report"), {"number": "IIP-2027-AAAA-AAAA-AAAA-AAAA"})
    assert guessed.status_code == 429
    other = client.get(detail_url(report), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


# --- Outcome first, hashes, signatures ---------------------------------------------------------


def test_mismatching_upload_shows_red_first_never_green_above_it(client):
    submission = reviewed_submission(result="growth", certified=True)
    report = issue_number(submission)
    response = client.post(
        detail_url(report),
        {"pdf": SimpleUploadedFile("report.pdf", b"%PDF-1.7\nnot the report\n")},
    )
    page = response.content.decode()
    assert verdicts(page)[0] == "verdict-bad"
    assert "verdict-good" not in page
    assert response.context["verification"]["outcome"] == "mismatch"
    assert response.context["verification"]["signature"].signed is False


def test_genuine_signed_pdf_and_its_tampered_copy(client):
    submission = reviewed_submission(result="growth", certified=True)
    report, pdf = render(submission)
    genuine = client.post(detail_url(report), {"pdf": SimpleUploadedFile("r.pdf", pdf)})
    record = genuine.context["verification"]
    assert record["hash_match"] is True and record["signature"].valid
    assert verdicts(genuine.content.decode())[0] == "verdict-good"
    tampered = bytearray(pdf)
    tampered[len(pdf) // 2] ^= 0x01
    broken = client.post(detail_url(report), {"pdf": SimpleUploadedFile("r.pdf", bytes(tampered))})
    record = broken.context["verification"]
    assert record["outcome"] == "mismatch"
    assert record["signature"].signed and not record["signature"].intact
    assert verdicts(broken.content.decode()) == ["verdict-bad"]


def test_sm3_data_hash_is_shown_and_accepted(client):
    submission = reviewed_submission(result="growth", certified=True)
    report = issue_number(submission)
    canonical = reports.canonical_json(report.canonical_data).encode("utf-8")
    sm3 = hashlib.new("sm3", canonical).hexdigest()
    assert sm3 != report.canonical_sha256
    page = client.get(detail_url(report)).content.decode()
    assert sm3 in page and report.canonical_sha256 in page
    response = client.post(detail_url(report), {"sha256": sm3.upper()})
    assert response.context["verification"]["matched"] == "data_sm3"


# GB/T 32905-2016's two examples: SM3("abc") and SM3("abcd" × 16).
SM3_EXAMPLES = [
    (b"abc", "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"),
    (b"abcd" * 16, "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"),
]


@pytest.mark.parametrize(("data", "digest"), SM3_EXAMPLES)
def test_sm3_is_the_gb_t_32905_digest(data, digest):
    from assessment.services.verification import sm3_hex

    assert sm3_hex(data) == digest


@pytest.mark.parametrize(("data", "digest"), SM3_EXAMPLES)
def test_sm3_without_openssl_gives_the_same_digest(data, digest):
    # The path taken where OpenSSL has no SM3; also a canonical document of real size.
    from assessment.services.verification import sm3_hex_pure

    assert sm3_hex_pure(data) == digest
    document = "中文 canonical data {}".encode() * 500
    assert sm3_hex_pure(document) == hashlib.new("sm3", document).hexdigest()


# --- Nothing private for provisional or withdrawn ----------------------------------------------


@pytest.mark.parametrize("withdraw", [False, True])
def test_provisional_or_withdrawn_report_shows_no_names(client, withdraw):
    submission = reviewed_submission(result="growth")
    report = issue_number(submission)
    if withdraw:
        Submission.objects.filter(pk=submission.pk).update(state="withdrawn")
    response = client.get(detail_url(report))
    page = response.content.decode()
    assert response.status_code == 200
    assert submission.platform.name not in page
    assert submission.platform.organisation.name not in page
    assert "tier-growth" not in page
    assert verdicts(page) == ["verdict-warn"]
