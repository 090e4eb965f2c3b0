#include "app/audiences/audience_state.h"
#include "core/lang/messages.h"

#include "app/i18n/i18n.h"
#include "app/session.h"
#include "core/audience/describe.h"
#include "core/audience/json.h"
#include "core/audience/members_csv.h"
#include "core/audience/overlap.h"
#include "core/sql/audience_sql.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <memory>

namespace segx {

// Every leaf rule of a group, with its JSON path (nested groups included; the leaves of
// referenced audiences are evaluated with the whole definition).
static void collect_leaves(const Group& group, const std::string& path,
                           std::vector<std::pair<std::string, const Rule*>>* out) {
    for (size_t i = 0; i < group.rules.size(); ++i) {
        const Rule& rule = group.rules[i];
        std::string rule_path = path + ".rules[" + std::to_string(i) + "]";
        if (const auto* g = std::get_if<Group>(&rule.node))
            collect_leaves(*g, rule_path, out); // depth is bounded by kMaxGroupDepth
        else if (std::holds_alternative<PropertyRule>(rule.node) ||
                 std::holds_alternative<BehaviorRule>(rule.node))
            out->push_back({rule_path, &rule});
    }
}

EvalInputs draft_inputs(const Session& session, const AudienceState& st) {
    auto as_of = session.as_of_us();
    return {st.draft_revision, session.model_generation, evaluation_revision(session.workspace),
            as_of ? *as_of : INT64_MIN};
}

bool evaluation_pending(const Session& session, const AudienceState& st) {
    return !st.evaluated || st.evaluated_for != draft_inputs(session, st);
}

// Starts evaluating a snapshot of the draft: one step per leaf rule not in the cache yet (each
// lands there), then one that evaluates the whole definition, now from the cache, and shows it.
static void start_evaluation(Session& session, AudienceState& st, const EvalInputs& inputs) {
    st.job = Job{};
    st.job_for = inputs;
    // Validate as if read from JSON, so the builder reports what an import would.
    nlohmann::json doc;
    to_json(doc, st.draft);
    ValidationResult v = validate_audience(doc);
    if (!v.ok()) {
        st.errors = std::move(v.errors);
        st.members = Bitmap();
        st.size = 0;
        st.users = session.model.users.size();
        st.rule_sizes.clear();
        st.eval_ms = 0;
        st.evaluated = true, st.evaluated_for = inputs, ++st.evaluations;
        return;
    }
    // The steps own their copy of the draft: the builder may change it before they run.
    auto draft = std::make_shared<const Audience>(st.draft);
    auto leaves = std::make_shared<std::vector<std::pair<std::string, const Rule*>>>();
    collect_leaves(draft->root, "root", leaves.get());
    const int64_t as_of = inputs.as_of_us == INT64_MIN ? 0 : inputs.as_of_us;
    for (const auto& leaf : *leaves) {
        const Rule* rule = leaf.second;
        if (session.audience_cache.peek(leaf_cache_key(*rule, as_of), session.model_generation)) continue;
        st.job.steps.push_back([&session, draft, rule] {
            Audience one{1, "", "", Group{Match::All, false, {*rule}}};
            session.audience_cache.evaluate(one, session.eval_context()); // problems: reported below
        });
    }
    st.job.steps.push_back([&session, &st, draft, leaves, inputs, as_of] {
        EvalResult r = session.audience_cache.evaluate(*draft, session.eval_context());
        st.errors = std::move(r.errors);
        st.members = std::move(r.users);
        st.size = st.errors.empty() ? st.members.count_set() : 0;
        st.users = session.model.users.size();
        st.rule_sizes.clear();
        if (st.errors.empty())
            for (const auto& leaf : *leaves)
                if (const Bitmap* users = session.audience_cache.peek(leaf_cache_key(*leaf.second, as_of),
                                                                      session.model_generation))
                    st.rule_sizes[leaf.first] = users->count_set();
        st.evaluated = true, st.evaluated_for = inputs, ++st.evaluations;
    });
}

void update_audience(Session& session, AudienceState& st, double budget_ms) {
    EvalInputs inputs = draft_inputs(session, st);
    if (st.evaluated && st.evaluated_for == inputs) {
        st.job = Job{}; // (an evaluation of other inputs that came back: nothing left to do)
        return;
    }
    if (!st.job.active() || st.job_for != inputs) start_evaluation(session, st, inputs);
    if (!st.job.active()) return; // refused by validation: nothing to run
    st.job.step(budget_ms);
    if (!st.job.active()) st.eval_ms = st.job.work_ms;
}

void refresh_insight(Session& session, AudienceState& st) {
    if (st.insight_for == st.evaluations + 1) return;
    st.insight_for = st.evaluations + 1;
    InsightOptions options;
    if (auto as_of = session.as_of_us()) options.as_of_us = *as_of;
    st.insight = compute_insight(session.model, st.members, options);
}

void refresh_overlap(Session& session, AudienceState& st) {
    if (session.rebuilding) return; // the saved audiences' sets come from the rebuilt model
    EvalInputs saved_inputs = draft_inputs(session, st);
    saved_inputs.definition = 0;
    if (!st.saved_sets_ready || st.saved_sets_for != saved_inputs) {
        st.saved_sets_for = saved_inputs;
        st.saved_sets_ready = true;
        st.saved_set_names.clear(), st.saved_sets.clear(), st.saved_set_problems.clear();
        EvalContext ctx = session.eval_context();
        for (const Audience& a : session.workspace.saved.audiences) {
            EvalResult r = session.audience_cache.evaluate(a, ctx);
            if (!r.ok()) {
                st.saved_set_problems.push_back(a.name + ": " + error_line(r.errors.front(), language()));
                continue;
            }
            st.saved_set_names.push_back(a.name);
            st.saved_sets.push_back(std::move(r.users));
        }
        st.overlap_for = 0;
    }
    bool unsaved = st.opened_id.empty() && st.errors.empty();
    uint64_t key = (st.evaluations + 1) * 2 + (unsaved ? 1 : 0);
    if (st.overlap_for == key) return;
    st.overlap_for = key;
    AudienceState::Overlap o;
    o.names = st.saved_set_names;
    o.problems = st.saved_set_problems;
    std::vector<const Bitmap*> sets;
    for (const Bitmap& b : st.saved_sets) sets.push_back(&b);
    if (unsaved) {
        o.names.push_back(st.draft.name + " (unsaved)");
        sets.push_back(&st.members);
    }
    o.counts = overlap_matrix(sets);
    st.overlap = std::move(o);
}

// What the Audiences tab shows: the draft, its last evaluation, and whether one is running.
nlohmann::json audience_state_json(const Session& session, const AudienceState& st) {
    using nlohmann::json;
    json errors = json::array();
    for (const DefinitionError& e : st.errors) errors.push_back({{"path", e.path}, {"message", e.message}});
    json definition;
    to_json(definition, st.draft);
    // While the model is rebuilt (empty meanwhile) the share stays that of the last evaluation.
    size_t users = session.rebuilding ? st.users : session.model.users.size();
    bool pending = evaluation_pending(session, st);
    return {{"ok", st.errors.empty()},
            {"name", st.draft.name},
            {"saved_id", st.opened_id.empty() ? json(nullptr) : json(st.opened_id)},
            {"size", st.size},
            {"users", users},
            {"share", users ? double(st.size) / double(users) : 0.0},
            {"errors", std::move(errors)},
            {"definition", std::move(definition)},
            {"rule_sizes", st.rule_sizes},
            // The figures above are of the last finished evaluation; one for the draft as it
            // is now may be under way (progress 0..1).
            {"evaluating", pending},
            {"progress", pending ? st.job.progress() : 1.0f},
            // As the Overlap panel last drew it (computed only while it is shown).
            {"overlap",
             {{"names", st.overlap.names}, {"counts", st.overlap.counts}, {"problems", st.overlap.problems}}},
            {"can_undo_delete", !st.deleted.empty()}};
}

std::string members_csv_text(const Session& session, const AudienceState& st,
                             const std::vector<std::string>& attributes) {
    if (!st.errors.empty() || evaluation_pending(session, st)) return "";
    return members_csv(session.model, st.members, attributes);
}

bool audience_sql_text(Session& session, const AudienceState& st, std::string* sql, std::string* problem) {
    session.rebuild_model_if_dirty();
    SqlResult r = audience_to_sql(st.draft, session.eval_context());
    if (!r.ok()) {
        *problem = error_line(r.errors.front(), language());
        return false;
    }
    *sql = std::move(r.sql);
    return true;
}

std::string unused_audience_id(const Session& session) {
    return unused_definition_id(session.workspace, "audience");
}

// The saved list changed: `audience` rules may mean something else, and the page writes the
// workspace (web/main.js).
static void saved_list_changed(Session& session) { ++session.workspace.revision; }

bool save_draft(Session& session, AudienceState& st, bool as_new) {
    if (st.draft.name.empty()) st.draft.name = tr(S::untitled_audience);
    nlohmann::json doc;
    to_json(doc, st.draft);
    ValidationResult v = validate_audience(doc);
    if (!v.ok()) {
        session.post(Level::Error,
                     trf(S::not_saved_because, {error_text(&st.draft, v.errors.front(), language())}));
        return false;
    }
    Audience* existing = nullptr;
    if (!as_new && !st.opened_id.empty())
        for (Audience& a : session.workspace.saved.audiences)
            if (a.id == st.opened_id) existing = &a;
    if (existing) {
        st.draft.id = existing->id;
        *existing = st.draft;
    } else {
        if (as_new) st.draft.name += tr(S::copy_suffix);
        st.draft.id = unused_audience_id(session);
        session.workspace.saved.audiences.push_back(st.draft);
    }
    st.opened_id = st.draft.id;
    draft_changed(st);
    saved_list_changed(session);
    session.post(Level::Info, trf(S::saved_audience_msg, {st.draft.name}));
    return true;
}

void open_saved(Session& session, AudienceState& st, size_t index) {
    if (index >= session.workspace.saved.audiences.size()) return;
    st.draft = session.workspace.saved.audiences[index];
    st.opened_id = st.draft.id;
    draft_changed(st);
}

void new_draft(AudienceState& st) {
    st.draft = Audience{};
    st.draft.name = tr(S::new_audience_name);
    st.opened_id.clear();
    draft_changed(st);
}

bool rename_saved(Session& session, AudienceState& st, size_t index, const std::string& name) {
    if (index >= session.workspace.saved.audiences.size()) return false;
    if (name.empty() || name.size() > kMaxStringBytes) {
        session.post(Level::Error, tr(S::audience_name_length));
        return false;
    }
    Audience& a = session.workspace.saved.audiences[index];
    a.name = name;
    if (st.opened_id == a.id) st.draft.name = name, draft_changed(st);
    saved_list_changed(session);
    return true;
}

void duplicate_saved(Session& session, size_t index) {
    if (index >= session.workspace.saved.audiences.size()) return;
    Audience copy = session.workspace.saved.audiences[index];
    copy.id = unused_audience_id(session);
    copy.name += tr(S::copy_suffix);
    session.workspace.saved.audiences.insert(session.workspace.saved.audiences.begin() + long(index) + 1,
                                             std::move(copy));
    saved_list_changed(session);
}

void delete_saved(Session& session, AudienceState& st, size_t index) {
    if (index >= session.workspace.saved.audiences.size()) return;
    st.deleted.push_back({index, session.workspace.saved.audiences[index]});
    if (st.deleted.size() > 50) st.deleted.erase(st.deleted.begin());
    // The draft stays as it is, now unsaved: deleting the saved copy loses none of the editing.
    if (st.opened_id == session.workspace.saved.audiences[index].id) st.opened_id.clear(), draft_changed(st);
    session.post(Level::Info, trf(S::deleted_audience_msg, {session.workspace.saved.audiences[index].name}));
    session.workspace.saved.audiences.erase(session.workspace.saved.audiences.begin() + long(index));
    saved_list_changed(session);
}

bool undo_delete(Session& session, AudienceState& st) {
    if (st.deleted.empty()) return false;
    AudienceState::Deleted d = std::move(st.deleted.back());
    st.deleted.pop_back();
    // Another audience may have taken the id meanwhile (a new save): restore under a fresh one.
    for (const Audience& a : session.workspace.saved.audiences)
        if (a.id == d.audience.id) d.audience.id = unused_audience_id(session);
    size_t at = std::min(d.index, session.workspace.saved.audiences.size());
    session.post(Level::Info, trf(S::restored_audience_msg, {d.audience.name}));
    session.workspace.saved.audiences.insert(session.workspace.saved.audiences.begin() + long(at),
                                             std::move(d.audience));
    saved_list_changed(session);
    return true;
}

std::vector<DefinitionError> open_definition(Session& session, AudienceState& st, std::string_view json_text,
                                             const std::string& opened_id) {
    ValidationResult r = parse_audience(json_text);
    if (!r.ok()) return r.errors;
    // Keep what was being edited unless it is empty or saved as it is (nothing to lose then).
    bool empty = st.draft.root.rules.empty();
    bool saved_as_is = false;
    for (const Audience& a : session.workspace.saved.audiences)
        saved_as_is = saved_as_is || (a.id == st.opened_id && a == st.draft);
    if (!empty && !saved_as_is)
        st.replaced_draft = st.draft, st.replaced_opened_id = st.opened_id;
    else
        st.replaced_draft.reset();
    st.draft = std::move(r.audience);
    // Opened from outside: saving makes it a new saved audience unless it is one of ours.
    st.opened_id.clear();
    for (const Audience& a : session.workspace.saved.audiences)
        if (a.id == st.draft.id) st.opened_id = a.id;
    // A restored draft says which saved audience it was being edited as.
    for (const Audience& a : session.workspace.saved.audiences)
        if (!opened_id.empty() && a.id == opened_id) st.opened_id = a.id;
    draft_changed(st);
    return {};
}

bool restore_replaced_draft(AudienceState& st) {
    if (!st.replaced_draft) return false;
    std::swap(st.draft, *st.replaced_draft);
    std::swap(st.opened_id, st.replaced_opened_id);
    draft_changed(st);
    // The opened one stays one click away too: the button now goes back and forth.
    return true;
}

std::string draft_json_text(const AudienceState& st) {
    nlohmann::json j;
    to_json(j, st.draft);
    return j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string file_name_for(const std::string& audience_name, const char* extension) {
    // Keep letters, digits and any non-ASCII text (Chinese names stay readable); the rest of
    // ASCII becomes '-', so no path separator or control character reaches the download.
    std::string out;
    for (unsigned char c : audience_name) {
        bool keep = c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    c == '_';
        if (keep)
            out += char(c);
        else if (!out.empty() && out.back() != '-')
            out += '-';
        if (out.size() >= 80) break;
    }
    while (!out.empty() && out.back() == '-') out.pop_back();
    // A cut may split a UTF-8 sequence: drop a trailing partial one.
    size_t i = out.size();
    while (i > 0 && (static_cast<unsigned char>(out[i - 1]) & 0xC0) == 0x80) --i;
    if (i > 0 && static_cast<unsigned char>(out[i - 1]) >= 0xC0) {
        unsigned char lead = static_cast<unsigned char>(out[i - 1]);
        size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
        if (out.size() - (i - 1) < need) out.resize(i - 1);
    }
    if (out.empty()) out = "audience";
    return out + extension;
}

} // namespace segx
