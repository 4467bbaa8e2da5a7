"""Annual monitoring on the dashboards (issue #15): compliance per province and per city
(returns due, filed, flagged, decisions by kind), downgrades and exits per monitoring year, in
the page, its exports and the `metrics` command, from one selector; cached until a monitoring
record changes; a fixed number of queries."""

import csv
import io
import json
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from assessment.models import (
    Certification,
    MonitoringDecision,
    MonitoringReturn,
    MonitoringWindow,
)
from assessment.selectors.dashboards import DashboardFilters, dashboard_data, metrics_summary
from assessment.services.monitoring import monitoring_daily, monitoring_decide
from questionnaires.selectors import rubric_of
from tests.assessment.api_support import token_client
from tests.assessment.test_dashboard_exports import TableReader, normal_rows
from tests.assessment.test_dashboard_queries import DASHBOARD_QUERIES
from tests.factories import CycleFactory, admin, regulator, scored_submission

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year


@pytest.fixture
def cycle():
    cycle = CycleFactory(code="2027")
    rubric_of(cycle.rubric_version)  # parsed once per process; not part of the page's cost
    return cycle


def open_window(year=THIS_YEAR):
    today = timezone.localdate()
    return MonitoringWindow.objects.create(
        year=year,
        opens_on=today - timedelta(days=40),
        closes_on=today - timedelta(days=10),
        opened_by=admin(),
    )


def monitored(cycle, window, region_code, *, state="filed", flags=(), decisions=(), **fields):
    """A certified platform of `region_code` with a return in `window` and `decisions` on it
    (kinds, oldest first)."""
    fields.setdefault("certified_tier", "growth")
    submission = scored_submission(
        region_code=region_code, cycle=cycle, state="certified", **fields
    )
    certification = submission.certification
    monitoring_return = MonitoringReturn.objects.create(
        window=window,
        certification=certification,
        state=state,
        tier_at_opening=certification.tier,
        flags=[{"flag": flag} for flag in flags],
        filed_at=timezone.now() if state == "filed" else None,
    )
    official = admin()
    for kind in decisions:
        MonitoringDecision.objects.create(
            monitoring_return=monitoring_return,
            kind=kind,
            reason="依据年度监测结果",
            deadline=timezone.localdate() + timedelta(days=60) if kind == "warning" else None,
            tier_before=certification.tier,
            tier_after={"downgrade": "basic", "revoke": ""}.get(kind, certification.tier),
            decided_by=official,
        )
    return monitoring_return


@pytest.fixture
def year(cycle):
    """Guangdong: one kept, one warned then downgraded, one missing and revoked (two cities);
    Zhejiang: one flagged, not decided yet."""
    window = open_window()
    monitored(cycle, window, "440300", decisions=["keep"])
    monitored(cycle, window, "440300", flags=["tier_lost"], decisions=["warning", "downgrade"])
    monitored(cycle, window, "440100", state="missing", flags=["missing"], decisions=["revoke"])
    monitored(cycle, window, "330100", flags=["fall"], kind="specialized")
    return window


def national(**filters):
    return dashboard_data(user=None, filters=DashboardFilters(**filters))


def row_of(monitoring, code):
    return next(row for row in monitoring["children"] if row["code"] == code)


def figures(row):
    return (row["due"], row["filed"], row["filed_share"], row["missing"], row["flagged"])


def decisions(row):
    return [row["decisions"][kind] for kind in ("keep", "warning", "downgrade", "revoke")]


def test_national_dashboard_counts_compliance_per_province(year):
    monitoring = national()["monitoring"]
    assert monitoring["window"]["year"] == THIS_YEAR
    guangdong, zhejiang = row_of(monitoring, "440000"), row_of(monitoring, "330000")
    assert figures(guangdong) == (3, 2, 66.7, 1, 2)
    # Each return under its latest decision: the warning was followed by a downgrade.
    assert decisions(guangdong) == [1, 0, 1, 1]
    assert figures(zhejiang) == (1, 1, 100.0, 0, 1)
    assert decisions(zhejiang) == [0, 0, 0, 0]
    assert figures(row_of(monitoring, "110000")) == (0, 0, None, 0, 0)
    assert figures(monitoring["totals"]) == (4, 3, 75.0, 1, 3)


