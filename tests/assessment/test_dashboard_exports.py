"""The CSV and XLSX exports hold the numbers shown on the page, with the filters and the time."""

import csv
import io
from decimal import Decimal, InvalidOperation
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessment.models import Region
from tests.factories import CycleFactory, regulator, scored_submission

pytestmark = pytest.mark.django_db

CHARTS = ["targets", "map", "tiers", "kinds", "heatmap", "pipeline", "trend"]
# With the monitoring tables, compared with the page in test_dashboard_monitoring.py.
SHEETS = [*CHARTS, "monitoring", "exits"]


class TableReader(HTMLParser):
    """Every <table> of a page as {caption: [rows of cell texts]} (header row first)."""

    def __init__(self):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self._rows = None
        self._cell = None
        self._caption = None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self._rows, self._caption = [], ""
        elif tag == "caption":
            self._caption = ""
            self._in_caption = True
        elif tag == "tr" and self._rows is not None:
            self._rows.append([])
        elif tag in ("td", "th") and self._rows is not None:
            self._cell = ""

    def handle_endtag(self, tag):
        if tag == "caption":
            self._in_caption = False
        elif tag in ("td", "th") and self._cell is not None:
            self._rows[-1].append(self._cell.strip())
            self._cell = None
        elif tag == "table" and self._rows is not None:
            self.tables[self._caption.strip()] = self._rows
            self._rows = None

    def handle_data(self, data):
        if getattr(self, "_in_caption", False):
            self._caption += data
        elif self._cell is not None:
            self._cell += data


def normal(cell) -> str:
    text = "" if cell is None else str(cell).strip().replace(",", "")
    if text == "—":
        return ""
    try:
        return format(Decimal(text).normalize(), "f")
    except InvalidOperation:
        return text


def normal_rows(rows):
    return [[normal(cell) for cell in row] for row in rows]


@pytest.fixture
def page(client):
    cycle = CycleFactory(code="2027")
    Region.objects.filter(code="440000").update(industrial_enterprises=3000)
    scored_submission(
        region_code="440300",
        cycle=cycle,
        state="certified",
        certified_tier="growth",
        connected_devices=1_234_567,
        enterprises_served=1000,
        progress_index="2.35",
        dimension_means={"D1": "0.8333", "D2": "0.5000"},
    )
    scored_submission(
        region_code="440100",
        cycle=cycle,
        state="in_review",
        connected_devices=250,
        progress_index="0.75",
        dimension_means={"D1": "0.2500"},
    )
    scored_submission(region_code="330100", cycle=cycle, kind="specialized", state="draft")
    client.force_login(regulator(is_national=True))
    client.cookies["django_language"] = "en"
    query = "?cycle=2027&kind=industry"
    response = client.get(reverse("dashboard_region", args=["440000"]) + query)
    assert response.status_code == 200
    reader = TableReader()
    reader.feed(response.content.decode())
    return {"client": client, "query": query, "tables": reader.tables, "context": response.context}


def export(page, chart, fmt):
    url = reverse("dashboard_region_export", args=["440000", chart, fmt]) + page["query"]
    response = page["client"].get(url)
    assert response.status_code == 200
    return response


def csv_parts(response):
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    blank = lines.index([])
    return lines[:blank], lines[blank + 1 :]


def page_table(page, chart):
    title = page["context"]["tables"][chart]["title"]
    return page["tables"][title]


@pytest.mark.parametrize("chart", CHARTS)
def test_csv_holds_the_numbers_on_the_page(page, chart):
    _preamble, table = csv_parts(export(page, chart, "csv"))
    assert normal_rows(table) == normal_rows(page_table(page, chart))


