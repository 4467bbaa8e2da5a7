"""Filing offline with Excel or WPS: the questionnaire as an XLSX workbook and back.

The workbook (docs/offline_filing.md) has a cover sheet, one sheet for the preconditions (P) and
one per dimension (D1 … D8). On each question sheet, row 1 holds the headings and every question
one row below: the code (column A, locked), question, help, unit, the value (column E, the only
unlocked column, with data validation), the answer's version when downloaded (F), the criteria per
tier (G–J) and the accepted values (K). Column L (hidden) holds the value as downloaded, so a cell
left alone is never taken for a change. The cover holds the platform, cycle, submission, rubric,
language and a checksum (an HMAC under the site's secret key) of the structure: the sheets, their
codes, the downloaded values and versions. A file whose structure no longer matches is refused.

Importing checks every value with the rules of the web form (assessment.services.submissions
.normalise_answer) and reports every problem at once by sheet and cell (``D1!E7: …``) in the
reader's language; nothing is stored unless the whole file is valid. An answer changed on the
web since the download is a conflict, listed and never overwritten. The store itself goes
through answers_save, so events, versions and rescoring are those of the web form.
"""

from assessment.services.offline_filing.cells import XLSX_CONTENT_TYPE, cell_value, raw_answer
from assessment.services.offline_filing.export import questionnaire_xlsx, xlsx_filename
from assessment.services.offline_filing.importing import (
    ImportedChange,
    ImportProblem,
    ImportRefused,
    ImportResult,
    questionnaire_import,
)

__all__ = [
    "XLSX_CONTENT_TYPE",
    "ImportProblem",
    "ImportRefused",
    "ImportResult",
    "ImportedChange",
    "cell_value",
    "questionnaire_import",
    "questionnaire_xlsx",
    "raw_answer",
    "xlsx_filename",
]
