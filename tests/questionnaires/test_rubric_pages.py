"""The rubric browser: public, read-only pages of stored versions, and the diff of two."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from questionnaires.rubric import parse_rubric_file
from questionnaires.services import default_rubric_version, rubric_version_load
from tests.browser import sign_in
from tests.factories import PASSWORD, CycleFactory, SubmissionFactory, admin

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_RUBRIC = ROOT / "questionnaires/rubrics/iip-2026@1.0.yaml"
LABEL = "iip-2026@1.0"

D1_1_GROWTH = """          - tier: growth
            target: {specialized: 10, industry: 20, collaborative: 10}
            text:
              zh-hans: "在用工业协议 ≥ 20 种（专业型、协作型 ≥ 10 种）"
              en: "≥ 20 industrial protocols in live use (specialized and collaborative: ≥ 10)"
"""
D1_6_LEADING = """        criteria:
          - tier: leading
            text:
              zh-hans: "通过平台互联互通技术规范符合性测试"
"""
EDITS = [
    ('version: "1.0"', 'version: "1.1"'),
    # D1.2 growth: industry target 100 000 → 150 000
    (
        "target: {specialized: 20000, industry: 100000}",
        "target: {specialized: 20000, industry: 150000}",
    ),
    # D1.1 loses its growth criterion
    (D1_1_GROWTH, ""),
    # D1.6 gains a growth criterion
    (
        D1_6_LEADING,
        """        criteria:
          - tier: growth
            text: {zh-hans: "开展互联互通符合性自测", en: "Interconnection self-test done"}