def test_province_dashboard_counts_per_city_with_the_province_total(year):
    monitoring = dashboard_data(user=None, region_code="440000", filters=DashboardFilters())[
        "monitoring"
    ]
    assert figures(row_of(monitoring, "440300")) == (2, 2, 100.0, 0, 1)
    assert decisions(row_of(monitoring, "440300")) == [1, 0, 1, 0]
    assert figures(row_of(monitoring, "440100")) == (1, 0, 0.0, 1, 1)
    assert figures(monitoring["totals"]) == (3, 2, 66.7, 1, 2)


def test_filters_narrow_the_monitoring_figures(year):
    assert national(kind="specialized")["monitoring"]["totals"]["due"] == 1
    assert national(industry="A")["monitoring"]["totals"]["due"] == 0


def test_only_the_latest_year_is_compliance_and_every_year_has_its_exits(cycle, year):
    earlier = open_window(THIS_YEAR - 1)
    monitored(cycle, earlier, "440300", flags=["tier_lost"], decisions=["downgrade"])
    expired = scored_submission(
        region_code="440300", cycle=cycle, state="certified", certified_tier="basic"
    )
    Certification.objects.filter(submission=expired).update(valid_until=date(THIS_YEAR - 1, 6, 30))
    in_force = scored_submission(
        region_code="440300", cycle=cycle, state="certified", certified_tier="basic"
    )
    Certification.objects.filter(submission=in_force).update(
        valid_until=timezone.localdate() + timedelta(days=1)
    )
    monitoring = national()["monitoring"]
    assert monitoring["totals"]["due"] == 4
    assert monitoring["per_year"] == [
        {"year": THIS_YEAR - 1, "downgrades": 1, "revocations": 0, "expiries": 1},
        {"year": THIS_YEAR, "downgrades": 1, "revocations": 1, "expiries": 0},
    ]


def test_without_a_window_the_section_is_empty(cycle):
    monitoring = national()["monitoring"]
    assert monitoring["window"] is None
    assert monitoring["per_year"] == []
    assert figures(monitoring["totals"]) == (0, 0, None, 0, 0)


def cold_queries(**kwargs) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        dashboard_data(user=None, filters=DashboardFilters(), **kwargs)
    return len(captured.captured_queries)


def test_query_count_does_not_grow_with_monitored_platforms(cycle, year):
    # + returns per region and latest decisions per region and kind, once a window is open
    assert cold_queries() == DASHBOARD_QUERIES + 2
    for number in range(6):
        monitored(
            cycle, year, "320100", flags=["fall"], decisions=["keep", "warning"][: number % 3]
        )
    assert cold_queries() == DASHBOARD_QUERIES + 2
    assert cold_queries(region_code="440000") == DASHBOARD_QUERIES + 3  # the region itself


def test_a_decision_of_any_kind_makes_cached_dashboards_stale(
    year, django_capture_on_commit_callbacks
):
    # The decision service bumps the cache itself only for downgrades and revocations.
    flagged = MonitoringReturn.objects.get(certification__submission__platform__region="330100")
    assert decisions(national()["monitoring"]["totals"])[0] == 1  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        monitoring_decide(
            actor=admin(), monitoring_return=flagged, kind="keep", reason="已整改", email=False
        )
    assert decisions(national()["monitoring"]["totals"])[0] == 2


def test_a_return_marked_missing_by_the_daily_run_makes_cached_dashboards_stale(
    cycle, django_capture_on_commit_callbacks
):
    window = open_window()
    monitored(cycle, window, "440300", state="open")
    assert national()["monitoring"]["totals"]["missing"] == 0  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        monitoring_daily(today=timezone.localdate(), email=False)
    assert national()["monitoring"]["totals"]["missing"] == 1


def test_metrics_command_prints_the_monitoring_figures_of_the_selector(year):
    out = io.StringIO()
    call_command("metrics", cycle="2027", region="440000", stdout=out)
    printed = json.loads(out.getvalue())["monitoring"]
    web = metrics_summary(
        dashboard_data(user=None, region_code="440000", filters=DashboardFilters(cycle="2027"))
    )["monitoring"]
    assert printed == json.loads(json.dumps(web))
    assert printed["year"] == THIS_YEAR
    assert printed["totals"]["decisions"] == {"keep": 1, "warning": 0, "downgrade": 1, "revoke": 1}
    assert {row["code"]: row["due"] for row in printed["regions"]}["440300"] == 2


