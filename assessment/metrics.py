"""The Action Plan's 2028 metrics, defined once. Every chart, export and CLI uses these.

Answers feeding a metric count only when a reviewer verified (or corrected) them.
"""

# The indicator whose verified answer feeds each metric, by rubric code.
METRIC_INDICATORS = {
    "iip-2026": {"connected_devices": "D1.2", "enterprises_served": "D5.1"},
}
