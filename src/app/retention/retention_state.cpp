#include "app/retention/retention_state.h"
#include "core/lang/messages.h"

#include "app/audiences/audience_state.h"
#include "app/i18n/i18n.h"
#include "app/session.h"
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

json compare_json(const Retention& draft, const std::string& audience) {
    Retention r = draft;
    r.audience = {{"audience", audience}};
    return retention_json(r);
}

void set_compare_audience(RetentionState& st, size_t slot, const std::string& audience) {
    if (slot >= kRetentionCompares || st.compare[slot].audience == audience) return;
    st.compare[slot].audience = audience;
    ++st.compare[slot].revision;
}

bool retention_pending(const Session& session, const RetentionState& st) {
    for (const RetentionCompare& c : st.compare)
        if (!c.audience.empty() && definition_pending(session, c.run, c.revision)) return true;
    return definition_pending(session, st.run, st.draft_revision);
}

void update_retention(Session& session, RetentionState& st, double budget_ms) {
    Workspace& w = session.workspace;
    keep_in_workspace(w, w.saved.retentions, st.draft, &st.draft_revision, &st.stored_revision, "retention",
                      st.draft_revision != st.stored_revision &&
                          validate_retention(retention_json(st.draft), check_audience_group).ok());
    update_definition_run(
        session, st.run, st.draft_revision, [&st] { return retention_json(st.draft); }, budget_ms);
    for (RetentionCompare& c : st.compare)
        if (!c.audience.empty())
            update_definition_run(
                session, c.run, c.revision, [&] { return compare_json(st.draft, c.audience); }, budget_ms);
}

std::string cell_audience_json(const Retention& draft, const std::string& cohort, int k) {
    json rule = {
        {"kind", "retention"}, {"retention", retention_json(draft)}, {"cohort", cohort}, {"period", k}};
    // The name says the cell in words (the rule sentence says it too, in the builder).
    std::string what = k == 0 ? trf(S::ret_cell_audience_name, {draft.name, cohort})
                              : trf(S::ret_cell_audience_name_k, {draft.name, cohort, std::to_string(k)});
    json doc = {{"segx", 1}, {"name", what}, {"root", {{"match", "all"}, {"rules", json::array({rule})}}}};
    return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

bool open_cell_audience(Session& session, AudienceState& audiences, const Retention& draft,
                        const std::string& cohort, int k) {
    std::vector<DefinitionError> errors =
        open_definition(session, audiences, cell_audience_json(draft, cohort, k));
    if (!errors.empty()) {
        session.post(Level::Error, trf(S::lc_open_audience_failed, {error_line(errors.front(), language())}));
        return false;
    }
    return true;
}

json retention_state_json(const Session& session, const RetentionState& st) {
    json out = {{"definition", retention_json(st.draft)}};
    add_run_state(out, session, st.run, st.draft_revision);
    json compare = json::array();
    for (const RetentionCompare& c : st.compare) {
        if (c.audience.empty()) continue;
        json slot = {{"audience", c.audience}, {"definition", compare_json(st.draft, c.audience)}};
        add_run_state(slot, session, c.run, c.revision);
        compare.push_back(std::move(slot));
    }
    out["compare"] = std::move(compare);
    if (retention_pending(session, st)) out["evaluating"] = true;
    return out;
}

} // namespace segx
