#include "app/definition_run.h"

#include "app/session.h"
#include "core/run/run.h"

#include <memory>

namespace segx {

using json = nlohmann::json;

EvalInputs definition_inputs(const Session& session, uint64_t revision) {
    auto as_of = session.as_of_us();
    return {revision, session.model_generation, evaluation_revision(session.workspace),
            as_of ? *as_of : INT64_MIN};
}

bool definition_pending(const Session& session, const DefinitionRun& run, uint64_t revision) {
    return !run.evaluated || run.evaluated_for != definition_inputs(session, revision);
}

std::vector<DefinitionError> answer_errors(const json& answer) {
    std::vector<DefinitionError> out;
    for (const json& e : answer.value("errors", json::array()))
        out.push_back({e.value("path", ""), e.value("message", "")});
    return out;
}

static void finish(DefinitionRun& run, const EvalInputs& inputs, json answer) {
    run.errors.clear();
    if (answer.value("ok", false)) {
        run.answer = std::move(answer);
    } else {
        run.errors = answer_errors(answer);
        run.answer = nullptr;
    }
    run.evaluated = true, run.evaluated_for = inputs, ++run.evaluations;
}

void update_definition_run(Session& session, DefinitionRun& run, uint64_t revision,
                           const std::function<json()>& document, double budget_ms) {
    EvalInputs inputs = definition_inputs(session, revision);
    if (run.evaluated && run.evaluated_for == inputs) {
        run.job = Job{};
        return;
    }
    if (!run.job.active() || run.job_for != inputs) {
        // A snapshot of the definition: the tab may change it before the step runs.
        run.job = Job{};
        run.job_for = inputs;
        auto doc = std::make_shared<const json>(document());
        run.job.steps.push_back([&session, &run, doc, inputs] {
            RunContext ctx{session.model,
                           session.as_of_us(),
                           session.model_generation,
                           &session.workspace.saved,
                           &session.audience_cache,
                           nullptr,
                           &session.rfm_cache};
            finish(run, inputs, run_definition(ctx, *doc, RunOptions{}));
        });
    }
    run.job.step(budget_ms);
    if (!run.job.active()) run.eval_ms = run.job.work_ms;
}

void add_run_state(json& out, const Session& session, const DefinitionRun& run, uint64_t revision) {
    bool pending = definition_pending(session, run, revision);
    out["revision"] = revision;
    out["ok"] = run.errors.empty();
    out["errors"] = errors_json(run.errors);
    // The answer of the last finished evaluation; one for the definition as it is now may be
    // under way.
    out["answer"] = run.answer;
    out["evaluating"] = pending;
    out["evaluations"] = run.evaluations;
    out["progress"] = pending ? run.job.progress() : 1.0f;
}

bool definition_sql_text(Session& session, const nlohmann::json& definition, std::string* sql,
                         std::string* problem) {
    nlohmann::json answer =
        nlohmann::json::parse(session.audience_sql_json(definition.dump()), nullptr, false);
    if (answer.is_object() && answer.value("ok", false) && answer.contains("sql")) {
        *sql = answer["sql"].get<std::string>();
        return true;
    }
    const nlohmann::json* errors =
        answer.is_object() && answer.contains("errors") ? &answer["errors"] : nullptr;
    if (errors != nullptr && errors->is_array() && !errors->empty()) {
        const nlohmann::json& e = errors->front();
        const std::string path = e.value("path", "");
        *problem = (path.empty() ? "" : path + ": ") + e.value("message", "");
    } else {
        *problem = "the definition does not compile";
    }
    return false;
}

} // namespace segx
