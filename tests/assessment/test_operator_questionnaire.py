"""The questionnaire pages over HTTP: widgets, saving, bad input, tampering, uploads, autosave,
submitting and the read-only view."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessment.models import Answer, Evidence, SubmissionState
from assessment.services import submissions as services
from tests import factories

pytestmark = pytest.mark.django_db
S = SubmissionState


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def submission():
    return factories.SubmissionFactory()


@pytest.fixture
def operator_client(client, submission):
    client.force_login(submission.created_by)
    return client


def page_url(submission, section):
    return reverse("operator_questionnaire", args=[submission.pk, section])


def autosave_url(submission):
    return reverse("operator_autosave", args=[submission.pk])


def stored(submission, code):
    return Answer.objects.filter(submission=submission, question_code=code).first()


# --- Rendering ---


def test_the_preconditions_page_comes_first_with_yes_no_radios(operator_client, submission):
    response = operator_client.get(reverse("operator_submission_continue", args=[submission.pk]))
    assert response.url == page_url(submission, "P")
    page = operator_client.get(response.url).content.decode()
    assert 'name="q-P1" value="true"' in page
    assert 'name="q-P1" value="false"' in page


def test_the_dimension_page_shows_each_question_type_with_its_widget(operator_client, submission):
    page = operator_client.get(page_url(submission, "D1")).content.decode()
    assert 'inputmode="decimal"' in page and 'name="q-D1.2"' in page  # numeric
    assert "台(套)" in page  # its unit
    assert page.count('name="q-D1.4" value=') == 4  # ordinal: four anchors
    assert "边缘节点可在本地运行规则和模型" in page  # with their descriptions
    assert 'type="radio" name="q-D1.5" value="registered"' in page  # single choice
    assert "证明材料" in page  # the help text says what evidence convinces a reviewer


def test_the_side_index_shows_each_dimensions_completion(operator_client, submission):
    factories.AnswerFactory(submission=submission, question_code="D1.1", value=5)
    page = operator_client.get(page_url(submission, "D1")).content.decode()
    assert "1/5" in page  # D1 for an industry platform: 5 questions, 1 answered
    assert "0/2" in page  # preconditions


def test_the_page_is_shown_in_english_when_chosen(operator_client, submission):
    operator_client.cookies["django_language"] = "en"
    page = operator_client.get(page_url(submission, "D1")).content.decode()
    assert "Connected industrial devices" in page


def test_an_unknown_section_is_404(operator_client, submission):
    assert operator_client.get(page_url(submission, "D99")).status_code == 404


def test_the_dimension_page_runs_a_fixed_number_of_queries(operator_client, submission):
    operator_client.get(page_url(submission, "D1"))  # warm the rubric cache
    with CaptureQueriesContext(connection) as empty:
        assert operator_client.get(page_url(submission, "D1")).status_code == 200
    actor = submission.created_by
    for code in ("D1.1", "D1.2", "D1.4", "D2.1", "D3.1", "P1"):
        value = "true" if code == "P1" else "2"
        services.answer_save(
            actor=actor, submission=submission, question_code=code, value=value, version=0
        )
    for number in range(6):
        services.evidence_add_file(
            actor=actor,
            submission=submission,
            question_code="D1.2" if number % 2 else "D1.1",
            uploaded_file=factories.uploaded_file(
                factories.pdf_bytes(f"证明{number}"), f"{number}.pdf"
            ),
        )
    with CaptureQueriesContext(connection) as full:
        assert operator_client.get(page_url(submission, "D1")).status_code == 200
    assert len(full) == len(empty)
    assert len(full) <= 7, [query["sql"] for query in full.captured_queries]


# --- Saving without JavaScript ---


def test_posting_the_page_saves_the_answers_and_redirects(operator_client, submission):
    response = operator_client.post(
        page_url(submission, "D1"),
        {
            "q-D1.1": "6",
            "v-D1.1": "0",
            "q-D1.2": "12000",
            "v-D1.2": "0",
            "q-D1.4": "2",
            "v-D1.4": "0",
        },
    )
    assert response.status_code == 302
    assert (stored(submission, "D1.1").value, stored(submission, "D1.2").value) == (6, 12000)
    assert stored(submission, "D1.4").value == 2


def test_a_whole_page_save_leaves_untouched_multiple_choices_unchanged(operator_client, submission):
    # Stored in another order than the rubric's (as older data and imports may hold them): the
    # same options posted in the page's order are no change, so no new version and no event.
    factories.AnswerFactory(
        submission=submission, question_code="D4.6", value=["sme-pilot", "provincial"]
    )
    response = operator_client.post(
        page_url(submission, "D4"),
        {"q-D4.6": ["provincial", "sme-pilot"], "v-D4.6": "1"},
    )
    assert response.status_code == 302
    assert stored(submission, "D4.6").version == 1
    assert not submission.events.filter(kind="answer_changed", question_code="D4.6").exists()


def test_saving_the_same_options_in_another_order_is_no_change():
    answer = factories.AnswerFactory(question_code="D4.6", value=["sme-pilot", "provincial"])
    services.answers_save(
        actor=answer.submission.created_by,
        submission=answer.submission,
        changes=[services.AnswerChange("D4.6", ["provincial", "sme-pilot"], 1)],
    )
    answer.refresh_from_db()
    assert answer.version == 1
    assert not answer.submission.events.filter(kind="answer_changed").exists()


def test_numbers_copied_with_thousands_separators_are_accepted(operator_client, submission):
    response = operator_client.post(
        page_url(submission, "D1"), {"q-D1.2": "1,509,254", "v-D1.2": "0"}
    )
    assert response.status_code == 302
    assert stored(submission, "D1.2").value == 1509254
    response = operator_client.post(
        autosave_url(submission), {"question": "D1.1", "q-D1.1": "1 509", "v-D1.1": "0"}
    )
    assert response.status_code == 200
    assert stored(submission, "D1.1").value == 1509


def test_save_and_continue_goes_to_the_next_section(operator_client, submission):
    response = operator_client.post(
        page_url(submission, "P"), {"q-P1": "true", "v-P1": "0", "action": "save_next"}
    )
    assert response.url == page_url(submission, "D1")


@pytest.mark.parametrize(
    ("code", "value", "message"),
    [
        ("D1.2", "-3", "The number cannot be negative."),
        ("D1.2", "很多", "Enter a number, for example 1200 or 12.5."),
        ("D1.2", "1e99", "This number is too large; check for extra digits."),
        ("D1.1", "5台", "Enter a number, for example 1200 or 12.5."),
        ("D1.4", "9", "Choose one of the four levels."),
        ("D1.5", "hacked", "Choose one of the options listed."),
    ],
)
def test_bad_input_is_refused_beside_the_field_and_nothing_is_saved(
    operator_client, submission, code, value, message
):
    operator_client.cookies["django_language"] = "en"
    other = "D1.1" if code != "D1.1" else "D1.2"
    response = operator_client.post(
        page_url(submission, "D1"),
        {f"q-{code}": value, f"v-{code}": "0", f"q-{other}": "77", f"v-{other}": "0"},
    )
    page = response.content.decode()
    assert response.status_code == 400
    anchor = "error-q-" + code.replace(".", "-")
    assert f'id="{anchor}"' in page and message in page
    assert f'aria-describedby="{anchor}' in page
    assert not Answer.objects.filter(submission=submission).exists()
    assert 'value="77"' in page  # the rest of the input is kept


def test_a_percentage_over_100_is_refused(operator_client, submission):
    operator_client.cookies["django_language"] = "en"
    response = operator_client.post(page_url(submission, "D5"), {"q-D5.2": "120", "v-D5.2": "0"})
    assert response.status_code == 400
    assert "A percentage cannot be more than 100." in response.content.decode()
    assert stored(submission, "D5.2") is None


def test_a_question_of_another_rubric_in_the_post_is_ignored(operator_client, submission):
    response = operator_client.post(
        page_url(submission, "D1"), {"q-D1.1": "6", "v-D1.1": "0", "q-D9.9": "1", "v-D9.9": "0"}
    )
    assert response.status_code == 302
    assert list(
        Answer.objects.filter(submission=submission).values_list("question_code", flat=True)
    ) == ["D1.1"]


def test_another_organisations_submission_is_404_and_unchanged(operator_client):
    foreign = factories.SubmissionFactory()
    response = operator_client.post(page_url(foreign, "D1"), {"q-D1.1": "6", "v-D1.1": "0"})
    assert response.status_code == 404
    assert not Answer.objects.filter(submission=foreign).exists()


def test_a_stale_version_shows_the_conflict_and_keeps_the_input(operator_client, submission):
    colleague = factories.operator(organisation=submission.platform.organisation, full_name="李工")
    services.answer_save(
        actor=colleague, submission=submission, question_code="D1.2", value="500", version=0
    )
    operator_client.cookies["django_language"] = "en"
    response = operator_client.post(page_url(submission, "D1"), {"q-D1.2": "900", "v-D1.2": "0"})
    page = response.content.decode()
    assert response.status_code == 409
    assert "李工 saved a newer answer meanwhile" in page
    assert 'value="900"' in page
    assert 'name="v-D1.2" value="1"' in page  # saving again overwrites on purpose
    assert stored(submission, "D1.2").value == 500


def test_a_tampered_version_never_overwrites(operator_client, submission):
    services.answer_save(
        actor=submission.created_by,
        submission=submission,
        question_code="D1.2",
        value="5",
        version=0,
    )
    response = operator_client.post(page_url(submission, "D1"), {"q-D1.2": "9", "v-D1.2": "x"})
    assert response.status_code == 409
    assert stored(submission, "D1.2").value == 5


def test_a_submitted_submission_cannot_be_changed_by_a_post(operator_client):
    submission = factories.answered_submission(state="submitted")
    operator_client.force_login(submission.created_by)
    before = stored(submission, "D1.2").value
    operator_client.post(page_url(submission, "D1"), {"q-D1.2": "1", "v-D1.2": "1"})
    assert stored(submission, "D1.2").value == before


def test_a_reviewer_cannot_open_the_questionnaire(client, submission):
    client.force_login(factories.reviewer("440000"))
    assert client.get(page_url(submission, "D1")).status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(client, submission):
    response = client.get(page_url(submission, "D1"))
    assert response.status_code == 302 and "/accounts/login/" in response.url


# --- Autosave ---


def test_autosave_saves_one_answer_and_returns_its_version_and_the_score(
    operator_client, submission
):
    response = operator_client.post(
        autosave_url(submission), {"question": "D1.2", "q-D1.2": "15000", "v-D1.2": "0"}
    )
    body = response.json()
    assert response.status_code == 200
    assert (body["version"], body["value"]) == (1, "15000")
    assert "tier-badge" in body["score_html"]
    assert {"code": "D1", "answered": 1, "total": 5, "complete": False} in body["sections"]
    assert stored(submission, "D1.2").value == 15000


def test_autosave_refuses_bad_input_with_a_translated_message(operator_client, submission):
    response = operator_client.post(
        autosave_url(submission), {"question": "D5.2", "q-D5.2": "130", "v-D5.2": "0"}
    )
    assert response.status_code == 400
    assert response.json()["field"] == "D5.2"
    assert (
        response.json()["message"] == "百分比不能超过100。" or "100" in response.json()["message"]
    )
    assert stored(submission, "D5.2") is None


def test_autosave_refuses_a_question_of_another_rubric(operator_client, submission):
    response = operator_client.post(
        autosave_url(submission), {"question": "D9.1", "q-D9.1": "1", "v-D9.1": "0"}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_question"


def test_autosave_of_another_organisations_submission_is_404(operator_client):
    foreign = factories.SubmissionFactory()
    response = operator_client.post(
        autosave_url(foreign), {"question": "D1.2", "q-D1.2": "1", "v-D1.2": "0"}
    )
    assert response.status_code == 404
    assert stored(foreign, "D1.2") is None


# --- Evidence uploads ---


def upload(client, submission, code, file, action_code=None):
    return client.post(
        page_url(submission, code.split(".")[0]),
        {f"file-{code}": file, "action": f"upload:{action_code or code}"},
    )


def test_uploading_a_pdf_attaches_it_and_keeps_its_name(operator_client, submission):
    response = upload(
        operator_client,
        submission,
        "D1.2",
        factories.uploaded_file(factories.pdf_bytes(), "接入清单.pdf"),
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get(submission=submission)
    assert (evidence.question_code, evidence.original_name) == ("D1.2", "接入清单.pdf")


def test_after_an_upload_the_message_is_in_the_evidence_block_the_page_opens_at(
    operator_client, submission
):
    # The message was at the top of the page while the page opened at the question.
    response = upload(
        operator_client,
        submission,
        "D1.2",
        factories.uploaded_file(factories.pdf_bytes(), "接入清单.pdf"),
    )
    assert response["Location"].endswith("#evidence-q-D1-2")
    content = operator_client.get(response["Location"]).content.decode()
    block = content[content.index('id="evidence-q-D1-2"') :]
    assert block.index('id="notice-q-D1-2"') < block.index("</div>")
    assert content.count('id="notice-') == 1
    again = operator_client.get(response["Location"]).content.decode()
    assert 'id="notice-' not in again


def test_confirming_copied_evidence_returns_to_its_question(operator_client, submission):
    evidence = factories.EvidenceLinkFactory(submission=submission, question_code="D1.2")
    Evidence.objects.filter(pk=evidence.pk).update(needs_reconfirmation=True)
    response = operator_client.post(
        page_url(submission, "D1"), {"action": f"confirm:{evidence.pk}"}
    )
    assert response["Location"].endswith("#evidence-q-D1-2")


def test_a_renamed_executable_is_refused_beside_the_upload_field(operator_client, submission):
    operator_client.cookies["django_language"] = "en"
    response = upload(
        operator_client,
        submission,
        "D1.2",
        factories.uploaded_file(b"MZ\x90\x00" + b"\x00" * 1000, "年报.pdf"),
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="evidence-error-q-D1-2"' in page
    assert "Programs and scripts cannot be uploaded as evidence." in page
    assert not Evidence.objects.exists()


def test_a_21_mb_file_is_refused_with_the_limit_in_the_message(operator_client, submission):
    operator_client.cookies["django_language"] = "en"
    content = factories.pdf_bytes() + b"\0" * (21 * 1024 * 1024)
    response = upload(
        operator_client, submission, "D1.2", factories.uploaded_file(content, "big.pdf")
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "the limit is 20.0" in page
    assert not Evidence.objects.exists()


def test_a_zip_slip_archive_is_refused(operator_client, submission, tmp_path):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../../../../tmp/owned.txt", b"x")
    response = upload(
        operator_client, submission, "D1.2", factories.uploaded_file(buffer.getvalue(), "材料.zip")
    )
    assert response.status_code == 400
    assert not Evidence.objects.exists()
    assert not (tmp_path.parent / "owned.txt").exists()


def test_a_refused_upload_also_leaves_the_typed_answers_unsaved_and_kept(
    operator_client, submission
):
    response = operator_client.post(
        page_url(submission, "D1"),
        {
            "q-D1.1": "8",
            "v-D1.1": "0",
            "file-D1.2": factories.uploaded_file(b"#!/bin/sh\n", "a.csv"),
            "action": "upload:D1.2",
        },
    )
    assert response.status_code == 400
    assert 'value="8"' in response.content.decode()
    assert stored(submission, "D1.1") is None


def test_removing_evidence_keeps_the_row_for_the_audit_trail(operator_client, submission):
    evidence = services.evidence_add_link(
        actor=submission.created_by,
        submission=submission,
        question_code="D1.2",
        url="https://a.cn/b",
    )
    response = operator_client.post(page_url(submission, "D1"), {"action": f"remove:{evidence.pk}"})
    assert response.status_code == 302
    evidence.refresh_from_db()
    assert evidence.removed_at is not None


def test_evidence_of_another_submission_cannot_be_removed_by_tampering(operator_client, submission):
    foreign = factories.SubmissionFactory()
    evidence = services.evidence_add_link(
        actor=foreign.created_by, submission=foreign, question_code="D1.2", url="https://a.cn/b"
    )
    response = operator_client.post(page_url(submission, "D1"), {"action": f"remove:{evidence.pk}"})
    assert response.status_code == 404
    evidence.refresh_from_db()
    assert evidence.is_current


# --- Submitting ---


def test_the_submit_page_lists_every_missing_item_with_a_link(operator_client, submission):
    page = operator_client.get(reverse("operator_submission_submit", args=[submission.pk]))
    content = page.content.decode()
    assert 'data-code="P1"' in content
    assert page_url(submission, "D1") + "#q-D1-2" in content
    assert 'name="confirm"' not in content  # no submit button until complete


def test_submitting_needs_the_confirmation(client):
    submission = factories.answered_submission(state="draft")
    client.force_login(submission.created_by)
    response = client.post(reverse("operator_submission_submit", args=[submission.pk]), {})
    assert response.status_code == 400
    submission.refresh_from_db()
    assert submission.state == S.DRAFT


def test_submitting_a_complete_draft_leads_to_the_read_only_view(client):
    submission = factories.answered_submission(state="draft")
    client.force_login(submission.created_by)
    response = client.post(
        reverse("operator_submission_submit", args=[submission.pk]), {"confirm": "yes"}
    )
    assert response.url == reverse("operator_submission_view", args=[submission.pk])
    submission.refresh_from_db()
    assert submission.state == S.SUBMITTED
    view = client.get(response.url).content.decode()
    assert "q-D1.2" not in view  # no inputs
    assert 'data-testid="state"' in view


def test_after_submission_the_questionnaire_redirects_to_the_read_only_view(client):
    submission = factories.answered_submission(state="submitted")
    client.force_login(submission.created_by)
    response = client.get(page_url(submission, "D1"))
    assert response.url == reverse("operator_submission_view", args=[submission.pk])


def test_the_read_only_view_shows_the_history(client):
    submission = factories.answered_submission(state="draft")
    client.force_login(submission.created_by)
    services.submission_submit(actor=submission.created_by, submission=submission)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("operator_submission_view", args=[submission.pk])).content.decode()
    assert "Draft → Submitted" in page


# --- Home ---


def test_home_offers_start_for_a_platform_without_a_submission_in_an_open_cycle(client):
    import datetime

    from django.utils import timezone

    platform = factories.PlatformFactory()
    today = timezone.localdate()
    cycle = factories.CycleFactory(
        opens_on=today - datetime.timedelta(days=1), closes_on=today + datetime.timedelta(days=9)
    )
    client.force_login(factories.operator(organisation=platform.organisation))
    page = client.get(reverse("operator_home")).content.decode()
    assert f'name="cycle" value="{cycle.pk}"' in page
    response = client.post(
        reverse("operator_submission_start"),
        {"platform": platform.pk, "cycle": cycle.pk, "mode": "empty"},
    )
    submission = platform.submissions.get()
    assert response.url == page_url(submission, "P")


def test_home_cannot_start_a_submission_for_another_organisations_platform(client):
    platform = factories.PlatformFactory()
    client.force_login(factories.operator())
    response = client.post(
        reverse("operator_submission_start"),
        {"platform": platform.pk, "cycle": factories.CycleFactory().pk},
    )
    assert response.status_code == 404
    assert not platform.submissions.exists()


def test_the_read_only_view_shows_the_precondition_answers(client):
    submission = factories.answered_submission(state="submitted")
    client.force_login(submission.created_by)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("operator_submission_view", args=[submission.pk])).content.decode()
    p1 = page.index('question-code">P1<')
    assert "Yes" in page[p1 : page.index('question-code">P2<')]


# --- The revision loop over HTTP ---


@pytest.fixture
def revision(client):
    submission = factories.answered_submission(state=S.REVISION_REQUESTED)
    Answer.objects.filter(submission=submission, question_code="D1.2").update(reopened=True)
    client.force_login(submission.created_by)
    return submission


def test_a_revision_page_marks_the_reopened_question_and_locks_the_others(client, revision):
    client.cookies["django_language"] = "en"
    page = client.get(page_url(revision, "D1")).content.decode()
    reopened = page[page.index('id="q-D1-2"') :]
    assert "reopened by the reviewer" in reopened[: reopened.index("</legend>")]
    assert page[page.index('id="q-D1-1"') :].split("</section>")[0].count("<fieldset disabled") == 1


def test_autosave_in_a_revision_refuses_a_question_that_was_not_reopened(client, revision):
    before = stored(revision, "D1.1").value
    response = client.post(
        autosave_url(revision), {"question": "D1.1", "q-D1.1": "99", "v-D1.1": "1"}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "not_editable"
    assert stored(revision, "D1.1").value == before


def test_autosave_in_a_revision_saves_the_reopened_question(client, revision):
    response = client.post(
        autosave_url(revision), {"question": "D1.2", "q-D1.2": "123456", "v-D1.2": "1"}
    )
    assert response.status_code == 200
    assert stored(revision, "D1.2").value == 123456


def test_replacing_evidence_keeps_the_old_item(operator_client, submission):
    old = services.evidence_add_link(
        actor=submission.created_by,
        submission=submission,
        question_code="D1.2",
        url="https://a.cn/1",
    )
    response = operator_client.post(
        page_url(submission, "D1"),
        {
            f"replace-file-{old.pk}": factories.uploaded_file(factories.pdf_bytes(), "新.pdf"),
            "action": f"replace:{old.pk}",
        },
    )
    assert response.status_code == 302
    new = Evidence.objects.get(submission=submission, is_current=True)
    assert (new.original_name, new.replaces_id) == ("新.pdf", old.pk)


# --- Query counts of the other main pages ---


def count_queries(client, url):
    client.get(url)  # warm caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_read_only_view_runs_a_fixed_number_of_queries(client):
    small = factories.answered_submission(state="draft", evidence=False)
    client.force_login(small.created_by)
    few = count_queries(client, reverse("operator_submission_view", args=[small.pk]))
    large = factories.answered_submission(state="draft")
    services.submission_submit(actor=large.created_by, submission=large)
    client.force_login(large.created_by)
    many = count_queries(client, reverse("operator_submission_view", args=[large.pk]))
    assert few == many
    assert many <= 12


def test_home_runs_a_fixed_number_of_queries(client):
    operator = factories.operator()
    client.force_login(operator)
    factories.SubmissionFactory(platform__organisation=operator.organisation)
    few = count_queries(client, reverse("operator_home"))
    for _ in range(4):
        factories.SubmissionFactory(platform__organisation=operator.organisation)
    # One query more than before the renewals: the certifications to renew (docs/monitoring.md).
    assert count_queries(client, reverse("operator_home")) == few <= 7