# --- The pages and their exports -----------------------------------------------------------------


@pytest.fixture
def pages(client, year):
    client.force_login(regulator(is_national=True))
    client.cookies["django_language"] = "en"
    shown = {}
    for name, url in (
        ("national", reverse("dashboard_national")),
        ("province", reverse("dashboard_region", args=["440000"])),
    ):
        response = client.get(url)
        assert response.status_code == 200
        reader = TableReader()
        reader.feed(response.content.decode())
        shown[name] = {"response": response, "tables": reader.tables}
    return client, shown


def page_rows(page, chart):
    return page["tables"][page["response"].context["tables"][chart]["title"]]


def test_national_page_shows_compliance_per_province_with_drill_down(pages):
    _client, shown = pages
    page = shown["national"]
    header, *rows = page_rows(page, "monitoring")
    assert header[:7] == [
        "Code",
        "Province",
        "Returns due",
        "Filed",
        "Filed share (%)",
        "Missing",
        "Flagged",
    ]
    guangdong = next(row for row in rows if row[0] == "440000")
    assert guangdong[2:] == ["3", "2", "66.7", "1", "2", "1", "0", "1", "1"]
    assert rows[-1][1] == "Total: National" and rows[-1][2] == "4"
    html = page["response"].content.decode()
    assert f'href="{reverse("dashboard_region", args=["440000"])}"' in html
    assert 'id="chart-exits"' in html


def test_province_page_shows_its_cities_and_its_own_total(pages):
    _client, shown = pages
    header, *rows = page_rows(shown["province"], "monitoring")
    assert header[1] == "City"
    assert [row[0] for row in rows if row[2] != "0"] == ["440100", "440300", "440000"]
    assert rows[-1][1] == "Total: Guangdong" and rows[-1][2:5] == ["3", "2", "66.7"]


def test_exits_figure_draws_downgrades_revocations_and_expiries_per_year(pages):
    _client, shown = pages
    figure = shown["national"]["response"].context["figures"]["exits"]
    assert [trace["name"] for trace in figure["data"]] == ["Downgrades", "Revocations", "Expiries"]
    assert [trace["y"] for trace in figure["data"]] == [[1], [1], [0]]
    assert figure["data"][0]["x"] == [str(THIS_YEAR)]


@pytest.mark.parametrize("chart", ["monitoring", "exits"])
def test_csv_export_holds_the_numbers_on_the_page(pages, chart):
    client, shown = pages
    response = client.get(reverse("dashboard_region_export", args=["440000", chart, "csv"]))
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    table = lines[lines.index([]) + 1 :]
    assert normal_rows(table) == normal_rows(page_rows(shown["province"], chart))


def test_workbook_of_everything_holds_the_monitoring_sheets(pages):
    client, shown = pages
    response = client.get(reverse("dashboard_export", args=["all", "xlsx"]))
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    title = shown["national"]["response"].context["tables"]["monitoring"]["title"]
    assert title == f"Monitoring compliance {THIS_YEAR}"
    rows = list(workbook[title[:31]].iter_rows(values_only=True))
    header = rows.index(tuple(page_rows(shown["national"], "monitoring")[0]))
    assert normal_rows(rows[header:]) == normal_rows(page_rows(shown["national"], "monitoring"))


def test_chinese_page_names_the_monitoring_columns_in_chinese(client, year):
    client.force_login(regulator(is_national=True))
    response = client.get(reverse("dashboard_national"))
    html = response.content.decode()
    assert response.context["tables"]["monitoring"]["columns"][2] != "Returns due"
    assert "年度监测" in html


def test_api_gives_the_monitoring_figures_of_the_selector(year):
    body = token_client(regulator("440000")).get("/api/v1/dashboards/?region=440000").json()
    assert body["summary"]["monitoring"]["totals"]["due"] == 3
    assert body["data"]["monitoring"]["window"]["year"] == THIS_YEAR
