#include "app/rfm/rfm_state.h"

#include "app/session.h"
#include "core/rfm/json.h"
#include "core/run/run.h"

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

EvalInputs rfm_inputs(const Session& session, const RfmState& st) {
    auto as_of = session.as_of_us();
    return {st.draft_revision, session.model_generation, evaluation_revision(session.workspace),
            as_of ? *as_of : INT64_MIN};
}

bool rfm_pending(const Session& session, const RfmState& st) {
    return !st.evaluated || st.evaluated_for != rfm_inputs(session, st);
}

static std::vector<DefinitionError> errors_from(const json& answer) {
    std::vector<DefinitionError> out;
    for (const json& e : answer.value("errors", json::array()))
        out.push_back({e.value("path", ""), e.value("message", "")});
    return out;
}

static void finish(RfmState& st, const EvalInputs& inputs, json answer) {
    if (answer.value("ok", false)) {
        st.errors.clear();
        st.answer = std::move(answer);
    } else {
        st.errors = errors_from(answer);
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
        RunContext ctx{session.model, session.as_of_us(), session.model_generation, &session.workspace.saved,
                       &session.audience_cache};
        finish(st, inputs, run_definition(ctx, *doc, RunOptions{}));
    });
}

void update_rfm(Session& session, RfmState& st, double budget_ms) {
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

json rfm_state_json(const Session& session, const RfmState& st) {
    bool pending = rfm_pending(session, st);
    return {{"ok", st.errors.empty()},
            {"definition", rfm_json(st.draft)},
            {"method", rfm_method_name(st.draft.method)},
            {"monetary", rfm_monetary_name(st.draft.monetary)},
            {"color_by", rfm_color_by_name(st.color_by)},
            {"revision", st.draft_revision},
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

std::string rfm_cell_audience_json(int r, int f) {
    return audience_doc("RFM R=" + std::to_string(r) + " F=" + std::to_string(f),
                        {{"kind", "rfm"}, {"r", {r, r}}, {"f", {f, f}}});
}

std::string rfm_segment_audience_json(const RfmState& st, size_t segment) {
    const std::string& name = segment < st.draft.segments.size() ? st.draft.segments[segment].name : "";
    return audience_doc("RFM " + name, {{"kind", "rfm"}, {"segments", {name}}});
}

static bool open_audience(Session& session, AudienceState& audiences, const std::string& doc) {
    std::vector<DefinitionError> errors = open_definition(session, audiences, doc);
    if (!errors.empty()) {
        session.post(Level::Error, "Could not open the audience: " + errors.front().to_string());
        return false;
    }
    return true;
}

bool open_rfm_cell_audience(Session& session, const RfmState& st, AudienceState& audiences, int r, int f) {
    int top = rfm_max_score(st.draft.method);
    if (r < 1 || r > top || f < 1 || f > top) {
        session.post(Level::Error, "No such RFM cell");
        return false;
    }
    return open_audience(session, audiences, rfm_cell_audience_json(r, f));
}

bool open_rfm_segment_audience(Session& session, const RfmState& st, AudienceState& audiences,
                               size_t segment) {
    if (segment >= st.draft.segments.size()) {
        session.post(Level::Error, "No such RFM segment");
        return false;
    }
    return open_audience(session, audiences, rfm_segment_audience_json(st, segment));
}

} // namespace segx
