"""Dashboard reads: the one selector behind the regulator's dashboards, their exports, the
`metrics` command and the regional PDF report.

`dashboard_data(user=…, region_code=…, filters=…)` returns plain dicts (documented in
docs/dashboards.md); every figure is aggregated in SQL from the stored score summaries and the
monitoring records, with a fixed number of queries, and cached per (region, filter set,
language, day) until a score or a monitoring record changes. The metrics themselves are defined
in assessment.metrics.

Split by sub-area: `filters` (filters and shared helpers), `scope`, `regional` (the figures),
`pipeline` (waiting times), `monitoring` (annual monitoring), `platforms` (the platform list),
`tables` (the data behind each chart); every name is re-exported here.
"""

from assessment.selectors.dashboards.filters import (
    DEFAULT_MAP_METRIC,
    FILTER_FIELDS,
    MAP_METRICS,
    PIPELINE_STATES,
    DashboardFilters,
    filter_options,
    parse_filters,
    short_region_name,
)
from assessment.selectors.dashboards.monitoring import DECISION_KINDS, monitoring_section
from assessment.selectors.dashboards.platforms import dashboard_platforms, platform_industries
from assessment.selectors.dashboards.regional import dashboard_data, metrics_summary
from assessment.selectors.dashboards.scope import dashboard_region, may_open_region, user_scope
from assessment.selectors.dashboards.tables import CHART_NAMES, dashboard_tables, platform_table

__all__ = [
    "CHART_NAMES",
    "DECISION_KINDS",
    "DEFAULT_MAP_METRIC",
    "FILTER_FIELDS",
    "MAP_METRICS",
    "PIPELINE_STATES",
    "DashboardFilters",
    "dashboard_data",
    "dashboard_platforms",
    "dashboard_region",
    "dashboard_tables",
    "filter_options",
    "may_open_region",
    "metrics_summary",
    "monitoring_section",
    "parse_filters",
    "platform_industries",
    "platform_table",
    "short_region_name",
    "user_scope",
]
