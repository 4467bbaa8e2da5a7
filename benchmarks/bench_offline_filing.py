"""Offline filing: importing a full questionnaire workbook against merely reading it.

A draft of the benchmark database gets its questionnaire exported as XLSX, every answer filled
(the values that meet the growth tier) with openpyxl. Timed: the import with every check and
the store (answers_save, events, rescoring) inside a transaction that is rolled back after each
run, so every run stores the same changes; the same import as a dry run (checks only); and the
baseline, openpyxl's read-only load of the same file with every cell read. Ratios against the
baseline are printed; no bar (the issue asks for the figure).
"""

import io


def _filled_workbook(submission) -> bytes:
    from openpyxl import load_workbook

    from assessment.services.offline_filing import cell_value, questionnaire_xlsx
    from assessment.services.submissions import normalise_answer
    from questionnaires.selectors import rubric_of
    from tests.factories import answer_meeting

    rubric = rubric_of(submission.rubric_version)
    workbook = load_workbook(io.BytesIO(questionnaire_xlsx(submission=submission)))
    for sheet in workbook.worksheets[1:]:
        for row in range(2, sheet.max_row + 1):
            code = sheet[f"A{row}"].value
            if code is None or sheet.title == "_lists":
                continue
            if rubric.has_indicator(code):
                raw = answer_meeting(rubric.indicator(code), submission.platform_kind, "growth")
                value = normalise_answer(rubric, code, raw)
                if value == submission_value(submission, code):
                    value = normalise_answer(
                        rubric,
                        code,
                        answer_meeting(rubric.indicator(code), submission.platform_kind, "basic"),
                    )
            else:
                value = True
            sheet[f"E{row}"] = cell_value(rubric, code, value, "zh-hans")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def submission_value(submission, code):
    answer = submission.answers.filter(question_code=code).first()
    return answer.value if answer else None


def run() -> None:
    from django.db import transaction
    from openpyxl import load_workbook

    from assessment.models import Submission
    from assessment.services.offline_filing import questionnaire_import
    from benchmarks.common import measure, report

    submission = (
        Submission.objects.filter(state="draft")
        .select_related("platform__organisation", "cycle", "rubric_version")
        .order_by("pk")
        .first()
    )
    if submission is None:
        print("no draft submission in the benchmark database; nothing to measure")
        return
    actor = submission.created_by
    content = _filled_workbook(submission)

    def openpyxl_read():
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        cells = sum(1 for sheet in workbook.worksheets for row in sheet.iter_rows() for _ in row)
        workbook.close()
        return cells

    def import_dry_run():
        questionnaire_import(actor=actor, submission=submission, content=content, dry_run=True)

    changes = []

    def import_and_store():
        with transaction.atomic():
            result = questionnaire_import(actor=actor, submission=submission, content=content)
            changes.append(len(result.changes))
            transaction.set_rollback(True)

    baseline = measure(openpyxl_read, repeat=10)
    print(
        f"submission {submission.pk}: {len(content):,} bytes, {openpyxl_read():,} cells; "
        "each stored import is rolled back"
    )
    report("openpyxl read-only load + every cell (baseline)", baseline)
    report("import, checks only (dry run)", measure(import_dry_run, repeat=10), baseline)
    report("import, checks + store + rescore", measure(import_and_store, repeat=10), baseline)
    print(f"answers changed per stored import: {changes[-1]}")
