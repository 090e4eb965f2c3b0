#include "core/run/run.h"

#include "core/audience/audience_cache.h"
#include "core/audience/evaluate.h"
#include "core/audience/json.h"
#include "core/funnel/engine.h"
#include "core/funnel/json.h"
#include "core/lang/json_text.h"
#include "core/lang/json_write.h"
#include "core/lang/names.h"
#include "core/lang/text.h"
#include "core/time/civil.h"

#include <algorithm>
#include <map>
#include <memory>
#include <set>

namespace segx {

using json = nlohmann::json;

namespace {

json refused(std::vector<DefinitionError> errors) { return {{"ok", false}, {"errors", errors_json(errors)}}; }

json as_of_json(const RunContext& ctx) {
    return ctx.as_of_us ? json(format_timestamp_us(*ctx.as_of_us)) : json(nullptr);
}

// What an audience context's funnel hook shares with the contexts it makes for the funnels'
// audience filters: the run's inputs, the funnels being resolved (to see a cycle) and the
// levels already computed, by dependency key.
struct FunnelHook {
    const Model& model;
    std::optional<int64_t> as_of_us;
    uint64_t generation = 0;
    const SavedDefinitions* saved = nullptr;
    AudienceCache* cache = nullptr;
    std::vector<std::string> resolving;
    std::map<std::string, std::vector<uint8_t>> levels;
};

EvalContext eval_context_of(const std::shared_ptr<FunnelHook>& hook);
bool resolve_funnel_audience(const std::shared_ptr<FunnelHook>& hook, const json& filter,
                             const std::string& path, Bitmap* users, std::vector<DefinitionError>& errors);

// The saved definitions a definition's JSON names ({"kind": "audience", "id"}, {"kind":
// "funnel", "funnel"}, a funnel's {"audience": id}), transitively, each once, appended to `key`
// with its JSON ("none" when not saved): what a funnel's levels depend on besides the model.
void add_dependencies(const SavedDefinitions& saved, const json& j, std::set<std::string>& seen,
                      std::string& key) {
    if (j.is_array())
        for (const json& item : j) add_dependencies(saved, item, seen, key);
    if (!j.is_object()) return;
    const auto text = [&](const char* name) -> const std::string* {
        auto it = j.find(name);
        return it != j.end() && it->is_string() ? it->get_ptr<const std::string*>() : nullptr;
    };
    const std::string* kind = text("kind");
    const auto depend = [&](bool funnel, const std::string& id) {
        if (!seen.insert(std::string(funnel ? "f:" : "a:") + id).second) return;
        json d;
        if (const Funnel* f = funnel ? saved.funnel(id) : nullptr) to_json(d, *f);
        if (const Audience* a = funnel ? nullptr : saved.audience(id)) to_json(d, *a);
        key += std::string(funnel ? "funnel " : "audience ") + quote(id) + " = " + d.dump() + "\n";
        add_dependencies(saved, d, seen, key);
    };
    if (kind && *kind == "audience" && text("id")) depend(false, *text("id"));
    if (kind && *kind == "funnel" && text("funnel")) depend(true, *text("funnel"));
    if (!kind && text("audience")) depend(false, *text("audience"));
    for (const auto& item : j.items()) add_dependencies(saved, item.value(), seen, key);
}

// A saved funnel's levels for a `funnel` rule; a funnel whose audience filter leads back to it
// is an error naming the chain.
bool saved_funnel_levels(const std::shared_ptr<FunnelHook>& hook, const Funnel& funnel,
                         const std::string& key, std::vector<uint8_t>* out,
                         std::vector<DefinitionError>& errors) {
    if (auto it = hook->levels.find(key); it != hook->levels.end()) {
        *out = it->second;
        return true;
    }
    std::vector<std::string>& chain = hook->resolving;
    for (size_t i = 0; i < chain.size(); i++) {
        if (chain[i] != funnel.id) continue;
        std::string names;
        for (size_t k = i; k < chain.size(); k++) names += show_id(chain[k]) + " \xE2\x86\x92 "; // →
        errors.push_back({"audience", "funnel cycle: " + names + show_id(funnel.id) +
                                          " (a funnel's audience filter leads back to it)"});
        return false;
    }
    if (chain.size() >= 64) {
        errors.push_back({"audience", "funnels nested deeper than 64 levels through audience filters"});
        return false;
    }
    FunnelContext fctx{hook->model, hook->as_of_us.value_or(0),
                       [hook](const json& filter, const std::string& path, Bitmap* users,
                              std::vector<DefinitionError>& errs) {
                           return resolve_funnel_audience(hook, filter, path, users, errs);
                       }};
    chain.push_back(funnel.id);
    FunnelLevels r = funnel_levels(funnel, fctx);
    chain.pop_back();
    if (!r.ok()) {
        for (DefinitionError& e : r.errors) errors.push_back(std::move(e));
        return false;
    }
    *out = hook->levels[key] = std::move(r.levels);
    return true;
}

EvalContext eval_context_of(const std::shared_ptr<FunnelHook>& hook) {
    const SavedDefinitions* saved = hook->saved;
    EvalContext eval{hook->model, hook->as_of_us.value_or(0), hook->generation,
                     [saved](std::string_view id) { return saved ? saved->audience(id) : nullptr; }};
    eval.funnel = [hook](std::string_view id) -> std::optional<FunnelRuleSource> {
        const Funnel* f = hook->saved ? hook->saved->funnel(id) : nullptr;
        if (f == nullptr) return std::nullopt;
        FunnelRuleSource source;
        source.steps = f->steps.size();
        json j;
        to_json(j, *f);
        source.definition = j.dump();
        std::set<std::string> seen{"f:" + f->id};
        source.key = source.definition + "\n";
        add_dependencies(*hook->saved, j, seen, source.key);
        source.levels = [hook, f, key = source.key](std::vector<uint8_t>* levels,
                                                    std::vector<DefinitionError>& errors) {
            return saved_funnel_levels(hook, *f, key, levels, errors);
        };
        return source;
    };
    return eval;
}

std::shared_ptr<FunnelHook> funnel_hook(const RunContext& ctx) {
    return std::make_shared<FunnelHook>(
        FunnelHook{ctx.model, ctx.as_of_us, ctx.model_generation, ctx.saved, ctx.audience_cache, {}, {}});
}

json run_audience(const RunContext& ctx, const json& document, const RunOptions& options) {
    ValidationResult parsed = validate_audience(document);
    if (!parsed.ok()) return refused(std::move(parsed.errors));
    EvalContext eval = audience_eval_context(ctx);
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

// "root..." of an audience read from {"segx": 1, "root": group} as "path...".
std::vector<DefinitionError> below(std::vector<DefinitionError> errors, const std::string& path) {
    for (DefinitionError& e : errors)
        e.path = e.path.rfind("root", 0) == 0 ? path + e.path.substr(4) : e.path == "$" ? path : e.path;
    return errors;
}

json seconds_json(const std::optional<double>& s) { return s ? number_json(*s) : json(nullptr); }

void put_durations(json& out, const DurationStats& d) {
    out["median_seconds"] = seconds_json(d.median);
    out["mean_seconds"] = seconds_json(d.mean);
    out["p25_seconds"] = seconds_json(d.p25);
    out["p75_seconds"] = seconds_json(d.p75);
    out["p90_seconds"] = seconds_json(d.p90);
}

// The funnel's audience filter, resolved with the audience engine (a group, or a saved
// audience by id), as FunnelContext::audience asks.
bool resolve_funnel_audience(const std::shared_ptr<FunnelHook>& hook, const json& filter,
                             const std::string& path, Bitmap* users, std::vector<DefinitionError>& errors) {
    Audience audience;
    const bool by_id = filter.is_object() && filter.contains("audience");
    std::string id;
    if (by_id) {
        id = filter["audience"].is_string() ? filter["audience"].get<std::string>() : "";
        const Audience* saved = hook->saved ? hook->saved->audience(id) : nullptr;
        if (saved == nullptr) {
            errors.push_back({path + ".audience", "unknown saved audience " + quote(id)});
            return false;
        }
        audience = *saved;
    } else {
        ValidationResult v = validate_audience(json{{"segx", 1}, {"root", filter}});
        if (!v.ok()) {
            for (DefinitionError& e : below(std::move(v.errors), path)) errors.push_back(std::move(e));
            return false;
        }
        audience = std::move(v.audience);
    }
    EvalContext eval = eval_context_of(hook);
    EvalResult r = hook->cache ? hook->cache->evaluate(audience, eval) : evaluate(audience, eval);
    if (!r.ok()) {
        if (by_id)
            for (const DefinitionError& e : r.errors)
                errors.push_back({path + ".audience", "saved audience " + quote(id) + ": " + e.to_string()});
        else
            for (DefinitionError& e : below(std::move(r.errors), path)) errors.push_back(std::move(e));
        return false;
    }
    *users = std::move(r.users);
    return true;
}

json run_funnel(const RunContext& ctx, const json& document, const RunOptions&) {
    FunnelValidation parsed = validate_funnel(document, check_audience_group);
    if (!parsed.ok()) return refused(std::move(parsed.errors));
    const Funnel& funnel = parsed.funnel;
    std::shared_ptr<FunnelHook> hook = funnel_hook(ctx);
    FunnelContext fctx{ctx.model, ctx.as_of_us.value_or(0),
                       [hook](const json& filter, const std::string& path, Bitmap* users,
                              std::vector<DefinitionError>& errors) {
                           return resolve_funnel_audience(hook, filter, path, users, errors);
                       }};
    FunnelResult r = run_funnel_engine(funnel, fctx);
    if (!r.ok()) return refused(std::move(r.errors));
    json steps = json::array();
    for (size_t k = 0; k < r.steps.size(); k++) {
        const FunnelStepResult& s = r.steps[k];
        json step = {{"event", funnel.steps[k].event},
                     {"users", s.users},
                     {"conversion", s.conversion},
                     {"from_previous", s.from_previous},
                     {"drop_off", s.drop_off}};
        put_durations(step, s.from_prev);
        steps.push_back(std::move(step));
    }
    json convert = {{"users", r.time_to_convert.users}};
    put_durations(convert, r.time_to_convert);
    json histogram = json::array();
    for (const HistogramBucket& h : r.histogram)
        histogram.push_back({{"from_seconds", number_json(double(h.from_us) / 1e6)},
                             {"to_seconds", number_json(double(h.to_us) / 1e6)},
                             {"users", h.users}});
    convert["histogram"] = std::move(histogram);
    json out = {{"ok", true},
                {"kind", "funnel"},
                {"as_of", as_of_json(ctx)},
                {"order", funnel_order_name(funnel.order)},
                {"window_seconds", number_json(double(funnel.window.micros()) / 1e6)},
                {"population", r.population},
                {"steps", std::move(steps)},
                {"time_to_convert", std::move(convert)}};
    if (funnel.breakdown) {
        json rows = json::array();
        for (const BreakdownRow& row : r.breakdown) {
            json users = json::array();
            for (uint64_t n : row.users) users.push_back({{"users", n}});
            const char* kind = row.kind == BreakdownRow::Kind::Value   ? "value"
                               : row.kind == BreakdownRow::Kind::Other ? "other"
                                                                       : "not_set";
            rows.push_back(
                {{"row", kind},
                 {"value", row.kind == BreakdownRow::Kind::Value ? json(row.value) : json(nullptr)},
                 {"steps", std::move(users)}});
        }
        out["breakdown"] = std::move(rows);
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
    {"funnel", run_funnel},
};

std::string known_kinds() {
    std::string out;
    for (const KindEntry& k : kKinds) out += (out.empty() ? "" : ", ") + std::string(k.kind);
    return out;
}

} // namespace

EvalContext audience_eval_context(const RunContext& ctx) { return eval_context_of(funnel_hook(ctx)); }

const Audience* SavedDefinitions::audience(std::string_view id) const {
    for (const Audience& a : audiences)
        if (a.id == id) return &a;
    return nullptr;
}

const Funnel* SavedDefinitions::funnel(std::string_view id) const {
    for (const Funnel& f : funnels)
        if (f.id == id) return &f;
    return nullptr;
}

void check_audience_group(const json& group, const std::string& path, std::vector<DefinitionError>& errors) {
    ValidationResult v = validate_audience(json{{"segx", 1}, {"root", group}});
    for (DefinitionError& e : below(std::move(v.errors), path)) errors.push_back(std::move(e));
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
        } else if (kind == "funnel") {
            FunnelValidation r = validate_funnel(item, check_audience_group);
            if (r.ok())
                out->funnels.push_back(std::move(r.funnel));
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
