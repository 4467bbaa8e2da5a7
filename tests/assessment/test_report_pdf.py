"""Evaluation reports read back from the PDF: facts, Chinese text, footers, marks, hashes."""

import io
import re
import subprocess

import pytest
from pypdf import PdfReader

from assessment.models import IssuedPdf, IssuedReport, ReviewDecision
from assessment.selectors.reports import report_submission_queryset
from assessment.services import reports
from assessment.services.scoring import submission_rescore
from tests.factories import reviewed_submission

pytestmark = [pytest.mark.django_db, pytest.mark.once]

TIER_WORDS = {
    "not_rated": "Not rated",
    "basic": "Basic",
    "growth": "Growth",
    "leading": "Leading",
    "ecosystem": "Ecosystem",
}


def render(submission, language="en", **options):
    submission = report_submission_queryset().get(pk=submission.pk)
    return reports.submission_report_pdf(
        submission=submission, language=language, user=None, **options
    )


def pages_text(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("result", ["basic", "growth", "leading", "ecosystem"])
def test_certified_report_states_tier_s_and_platform(result):
    submission = reviewed_submission(result=result, certified=True)
    report, pdf = render(submission)
    cover = pages_text(pdf)[0]
    assert TIER_WORDS[result] in cover
    assert f"Progress index S {report.canonical_data['progress_index']}" in cover
    assert flat(submission.platform.name) in flat(cover)
    assert report.certified is True


def test_not_rated_report_says_not_rated_and_is_provisional():
    submission = reviewed_submission(result="not_rated")
    report, pdf = render(submission)
    text = pages_text(pdf)
    assert "Not rated" in text[0]
    assert "The platform is not rated" in "".join(text)
    assert report.canonical_data["result"] == "not_rated"
    assert all("PROVISIONAL" in page for page in text)


def test_uncertified_report_is_marked_provisional_on_every_page():
    submission = reviewed_submission(result="growth")
    _report, pdf = render(submission, language="zh-hans")
    text = pages_text(pdf)
    assert len(text) > 3
    for page in text:
        assert "暂定" in page
        assert "PROVISIONAL" in page


def test_certified_report_has_no_provisional_mark():
    submission = reviewed_submission(result="basic", certified=True)
    _report, pdf = render(submission, language="zh-hans")
    assert not any("暂定" in page or "PROVISIONAL" in page for page in pages_text(pdf))


def test_every_page_footer_has_report_number_and_page_x_of_y():
    submission = reviewed_submission(result="growth", certified=True)
    report, pdf = render(submission)
    text = pages_text(pdf)
    for number, page in enumerate(text, start=1):
        assert f"Report No. {report.number}" in page
        assert f"Page {number} of {len(text)}" in page


def test_chinese_report_prints_chinese_rubric_text_and_platform_name():
    submission = reviewed_submission(result="basic", certified=True)
    _report, pdf = render(submission, language="zh-hans")
    text = flat("".join(pages_text(pdf)))
    assert flat(submission.platform.name) in text
    assert "连接接入" in text  # dimension D1's Chinese title
    assert "工业设备连接数" in text  # indicator D1.2's Chinese title


def test_fonts_are_embedded_cjk_subsets(tmp_path):
    submission = reviewed_submission(result="basic", certified=True)
    _report, pdf = render(submission, language="zh-hans")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    listing = subprocess.run(  # noqa: S603
        ["/usr/bin/pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout
    fonts = listing.splitlines()[2:]
    assert any("Noto-Sans-CJK-SC" in line for line in fonts)
    for line in fonts:
        columns = line.split()
        # name, type…, encoding, emb, sub, uni, object id, generation
        assert columns[-5:-2] == ["yes", "yes", "yes"], line


def test_last_page_prints_the_data_hash_and_verification_link():
    submission = reviewed_submission(result="growth", certified=True)
    report, pdf = render(submission)
    last = flat(pages_text(pdf)[-1])
    assert report.canonical_sha256 in last
    assert flat(reports.verification_url(report.number)) in last
    assert report.canonical_sha256 == reports.canonical_hash(report.canonical_data)


def test_pdf_hash_is_recorded_for_byte_check():
    submission = reviewed_submission(result="basic", certified=True)
    report, pdf = render(submission)
    assert IssuedPdf.objects.filter(report=report, sha256=reports.sha256_hex(pdf)).exists()


def test_pdf_is_declared_pdf_a():
    submission = reviewed_submission(result="basic", certified=True)
    _report, pdf = render(submission)
    metadata = PdfReader(io.BytesIO(pdf)).xmp_metadata
    assert metadata is not None
    xml = metadata.stream.get_data().decode("utf-8")
    assert "pdfaid:part" in xml


def test_same_facts_keep_the_report_number():
    submission = reviewed_submission(result="basic", certified=True)
    first, _pdf = render(submission)
    second, _pdf = render(submission)
    assert first.number == second.number
    assert IssuedReport.objects.filter(submission=submission).count() == 1


def test_changed_score_issues_a_new_number():
    submission = reviewed_submission(result="growth")
    first, _pdf = render(submission)
    ReviewDecision.objects.filter(submission=submission, question_code="D8.1").update(
        decision="rejected"
    )
    submission_rescore(submission=submission)
    second, _pdf = render(submission)
    assert second.number != first.number


def test_each_language_gets_its_own_number():
    submission = reviewed_submission(result="basic", certified=True)
    english, _pdf = render(submission, language="en")
    chinese, _pdf = render(submission, language="zh-hans")
    assert english.number != chinese.number
    assert chinese.canonical_data["language"] == "zh-hans"


def test_report_number_has_cycle_random_part_and_check():
    submission = reviewed_submission(result="basic", certified=True)
    report, pdf = render(submission)
    assert reports.report_number_is_well_formed(report.number)
    assert report.number.startswith(f"IIP-{submission.cycle.code.upper()}-")
    assert report.number in flat(pages_text(pdf)[0])


def test_reviewer_reason_is_printed_as_text_not_markup():
    submission = reviewed_submission(result="basic")
    ReviewDecision.objects.filter(submission=submission, question_code="D1.1").update(
        reason='<b>bold</b> <img src="http://attacker.example/x.png"> 第三方检测报告'
    )
    _report, pdf = render(submission, language="zh-hans")
    text = flat("".join(pages_text(pdf)))
    assert flat("<b>bold</b>") in text
    assert "attacker.example" in text


def test_fetcher_serves_static_files_and_refuses_the_network():
    fetcher = reports.StaticOnlyURLFetcher()
    response = fetcher.fetch(reports.STATIC_BASE_URL + "css/report.css")
    assert b"@page" in response.read()
    for url in (
        "http://127.0.0.1:9/x.png",
        "https://example.cn/logo.png",
        "file:///etc/passwd",
        reports.STATIC_BASE_URL + "../config/settings.py",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_report_without_charts_renders_the_same_facts():
    submission = reviewed_submission(result="growth", certified=True)
    report, pdf = render(submission, with_charts=False)
    text = pages_text(pdf)
    assert "Growth" in text[0]
    assert report.canonical_sha256 in flat(text[-1])


def test_operator_links_are_printed_as_text():
    submission = reviewed_submission(result="basic", certified=True)
    _report, pdf = render(submission)
    text = flat("".join(pages_text(pdf)))
    assert "https://evidence.example.cn/D1.1.pdf" in text
    assert flat(submission.platform.website) in text


def test_progress_histogram_colours_each_bin_by_the_tiers_achieved():
    from assessment.services.report_charts import progress_histogram
    from questionnaires.choices import TIER_COLOURS

    svg = progress_histogram([0.5, 1.5, 2.5, 3.5], "S").lower()
    for tier in ("not_rated", "basic", "growth", "leading"):
        assert TIER_COLOURS[tier] in svg
    assert TIER_COLOURS["ecosystem"] not in svg


def test_progress_histogram_never_colours_a_not_rated_submission_as_a_tier():
    from assessment.services.report_charts import progress_histogram
    from questionnaires.choices import TIER_COLOURS

    # S = 1.00 with a precondition failed: T(basic) = 1, no tier.
    svg = progress_histogram([1.0, 1.0], "S", ["not_rated", "not_rated"]).lower()
    assert TIER_COLOURS["not_rated"] in svg
    assert TIER_COLOURS["basic"] not in svg


@pytest.mark.parametrize(("peers", "shown"), [(4, False), (5, True)])
def test_radar_shows_the_peer_median_only_with_five_certified_peers(peers, shown):
    from assessment.selectors.reports import submission_report_data

    submission = reviewed_submission(result="growth", certified=True)
    for _ in range(peers):
        reviewed_submission(result="growth", certified=True, cycle=submission.cycle)
    data = submission_report_data(report_submission_queryset().get(pk=submission.pk))
    assert data["peers"]["count"] == peers
    assert bool(data["peers"]["medians"]) is shown
    if shown:
        assert set(data["peers"]["medians"]) == set(data["profile"])
