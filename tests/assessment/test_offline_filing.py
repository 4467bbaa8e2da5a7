"""The questionnaire as XLSX and back (assessment.services.offline_filing), and its commands."""

import io
import shutil
import subprocess

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation
from openpyxl import load_workbook

from assessment.models import Answer, EventKind, SubmissionEvent
from assessment.services.offline_filing import (
    ImportRefused,
    questionnaire_import,
    questionnaire_xlsx,
)
from assessment.services.submissions import answer_save
from questionnaires.selectors import rubric_of
from tests.factories import (
    AnswerFactory,
    SubmissionFactory,
    answer_meeting,
    answered_submission,
    operator,
)

pytestmark = pytest.mark.django_db


def _draft(**fields):
    submission = SubmissionFactory(platform__kind="industry", **fields)
    return submission, submission.created_by


def _workbook(content: bytes):
    return load_workbook(io.BytesIO(content))


def _saved(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _row_of(sheet, code: str) -> int:
    for row in range(2, sheet.max_row + 1):
        if sheet[f"A{row}"].value == code:
            return row
    raise AssertionError(code)


def _fill(content: bytes, values: dict[str, object]) -> bytes:
    workbook = _workbook(content)
    for code, value in values.items():
        sheet = workbook["P" if "." not in code else code.split(".")[0]]
        sheet[f"E{_row_of(sheet, code)}"] = value
    return _saved(workbook)


def _answers(submission) -> dict:
    return dict(Answer.objects.filter(submission=submission).values_list("question_code", "value"))


# --- Export ----------------------------------------------------------------------------------


def test_export_has_a_cover_the_preconditions_and_one_sheet_per_dimension():
    submission, _operator = _draft()
    workbook = _workbook(questionnaire_xlsx(submission=submission, language="zh-hans"))
    assert workbook.sheetnames[0] == "封面"
    assert workbook.sheetnames[1:10] == ["P", "D1", "D2", "D3", "D4", "D5", "D6", "D7", "D8"]
    assert workbook["_lists"].sheet_state == "hidden"
    cover = workbook.worksheets[0]
    assert cover["B2"].value == submission.platform.name
    assert cover["B5"].value == submission.pk
    assert cover["B6"].value == "iip-2026@1.0"
    assert len(cover["B10"].value) == 64


def test_export_locks_everything_but_the_answer_column_and_validates_choices():
    submission, _operator = _draft()
    AnswerFactory(submission=submission, question_code="D1.4", value=2)
    workbook = _workbook(questionnaire_xlsx(submission=submission, language="en"))
    sheet = workbook["D1"]
    assert sheet.protection.sheet
    row = _row_of(sheet, "D1.4")
    assert sheet[f"A{row}"].protection.locked
    assert not sheet[f"E{row}"].protection.locked
    assert sheet[f"E{row}"].value.startswith("2 · ")
    assert sheet[f"F{row}"].value == 1  # the version
    assert sheet["B1"].value == "Question"
    validations = sheet.data_validations.dataValidation
    validated = {str(ref) for validation in validations for ref in validation.sqref.ranges}
    assert f"E{row}" in validated
    assert f"E{_row_of(sheet, 'D1.2')}" in validated  # numbers ≥ 0
    criteria = sheet[f"G{_row_of(sheet, 'D1.2')}"].value
    assert criteria  # the basic tier's criterion


def test_export_command_writes_the_file(tmp_path):
    submission, _operator = _draft()
    output = tmp_path / "q.xlsx"
    out = io.StringIO()
    call_command(
        "export_questionnaire",
        "--submission",
        str(submission.pk),
        "--lang",
        "zh-hans",
        "--output",
        str(output),
        stdout=out,
    )
    assert _workbook(output.read_bytes()).worksheets[0]["B5"].value == submission.pk


@pytest.mark.skipif(
    shutil.which("libreoffice") is None, reason="LibreOffice is not installed (bin/_bootstrap)"
)
def test_libreoffice_opens_the_workbook_cleanly(tmp_path):
    submission, _operator = _draft()
    source = tmp_path / "questionnaire.xlsx"
    source.write_bytes(questionnaire_xlsx(submission=submission, language="zh-hans"))
    completed = subprocess.run(  # noqa: S603
        [
            shutil.which("libreoffice"),
            f"-env:UserInstallation=file://{tmp_path}/profile",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        timeout=180,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    pdf = tmp_path / "questionnaire.pdf"
    assert pdf.exists() and pdf.read_bytes().startswith(b"%PDF")


# --- The round trip --------------------------------------------------------------------------


def test_round_trip_a_full_questionnaire_gives_equal_answers():
    model = answered_submission(tier="growth", state="draft", platform__kind="industry")
    expected = _answers(model)
    submission, actor = _draft()
    rubric = rubric_of(submission.rubric_version)
    content = questionnaire_xlsx(submission=submission, language="zh-hans")
    with translation.override("zh-hans"):
        from assessment.services.offline_filing import cell_value

        cells = {code: cell_value(rubric, code, v, "zh-hans") for code, v in expected.items()}
    result = questionnaire_import(actor=actor, submission=submission, content=_fill(content, cells))
    assert len(result.changes) == len(expected)
    assert _answers(submission) == expected
    assert SubmissionEvent.objects.filter(
        submission=submission, kind=EventKind.ANSWER_CHANGED
    ).count() == len(expected)


def test_plain_values_typed_by_hand_are_understood():
    submission, actor = _draft()
    content = questionnaire_xlsx(submission=submission, language="en")
    filled = _fill(
        content,
        {"P1": "是", "D1.2": 12000, "D1.4": 3, "D1.5": "[none]", "D3.6": "12.5", "D1.6": "no"},
    )
    rubric = rubric_of(submission.rubric_version)
    option = rubric.indicator("D1.5").options[0].code
    filled = _fill(filled, {"D1.5": f"[{option}] whatever"})
    questionnaire_import(actor=actor, submission=submission, content=filled)
    answers = _answers(submission)
    assert answers["P1"] is True
    assert answers["D1.2"] == 12000
    assert answers["D1.4"] == 3
    assert answers["D1.5"] == option or answers["D1.5"] == [option]
    assert answers["D3.6"] == 12.5
    assert answers["D1.6"] is False


def test_unchanged_cells_are_not_changes():
    submission, actor = _draft()
    AnswerFactory(submission=submission, question_code="D1.2", value=500)
    content = questionnaire_xlsx(submission=submission, language="zh-hans")
    result = questionnaire_import(actor=actor, submission=submission, content=content)
    assert result.changes == []
    assert Answer.objects.get(submission=submission, question_code="D1.2").version == 1


def test_import_command_prints_the_changes(tmp_path):
    submission, actor = _draft()
    path = tmp_path / "filled.xlsx"
    path.write_bytes(_fill(questionnaire_xlsx(submission=submission), {"D1.2": 3000}))
    out = io.StringIO()
    call_command(
        "import_questionnaire",
        "--submission",
        str(submission.pk),
        "--actor",
        actor.email,
        str(path),
        stdout=out,
    )
    assert "D1!E" in out.getvalue() and "D1.2: — → 3000" in out.getvalue()
    assert _answers(submission)["D1.2"] == 3000


# --- Refusals --------------------------------------------------------------------------------


def _refusal(submission, actor, content) -> ImportRefused:
    with pytest.raises(ImportRefused) as caught:
        questionnaire_import(actor=actor, submission=submission, content=content)
    return caught.value


def test_every_bad_value_is_reported_by_cell_and_nothing_is_stored():
    submission, actor = _draft()
    content = questionnaire_xlsx(submission=submission)
    sheet = _workbook(content)["D1"]
    devices, protocols = _row_of(sheet, "D1.2"), _row_of(sheet, "D1.1")
    bad = _fill(content, {"D1.2": -5, "D1.1": "many", "D3.6": 140, "P1": True})
    with translation.override("zh-hans"):
        refusal = _refusal(submission, actor, bad)
    cells = [problem.cell for problem in refusal.problems]
    assert f"D1!E{devices}" in cells and f"D1!E{protocols}" in cells
    assert any(cell.startswith("D3!E") for cell in cells)
    assert len(refusal.problems) == 3
    assert f"D1!E{devices}: 数值不能为负数。" in [str(p) for p in refusal.problems]
    assert _answers(submission) == {}


def test_problems_come_in_the_readers_language():
    submission, actor = _draft()
    bad = _fill(questionnaire_xlsx(submission=submission), {"D1.2": -5})
    with translation.override("en"):
        refusal = _refusal(submission, actor, bad)
    assert "The number cannot be negative." in str(refusal.problems[0])


def test_an_answer_changed_on_the_web_since_the_download_is_a_conflict():
    submission, actor = _draft()
    AnswerFactory(submission=submission, question_code="D1.2", value=500)
    content = questionnaire_xlsx(submission=submission)
    answer_save(actor=actor, submission=submission, question_code="D1.2", value=800, version=1)
    filled = _fill(content, {"D1.2": 900, "D1.1": 40})
    refusal = _refusal(submission, actor, filled)
    assert refusal.code == "import_conflict"
    assert refusal.status == 409
    assert len(refusal.problems) == 1 and "D1.2" in refusal.problems[0].message
    assert _answers(submission) == {"D1.2": 800}  # D1.3 not stored either


def test_a_cell_left_alone_is_no_conflict_when_the_web_changed_it():
    submission, actor = _draft()
    AnswerFactory(submission=submission, question_code="D1.2", value=500)
    content = questionnaire_xlsx(submission=submission)
    answer_save(actor=actor, submission=submission, question_code="D1.2", value=800, version=1)
    questionnaire_import(actor=actor, submission=submission, content=_fill(content, {"D1.1": 40}))
    assert _answers(submission) == {"D1.2": 800, "D1.1": 40}


def test_a_file_for_another_submission_is_refused():
    submission, actor = _draft()
    other = SubmissionFactory(platform__organisation=submission.platform.organisation)
    content = _fill(questionnaire_xlsx(submission=other), {"D1.2": 1})
    assert _refusal(submission, actor, content).code == "wrong_submission"


def test_a_file_for_another_rubric_version_is_refused():
    submission, actor = _draft()
    workbook = _workbook(questionnaire_xlsx(submission=submission))
    workbook.worksheets[0]["B6"] = "iip-2026@0.9"
    assert _refusal(submission, actor, _saved(workbook)).code == "wrong_rubric"


@pytest.mark.parametrize(
    "tamper",
    ["swap_codes", "edit_version", "delete_row", "remove_sheet", "edit_checksum"],
)
def test_a_tampered_structure_is_refused(tamper):
    submission, actor = _draft()
    AnswerFactory(submission=submission, question_code="D1.2", value=500)
    workbook = _workbook(questionnaire_xlsx(submission=submission))
    sheet = workbook["D1"]
    if tamper == "swap_codes":
        sheet["A2"], sheet["A3"] = sheet["A3"].value, sheet["A2"].value
    elif tamper == "edit_version":
        sheet[f"F{_row_of(sheet, 'D1.2')}"] = 7
    elif tamper == "delete_row":
        sheet.delete_rows(3)
    elif tamper == "remove_sheet":
        del workbook["D8"]
    else:
        workbook.worksheets[0]["B10"] = "0" * 64
    assert _refusal(submission, actor, _saved(workbook)).code == "tampered_structure"


def test_a_file_that_is_not_a_workbook_is_refused():
    submission, actor = _draft()
    assert _refusal(submission, actor, b"%PDF-1.4 not a workbook").code == "not_xlsx"


def test_a_closed_question_during_revision_is_refused():
    submission, actor = _draft(state="revision_requested")
    AnswerFactory(submission=submission, question_code="D1.2", value=500, reopened=True)
    AnswerFactory(submission=submission, question_code="D1.1", value=5)
    content = _fill(questionnaire_xlsx(submission=submission), {"D1.2": 600, "D1.1": 6})
    refusal = _refusal(submission, actor, content)
    assert refusal.code == "import_invalid"
    assert len(refusal.problems) == 1 and refusal.problems[0].cell.startswith("D1!E")
    assert _answers(submission) == {"D1.2": 500, "D1.1": 5}


def test_an_operator_of_another_organisation_cannot_import():
    submission, _actor = _draft()
    stranger = operator()
    content = _fill(questionnaire_xlsx(submission=submission), {"D1.2": 1})
    with pytest.raises(Exception) as caught:
        questionnaire_import(actor=stranger, submission=submission, content=content)
    assert getattr(caught.value, "code", "") == "not_operator"


def test_import_command_lists_every_problem_on_stderr_and_fails(tmp_path):
    submission, actor = _draft()
    path = tmp_path / "bad.xlsx"
    path.write_bytes(_fill(questionnaire_xlsx(submission=submission), {"D1.2": -1, "D1.1": "x"}))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_questionnaire",
            "--submission",
            str(submission.pk),
            "--actor",
            actor.email,
            str(path),
            stderr=err,
        )
    assert err.getvalue().count("D1!E") == 2
    assert _answers(submission) == {}


def test_answer_meeting_values_survive_the_cells():
    submission, _actor = _draft()
    rubric = rubric_of(submission.rubric_version)
    from assessment.services.offline_filing import cell_value, raw_answer
    from assessment.services.submissions import normalise_answer

    for indicator in rubric.indicators:
        for tier in ("basic", "ecosystem"):
            value = normalise_answer(
                rubric, indicator.code, answer_meeting(indicator, "industry", tier)
            )
            for language in ("zh-hans", "en"):
                cell = cell_value(rubric, indicator.code, value, language)
                again = normalise_answer(
                    rubric, indicator.code, raw_answer(rubric, indicator.code, cell)
                )
                assert again == value, (indicator.code, cell)


# --- The API ---------------------------------------------------------------------------------


def _api(user):
    from tests.assessment.api_support import token_client

    return token_client(user)


def test_api_downloads_and_uploads_with_the_same_rules():
    from django.core.files.uploadedfile import SimpleUploadedFile

    submission, actor = _draft()
    client = _api(actor)
    url = f"/api/v1/submissions/{submission.pk}/questionnaire/xlsx/"
    download = client.get(url, {"lang": "en"})
    assert download.status_code == 200
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    filled = _fill(download.content, {"D1.2": 4500})
    preview = client.post(
        url, {"file": SimpleUploadedFile("q.xlsx", filled), "dry_run": "true"}, format="multipart"
    )
    assert preview.status_code == 200 and preview.json()["dry_run"] is True
    assert _answers(submission) == {}
    stored = client.post(url, {"file": SimpleUploadedFile("q.xlsx", filled)}, format="multipart")
    assert stored.status_code == 200
    assert stored.json()["changes"][0]["question_code"] == "D1.2"
    assert _answers(submission) == {"D1.2": 4500}


def test_api_lists_every_problem_with_its_cell():
    from django.core.files.uploadedfile import SimpleUploadedFile

    submission, actor = _draft()
    url = f"/api/v1/submissions/{submission.pk}/questionnaire/xlsx/"
    bad = _fill(questionnaire_xlsx(submission=submission), {"D1.2": -1, "D1.1": "x"})
    response = _api(actor).post(
        url, {"file": SimpleUploadedFile("q.xlsx", bad)}, format="multipart"
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "import_invalid"
    assert sorted(error["field"][:4] for error in body["errors"]) == ["D1!E", "D1!E"]


def test_api_out_of_scope_is_missing():
    submission, _actor = _draft()
    response = _api(operator()).get(f"/api/v1/submissions/{submission.pk}/questionnaire/xlsx/")
    assert response.status_code == 404


# --- The web pages ---------------------------------------------------------------------------


def test_operator_downloads_and_uploads_on_the_web(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    submission, actor = _draft()
    client.force_login(actor)
    page = client.get(f"/operator/submissions/{submission.pk}/questionnaire/P/")
    assert f"/operator/submissions/{submission.pk}/offline/" in page.content.decode()
    download = client.get(f"/operator/submissions/{submission.pk}/offline/questionnaire.xlsx")
    assert download.status_code == 200
    url = f"/operator/submissions/{submission.pk}/offline/"
    bad = _fill(download.content, {"D1.2": -3})
    refused = client.post(url, {"file": SimpleUploadedFile("q.xlsx", bad)})
    assert refused.status_code == 400
    assert "D1!E" in refused.content.decode()
    good = _fill(download.content, {"D1.2": 42})
    saved = client.post(url, {"file": SimpleUploadedFile("q.xlsx", good)})
    assert saved.status_code == 200
    assert _answers(submission) == {"D1.2": 42}


def test_another_organisations_operator_gets_404_on_the_web(client):
    submission, _actor = _draft()
    client.force_login(operator())
    assert client.get(f"/operator/submissions/{submission.pk}/offline/").status_code == 404
    assert (
        client.get(f"/operator/submissions/{submission.pk}/offline/questionnaire.xlsx").status_code
        == 404
    )
