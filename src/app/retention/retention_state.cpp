#include "app/retention/retention_state.h"
#include "core/lang/messages.h"

#include "app/audiences/audience_state.h"
#include "app/i18n/i18n.h"
#include "app/session.h"
#include "core/retention/json.h"
#include "core/run/run.h"

#include <algorithm>

namespace segx {

using json = nlohmann::json;

Retention new_retention() {
    Retention r;
    r.name = tr(S::ret_default_name);
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
    const RetentionBreakdownState& b = st.breakdown;
    if (!b.attribute.empty()) {
        if (!b.found || b.found_for != definition_inputs(session, b.revision)) return true;
        for (const RetentionGroupRun& g : b.runs)
            if (definition_pending(session, g.run, b.revision)) return true;
    }
    return definition_pending(session, st.run, st.draft_revision);
}

void set_retention_breakdown(RetentionState& st, const std::string& attribute, size_t top) {
    top = std::clamp<size_t>(top, 1, kMaxRetentionBreakdownTop);
    RetentionBreakdownState& b = st.breakdown;
    if (b.attribute == attribute && b.top == top) return;
    b.attribute = attribute, b.top = top;
    ++b.revision;
}

// The groups of the breakdown for the draft as it is (one pass of the retention engine), and
// each group's definition; their answers come from update_definition_run.
static void find_groups(Session& session, RetentionState& st, const EvalInputs& inputs) {
    RetentionBreakdownState& b = st.breakdown;
    b.found = true, b.found_for = inputs;
    b.groups = RetentionBreakdown{};
    b.runs.clear();
    RetentionValidation v = validate_retention(retention_json(st.draft), check_audience_group);
    auto as_of = session.as_of_us();
    if (!v.ok() || !as_of) return; // the draft's own run says what is wrong
    RunContext ctx{session.model, as_of, session.model_generation, &session.workspace.saved,
                   &session.audience_cache};
    b.groups = retention_breakdown(v.retention,
                                   RetentionContext{session.model, *as_of, audience_filter_resolver(ctx)},
                                   b.attribute, b.top);
    for (size_t i = 0; i < b.groups.groups.size(); ++i) {
        Retention r = st.draft;
        r.audience = narrowed_filter(st.draft.audience, breakdown_group_rule(b.groups, b.attribute, i));
        b.runs.push_back({retention_json(r), DefinitionRun{}});
    }
}

void update_retention(Session& session, RetentionState& st, double budget_ms) {
    Workspace& w = session.workspace;
    keep_in_workspace(w, w.saved.retentions, st.draft, &st.draft_revision, &st.stored_revision, "retention",
                      st.draft_revision != st.stored_revision &&
                          validate_retention(retention_json(st.draft), check_audience_group).ok(),
                      &st.kept);
    update_definition_run(
        session, st.run, st.draft_revision, [&st] { return retention_json(st.draft); }, budget_ms);
    for (RetentionCompare& c : st.compare)
        if (!c.audience.empty())
            update_definition_run(
                session, c.run, c.revision, [&] { return compare_json(st.draft, c.audience); }, budget_ms);
    RetentionBreakdownState& b = st.breakdown;
    if (b.attribute.empty()) return;
    EvalInputs inputs = definition_inputs(session, b.revision);
    if (!b.found || b.found_for != inputs) find_groups(session, st, inputs);
    for (RetentionGroupRun& g : b.runs)
        update_definition_run(
            session, g.run, b.revision, [&g] { return g.definition; }, budget_ms);
}

std::string breakdown_group_label(const RetentionBreakdownGroup& group) {
    if (group.row == RetentionRowKind::Other) return tr(S::ret_breakdown_other);
    if (group.row == RetentionRowKind::NotSet) return tr(S::ret_breakdown_not_set);
    return group.value;
}

std::string breakdown_point_audience_json(const RetentionState& st, size_t group, size_t k) {
    const RetentionBreakdownState& b = st.breakdown;
    if (group >= b.runs.size() || group >= b.groups.groups.size()) return "";
    const json& answer = b.runs[group].run.answer;
    if (!answer.is_object() || !answer.contains("cohorts")) return "";
    json cells = json::array();
    for (const json& c : answer["cohorts"]) {
        const json& complete = c.at("complete");
        if (k < complete.size() && complete[k].get<bool>() && c.value("size", 0) > 0)
            cells.push_back({{"kind", "retention"},
                             {"retention", retention_json(st.draft)},
                             {"cohort", c.value("start", "")},
                             {"period", k}});
    }
    if (cells.empty()) return "";
    json rules = json::array({breakdown_group_rule(b.groups, b.attribute, group),
                              {{"kind", "group"}, {"match", "any"}, {"rules", std::move(cells)}}});
    std::string name =
        trf(S::ret_breakdown_audience_name,
            {st.draft.name, b.attribute, breakdown_group_label(b.groups.groups[group]), std::to_string(k)});
    json doc = {{"segx", 1}, {"name", name}, {"root", {{"match", "all"}, {"rules", std::move(rules)}}}};
    return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

bool open_breakdown_point_audience(Session& session, AudienceState& audiences, const RetentionState& st,
                                   size_t group, size_t k) {
    std::string doc = breakdown_point_audience_json(st, group, k);
    if (doc.empty()) {
        session.post(Level::Info, tr(S::ret_breakdown_no_cell));
        return false;
    }
    std::vector<DefinitionError> errors = open_definition(session, audiences, doc);
    if (!errors.empty()) {
        session.post(Level::Error, trf(S::lc_open_audience_failed, {errors.front().to_string()}));
        return false;
    }
    return true;
}

// --- saved retentions ---------------------------------------------------------------------------

static std::vector<Retention>& saved_retentions(Session& session) {
    return session.workspace.saved.retentions;
}

// No rule names a saved retention by id (the `retention` rule carries its definition): the page
// stores the workspace, and no evaluation depends on the change.
static void retention_list_changed(Session& session) {
    ++session.workspace.revision;
    ++session.workspace.unreferenced_changes;
}

// Opens `r` as the draft and takes the list's first as seen (the draft is, or becomes, it).
static void open_as_draft(Session& session, RetentionState& st, Retention r) {
    st.draft = std::move(r);
    retention_changed(st);
    if (!saved_retentions(session).empty()) st.kept = saved_retentions(session).front();
}

void open_saved_retention(Session& session, RetentionState& st, size_t index) {
    if (index >= saved_retentions(session).size()) return;
    open_as_draft(session, st, saved_retentions(session)[index]);
}

void new_retention_draft(RetentionState& st) {
    st.draft = new_retention();
    retention_changed(st);
}

bool rename_saved_retention(Session& session, RetentionState& st, size_t index, const std::string& name) {
    if (index >= saved_retentions(session).size()) return false;
    if (name.empty() || name.size() > kMaxStringBytes) {
        session.post(Level::Error, tr(S::ret_name_bytes));
        return false;
    }
    Retention& r = saved_retentions(session)[index];
    r.name = name;
    retention_list_changed(session);
    if (r.id == st.draft.id)
        open_as_draft(session, st, r);
    else if (index == 0)
        st.kept = r;
    return true;
}

void duplicate_saved_retention(Session& session, size_t index) {
    if (index >= saved_retentions(session).size()) return;
    Retention copy = saved_retentions(session)[index];
    copy.id = unused_definition_id(session.workspace, "retention");
    copy.name += tr(S::fn_copy_suffix);
    saved_retentions(session).insert(saved_retentions(session).begin() + long(index) + 1, std::move(copy));
    retention_list_changed(session);
}

void delete_saved_retention(Session& session, RetentionState& st, size_t index) {
    if (index >= saved_retentions(session).size()) return;
    const Retention r = saved_retentions(session)[index];
    const bool was_open = r.id == st.draft.id;
    st.deleted.push_back({index, r, was_open});
    if (st.deleted.size() > 50) st.deleted.erase(st.deleted.begin());
    saved_retentions(session).erase(saved_retentions(session).begin() + long(index));
    retention_list_changed(session);
    session.post(Level::Info, trf(S::ret_deleted_message, {r.name}));
    if (was_open) {
        if (saved_retentions(session).empty())
            new_retention_draft(st);
        else
            open_as_draft(session, st, saved_retentions(session).front());
    } else if (!saved_retentions(session).empty()) {
        st.kept = saved_retentions(session).front();
    }
}

bool undo_delete_retention(Session& session, RetentionState& st) {
    if (st.deleted.empty()) return false;
    RetentionState::Deleted d = std::move(st.deleted.back());
    st.deleted.pop_back();
    // Another retention may have taken the id meanwhile (a new draft kept itself): restore
    // under a fresh one.
    if (std::any_of(saved_retentions(session).begin(), saved_retentions(session).end(),
                    [&](const Retention& r) { return r.id == d.retention.id; }))
        d.retention.id = unused_definition_id(session.workspace, "retention");
    size_t at = std::min(d.index, saved_retentions(session).size());
    saved_retentions(session).insert(saved_retentions(session).begin() + long(at), d.retention);
    retention_list_changed(session);
    session.post(Level::Info, trf(S::ret_restored_message, {d.retention.name}));
    if (d.was_open)
        open_as_draft(session, st, d.retention);
    else
        st.kept = saved_retentions(session).front();
    return true;
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
    const RetentionBreakdownState& b = st.breakdown;
    if (!b.attribute.empty()) {
        json groups = json::array();
        for (size_t i = 0; i < b.runs.size() && i < b.groups.groups.size(); ++i) {
            const RetentionBreakdownGroup& g = b.groups.groups[i];
            const char* row = g.row == RetentionRowKind::Value   ? "value"
                              : g.row == RetentionRowKind::Other ? "other"
                                                                 : "not_set";
            json slot = {{"row", row},
                         {"value", g.row == RetentionRowKind::Value ? json(g.value) : json(nullptr)},
                         {"users", g.users},
                         {"definition", b.runs[i].definition}};
            add_run_state(slot, session, b.runs[i].run, b.revision);
            groups.push_back(std::move(slot));
        }
        out["breakdown"] = {{"attribute", b.attribute},    {"top", b.top},
                            {"total", b.groups.total},     {"errors", errors_json(b.groups.errors)},
                            {"groups", std::move(groups)}, {"hover", b.hover}};
    }
    const Retention* first =
        session.workspace.saved.retentions.empty() ? nullptr : &session.workspace.saved.retentions.front();
    out["saved_id"] = first && *first == st.draft ? json(first->id) : json(nullptr);
    out["can_undo_delete"] = !st.deleted.empty();
    if (retention_pending(session, st)) out["evaluating"] = true;
    return out;
}

} // namespace segx