"""
        + D1_6_LEADING.removeprefix("        criteria:\n"),
    ),
    # weights: 2 points move from D2 to D1 for industry platforms
    (
        "weights: {specialized: 10, industry: 12, collaborative: 10}",
        "weights: {specialized: 10, industry: 14, collaborative: 10}",
    ),
    (
        "weights: {specialized: 14, industry: 14, collaborative: 12}",
        "weights: {specialized: 14, industry: 12, collaborative: 12}",
    ),
    ('en: "Connected industrial devices"', 'en: "Active connected industrial devices"'),
]


@pytest.fixture
def edited_version(tmp_path):
    """iip-2026@1.1: the default rubric with a criterion changed, one removed, one added, and
    weights and a title changed."""
    default_rubric_version()
    text = DEFAULT_RUBRIC.read_text(encoding="utf-8")
    for old, new in EDITS:
        assert old in text
        text = text.replace(old, new, 1)
    path = tmp_path / "iip-2026@1.1.yaml"
    path.write_text(text, encoding="utf-8")
    version, _created = rubric_version_load(path=path)
    return version


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


class _RowText(HTMLParser):
    """The text of each <tr> whose class has ``css_class``, nested tables included."""

    def __init__(self, css_class: str):
        super().__init__()
        self.css_class = css_class
        self.rows: list[list[str]] = []
        self.depth = 0  # open <tr> elements inside the current matching row

    def handle_starttag(self, tag, attrs):
        if tag != "tr":
            return
        if self.depth:
            self.depth += 1
        elif self.css_class in (dict(attrs).get("class") or "").split():
            self.rows.append([])
            self.depth = 1

    def handle_endtag(self, tag):
        if tag == "tr" and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.rows[-1].append(data)


def rows(html: str, css_class: str) -> list[str]:
    """The text of each table row of class ``css_class``, whitespace collapsed."""
    parser = _RowText(css_class)
    parser.feed(html)
    return [" ".join(" ".join(parts).split()) for parts in parser.rows]


# --- The list -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_navigation_links_to_the_rubric_list(client):
    response = client.get(reverse("login"))
    assert f'href="{reverse("rubric_list")}"' in response.text


@pytest.mark.django_db
def test_list_shows_every_stored_version_without_signing_in(client, edited_version):
    response = client.get(reverse("rubric_list"))
    assert response.status_code == 200
    for label in (LABEL, "iip-2026@1.1"):
        assert f'href="{reverse("rubric_detail", args=[label])}"' in response.text


@pytest.mark.django_db
def test_list_says_which_versions_are_in_use(client, edited_version):
    SubmissionFactory()
    response = in_english(client).get(reverse("rubric_list"))
    table = response.text
    assert re.search(r"iip-2026@1\.0</code></a></td>.*?Yes: frozen", table, re.S)
    assert re.search(r"iip-2026@1\.1</code></a></td>.*?Not yet", table, re.S)


@pytest.mark.django_db
def test_list_offers_to_compare_when_two_versions_exist(client, edited_version):
    response = client.get(reverse("rubric_list"))
    assert f'action="{reverse("rubric_compare")}"' in response.text


@pytest.mark.django_db
def test_list_with_no_version_says_so(client):
    response = in_english(client).get(reverse("rubric_list"))
    assert "No rubric version is stored yet" in response.text


@pytest.mark.django_db
def test_list_query_count_does_not_grow_with_versions(
    client, edited_version, django_assert_num_queries
):
    CycleFactory.create_batch(3)
    SubmissionFactory.create_batch(3)
    with django_assert_num_queries(1):
        client.get(reverse("rubric_list"))


# --- A version ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_detail_shows_every_dimension_and_indicator(client):
    default_rubric_version()
    response = client.get(reverse("rubric_detail", args=[LABEL]))
    assert response.status_code == 200
    rubric = parse_rubric_file(DEFAULT_RUBRIC)
    for dimension in rubric.dimensions:
        assert f'id="{dimension.code}"' in response.text
    for indicator in rubric.indicators:
        assert f'<tr id="{indicator.code}">' in response.text


@pytest.mark.django_db
def test_detail_is_in_chinese_by_default(client):
    default_rubric_version()
    response = client.get(reverse("rubric_detail", args=[LABEL]))
    assert "工业设备连接数" in response.text  # D1.2's title
    assert "活跃连接工业设备 ≥ 1万台（套）" in response.text  # its basic criterion
    assert "Connected industrial devices" not in response.text


@pytest.mark.django_db
def test_detail_is_in_english_when_chosen(client):
    default_rubric_version()
    response = in_english(client).get(reverse("rubric_detail", args=[LABEL]))
    assert "Connected industrial devices" in response.text
    assert "≥ 10 000 active connected devices (specialized: ≥ 2 000)" in response.text
    assert "工业设备连接数" not in response.text


@pytest.mark.django_db
def test_detail_shows_the_weights_per_kind_with_their_totals(client):
    default_rubric_version()
    response = in_english(client).get(reverse("rubric_detail", args=[LABEL]))
    weights = re.search(r'<table class="data rubric-weights">(.*?)</table>', response.text, re.S)
    cells = re.findall(r'<td class="num">(\d+)</td>', weights.group(1))
    assert cells[:3] == ["10", "12", "10"]  # D1: specialized, industry, collaborative
    assert cells[-3:] == ["100", "100", "100"]


@pytest.mark.django_db
def test_detail_shows_targets_per_kind_and_gates(client):
    default_rubric_version()
    response = in_english(client).get(reverse("rubric_detail", args=[LABEL]))
    d1_2 = re.search(r'<tr id="D1.2">(.*?)</tr>', response.text, re.S).group(1)
    assert "Industry ≥ 100 000" in d1_2 and "Specialized ≥ 20 000" in d1_2
    d8_1 = re.search(r'<tr id="D8.1">(.*?)</tr>', response.text, re.S).group(1)
    assert 'class="gate-badge"' in d8_1


@pytest.mark.django_db
def test_detail_shows_anchors_and_options(client):
    default_rubric_version()
    response = in_english(client).get(reverse("rubric_detail", args=[LABEL]))
    d2_3 = re.search(r'<tr id="D2.3">(.*?)</tr>', response.text, re.S).group(1)
    assert d2_3.count("<li>") == 4
    d4_6 = re.search(r'<tr id="D4.6">(.*?)</tr>', response.text, re.S).group(1)
    assert "<code>national-case</code>" in d4_6
    assert "Several options may be chosen" in d4_6


@pytest.mark.django_db
def test_detail_of_an_unknown_version_is_404(client):
    default_rubric_version()
    assert client.get(reverse("rubric_detail", args=["iip-2026@9.9"])).status_code == 404
    assert client.get(reverse("rubric_detail", args=["nonsense"])).status_code == 404


@pytest.mark.django_db
def test_detail_links_to_the_changes_from_other_versions(client, edited_version):
    response = client.get(reverse("rubric_detail", args=["iip-2026@1.1"]))
    assert reverse("rubric_diff", args=[LABEL, "iip-2026@1.1"]) in response.text


@pytest.mark.django_db
def test_detail_query_count_is_fixed(client, django_assert_max_num_queries):
    SubmissionFactory.create_batch(2)
    url = reverse("rubric_detail", args=[LABEL])
    # The version with its use, its sibling versions, and its definition unless parsed before.
    with django_assert_max_num_queries(3):
        client.get(url)


@pytest.mark.django_db
def test_pages_refuse_post(client):
    default_rubric_version()
    assert client.post(reverse("rubric_detail", args=[LABEL])).status_code == 405


# --- The diff -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_diff_lists_added_removed_and_changed_criteria(client, edited_version):
    response = in_english(client).get(reverse("rubric_diff", args=[LABEL, "iip-2026@1.1"]))
    assert response.status_code == 200
    criteria = re.search(r'<section class="card" id="criteria".*?</section>', response.text, re.S)
    html = criteria.group(0)
    assert [row.split(" Growth ")[0] for row in rows(html, "diff-added")] == [
        "D1.6 Interconnection specification conformance test"
    ]
    assert [row.split(" Growth ")[0] for row in rows(html, "diff-removed")] == [
        "D1.1 Industrial protocols in live use"
    ]
    (changed,) = rows(html, "diff-changed")
    assert changed.startswith("D1.2 Active connected industrial devices Growth Changed")
    assert "Target (Industry) 100 000 150 000" in changed


@pytest.mark.django_db
def test_diff_shows_weight_and_indicator_changes(client, edited_version):
    response = in_english(client).get(reverse("rubric_diff", args=[LABEL, "iip-2026@1.1"]))
    dimensions = rows(
        re.search(r'id="dimensions".*?</section>', response.text, re.S).group(0), "diff-changed"
    )
    assert dimensions == [
        "D1 Connection and access Changed Field Before After Weight (Industry) 12 14",
        "D2 Data as a production factor Changed Field Before After Weight (Industry) 14 12",
    ]
    assert 'data-path="title.en"' in response.text


@pytest.mark.django_db
def test_diff_counts_criteria_by_change(client, edited_version):
    response = in_english(client).get(reverse("rubric_diff", args=[LABEL, "iip-2026@1.1"]))
    assert ">1 added<" in response.text
    assert ">1 removed<" in response.text
    assert ">1 changed<" in response.text


@pytest.mark.django_db
def test_diff_in_chinese_names_the_criteria_in_chinese(client, edited_version):
    response = client.get(reverse("rubric_diff", args=[LABEL, "iip-2026@1.1"]))
    assert "开展互联互通符合性自测" in response.text
    assert "Interconnection self-test done" not in response.text


@pytest.mark.django_db
def test_diff_the_other_way_round_swaps_added_and_removed(client, edited_version):
    response = in_english(client).get(reverse("rubric_diff", args=["iip-2026@1.1", LABEL]))
    html = re.search(r'id="criteria".*?</section>', response.text, re.S).group(0)
    assert rows(html, "diff-added")[0].startswith("D1.1 ")
    assert rows(html, "diff-removed")[0].startswith("D1.6 ")


@pytest.mark.django_db
def test_diff_of_a_version_with_itself_says_identical(client):
    default_rubric_version()
    response = in_english(client).get(reverse("rubric_diff", args=[LABEL, LABEL]))
    assert "The two versions are identical" in response.text


@pytest.mark.django_db
def test_diff_with_an_unknown_version_is_404(client):
    default_rubric_version()
    assert client.get(reverse("rubric_diff", args=[LABEL, "iip-2026@9.9"])).status_code == 404


@pytest.mark.django_db
def test_diff_query_count_is_fixed(client, edited_version, django_assert_max_num_queries):
    url = reverse("rubric_diff", args=[LABEL, "iip-2026@1.1"])
    # Both versions, and their definitions unless parsed before.
    with django_assert_max_num_queries(4):
        client.get(url)


@pytest.mark.django_db
def test_compare_form_leads_to_the_diff(client, edited_version):
    response = client.get(reverse("rubric_compare"), {"old": LABEL, "new": "iip-2026@1.1"})
    assert response.status_code == 302
    assert response.url == reverse("rubric_diff", args=[LABEL, "iip-2026@1.1"])


@pytest.mark.django_db
def test_compare_form_with_an_unknown_version_goes_back_with_a_message(client, edited_version):
    response = in_english(client).get(
        reverse("rubric_compare"), {"old": LABEL, "new": "x@1"}, follow=True
    )
    assert response.redirect_chain == [(reverse("rubric_list"), 302)]
    assert "Choose two stored rubric versions to compare." in response.text


# --- In a browser ---------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_reader_browses_a_version_and_its_changes(page, live_server, edited_version):
    page.goto(f"{live_server.url}{reverse('rubric_list')}")
    page.get_by_role("link", name=LABEL).click()
    page.wait_for_load_state()
    assert page.locator("h1").inner_text().startswith("工业互联网平台")
    details = page.locator("#D1\\.2 details")
    assert not details.locator(".help").is_visible()
    details.locator("summary").click()
    assert details.locator(".help").is_visible()

    page.goto(f"{live_server.url}{reverse('rubric_list')}")
    page.select_option("#compare-old", LABEL)
    page.select_option("#compare-new", "iip-2026@1.1")
    page.locator(".rubric-compare button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith(reverse("rubric_diff", args=[LABEL, "iip-2026@1.1"]))
    assert page.locator("#criterion-D1\\.2-growth").is_visible()
    page.locator("button[name=language][value=en]").click()
    page.wait_for_load_state()
    assert "Active connected industrial devices" in page.locator("#criteria").inner_text()
    assert page.console_errors == []


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_signed_in_user_finds_the_rubric_in_the_navigation(page, live_server):
    default_rubric_version()
    user = admin()
    sign_in(page, live_server, user.email, PASSWORD)
    page.locator(f'.mainnav a[href="{reverse("rubric_list")}"]').click()
    page.wait_for_load_state()
    assert page.url.endswith(reverse("rubric_list"))
    assert page.get_by_role("link", name=LABEL).is_visible()
