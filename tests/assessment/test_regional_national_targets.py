"""Every regional report sets the region's figures beside all three of the Action Plan's national
2028 targets (the count targets too), with the region's own target where one is entered."""

import io
import re

import pytest
from django.db import transaction
from django.utils import translation
from pypdf import PdfReader

from assessment.models import AssessmentCycle
from assessment.selectors import reports as report_selectors
from assessment.services import reports
from assessment.services.reports.regional import national_target_rows
from tests import factories

pytestmark = pytest.mark.django_db


def flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def guangdong_cycle() -> AssessmentCycle:
    """Guangdong: one growth-certified platform with 1.2 million devices, one basic; an own
    target of 60 influential platforms; Shenzhen (a city) has none."""
    cycle = factories.CycleFactory()
    factories.scored_submission(
        region_code="440300",
        cycle=cycle,
        state="certified",
        certified_tier="growth",
        connected_devices=1_200_000,
        enterprises_served=300,
    )
    factories.scored_submission(
        region_code="440100", cycle=cycle, state="certified", certified_tier="basic"
    )
    factories.TargetFactory(
        name_zh_hans="广东有影响力的平台",
        name_en="Guangdong influential platforms",
        region=factories.region("440000"),
        target_value=60,
    )
    return cycle


@pytest.fixture(scope="module")
def texts(django_db_setup, django_db_blocker):
    """The Guangdong report in each language, as text (one render each); rolled back."""
    found = {}
    with django_db_blocker.unblock(), transaction.atomic():
        cycle = guangdong_cycle()
        for language in ("zh-hans", "en"):
            pdf = reports.regional_report_pdf(
                cycle=cycle, region=factories.region("440000"), language=language
            )
            found[language] = flat(
                "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
            )
        transaction.set_rollback(True)
    return found


def test_a_chinese_province_report_shows_all_three_national_targets_beside_its_own_figures(texts):
    text = texts["zh-hans"]
    assert "行动计划全国目标（2028年）与本地区数据" in text
    for name in ("有影响力的工业互联网平台", "连接工业设备数", "工业互联网平台普及率"):
        assert name in text, name
    assert "超过450" in text and "超过1.2亿" in text and "不少于55%" in text
    assert "120万" in text  # the province's devices, in 万 like the rest of the report
    # 1 of 450 influential platforms, 1.2 million of 120 million devices.
    assert "占全国目标的0.2%" in text
    assert "占全国目标的1.0%" in text
    assert "本省目标" in text and "60(2028-12-31)" in text


def test_an_english_province_report_labels_the_national_goals_and_the_provinces_part(texts):
    text = texts["en"]
    assert flat("The Action Plan's national targets (2028) and this region's figures") in text
    assert flat("Influential industrial internet platforms") in text
    assert flat("Connected industrial devices") in text
    assert flat("Industrial internet platform penetration") in text
    assert flat("more than 450") in text and flat("at least 55%") in text
    assert flat("more than 120,000,000") in text and "1,200,000" in text
    assert flat("0.2 % of the national goal") in text
    assert flat("1.0 % of the national goal") in text
    assert flat("This province") in text and flat("none entered") in text


def test_a_city_gets_its_own_figures_beside_the_national_targets_and_no_province_target():
    cycle = guangdong_cycle()
    shenzhen = factories.region("440300")
    with translation.override("en"):
        rows = national_target_rows(
            report_selectors.regional_report_data(cycle, shenzhen), shenzhen
        )
    by_label = {row["label"]: row for row in rows}
    assert set(by_label) == {
        "Influential industrial internet platforms",
        "Connected industrial devices",
        "Industrial internet platform penetration",
    }
    influential = by_label["Influential industrial internet platforms"]
    assert (influential["value"], str(influential["share"])) == (1, "0.2")
    assert influential["own_targets"] == []  # the province's target is not the city's
    devices = by_label["Connected industrial devices"]
    assert (devices["value"], str(devices["share"])) == (1_200_000, "1.0")
    penetration = by_label["Industrial internet platform penetration"]
    assert penetration["share"] is None and penetration["unit"] == "percent"


def test_the_national_report_keeps_its_own_target_table():
    cycle = guangdong_cycle()
    data = report_selectors.regional_report_data(cycle, None)
    assert national_target_rows(data, None) == []
    assert {target["metric"] for target in data["targets"]} == {
        "influential_platforms",
        "connected_devices",
        "platform_penetration",
    }
