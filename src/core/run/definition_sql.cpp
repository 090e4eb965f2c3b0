#include "core/run/definition_sql.h"

#include "core/audience/json.h"
#include "core/funnel/json.h"
#include "core/lang/json_text.h"
#include "core/lang/text.h"
#include "core/lifecycle/json.h"
#include "core/retention/json.h"
#include "core/rfm/json.h"
#include "core/sql/audience_sql.h"
#include "core/sql/funnel_sql.h"
#include "core/sql/lifecycle_sql.h"
#include "core/sql/retention_sql.h"
#include "core/sql/rfm_sql.h"

namespace segx {

using json = nlohmann::json;

namespace {

json answer(const char* kind, const SqlResult& r) {
    if (!r.ok()) return refusal(r.errors);
    return {{"ok", true}, {"kind", kind}, {"sql", r.sql}};
}

} // namespace

namespace {

json compile_document(const RunContext& ctx, const json& document) {
    const std::string kind = definition_kind(document);
    if (document.is_object() && document.contains("kind") && kind == "funnel") {
        FunnelValidation parsed = validate_funnel(document, check_audience_group);
        if (!parsed.ok()) return refusal(parsed.errors);
        return answer("funnel", funnel_to_sql(parsed.funnel, audience_eval_context(ctx)));
    }
    if (document.is_object() && document.contains("kind") && kind == "rfm") {
        RfmValidation parsed = validate_rfm(document);
        if (!parsed.ok()) return refusal(parsed.errors);
        return answer("rfm", rfm_to_sql(parsed.rfm, audience_eval_context(ctx)));
    }
    if (document.is_object() && document.contains("kind") && kind == "retention") {
        RetentionValidation parsed = validate_retention(document, check_audience_group);
        if (!parsed.ok()) return refusal(parsed.errors);
        return answer("retention", retention_to_sql(parsed.retention, audience_eval_context(ctx)));
    }
    if (document.is_object() && document.contains("kind") && kind == "lifecycle") {
        LifecycleValidation parsed = validate_lifecycle(document, check_audience_group);
        if (!parsed.ok()) return refusal(parsed.errors);
        return answer("lifecycle", lifecycle_to_sql(parsed.lifecycle, audience_eval_context(ctx)));
    }
    if (document.is_object() && document.contains("kind") && kind == "board") {
        BoardValidation parsed = validate_board(document, check_audience_group);
        if (!parsed.ok()) return refusal(parsed.errors);
        return answer("board", board_to_sql(parsed.board, audience_eval_context(ctx)));
    }
    if (document.is_object() && document.contains("kind")) {
        if (!document["kind"].is_string()) return refusal({DefinitionError{"kind", "expected a string"}});
        // As run_definition: an audience is the definition without a kind (DESIGN §3).
        if (kind == "audience")
            return refusal({DefinitionError{"kind", "leave \"kind\" out for an audience definition"}});
        return refusal({DefinitionError{
            "kind", "no SQL for kind " + quote(kind) +
                        " (audiences, funnels, RFM, retention, lifecycle and boards compile to SQL)"}});
    }
    ValidationResult parsed = validate_audience(document);
    if (!parsed.ok()) return refusal(parsed.errors);
    return answer("audience", audience_to_sql(parsed.audience, audience_eval_context(ctx)));
}

} // namespace

json definition_sql(const RunContext& ctx, const json& document) {
    return refuse_on_exception([&] { return compile_document(ctx, document); });
}

json definition_sql(const RunContext& ctx, std::string_view text) {
    JsonText parsed = parse_json_text(text);
    if (parsed.fatal) return refusal(parsed.errors);
    json out = definition_sql(ctx, parsed.value);
    if (parsed.errors.empty()) return out;
    json errors = errors_json(parsed.errors);
    if (!out.value("ok", false))
        for (json& e : out["errors"]) errors.push_back(std::move(e));
    return {{"ok", false}, {"errors", std::move(errors)}};
}

} // namespace segx
