"""Annual monitoring (年度监测), dynamic management (动态管理), expiry and renewal.

- An official opens a year's window: every certification in force gets a monitoring return,
  prefilled with last year's values of the monitored indicators (``monitored: true`` in the
  rubric); the operators are notified, and reminded 7 days and 1 day before it closes.
- The operator files the return; the engine re-checks the certified tier on it (the certified
  answers, evidence and review decisions, with the monitored values replaced) and flags: tier
  no longer reached, a fall of more than the window's share, a security incident; a return not
  filed when the window closes is flagged missing (by the daily run).
- An official decides per return: keep, warning with a deadline (限期整改), downgrade to the
  re-checked tier, or revoke. A downgrade is expressed with the certification records: the
  higher tier is revoked (event "revoked") and the lower one certified on the same record
  (event "certified"), valid until the same date; a revocation is a revocation.
- ``monitoring_daily`` (``manage.py monitoring_daily``, run once a day) sends the window and
  expiry reminders (6 months and 1 month before), flags missing returns and notes expiries;
  every reminder is sent once (SentReminder keys), however often it runs. It also reminds the
  operator 7 days and 1 day before a warning's deadline to rectify, and flags the return
  "rectification deadline passed" (notifying the officials who warned and the operator) once
  the deadline has passed without a later decision; it never downgrades on its own.
- A renewal (``renewal_start``): from the 6-month reminder until the last valid day, a new
  submission copied from the certified one, marked by a ``Renewal`` row.
"""

from assessment.services.monitoring.common import (
    Kind,
    certifications_in_force,
    certified_values,
    default_fall_threshold,
    last_values,
    monitored_codes,
)
from assessment.services.monitoring.daily import DailyRun, monitoring_daily
from assessment.services.monitoring.decisions import monitoring_decide
from assessment.services.monitoring.renewal import (
    RENEWAL_WINDOW_DAYS,
    RenewalOffer,
    renewal_offer,
    renewal_refusal,
    renewal_start,
)
from assessment.services.monitoring.returns import (
    monitoring_evidence_add,
    monitoring_flags,
    monitoring_recheck,
    monitoring_return_file,
    monitoring_window_open,
)

__all__ = [
    "RENEWAL_WINDOW_DAYS",
    "DailyRun",
    "Kind",
    "certifications_in_force",
    "certified_values",
    "default_fall_threshold",
    "last_values",
    "monitored_codes",
    "monitoring_daily",
    "monitoring_decide",
    "monitoring_evidence_add",
    "monitoring_flags",
    "monitoring_recheck",
    "monitoring_return_file",
    "monitoring_window_open",
    "RenewalOffer",
    "renewal_offer",
    "renewal_refusal",
    "renewal_start",
]