@pytest.mark.parametrize("chart", CHARTS)
def test_xlsx_holds_the_numbers_on_the_page(page, chart):
    workbook = load_workbook(io.BytesIO(export(page, chart, "xlsx").content), read_only=True)
    shown = page_table(page, chart)
    width = len(shown[0])
    # A spreadsheet drops empty cells at the end of a row; pad them back.
    rows = [
        [*row, *[None] * (width - len(row))][:width]
        for row in workbook.worksheets[0].iter_rows(values_only=True)
    ]
    header = next(
        index for index, row in enumerate(rows) if normal_rows([row]) == normal_rows(shown[:1])
    )
    assert normal_rows(rows[header:]) == normal_rows(shown)


def test_xlsx_keeps_numbers_as_numbers(page):
    workbook = load_workbook(io.BytesIO(export(page, "map", "xlsx").content), read_only=True)
    rows = [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    shenzhen = next(row for row in rows if row and row[0] == "440300")
    assert 1_234_567 in shenzhen


def test_csv_names_the_filters_and_the_time_of_export(page):
    preamble, _table = csv_parts(export(page, "tiers", "csv"))
    fields = {line[0]: line[1] for line in preamble if len(line) == 2}
    assert fields["Cycle"] == "2027 annual assessment"
    assert fields["Platform kind"] == "Industry"
    assert fields["Industry"] == "All"
    assert fields["Region"] == "Guangdong"
    assert fields["Exported at"][:2] == "20"


def test_platform_list_export_follows_the_filters(page):
    _preamble, table = csv_parts(export(page, "platforms", "csv"))
    header, *rows = table
    assert len(rows) == 2  # the two industry platforms of Guangdong; the Zhejiang one is out
    assert {row[header.index("Region code")] for row in rows} == {"440300", "440100"}


def test_workbook_of_everything_has_a_sheet_per_chart_and_the_platforms(page):
    # Sheets were named by internal keys ("heatmap") and every one was headed "Dashboard".
    workbook = load_workbook(io.BytesIO(export(page, "all", "xlsx").content), read_only=True)
    titles = [page["context"]["tables"][chart]["title"] for chart in SHEETS]
    assert workbook.sheetnames[: len(SHEETS)] == [str(title)[:31] for title in titles]
    assert workbook.sheetnames[-1] == "Platforms"
    headings = [next(sheet.iter_rows(values_only=True))[0] for sheet in workbook.worksheets]
    assert headings == [*map(str, titles), "Platforms"]
    assert len(set(headings)) == len(headings)


def test_unknown_chart_or_format_is_not_found(page):
    client = page["client"]
    assert client.get("/dashboards/440000/export/nothing.csv").status_code == 404
    assert client.get("/dashboards/440000/export/all.csv").status_code == 404
    assert client.get("/dashboards/440000/export/map.pdf").status_code == 404


def test_names_that_look_like_formulas_are_exported_as_text(client):
    cycle = CycleFactory(code="2027")
    submission = scored_submission(region_code="440300", cycle=cycle)
    submission.platform.name = '=HYPERLINK("http://evil.example","x")'
    submission.platform.save(update_fields=["name"])
    client.force_login(regulator(is_national=True))
    client.cookies["django_language"] = "en"
    url = reverse("dashboard_region_export", args=["440300", "platforms", "csv"])
    _preamble, (header, row) = csv_parts(client.get(url))
    assert row[header.index("Platform")].startswith("'=HYPERLINK")
    url = reverse("dashboard_region_export", args=["440300", "platforms", "xlsx"])
    workbook = load_workbook(io.BytesIO(client.get(url).content))
    sheet = workbook.worksheets[0]
    values = [cell.value for cell in sheet["A"]]
    assert "'" + submission.platform.name in values
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_the_platform_list_names_the_industries(client):
    # Industries were exported as a bare letter ("C").
    cycle = CycleFactory(code="2027")
    scored_submission(region_code="440300", cycle=cycle, industries=("C", "I"))
    client.force_login(regulator(is_national=True))
    client.cookies["django_language"] = "en"
    url = reverse("dashboard_region_export", args=["440300", "platforms", "csv"])
    _preamble, (header, row) = csv_parts(client.get(url))
    industries = row[header.index("Industries")]
    assert industries.startswith("C Manufacturing")
    assert ", I " in industries
