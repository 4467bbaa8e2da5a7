"""Expert panels (专家评审): the draw, blind scoring, the per-indicator majority, the panel's
opinion, defence sessions and the conclusion that moves each submission on.

The draw is reproducible: the eligible experts, ordered by id, are sampled with
``random.Random(seed)``; the seed, the pool, who was excluded and why, and the order drawn are
recorded on the panel. The panel's result is the scoring engine run on the per-indicator
majority of the experts' decisions (a tie takes the stricter decision), so it is explained line
by line like any other score. See docs/programme_panels.md.

Split by stage: judging (what a panel judges, avoidance, the draw), forming, scoring (expert
scores, the majority, results) and conclusion (opinion, defence, conclusion, the pool).
"""

from assessment.services.panels.conclusion import (  # noqa: F401
    defence_record,
    expert_conflict_declare,
    panel_conclude,
    panel_write_opinion,
)
from assessment.services.panels.forming import (  # noqa: F401
    panel_form,
)
from assessment.services.panels.judging import (  # noqa: F401
    AVOIDANCE_REASONS,
    MAX_PANEL_SIZE,
    MAX_PANEL_SUBMISSIONS,
    MIN_PANEL_SIZE,
    NATIONAL_PANEL_TIERS,
    NEXT_STATE,
    PROVINCIAL_PANEL_TIERS,
    STRICTNESS_ORDER,
    Eligibility,
    S,
    draw_experts,
    expert_eligibility,
    judged_indicators,
    judged_tier,
    proposers_of,
)
from assessment.services.panels.scoring import (  # noqa: F401
    EntryResult,
    apply_decision,
    clean_decisions,
    entry_result,
    expert_results,
    expert_score_save,
    majority_decision,
    score_with_decisions,
)
