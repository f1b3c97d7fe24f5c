"""Writes for KIPP part 2, split by stage. Keyword-only arguments; permission checks first; nothing
half-saved; nothing that feeds published results changes outside a revision (see `results`).

Every number that decides is computed by `jipp.competition.domain`; these modules gather the inputs,
check the rules and store the results. They may import the selectors (reads), never the reverse.
"""

from jipp.competition.evaluation.common import (  # noqa: F401 (the services' public face)
    CONFLICT_LABELS,
    EVALUABLE,
    PROPOSAL_FIELDS,
    ConflictIndex,
    FrozenError,
    conflict_index,
    conflict_reason,
    member_rows,
    rubric_of,
    settings_for,
    spreadsheet_safe,
)
from jipp.competition.evaluation.services.assignment import (  # noqa: F401
    StaleAssignmentError,
    add_extra_review,
    assignment_task_run,
    export_assignments_csv,
    import_assignments_csv,
    reassign,
    run_assignment,
    start_assignment,
)
from jipp.competition.evaluation.services.nomination import (  # noqa: F401
    confirm_nomination,
    run_nomination,
)
from jipp.competition.evaluation.services.presentations import (  # noqa: F401
    build_schedule,
    recompute_final,
    score_presentation,
    verify,
)
from jipp.competition.evaluation.services.ranking import (  # noqa: F401
    refresh_ranking_task,
    rerank_after_review,
    schedule_refresh,
    store_ranking,
)
from jipp.competition.evaluation.services.results import (  # noqa: F401
    REGISTRY_KIND,
    award_title,
    decide_winners,
    missing_final_scores,
    open_revision,
    publish_results,
    record_decree,
    tier_size,
    update_settings,
)
from jipp.competition.evaluation.services.reviewing import (  # noqa: F401
    ReviewError,
    reopen_review,
    review_score,
    save_review,
    send_reminders,
)
from jipp.competition.evaluation.services.scrutiny import (  # noqa: F401
    OBJECTIONS_PER_HOUR,
    client_key,
    file_objection,
    publish_finalists,
    publish_scrutiny_outcome,
    resolve_objection,
)
from jipp.competition.evaluation.services.team import (  # noqa: F401
    add_member,
    invite_member,
    update_declarations,
    void_conflicted_reviews,
)
