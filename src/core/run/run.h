#pragma once
// "Run a definition" (DESIGN §9): one entry that reads any definition's JSON, dispatches on its
// kind, evaluates it over a model at the as-of time and answers in JSON. The page bridge
// (segx.run), the session, the native evaluation tool of the tests and the command-line runner
// all call this, so an answer's shape lives here once.
//
// Answers: {"ok": true, "kind", "as_of" (ISO text, or null for a model without events), ...what
// the kind adds} or {"ok": false, "errors": [{"path", "message"}, ...]}. Adding a kind means
// adding its engine and one entry in kKinds (run.cpp).

#include "core/audience/definition.h"
#include "core/audience/evaluate.h"
#include "core/funnel/definition.h"
#include "core/lang/error.h"
#include "core/lifecycle/definition.h"
#include "core/model/model.h"
#include "core/retention/definition.h"
#include "core/rfm/definition.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <exception>
#include <functional>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace segx {

class AudienceCache;
struct RfmCache;

// The workspace's saved definitions that other definitions may name, valid ones only (the
// workspace keeps the invalid ones with their errors). Reference rules resolve through here.
struct SavedDefinitions {
    std::vector<Audience> audiences;
    std::vector<Funnel> funnels;
    std::vector<Rfm> rfms; // saved RFM settings (segments an audience `rfm` rule may name)
    std::vector<Retention> retentions;
    std::vector<Lifecycle> lifecycles;
    std::vector<Board> boards;

    const Audience* audience(std::string_view id) const;
    const Funnel* funnel(std::string_view id) const;
    const Rfm* rfm(std::string_view id) const;
};

// Reads a JSON array of saved definitions of any kind into `out` (replacing what it held).
// Each refused item is named in the result with its errors ("[2]" or its id first); the
// others are kept.
struct SavedProblem {
    std::string id; // the item's id as written, or "[index]" when it has none
    std::vector<DefinitionError> errors;
};
std::vector<SavedProblem> read_saved_definitions(const nlohmann::json& items, SavedDefinitions* out);

struct RunContext {
    const Model& model;
    std::optional<int64_t> as_of_us; // none: the model has no events (answers say null)
    uint64_t model_generation = 0;   // the model's build; caches drop results of others
    const SavedDefinitions* saved = nullptr;
    AudienceCache* audience_cache = nullptr; // optional: reuses leaf results between runs
    // Optional: the model's user indices by id text (rfm/engine.h users_by_id_text), kept by
    // the session per model so that RFM does not sort ids on every run.
    const std::vector<uint32_t>* users_by_id = nullptr;
    // Optional: RFM's levels kept between runs over this model (rfm/cache.h), so that an edit
    // of RFM settings redoes only what it changes. Keyed by the model and model_generation.
    RfmCache* rfm_cache = nullptr;
};

// The audience engine's context over this run's model, as-of and saved definitions, with the
// `funnel` rule's hook (EvalContext::funnel): saved funnels run by the funnel engine, their
// audience filters by the audience engine again (through `cache` when given), a funnel whose
// filter leads back to it is an error naming the chain; levels are kept per funnel for the
// context's life. The session's builder and every run use this.
EvalContext audience_eval_context(const RunContext& ctx);

// The audience filter of funnels, retention, lifecycle and the board ({"audience": id} or a
// group) resolved to its users over this run's model and saved definitions: the engines'
// `audience` context member, as run_definition gives it (so that a caller running an engine
// directly, such as the retention breakdown, filters exactly as segx.run does).
std::function<bool(const nlohmann::json& filter, const std::string& path, Bitmap* users,
                   std::vector<DefinitionError>& errors)>
audience_filter_resolver(const RunContext& ctx);

struct RunOptions {
    bool members = false;        // audiences: list the member ids
    bool sorted_members = false; // ... sorted as text (default: in user-index order)
};

// The definition's kind: "audience" for a document without "kind", else its "kind" string
// ("" when it is not a string).
std::string definition_kind(const nlohmann::json& document);

nlohmann::json run_definition(const RunContext& ctx, const nlohmann::json& document,
                              const RunOptions& options);
// Parses `text` (lang/json_text.h: untrusted, depth-limited) first.
nlohmann::json run_definition(const RunContext& ctx, std::string_view text, const RunOptions& options);

// Checks an audience group used as a funnel's audience filter (funnel/json.h GroupCheck) with
// the audience reader, its problems at paths below `path` ("audience.rules[0].op").
void check_audience_group(const nlohmann::json& group, const std::string& path,
                          std::vector<DefinitionError>& errors);

nlohmann::json errors_json(const std::vector<DefinitionError>& errors);
// The answer refusing a definition: {"ok": false, "errors": errors_json(errors)}.
nlohmann::json refusal(const std::vector<DefinitionError>& errors);

// f()'s answer, or a refusal saying what went wrong when it throws (a vector too large for
// memory, an engine's bug): run_definition and definition_sql answer, never throw, so that no
// exception reaches the page's frame loop or a bridge call from there.
template <class F>
nlohmann::json refuse_on_exception(F&& f) {
    const char* what = "unknown error";
    std::string message;
    try {
        return f();
    } catch (const std::bad_alloc&) {
        what = "not enough memory for this analysis";
    } catch (const std::exception& e) {
        message = e.what();
        what = message.c_str();
    } catch (...) {}
    return {{"ok", false}, {"errors", {{{"path", ""}, {"message", std::string("internal error: ") + what}}}}};
}
// An answer as text: compact, invalid UTF-8 replaced (answers quote untrusted input).
std::string answer_text(const nlohmann::json& answer);

} // namespace segx
