#include "core/run/run.h"

#include "core/audience/audience_cache.h"
#include "core/audience/evaluate.h"
#include "core/audience/json.h"
#include "core/lang/json_text.h"
#include "core/lang/text.h"
#include "core/time/civil.h"

#include <algorithm>

namespace segx {

using json = nlohmann::json;

namespace {

json refused(std::vector<DefinitionError> errors) { return {{"ok", false}, {"errors", errors_json(errors)}}; }

json as_of_json(const RunContext& ctx) {
    return ctx.as_of_us ? json(format_timestamp_us(*ctx.as_of_us)) : json(nullptr);
}

json run_audience(const RunContext& ctx, const json& document, const RunOptions& options) {
    ValidationResult parsed = validate_audience(document);
    if (!parsed.ok()) return refused(std::move(parsed.errors));
    const SavedDefinitions* saved = ctx.saved;
    EvalContext eval{ctx.model, ctx.as_of_us.value_or(0), ctx.model_generation,
                     [saved](std::string_view id) { return saved ? saved->audience(id) : nullptr; }};
    EvalResult r = ctx.audience_cache ? ctx.audience_cache->evaluate(parsed.audience, eval)
                                      : evaluate(parsed.audience, eval);
    if (!r.ok()) return refused(std::move(r.errors));
    const size_t size = r.users.count_set(), users = ctx.model.users.size();
    json out = {{"ok", true},
                {"kind", "audience"},
                {"size", size},
                {"users", users},
                {"share", users ? double(size) / double(users) : 0.0},
                {"as_of", as_of_json(ctx)}};
    if (ctx.audience_cache) {
        AudienceCache::Stats st = ctx.audience_cache->stats();
        out["cache"] = {{"hits", st.hits}, {"misses", st.misses}};
    }
    if (options.members) {
        std::vector<std::string> members;
        members.reserve(size);
        for (size_t u = 0; u < r.users.size; ++u)
            if (r.users.get(u)) members.emplace_back(ctx.model.users.id(uint32_t(u)));
        if (options.sorted_members) std::sort(members.begin(), members.end());
        out["members"] = std::move(members);
    }
    return out;
}

// One entry per kind: the only place a new analysis is wired into "run a definition".
struct KindEntry {
    const char* kind;
    json (*run)(const RunContext&, const json&, const RunOptions&);
};
constexpr KindEntry kKinds[] = {
    {"audience", run_audience},
};

std::string known_kinds() {
    std::string out;
    for (const KindEntry& k : kKinds) out += (out.empty() ? "" : ", ") + std::string(k.kind);
    return out;
}

} // namespace

const Audience* SavedDefinitions::audience(std::string_view id) const {
    for (const Audience& a : audiences)
        if (a.id == id) return &a;
    return nullptr;
}

std::vector<SavedProblem> read_saved_definitions(const json& items, SavedDefinitions* out) {
    std::vector<SavedProblem> problems;
    *out = SavedDefinitions{};
    if (!items.is_array()) {
        problems.push_back({"", {DefinitionError{"$", "expected an array of saved definitions"}}});
        return problems;
    }
    for (size_t i = 0; i < items.size(); i++) {
        const json& item = items[i];
        std::string id = "[" + std::to_string(i) + "]";
        if (item.is_object() && item.contains("id") && item["id"].is_string())
            id = item["id"].get<std::string>();
        const std::string kind = definition_kind(item);
        if (kind == "audience") {
            ValidationResult r = validate_audience(item);
            if (r.ok())
                out->audiences.push_back(std::move(r.audience));
            else
                problems.push_back({id, std::move(r.errors)});
        } else {
            problems.push_back({id,
                                {DefinitionError{"kind", "unknown kind " + quote(kind) + " (expected " +
                                                             known_kinds() + ")"}}});
        }
    }
    return problems;
}

std::string definition_kind(const json& document) {
    if (!document.is_object() || !document.contains("kind")) return "audience";
    const json& k = document["kind"];
    return k.is_string() ? k.get<std::string>() : "";
}

json run_definition(const RunContext& ctx, const json& document, const RunOptions& options) {
    if (document.is_object() && document.contains("kind")) {
        const json& k = document["kind"];
        if (!k.is_string())
            return refused({DefinitionError{"kind", "expected a string (" + known_kinds() + ")"}});
        const std::string kind = k.get<std::string>();
        // An audience is the definition without a kind (DESIGN §3), so that no audience shared
        // so far changes meaning.
        if (kind == "audience")
            return refused({DefinitionError{"kind", "leave \"kind\" out for an audience definition"}});
        for (const KindEntry& entry : kKinds)
            if (kind == entry.kind) return entry.run(ctx, document, options);
        return refused({DefinitionError{"kind", "unknown kind " + quote(kind) + " (expected " +
                                                    known_kinds() + ", or none for an audience)"}});
    }
    return run_audience(ctx, document, options);
}

json run_definition(const RunContext& ctx, std::string_view text, const RunOptions& options) {
    JsonText parsed = parse_json_text(text);
    if (parsed.fatal) return refused(std::move(parsed.errors));
    json answer = run_definition(ctx, parsed.value, options);
    if (parsed.errors.empty()) return answer;
    // A duplicate key or an inexact integer refuses the document, but the reader's problems are
    // reported with it, as parse_audience does.
    json errors = errors_json(parsed.errors);
    if (!answer.value("ok", false))
        for (json& e : answer["errors"]) errors.push_back(std::move(e));
    return {{"ok", false}, {"errors", std::move(errors)}};
}

json errors_json(const std::vector<DefinitionError>& errors) {
    json list = json::array();
    for (const DefinitionError& e : errors) list.push_back({{"path", e.path}, {"message", e.message}});
    return list;
}

std::string answer_text(const json& answer) {
    return answer.dump(-1, ' ', false, json::error_handler_t::replace);
}

} // namespace segx
