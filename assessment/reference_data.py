"""Reference data shipped with the product: GB/T 2260 regions, GB/T 4754 industry sections and
the Action Plan's 2028 targets.

Loaded by a data migration, so every database (demo, tests, production) has them.
"""

import csv
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

# GB/T 4754-2017 国民经济行业分类, sections (门类).
INDUSTRY_SECTIONS = [
    ("A", "农、林、牧、渔业", "Agriculture, forestry, animal husbandry and fishery"),
    ("B", "采矿业", "Mining"),
    ("C", "制造业", "Manufacturing"),
    ("D", "电力、热力、燃气及水生产和供应业", "Electricity, heat, gas and water supply"),
    ("E", "建筑业", "Construction"),
    ("F", "批发和零售业", "Wholesale and retail trade"),
    ("G", "交通运输、仓储和邮政业", "Transport, storage and postal services"),
    ("H", "住宿和餐饮业", "Accommodation and catering"),
    ("I", "信息传输、软件和信息技术服务业", "Information transmission, software and IT services"),
    ("J", "金融业", "Finance"),
    ("K", "房地产业", "Real estate"),
    ("L", "租赁和商务服务业", "Leasing and business services"),
    ("M", "科学研究和技术服务业", "Scientific research and technical services"),
    ("N", "水利、环境和公共设施管理业", "Water, environment and public facilities management"),
    ("O", "居民服务、修理和其他服务业", "Resident, repair and other services"),
    ("P", "教育", "Education"),
    ("Q", "卫生和社会工作", "Health and social work"),
    ("R", "文化、体育和娱乐业", "Culture, sports and entertainment"),
    ("S", "公共管理、社会保障和社会组织", "Public administration and social organisations"),
    ("T", "国际组织", "International organisations"),
]


# The Action Plan's 2028 targets (name zh, name en, metric, comparison, value); administrators
# may edit them afterwards.
ACTION_PLAN_TARGETS = [
    (
        "有影响力的工业互联网平台",
        "Influential industrial internet platforms",
        "influential_platforms",
        "gt",
        450,
    ),
    ("连接工业设备数", "Connected industrial devices", "connected_devices", "gt", 120_000_000),
    (
        "工业互联网平台普及率",
        "Industrial internet platform penetration",
        "platform_penetration",
        "gte",
        55,
    ),
]
ACTION_PLAN_DEADLINE = "2028-12-31"


def read_regions() -> list[dict]:
    """Rows of regions.csv, provinces first, with tile positions merged in."""
    with (DATA_DIR / "province_tiles.csv").open(encoding="utf-8") as tiles_file:
        tiles = {row["code"]: row for row in csv.DictReader(tiles_file)}
    with (DATA_DIR / "regions.csv").open(encoding="utf-8") as regions_file:
        rows = list(csv.DictReader(regions_file))
    for row in rows:
        tile = tiles.get(row["code"])
        row["tile_row"] = int(tile["row"]) if tile else None
        row["tile_col"] = int(tile["col"]) if tile else None
    rows.sort(key=lambda row: (row["level"] != "province", row["code"]))
    return rows


def load_reference_data(region_model, industry_model, target_model) -> None:
    region_model.objects.bulk_create(
        [
            region_model(
                code=row["code"],
                parent_id=row["parent_code"] or None,
                level=row["level"],
                name_zh_hans=row["name_zh"],
                name_en=row["name_en"],
                tile_row=row["tile_row"],
                tile_col=row["tile_col"],
            )
            for row in read_regions()
        ],
        ignore_conflicts=True,
    )
    industry_model.objects.bulk_create(
        [
            industry_model(code=code, name_zh_hans=zh, name_en=en)
            for code, zh, en in INDUSTRY_SECTIONS
        ],
        ignore_conflicts=True,
    )
    for name_zh_hans, name_en, metric, comparison, value in ACTION_PLAN_TARGETS:
        target_model.objects.get_or_create(
            metric=metric,
            region=None,
            deadline=ACTION_PLAN_DEADLINE,
            defaults={
                "name_zh_hans": name_zh_hans,
                "name_en": name_en,
                "comparison": comparison,
                "target_value": value,
            },
        )
