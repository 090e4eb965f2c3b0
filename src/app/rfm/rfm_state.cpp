#include "app/rfm/rfm_state.h"
#include "core/lang/messages.h"

#include "app/definition_run.h" // answer_errors
#include "app/i18n/i18n.h"
#include "app/rfm/segment_names.h"
#include "app/session.h"
#include "core/rfm/csv.h"
#include "core/rfm/engine.h"
#include "core/rfm/json.h"
#include "core/run/run.h"

#include <algorithm>
#include <memory>

namespace segx {

using json = nlohmann::json;

const char* rfm_color_by_name(RfmColorBy by) {
    switch (by) {
        case RfmColorBy::MeanM:
            return "mean_m";
        case RfmColorBy::RevenueShare:
            return "revenue_share";
        default:
            return "customers";
    }
}

json rfm_json(const Rfm& rfm) {
    json j;
    to_json(j, rfm);
    return j;
}

void set_rfm_method(RfmState& st, RfmMethod method) {
    if (st.draft.method == method) return;
    bool defaults = st.draft.segments == default_rfm_segments(st.draft.method);
    bool scale_changes = (st.draft.method == RfmMethod::Mean) != (method == RfmMethod::Mean);
    st.draft.method = method;
    if (defaults || scale_changes) st.draft.segments = default_rfm_segments(method);
    rfm_changed(st);
}

void reset_rfm_grid(RfmState& st) {
    st.draft.segments = default_rfm_segments(st.draft.method);
    rfm_changed(st);
}

// --- the grid editor --------------------------------------------------------------------------

std::vector<int> rfm_grid_owners(const Rfm& rfm) {
    if (rfm_uses_m(rfm.segments) || !check_rfm_segments(rfm.segments, rfm.method).empty()) return {};
    const int S = rfm_max_score(rfm.method);
    const std::vector<uint8_t> cells = rfm_cell_segments(rfm.segments, rfm.method);
    std::vector<int> owners(size_t(S * S));
    for (size_t c = 0; c < owners.size(); c++) owners[c] = cells[c * size_t(S)];
    return owners;
}

// Makes the draft's segments those of `owners` (indices into the segments, one past the end for
// a new one): each a rectangle, or a problem naming the first that is not.
static bool apply_owners(RfmState& st, const std::vector<int>& owners, std::vector<RfmSegment> segments,
                         std::string* problem) {
    const int S = rfm_max_score(st.draft.method);
    std::vector<RfmSegment> out;
    size_t painting = 0;
    for (size_t k = 0; k < segments.size(); k++) {
        int r_lo = S + 1, r_hi = 0, f_lo = S + 1, f_hi = 0, n = 0;
        for (int r = 1; r <= S; r++)
            for (int f = 1; f <= S; f++)
                if (owners[size_t((r - 1) * S + (f - 1))] == int(k)) {
                    r_lo = std::min(r_lo, r), r_hi = std::max(r_hi, r);
                    f_lo = std::min(f_lo, f), f_hi = std::max(f_hi, f);
                    ++n;
                }
        if (n == 0) continue; // painted over entirely: removed
        if (n != (r_hi - r_lo + 1) * (f_hi - f_lo + 1)) {
            *problem = trf(segx::S::rfm_problem_not_rectangle,
                           {rfm_segment_display_name(segments[k].name, language()), "shift"});
            return false;
        }
        segments[k].r = {r_lo, r_hi};
        segments[k].f = {f_lo, f_hi};
        if (k == st.paint_segment) painting = out.size();
        out.push_back(std::move(segments[k]));
    }
    st.draft.segments = std::move(out);
    st.paint_segment = painting; // the same segment, wherever removals moved it
    rfm_changed(st);
    return true;
}

static bool grid_editable(const RfmState& st, std::vector<int>* owners, std::string* problem) {
    *owners = rfm_grid_owners(st.draft);
    if (!owners->empty()) return true;
    *problem = rfm_uses_m(st.draft.segments) ? tr(S::rfm_problem_bounds_m) : tr(S::rfm_problem_fix_first);
    return false;
}

bool paint_rfm_cells(RfmState& st, size_t segment, int r1, int f1, int r2, int f2, std::string* problem) {
    std::vector<int> owners;
    if (!grid_editable(st, &owners, problem)) return false;
    const int S = rfm_max_score(st.draft.method);
    if (segment >= st.draft.segments.size() || std::min({r1, f1, r2, f2}) < 1 ||
        std::max({r1, f1, r2, f2}) > S) {
        *problem = tr(segx::S::rfm_problem_no_segment_or_cell);
        return false;
    }
    for (int r = std::min(r1, r2); r <= std::max(r1, r2); r++)
        for (int f = std::min(f1, f2); f <= std::max(f1, f2); f++)
            owners[size_t((r - 1) * S + (f - 1))] = int(segment);
    return apply_owners(st, owners, st.draft.segments, problem);
}

bool add_rfm_segment(RfmState& st, int r, int f, std::string* problem) {
    std::vector<int> owners;
    if (!grid_editable(st, &owners, problem)) return false;
    const int S = rfm_max_score(st.draft.method);
    if (r < 1 || f < 1 || r > S || f > S) {
        *problem = tr(segx::S::rfm_problem_no_cell);
        return false;
    }
    if (st.draft.segments.size() >= kMaxRfmSegments) {
        *problem = trf(segx::S::rfm_problem_max_segments, {std::to_string(kMaxRfmSegments)});
        return false;
    }
    std::vector<RfmSegment> segments = st.draft.segments;
    RfmSegment added;
    for (size_t n = segments.size() + 1;; n++) {
        added.name = trf(segx::S::rfm_new_segment_name, {std::to_string(n)});
        if (std::none_of(segments.begin(), segments.end(),
                         [&](const RfmSegment& s) { return s.name == added.name; }))
            break;
    }
    segments.push_back(added);
    owners[size_t((r - 1) * S + (f - 1))] = int(segments.size() - 1);
    return apply_owners(st, owners, std::move(segments), problem);
}

void recolor_rfm_segment(RfmState& st, size_t segment, const std::string& color) {
    if (segment >= st.draft.segments.size() || st.draft.segments[segment].color == color) return;
    st.draft.segments[segment].color = color;
    rfm_changed(st);
}

void set_rfm_template(RfmState& st, RfmTemplate t) {
    if (t == RfmTemplate::Classes8)
        st.draft.method = RfmMethod::Mean;
    else if (st.draft.method == RfmMethod::Mean)
        st.draft.method = RfmMethod::Quantile;
    reset_rfm_grid(st);
}

// --- the workspace ----------------------------------------------------------------------------

void sync_rfm_workspace(Session& session, RfmState& st) {
    Workspace& w = session.workspace;
    if (w.revision != st.seen_workspace_revision) {
        const Rfm* saved = st.draft.id.empty() ? nullptr : w.saved.rfm(st.draft.id);
        if (saved == nullptr && !w.saved.rfms.empty()) saved = &w.saved.rfms.front();
        if (saved != nullptr && *saved != st.draft) {
            st.draft = *saved;
            rfm_changed(st);
        }
        st.saved_draft_revision = st.draft_revision;
        st.seen_workspace_revision = w.revision;
        return;
    }
    if (st.draft_revision == st.saved_draft_revision) return;
    st.saved_draft_revision = st.draft_revision;
    if (!validate_rfm(rfm_json(st.draft)).ok()) return; // the last valid settings stay saved
    if (st.draft.id.empty()) st.draft.id = unused_definition_id(w, "rfm");
    auto it = std::find_if(w.saved.rfms.begin(), w.saved.rfms.end(),
                           [&](const Rfm& r) { return r.id == st.draft.id; });
    if (it != w.saved.rfms.end() && *it == st.draft) return;
    if (it != w.saved.rfms.end())
        *it = st.draft;
    else
        w.saved.rfms.push_back(st.draft);
    st.seen_workspace_revision = ++w.revision;
}

std::string rfm_rule_settings(const Session& session, const RfmState& st) {
    const Rfm* saved = st.draft.id.empty() ? nullptr : session.workspace.saved.rfm(st.draft.id);
    return saved != nullptr && *saved == st.draft ? st.draft.id : std::string();
}

// RFM reads no saved definition (it has no audience filter): the workspace's revision is not
// an input, so saving the draft does not score it again.
EvalInputs rfm_inputs(const Session& session, const RfmState& st) {
    auto as_of = session.as_of_us();
    return {st.draft_revision, session.model_generation, 0, as_of ? *as_of : INT64_MIN};
}

bool rfm_pending(const Session& session, const RfmState& st) {
    return !st.evaluated || st.evaluated_for != rfm_inputs(session, st);
}

static void finish(RfmState& st, const EvalInputs& inputs, json answer) {
    if (answer.value("ok", false)) {
        st.errors.clear();
        st.answer = std::move(answer);
    } else {
        st.errors = answer_errors(answer);
        st.answer = nullptr;
    }
    st.evaluated = true, st.evaluated_for = inputs, ++st.evaluations;
}

// Validates at once (refused settings need no job), then runs the engine in one step over a
// snapshot of the draft: the settings may change before the step runs.
static void start_evaluation(Session& session, RfmState& st, const EvalInputs& inputs) {
    st.job = Job{};
    st.job_for = inputs;
    auto doc = std::make_shared<const json>(rfm_json(st.draft));
    RfmValidation v = validate_rfm(*doc);
    if (!v.ok()) {
        finish(st, inputs, {{"ok", false}, {"errors", errors_json(v.errors)}});
        st.eval_ms = 0;
        return;
    }
    st.job.steps.push_back([&session, &st, doc, inputs] {
        RunContext ctx{session.model,
                       session.as_of_us(),
                       session.model_generation,
                       &session.workspace.saved,
                       &session.audience_cache,
                       session.users_by_id(),
                       &session.rfm_cache};
        finish(st, inputs, run_definition(ctx, *doc, RunOptions{}));
    });
}

void update_rfm(Session& session, RfmState& st, double budget_ms) {
    sync_rfm_workspace(session, st);
    EvalInputs inputs = rfm_inputs(session, st);
    if (st.evaluated && st.evaluated_for == inputs) {
        st.job = Job{};
        return;
    }
    if (!st.job.active() || st.job_for != inputs) start_evaluation(session, st, inputs);
    if (!st.job.active()) return;
    st.job.step(budget_ms);
    if (!st.job.active()) st.eval_ms = st.job.work_ms;
}

bool rfm_sql_text(Session& session, const RfmState& st, std::string* sql, std::string* problem) {
    json r = json::parse(
        session.audience_sql_json(rfm_json(st.draft).dump(-1, ' ', false, json::error_handler_t::replace)));
    if (r.value("ok", false)) {
        *sql = r.value("sql", "");
        return true;
    }
    const json& errors = r["errors"];
    *problem = errors.empty()
                   ? tr(S::rfm_not_compiled)
                   : error_line(DefinitionError{errors[0].value("path", ""), errors[0].value("message", "")},
                                language());
    return false;
}

bool rfm_csv_text(Session& session, const RfmState& st, bool customers, std::string* csv,
                  std::string* problem) {
    session.rebuild_model_if_dirty();
    auto as_of = session.as_of_us();
    RfmResult r = run_rfm_engine(st.draft, RfmContext{session.model, as_of.value_or(0), session.users_by_id(),
                                                      &session.rfm_cache, session.model_generation});
    if (!r.ok()) {
        *problem = error_line(r.errors.front(), language());
        return false;
    }
    *csv = customers ? rfm_customers_csv(session.model, st.draft, r.scores, session.users_by_id())
                     : rfm_segments_csv(st.draft, r);
    return true;
}

json rfm_state_json(const Session& session, const RfmState& st) {
    bool pending = rfm_pending(session, st);
    return {{"ok", st.errors.empty()},
            {"definition", rfm_json(st.draft)},
            {"method", rfm_method_name(st.draft.method)},
            {"monetary", rfm_monetary_name(st.draft.monetary)},
            {"color_by", rfm_color_by_name(st.color_by)},
            {"revision", st.draft_revision},
            {"editing", st.editing},
            {"paint_segment", st.paint_segment},
            {"edit_problem", st.edit_problem},
            {"settings_id", rfm_rule_settings(session, st)},
            {"hover", st.hover.empty() ? json(nullptr) : json(st.hover)},
            {"errors", errors_json(st.errors)},
            // The answer of the last finished evaluation; one for the draft as it is now may be
            // under way.
            {"answer", st.answer},
            {"evaluating", pending},
            {"evaluations", st.evaluations},
            {"progress", pending ? st.job.progress() : 1.0f}};
}

// --- audiences from the heat map and the segment table ----------------------------------------

static std::string audience_doc(const std::string& name, json rule) {
    json doc = {{"segx", 1}, {"name", name}, {"root", {{"match", "all"}, {"rules", json::array({rule})}}}};
    return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string rfm_cell_audience_json(int r, int f, const std::string& settings) {
    json rule = {{"kind", "rfm"}, {"r", {r, r}}, {"f", {f, f}}};
    if (!settings.empty()) rule["rfm"] = settings;
    return audience_doc("RFM R=" + std::to_string(r) + " F=" + std::to_string(f), rule);
}

// The rule names the draft's saved settings when it is saved (sync_rfm_workspace), so the
// audience holds the segment as the tab shows it.
static std::string segment_audience_json(const std::string& name, const std::string& settings) {
    json rule = {{"kind", "rfm"}, {"segments", {name}}};
    if (!settings.empty()) rule["rfm"] = settings;
    return audience_doc("RFM " + rfm_segment_display_name(name, language()), rule);
}

std::string rfm_segment_audience_json(const RfmState& st, size_t segment) {
    const std::string& name = segment < st.draft.segments.size() ? st.draft.segments[segment].name : "";
    return segment_audience_json(name, st.draft.id);
}

static bool open_audience(Session& session, AudienceState& audiences, const std::string& doc) {
    std::vector<DefinitionError> errors = open_definition(session, audiences, doc);
    if (!errors.empty()) {
        session.post(Level::Error,
                     trf(S::rfm_open_audience_failed, {error_line(errors.front(), language())}));
        return false;
    }
    return true;
}

bool open_rfm_cell_audience(Session& session, const RfmState& st, AudienceState& audiences, int r, int f) {
    int top = rfm_max_score(st.draft.method);
    if (r < 1 || r > top || f < 1 || f > top) {
        session.post(Level::Error, tr(S::rfm_no_such_cell));
        return false;
    }
    return open_audience(session, audiences, rfm_cell_audience_json(r, f, rfm_rule_settings(session, st)));
}

bool open_rfm_segment_audience(Session& session, const RfmState& st, AudienceState& audiences,
                               size_t segment) {
    if (segment >= st.draft.segments.size()) {
        session.post(Level::Error, tr(S::rfm_no_such_segment));
        return false;
    }
    return open_audience(
        session, audiences,
        segment_audience_json(st.draft.segments[segment].name, rfm_rule_settings(session, st)));
}

} // namespace segx
