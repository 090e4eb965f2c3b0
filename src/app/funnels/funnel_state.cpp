#include "app/funnels/funnel_state.h"
#include "core/lang/messages.h"

#include "app/definition_run.h" // answer_errors
#include "app/i18n/i18n.h"
#include "app/session.h"
#include "core/funnel/json.h"
#include "core/run/run.h"

#include <algorithm>
#include <array>
#include <memory>

namespace segx {

using json = nlohmann::json;

Funnel new_funnel() {
    Funnel f;
    f.name = tr(S::fn_default_name);
    f.steps = {FunnelStep{}, FunnelStep{}};
    return f;
}

json funnel_json(const Funnel& funnel) {
    json j;
    to_json(j, funnel);
    return j;
}

EvalInputs funnel_inputs(const Session& session, const FunnelState& st) {
    auto as_of = session.as_of_us();
    return {st.draft_revision, session.model_generation, evaluation_revision(session.workspace),
            as_of ? *as_of : INT64_MIN};
}

bool funnel_pending(const Session& session, const FunnelState& st) {
    return !st.evaluated || st.evaluated_for != funnel_inputs(session, st);
}

static void finish(FunnelState& st, const EvalInputs& inputs, json answer) {
    if (answer.value("ok", false)) {
        st.errors.clear();
        st.answer = std::move(answer);
    } else {
        st.errors = answer_errors(answer);
        st.answer = nullptr;
    }
    st.evaluated = true, st.evaluated_for = inputs, ++st.evaluations;
}

// Validates at once (a refused draft needs no job), then runs the engine in one step over a
// snapshot of the draft: the builder may change the draft before the step runs.
static void start_evaluation(Session& session, FunnelState& st, const EvalInputs& inputs) {
    st.job = Job{};
    st.job_for = inputs;
    auto doc = std::make_shared<const json>(funnel_json(st.draft));
    FunnelValidation v = validate_funnel(*doc, check_audience_group);
    if (!v.ok()) {
        finish(st, inputs, {{"ok", false}, {"errors", errors_json(v.errors)}});
        st.eval_ms = 0;
        return;
    }
    st.job.steps.push_back([&session, &st, doc, inputs] {
        RunContext ctx{session.model, session.as_of_us(), session.model_generation, &session.workspace.saved,
                       &session.audience_cache};
        finish(st, inputs, run_definition(ctx, *doc, RunOptions{}));
    });
}

// The comparison's two runs, once the draft's own answer is up to date (so each edit runs the
// engine at most three times, never per frame), as a job: one side per step, within the frame's
// budget like the draft's evaluation; the answers change together when both sides are done.
static bool compare_pending(const FunnelState& st, const EvalInputs& inputs) {
    const FunnelState::Compare& c = st.compare;
    return c.evaluated_for != inputs || c.evaluated_revision != c.revision;
}

static void update_compare(Session& session, FunnelState& st, const EvalInputs& inputs, double budget_ms) {
    FunnelState::Compare& c = st.compare;
    if (!compare_pending(st, inputs)) {
        c.job = Job{};
        return;
    }
    if (!c.job.active() || c.job_for != inputs || c.job_revision != c.revision) {
        c.job = Job{};
        c.job_for = inputs, c.job_revision = c.revision;
        auto answers = std::make_shared<std::array<json, 2>>();
        for (int side = 0; side < 2; side++) {
            if (c.ids[side].empty() || !st.errors.empty()) continue;
            // A snapshot of the definition: the tab may change it before the step runs.
            json doc = funnel_json(st.draft);
            doc["audience"] = {{"audience", c.ids[side]}};
            c.job.steps.push_back([&session, answers, side, doc = std::move(doc)] {
                RunContext ctx{session.model, session.as_of_us(), session.model_generation,
                               &session.workspace.saved, &session.audience_cache};
                (*answers)[size_t(side)] = run_definition(ctx, doc, RunOptions{});
            });
        }
        const uint64_t revision = c.revision;
        c.job.steps.push_back([&st, answers, inputs, revision] {
            FunnelState::Compare& done = st.compare;
            for (int side = 0; side < 2; side++) done.answers[side] = std::move((*answers)[size_t(side)]);
            done.evaluated_for = inputs, done.evaluated_revision = revision;
        });
    }
    c.job.step(budget_ms);
}

void set_compare_audience(FunnelState& st, int side, const std::string& audience_id) {
    if (side < 0 || side > 1 || st.compare.ids[side] == audience_id) return;
    st.compare.ids[side] = audience_id;
    ++st.compare.revision;
}

std::vector<DefinitionError> open_funnel_definition(FunnelState& st, const Session& session,
                                                    std::string_view json_text,
                                                    const std::string& opened_id) {
    FunnelValidation v = parse_funnel(json_text, check_audience_group);
    if (!v.ok()) {
        // The builder holds steps and exclusions not filled in yet (event ""), which the reader
        // refuses: a draft saved that way reads with a placeholder, emptied again after.
        static const char* kUnfilled = "\x01unfilled";
        json doc = json::parse(json_text, nullptr, false);
        bool any = false;
        for (const char* list : {"steps", "exclusions"})
            if (doc.is_object() && doc.contains(list) && doc[list].is_array())
                for (json& item : doc[list])
                    if (item.is_object() && item.contains("event") && item["event"] == "")
                        item["event"] = kUnfilled, any = true;
        if (!any) return v.errors;
        FunnelValidation again = validate_funnel(doc, check_audience_group);
        if (!again.ok()) return v.errors;
        for (FunnelStep& step : again.funnel.steps)
            if (step.event == kUnfilled) step.event.clear();
        for (FunnelExclusion& x : again.funnel.exclusions)
            if (x.event == kUnfilled) x.event.clear();
        v = std::move(again);
    }
    st.draft = std::move(v.funnel);
    st.opened_id.clear();
    for (const Funnel& f : session.workspace.saved.funnels)
        if (f.id == st.draft.id || (!opened_id.empty() && f.id == opened_id)) st.opened_id = f.id;
    funnel_changed(st);
    return {};
}

bool funnel_sql_text(Session& session, const FunnelState& st, std::string* sql, std::string* problem) {
    json r = json::parse(
        session.audience_sql_json(funnel_json(st.draft).dump(-1, ' ', false, json::error_handler_t::replace)),
        nullptr, false);
    if (r.is_object() && r.value("ok", false) && r.contains("sql")) {
        *sql = r["sql"].get<std::string>();
        return true;
    }
    std::vector<DefinitionError> errors = r.is_object() ? answer_errors(r) : std::vector<DefinitionError>{};
    *problem = errors.empty() ? tr(S::fn_not_compiled) : error_line(errors.front(), language());
    return false;
}

void update_funnel(Session& session, FunnelState& st, double budget_ms) {
    EvalInputs inputs = funnel_inputs(session, st);
    if (st.evaluated && st.evaluated_for == inputs) {
        st.job = Job{};
        update_compare(session, st, inputs, budget_ms);
        return;
    }
    if (!st.job.active() || st.job_for != inputs) start_evaluation(session, st, inputs);
    if (!st.job.active()) return;
    st.job.step(budget_ms);
    if (!st.job.active()) st.eval_ms = st.job.work_ms;
}

// The comparison as shown: per side the audience id and its per-step users (null: none).
static json compare_json(const FunnelState& st) {
    json sides = json::array();
    for (int side = 0; side < 2; side++) {
        const json& a = st.compare.answers[side];
        json users = nullptr;
        if (a.is_object() && a.value("ok", false)) {
            users = json::array();
            for (const json& s : a["steps"]) users.push_back(s.value("users", 0));
        }
        sides.push_back(
            {{"audience", st.compare.ids[side].empty() ? json(nullptr) : json(st.compare.ids[side])},
             {"users", users},
             {"errors", a.is_object() && !a.value("ok", true) ? a["errors"] : json::array()}});
    }
    return sides;
}

json funnel_state_json(const Session& session, const FunnelState& st) {
    bool pending = funnel_pending(session, st);
    return {{"ok", st.errors.empty()},
            {"name", st.draft.name},
            {"saved_id", st.opened_id.empty() ? json(nullptr) : json(st.opened_id)},
            {"saved_as_is", funnel_saved_as_is(session, st)},
            {"definition", funnel_json(st.draft)},
            {"revision", st.draft_revision},
            {"errors", errors_json(st.errors)},
            // The answer (and its steps) of the last finished evaluation; one for the draft as
            // it is now may be under way.
            {"answer", st.answer},
            {"steps", st.answer.is_object() ? st.answer.value("steps", json::array()) : json::array()},
            {"evaluating", pending},
            {"evaluations", st.evaluations},
            {"progress", pending ? st.job.progress() : 1.0f},
            {"can_undo_delete", !st.deleted.empty()},
            {"compare", compare_json(st)},
            {"comparing", !pending && compare_pending(st, funnel_inputs(session, st)) &&
                              (!st.compare.ids[0].empty() || !st.compare.ids[1].empty())},
            {"hover", st.hover}};
}

// --- saved funnels ------------------------------------------------------------------------------

static std::vector<Funnel>& saved_funnels(Session& session) { return session.workspace.saved.funnels; }

// The saved list changed: the page writes the workspace, and `funnel` rules of audiences (and
// so every evaluation keyed by the workspace's revision) may mean something else.
static void funnel_list_changed(Session& session) { ++session.workspace.revision; }

bool funnel_saved_as_is(const Session& session, const FunnelState& st) {
    if (st.opened_id.empty()) return false;
    const Funnel* f = session.workspace.saved.funnel(st.opened_id);
    return f && *f == st.draft;
}

bool save_funnel(Session& session, FunnelState& st, bool as_new) {
    if (st.draft.name.empty()) st.draft.name = tr(S::fn_untitled);
    FunnelValidation v = validate_funnel(funnel_json(st.draft), check_audience_group);
    if (!v.ok()) {
        session.post(Level::Error, trf(S::fn_not_saved_because, {error_line(v.errors.front(), language())}));
        return false;
    }
    Funnel* existing = nullptr;
    if (!as_new && !st.opened_id.empty())
        for (Funnel& f : saved_funnels(session))
            if (f.id == st.opened_id) existing = &f;
    if (existing) {
        st.draft.id = existing->id;
        *existing = st.draft;
    } else {
        if (as_new) st.draft.name += tr(S::fn_copy_suffix);
        st.draft.id = unused_definition_id(session.workspace, "funnel");
        saved_funnels(session).push_back(st.draft);
    }
    st.opened_id = st.draft.id;
    funnel_changed(st);
    funnel_list_changed(session);
    session.post(Level::Info, trf(S::fn_saved_message, {st.draft.name}));
    return true;
}

void open_saved_funnel(Session& session, FunnelState& st, size_t index) {
    if (index >= saved_funnels(session).size()) return;
    st.draft = saved_funnels(session)[index];
    st.opened_id = st.draft.id;
    funnel_changed(st);
}

void new_funnel_draft(FunnelState& st) {
    st.draft = new_funnel();
    st.opened_id.clear();
    funnel_changed(st);
}

bool rename_saved_funnel(Session& session, FunnelState& st, size_t index, const std::string& name) {
    if (index >= saved_funnels(session).size()) return false;
    if (name.empty() || name.size() > kMaxStringBytes) {
        session.post(Level::Error, tr(S::fn_name_bytes));
        return false;
    }
    Funnel& f = saved_funnels(session)[index];
    f.name = name;
    if (st.opened_id == f.id) st.draft.name = name, funnel_changed(st);
    funnel_list_changed(session);
    return true;
}

void duplicate_saved_funnel(Session& session, size_t index) {
    if (index >= saved_funnels(session).size()) return;
    Funnel copy = saved_funnels(session)[index];
    copy.id = unused_definition_id(session.workspace, "funnel");
    copy.name += tr(S::fn_copy_suffix);
    saved_funnels(session).insert(saved_funnels(session).begin() + long(index) + 1, std::move(copy));
    funnel_list_changed(session);
}

void delete_saved_funnel(Session& session, FunnelState& st, size_t index) {
    if (index >= saved_funnels(session).size()) return;
    const Funnel& f = saved_funnels(session)[index];
    st.deleted.push_back({index, f});
    if (st.deleted.size() > 50) st.deleted.erase(st.deleted.begin());
    // The draft stays as it is, now unsaved: deleting the saved copy loses none of the editing.
    if (st.opened_id == f.id) st.opened_id.clear(), funnel_changed(st);
    session.post(Level::Info, trf(S::fn_deleted_message, {f.name}));
    saved_funnels(session).erase(saved_funnels(session).begin() + long(index));
    funnel_list_changed(session);
}

bool undo_delete_funnel(Session& session, FunnelState& st) {
    if (st.deleted.empty()) return false;
    FunnelState::Deleted d = std::move(st.deleted.back());
    st.deleted.pop_back();
    // Another definition may have taken the id meanwhile: restore under a fresh one.
    if (session.workspace.saved.funnel(d.funnel.id) || session.workspace.saved.audience(d.funnel.id))
        d.funnel.id = unused_definition_id(session.workspace, "funnel");
    size_t at = std::min(d.index, saved_funnels(session).size());
    session.post(Level::Info, trf(S::fn_restored_message, {d.funnel.name}));
    saved_funnels(session).insert(saved_funnels(session).begin() + long(at), std::move(d.funnel));
    funnel_list_changed(session);
    return true;
}

// --- audiences from the chart -----------------------------------------------------------------

std::string step_audience_json(const FunnelState& st, int step, bool dropped) {
    std::string event =
        step >= 1 && size_t(step) <= st.draft.steps.size() ? st.draft.steps[size_t(step - 1)].event : "";
    std::string name = trf(dropped ? S::fn_audience_dropped : S::fn_audience_converted,
                           {st.draft.name, std::to_string(step)});
    if (!event.empty()) name = trf(S::fn_audience_event, {name, event});
    json rule = {{"kind", "funnel"}, {"funnel", st.opened_id}, {dropped ? "dropped_after" : "reached", step}};
    json doc = {{"segx", 1}, {"name", name}, {"root", {{"match", "all"}, {"rules", json::array({rule})}}}};
    return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

bool open_step_audience(Session& session, FunnelState& st, AudienceState& audiences, int step, bool dropped) {
    if (step < 1 || size_t(step) > st.draft.steps.size() ||
        (dropped && size_t(step) >= st.draft.steps.size())) {
        session.post(Level::Error, tr(S::fn_no_such_step));
        return false;
    }
    if (!funnel_saved_as_is(session, st)) {
        bool was_saved = !st.opened_id.empty();
        if (!save_funnel(session, st, false)) return false;
        session.post(Level::Info, trf(was_saved ? S::fn_saved_changes_for_audience : S::fn_saved_for_audience,
                                      {st.draft.name}));
    }
    std::vector<DefinitionError> errors =
        open_definition(session, audiences, step_audience_json(st, step, dropped));
    if (!errors.empty()) {
        session.post(Level::Error, trf(S::fn_open_audience_failed, {error_line(errors.front(), language())}));
        return false;
    }
    return true;
}

} // namespace segx
