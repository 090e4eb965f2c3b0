#include "app/retention/retention_state.h"

#include "core/retention/json.h"

namespace segx {

using json = nlohmann::json;

Retention new_retention() {
    Retention r;
    r.name = "Retention";
    return r;
}

json retention_json(const Retention& retention) {
    json j;
    to_json(j, retention);
    return j;
}

bool retention_pending(const Session& session, const RetentionState& st) {
    return definition_pending(session, st.run, st.draft_revision);
}

void update_retention(Session& session, RetentionState& st, double budget_ms) {
    update_definition_run(
        session, st.run, st.draft_revision, [&st] { return retention_json(st.draft); }, budget_ms);
}

json retention_state_json(const Session& session, const RetentionState& st) {
    json out = {{"definition", retention_json(st.draft)}};
    add_run_state(out, session, st.run, st.draft_revision);
    return out;
}

} // namespace segx
