"""The dashboard pages: colours, strict CSP, filters in the URL, drill-down links."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from questionnaires.choices import TIER_COLOURS
from tests.factories import CycleFactory, regulator, reviewer, scored_submission

pytestmark = pytest.mark.django_db


def test_css_tier_colours_match_the_python_ones():
    css = (settings.BASE_DIR / "static" / "css" / "app.css").read_text()
    found = dict(re.findall(r"--tier-([a-z_]+):\s*(#[0-9a-fA-F]{6})", css))
    assert {tier: colour.lower() for tier, colour in found.items()} == TIER_COLOURS


def test_plotly_is_served_from_our_static_files():
    vendored = settings.BASE_DIR / "static" / "vendor" / "plotly" / "plotly.min.js"
    assert vendored.stat().st_size > 1_000_000
    assert (vendored.parent / "LICENSE.txt").exists()
    # Built by tools/plotly without the geo and map traces, whose defaults point at CDNs.
    assert "https://cdn." not in vendored.read_text()


@pytest.fixture
def national_page(client):
    cycle = CycleFactory(code="2027")
    scored_submission(
        region_code="440300",
        cycle=cycle,
        state="certified",
        certified_tier="growth",
        dimension_means={"D1": "0.7000"},
    )
    scored_submission(region_code="330100", cycle=cycle, kind="specialized")
    client.force_login(regulator(is_national=True))
    return client


def test_page_has_no_inline_script(national_page):
    html = national_page.get(reverse("dashboard_national")).content.decode()
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert "onclick" not in html


def test_page_sends_a_strict_content_security_policy(national_page):
    policy = national_page.get(reverse("dashboard_national"))["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-eval" not in policy


def test_filters_change_the_numbers(national_page):
    everything = national_page.get(reverse("dashboard_national"))
    specialized = national_page.get(reverse("dashboard_national") + "?kind=specialized")
    assert everything.context["data"]["totals"]["platforms"] == 2
    assert specialized.context["data"]["totals"]["platforms"] == 1


def test_drill_down_links_keep_the_filters(national_page):
    response = national_page.get(reverse("dashboard_national") + "?kind=industry&map=platforms")
    links = response.context["figures"]["map"]["links"]
    guangdong = reverse("dashboard_region", args=["440000"])
    assert guangdong + "?kind=industry&map=platforms" in links.values()


def test_province_table_links_to_its_dashboard(national_page):
    html = national_page.get(reverse("dashboard_national") + "?kind=industry").content.decode()
    assert 'href="/dashboards/440000/?kind=industry"' in html


def test_unknown_filter_value_is_reported_and_ignored(national_page):
    response = national_page.get(reverse("dashboard_national") + "?kind=giant&tier=platinum")
    assert response.status_code == 200
    assert set(response.context["filter_errors"]) == {"kind", "tier"}
    assert response.context["data"]["totals"]["platforms"] == 2
    assert b'aria-describedby="filter-kind-error"' in response.content


def test_every_chart_has_its_data_block_and_its_table(national_page):
    html = national_page.get(reverse("dashboard_national")).content.decode()
    for chart in ("map", "tiers", "heatmap", "kinds", "pipeline", "trend"):
        assert f'<script id="chart-{chart}" type="application/json">' in html
        assert f'data-chart-source="chart-{chart}"' in html
        assert f'id="figure-{chart}"' in html


def test_city_dashboard_lists_its_platforms(national_page):
    response = national_page.get(reverse("dashboard_region", args=["440300"]))
    assert response.context["platforms_page"].paginator.count == 1


def test_city_platform_rows_link_to_the_report_for_a_regulator_in_scope(client):
    cycle = CycleFactory(code="2027")
    certified = scored_submission(
        region_code="440300", cycle=cycle, state="certified", certified_tier="growth"
    )
    draft = scored_submission(region_code="440300", cycle=cycle, state="draft")
    client.force_login(regulator("440000"))
    response = client.get(reverse("dashboard_region", args=["440300"]))
    rows = response.context["tables"]["platforms"]["display_rows"]
    links = {row["cells"][0]["text"]: row["link"] for row in rows}
    assert links[certified.platform.name] == reverse("submission_report", args=[certified.pk])
    assert links[draft.platform.name] is None  # nothing to report yet
    content = response.content.decode()
    assert f'href="{reverse("submission_report", args=[certified.pk])}"' in content


def test_city_platform_rows_lead_the_review_desk_to_the_review_screen(client):
    cycle = CycleFactory(code="2027")
    submitted = scored_submission(region_code="440300", cycle=cycle, state="submitted")
    client.force_login(reviewer("440000"))
    response = client.get(reverse("dashboard_region", args=["440300"]))
    (row,) = response.context["tables"]["platforms"]["display_rows"]
    assert row["link"] == reverse("review_detail", args=[submitted.pk])


def test_the_national_dashboard_ranks_the_provinces(client):
    cycle = CycleFactory(code="2027")
    for _ in range(2):
        scored_submission(
            region_code="330100", cycle=cycle, state="certified", certified_tier="basic"
        )
    scored_submission(
        region_code="440300", cycle=cycle, state="certified", certified_tier="leading"
    )
    client.force_login(regulator(is_national=True))
    response = client.get(reverse("dashboard_national"))
    ranking = response.context["ranking"]
    assert [(row["code"], row["rank"], row["certified"]) for row in ranking[:2]] == [
        ("330000", 1, 2),
        ("440000", 2, 1),
    ]
    assert ranking[1]["leading_or_above"] == 1
    assert {row["rank"] for row in ranking[2:]} == {3}  # the rest share a rank
    assert ranking[0]["link"].startswith(reverse("dashboard_region", args=["330000"]))
    assert 'data-region="330000"' in response.content.decode()
    provincial = client.get(reverse("dashboard_region", args=["440000"]))
    assert provincial.context["ranking"] == []


def test_heatmap_is_left_out_when_no_dimension_score_exists(client):
    cycle = CycleFactory(code="2027")
    scored_submission(region_code="440300", cycle=cycle)
    client.force_login(regulator(is_national=True))
    response = client.get(reverse("dashboard_national"))
    assert "heatmap" not in response.context["figures"]
    assert b'id="figure-heatmap"' in response.content  # its (empty) table stays


def test_dashboard_of_a_fresh_installation_without_cycles_opens(client):
    client.force_login(regulator(is_national=True))
    response = client.get(reverse("dashboard_national"))
    assert response.status_code == 200
    assert response.context["data"]["cycle"] is None
    assert response.context["data"]["totals"]["platforms"] == 0
