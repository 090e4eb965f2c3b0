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
#include "core/lifecycle/board.h"
#include "core/lifecycle/engine.h"
#include "core/lifecycle/json.h"
#include "core/retention/cell.h"
#include "core/retention/engine.h"
#include "core/retention/json.h"
#include "core/rfm/engine.h"
#include "core/rfm/json.h"
#include "core/time/civil.h"

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <set>

namespace segx {

using json = nlohmann::json;

namespace {

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
    const std::vector<uint32_t>* users_by_id = nullptr;
    RfmCache* rfm_cache = nullptr;
    // The `rfm` and `lifecycle` rules' inputs already computed in this context: scores by the
    // settings' JSON, stages by period and event.
    std::map<std::string, RfmRuleScores> rfm_scores;
    std::map<std::string, LifecycleRuleStages> stages;
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

// The settings of an `rfm` rule: saved RFM settings by id, or the default settings (quantile,
// total, the 10-segment grid) for "". Scores are computed once per settings for the context.
std::optional<RfmRuleSource> rfm_rule_source(const std::shared_ptr<FunnelHook>& hook, std::string_view id) {
    const Rfm* saved = nullptr;
    if (!id.empty()) {
        saved = hook->saved ? hook->saved->rfm(id) : nullptr;
        if (saved == nullptr) return std::nullopt;
    }
    auto settings = std::make_shared<const Rfm>(saved ? *saved : Rfm{});
    RfmRuleSource source;
    for (const RfmSegment& segment : settings->segments) source.segments.push_back(segment.name);
    source.max_score = rfm_max_score(settings->method);
    json j;
    to_json(j, *settings);
    source.definition = j.dump();
    source.scores = [hook, settings, key = source.definition](RfmRuleScores* out,
                                                              std::vector<DefinitionError>& errors) {
        if (auto it = hook->rfm_scores.find(key); it != hook->rfm_scores.end()) {
            *out = it->second;
            return true;
        }
        RfmScores sc =
            rfm_scores(*settings, RfmContext{hook->model, hook->as_of_us.value_or(0), hook->users_by_id,
                                             hook->rfm_cache, hook->generation});
        if (!sc.ok()) {
            for (DefinitionError& e : sc.errors) errors.push_back(std::move(e));
            return false;
        }
        RfmRuleScores& kept = hook->rfm_scores[key];
        kept.r = std::move(sc.r);
        kept.f = std::move(sc.f);
        kept.m = std::move(sc.m);
        kept.segment = std::move(sc.segment); // kNoRfmSegment (255) for non-customers
        *out = kept;
        return true;
    };
    return source;
}

// The board groups of a `lifecycle` rule in the board's form: the board engine's groups for
// the rule's period, threshold and event (errors at the rule's "window", not the board's
// "period").
bool lifecycle_rule_groups(const LifecycleRule& rule, const std::shared_ptr<FunnelHook>& hook,
                           LifecycleRuleStages* out, std::vector<DefinitionError>& errors) {
    Board board;
    board.period = rule.window;
    board.dormant_days = rule.dormant_days;
    board.event = rule.event;
    BoardGroups r = board_groups(board, LifecycleContext{hook->model, hook->as_of_us.value_or(0), nullptr});
    if (!r.ok()) {
        for (DefinitionError& e : r.errors) {
            if (e.path.rfind("period", 0) == 0) e.path = "window" + e.path.substr(6);
            errors.push_back(std::move(e));
        }
        return false;
    }
    out->assign(r.groups.size(), 0);
    for (size_t u = 0; u < r.groups.size(); u++)
        if (r.groups[u] != BoardGroup::None) (*out)[u] = uint8_t(r.groups[u]); // 1 + LifecycleGroup
    return true;
}

// The stages of a `lifecycle` rule: the lifecycle engine's stage in the period holding as-of,
// without an audience filter (the rule sits inside an audience already); or its board groups.
bool lifecycle_rule_stages(const std::shared_ptr<FunnelHook>& hook, const LifecycleRule& rule,
                           LifecycleRuleStages* out, std::vector<DefinitionError>& errors) {
    LifecycleRule key_rule = rule;
    key_rule.stage = LifecycleStage::New; // one computation for every stage (or group)
    if (key_rule.group) key_rule.group = LifecycleGroup::New;
    json key_json;
    to_json(key_json, Rule(key_rule));
    const std::string key = key_json.dump();
    if (auto it = hook->stages.find(key); it != hook->stages.end()) {
        *out = it->second;
        return true;
    }
    if (rule.group) {
        if (!lifecycle_rule_groups(rule, hook, out, errors)) return false;
        hook->stages[key] = *out;
        return true;
    }
    Lifecycle lifecycle;
    lifecycle.period = rule.period;
    lifecycle.event = rule.event;
    StagesInPeriod r =
        stages_in_period(lifecycle, LifecycleContext{hook->model, hook->as_of_us.value_or(0), nullptr});
    if (!r.ok()) {
        for (DefinitionError& e : r.errors) errors.push_back(std::move(e));
        return false;
    }
    LifecycleRuleStages& kept = hook->stages[key];
    kept.assign(r.stages.size(), 0);
    for (size_t u = 0; u < r.stages.size(); u++) {
        std::optional<LifecycleStage> stage;
        switch (r.stages[u]) {
            case StageInPeriod::New:
                stage = LifecycleStage::New;
                break;
            case StageInPeriod::Returning:
                stage = LifecycleStage::Returning;
                break;
            case StageInPeriod::Resurrecting:
                stage = LifecycleStage::Resurrecting;
                break;
            case StageInPeriod::Dormant:
                stage = LifecycleStage::Dormant;
                break;
            default:
                break; // none, inactive: no stage
        }
        if (stage) kept[u] = uint8_t(1 + int(*stage));
    }
    *out = kept;
    return true;
}

// "retention" joined with a path inside the retention ("start.event", "audience.rules[0]").
std::string in_retention(const std::string& path) {
    if (path.empty() || path == "$") return "retention";
    return path[0] == '[' ? "retention" + path : "retention." + path;
}

// A `retention` rule: its retention read strictly, the cell resolved at as-of (retention/cell.h),
// the users from the retention engine with the audience filter resolved through the hook.
bool retention_rule_source(const std::shared_ptr<FunnelHook>& hook, const RetentionRule& rule,
                           RetentionRuleSource* out, std::vector<DefinitionError>& errors) {
    RetentionValidation parsed = validate_retention(rule.retention, check_audience_group);
    if (!parsed.ok()) {
        for (DefinitionError& e : parsed.errors)
            errors.push_back({in_retention(e.path), std::move(e.message)});
        return false;
    }
    RetentionCell cell;
    if (!retention_cell_of(parsed.retention, rule.cohort, rule.period, hook->as_of_us.value_or(0), &cell,
                           errors))
        return false;
    json j;
    to_json(j, parsed.retention);
    out->definition = j.dump();
    out->key = out->definition + "\n";
    std::set<std::string> seen;
    if (hook->saved) add_dependencies(*hook->saved, j, seen, out->key);
    out->users = [hook, cell](Bitmap* users, std::vector<DefinitionError>& errs) {
        if (cell.after_as_of) {
            *users = Bitmap();
            users->append_all(false, hook->model.users.size());
            return true;
        }
        RetentionContext rctx{hook->model, hook->as_of_us.value_or(0),
                              [hook](const json& filter, const std::string& path, Bitmap* kept,
                                     std::vector<DefinitionError>& e) {
                                  return resolve_funnel_audience(hook, filter, path, kept, e);
                              }};
        RetentionCellUsers r = retention_cell_users(cell.retention, rctx, 0, cell.k);
        if (!r.ok()) {
            for (DefinitionError& e : r.errors) errs.push_back({in_retention(e.path), std::move(e.message)});
            return false;
        }
        *users = std::move(r.users);
        return true;
    };
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
    eval.rfm = [hook](std::string_view id) -> std::optional<RfmRuleSource> {
        return rfm_rule_source(hook, id);
    };
    eval.lifecycle = [hook](const LifecycleRule& rule, LifecycleRuleStages* stages,
                            std::vector<DefinitionError>& errors) {
        return lifecycle_rule_stages(hook, rule, stages, errors);
    };
    eval.retention = [hook](const RetentionRule& rule, RetentionRuleSource* source,
                            std::vector<DefinitionError>& errors) {
        return retention_rule_source(hook, rule, source, errors);
    };
    return eval;
}

std::shared_ptr<FunnelHook> funnel_hook(const RunContext& ctx) {
    return std::make_shared<FunnelHook>(FunnelHook{ctx.model,
                                                   ctx.as_of_us,
                                                   ctx.model_generation,
                                                   ctx.saved,
                                                   ctx.audience_cache,
                                                   {},
                                                   {},
                                                   ctx.users_by_id,
                                                   ctx.rfm_cache,
                                                   {},
                                                   {}});
}

json run_audience(const RunContext& ctx, const json& document, const RunOptions& options) {
    ValidationResult parsed = validate_audience(document);
    if (!parsed.ok()) return refusal(std::move(parsed.errors));
    EvalContext eval = audience_eval_context(ctx);
    EvalResult r = ctx.audience_cache ? ctx.audience_cache->evaluate(parsed.audience, eval)
                                      : evaluate(parsed.audience, eval);
    if (!r.ok()) return refusal(std::move(r.errors));
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

// The audience filter of funnels, retention, lifecycle and the board (a group, or a saved
// audience by id), resolved with the audience engine through the funnel hook.
std::function<bool(const json&, const std::string&, Bitmap*, std::vector<DefinitionError>&)>
audience_resolver(const RunContext& ctx) {
    std::shared_ptr<FunnelHook> hook = funnel_hook(ctx);
    return [hook](const json& filter, const std::string& path, Bitmap* users,
                  std::vector<DefinitionError>& errors) {
        return resolve_funnel_audience(hook, filter, path, users, errors);
    };
}

json run_funnel(const RunContext& ctx, const json& document, const RunOptions&) {
    FunnelValidation parsed = validate_funnel(document, check_audience_group);
    if (!parsed.ok()) return refusal(std::move(parsed.errors));
    const Funnel& funnel = parsed.funnel;
    std::shared_ptr<FunnelHook> hook = funnel_hook(ctx);
    FunnelContext fctx{ctx.model, ctx.as_of_us.value_or(0), audience_resolver(ctx)};
    FunnelResult r = run_funnel_engine(funnel, fctx);
    if (!r.ok()) return refusal(std::move(r.errors));
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

json optional_json(const std::optional<double>& x) { return x ? number_json(*x) : json(nullptr); }

json bins_json(const std::vector<RfmBin>& bins) {
    json list = json::array();
    for (const RfmBin& b : bins)
        list.push_back(
            {{"from", optional_json(b.from)}, {"to", optional_json(b.to)}, {"customers", b.customers}});
    return list;
}

json spans_json(const std::vector<RfmScoreSpan>& spans) {
    json list = json::array();
    for (const RfmScoreSpan& s : spans)
        list.push_back({{"score", s.score},
                        {"customers", s.customers},
                        {"min", optional_json(s.min)},
                        {"max", optional_json(s.max)}});
    return list;
}

// RFM (DESIGN §5, §9; rfm/README.md documents every field).
// With members: every customer's metrics, scores and segment, columnwise in id-text order
// (the order of rfm_sql.h's rows): for the per-customer CSV and the SQL oracle.
json rfm_members_json(const RunContext& ctx, const Rfm& rfm, const RfmScores& sc) {
    std::vector<uint32_t> order;
    if (ctx.users_by_id != nullptr && ctx.users_by_id->size() == ctx.model.users.size()) {
        order.reserve(sc.customers);
        for (uint32_t u : *ctx.users_by_id)
            if (sc.r[u] != 0) order.push_back(u);
    } else {
        for (uint32_t u : users_by_id_text(ctx.model))
            if (sc.r[u] != 0) order.push_back(u);
    }
    json ids = json::array(), days = json::array(), orders = json::array(), revenue = json::array(),
         monetary = json::array(), r = json::array(), f = json::array(), m = json::array(),
         segment = json::array();
    for (uint32_t u : order) {
        ids.push_back(ctx.model.users.id(u));
        days.push_back(sc.days[u]);
        orders.push_back(sc.orders[u]);
        revenue.push_back(number_json(sc.revenue[u]));
        monetary.push_back(number_json(sc.monetary[u]));
        r.push_back(sc.r[u]);
        f.push_back(sc.f[u]);
        m.push_back(sc.m[u]);
        segment.push_back(sc.segment[u] < rfm.segments.size() ? json(rfm.segments[sc.segment[u]].name)
                                                              : json(nullptr));
    }
    return {{"user_id", std::move(ids)},
            {"days", std::move(days)},
            {"orders", std::move(orders)},
            {"revenue", std::move(revenue)},
            {"monetary", std::move(monetary)},
            {"r", std::move(r)},
            {"f", std::move(f)},
            {"m", std::move(m)},
            {"segment", std::move(segment)}};
}

json run_rfm(const RunContext& ctx, const json& document, const RunOptions& options) {
    RfmValidation parsed = validate_rfm(document);
    if (!parsed.ok()) return refusal(std::move(parsed.errors));
    const Rfm& rfm = parsed.rfm;
    const RfmContext rctx{ctx.model, ctx.as_of_us.value_or(0), ctx.users_by_id, ctx.rfm_cache,
                          ctx.model_generation};
    // The tables alone; the per-user scores only for the member list.
    RfmResult r = rfm_tables(rfm, rctx);
    if (!r.ok()) return refusal(std::move(r.errors));
    json segments = json::array();
    for (size_t i = 0; i < r.segments.size(); i++) {
        const RfmSegmentResult& s = r.segments[i];
        json seg = {{"name", rfm.segments[i].name},
                    {"customers", s.customers},
                    {"share", number_json(s.share)},
                    {"revenue", number_json(s.revenue)},
                    {"revenue_share", number_json(s.revenue_share)},
                    {"mean_r", optional_json(s.mean_r)},
                    {"mean_f", optional_json(s.mean_f)},
                    {"mean_m", optional_json(s.mean_m)}};
        if (!rfm.segments[i].color.empty()) seg["color"] = rfm.segments[i].color;
        segments.push_back(std::move(seg));
    }
    // With R×F segments each cell is one segment's; with M bounds a cell may span several.
    const bool uses_m = rfm_uses_m(rfm.segments);
    const std::vector<uint8_t> owner = rfm_cell_segments(rfm.segments, rfm.method);
    const int S = rfm_max_score(rfm.method);
    json cells = json::array();
    for (const RfmCell& c : r.cells) {
        json cell = {{"r", c.r},
                     {"f", c.f},
                     {"customers", c.customers},
                     {"revenue", number_json(c.revenue)},
                     {"mean_m", optional_json(c.mean_m)}};
        if (!uses_m) cell["segment"] = rfm.segments[owner[size_t(((c.r - 1) * S + (c.f - 1)) * S)]].name;
        cells.push_back(std::move(cell));
    }
    const RfmScores& sc = r.scores;
    json out = {{"ok", true},
                {"kind", "rfm"},
                {"as_of", as_of_json(ctx)},
                {"method", rfm_method_name(rfm.method)},
                {"monetary", rfm_monetary_name(rfm.monetary)},
                {"purchase_event", ctx.model.purchase_event},
                {"customers", r.customers},
                {"revenue", number_json(r.revenue)},
                {"means",
                 {{"r", optional_json(sc.mean_days)},
                  {"f", optional_json(sc.mean_orders)},
                  {"m", optional_json(sc.mean_monetary)}}},
                {"segments", std::move(segments)},
                {"cells", std::move(cells)},
                {"scores",
                 {{"r", spans_json(r.r_spans)}, {"f", spans_json(r.f_spans)}, {"m", spans_json(r.m_spans)}}},
                {"histograms",
                 {{"r", bins_json(r.r_histogram)},
                  {"f", bins_json(r.f_histogram)},
                  {"m", bins_json(r.m_histogram)}}}};
    if (options.members) out["members"] = rfm_members_json(ctx, rfm, rfm_scores(rfm, rctx));
    return out;
}

json run_retention(const RunContext& ctx, const json& document, const RunOptions&) {
    RetentionValidation parsed = validate_retention(document, check_audience_group);
    if (!parsed.ok()) return refusal(std::move(parsed.errors));
    const Retention& r = parsed.retention;
    json out = {{"ok", true},
                {"kind", "retention"},
                {"as_of", as_of_json(ctx)},
                {"period", period_unit_name(r.period)},
                {"mode", retention_mode_name(r.mode)},
                {"population", ctx.model.users.size()},
                {"cohorts", json::array()},
                {"mean", json::array()}};
    if (!ctx.as_of_us) return out; // no events: no as-of, no periods
    RetentionResult result =
        run_retention_engine(r, RetentionContext{ctx.model, *ctx.as_of_us, audience_resolver(ctx)});
    if (!result.ok()) return refusal(std::move(result.errors));
    out["population"] = result.population;
    for (const RetentionCohort& c : result.cohorts) {
        json complete = json::array();
        for (uint8_t b : c.complete) complete.push_back(b != 0);
        out["cohorts"].push_back({{"start", format_date_us(c.start_us)},
                                  {"size", c.size},
                                  {"counts", c.counts},
                                  {"complete", complete}});
    }
    for (const std::optional<double>& m : result.mean) out["mean"].push_back(optional_json(m));
    return out;
}

json run_lifecycle(const RunContext& ctx, const json& document, const RunOptions&) {
    LifecycleValidation parsed = validate_lifecycle(document, check_audience_group);
    if (!parsed.ok()) return refusal(std::move(parsed.errors));
    const Lifecycle& l = parsed.lifecycle;
    json out = {{"ok", true},
                {"kind", "lifecycle"},
                {"as_of", as_of_json(ctx)},
                {"period", period_unit_name(l.period)},
                {"population", ctx.model.users.size()},
                {"periods", json::array()}};
    if (!ctx.as_of_us) return out;
    LifecycleResult result =
        run_lifecycle_engine(l, LifecycleContext{ctx.model, *ctx.as_of_us, audience_resolver(ctx)});
    if (!result.ok()) return refusal(std::move(result.errors));
    out["population"] = result.population;
    for (const LifecyclePeriod& p : result.periods)
        out["periods"].push_back({{"start", format_date_us(p.start_us)},
                                  {"complete", p.complete},
                                  {"new", p.new_users},
                                  {"returning", p.returning},
                                  {"resurrecting", p.resurrecting},
                                  {"dormant", p.dormant}});
    return out;
}

json board_period_json(const BoardPeriod& p) {
    json groups = json::object();
    for (BoardGroup g : {BoardGroup::New, BoardGroup::Returning, BoardGroup::Dormant}) {
        const BoardGroupStats& s = p.group(g);
        groups[board_group_name(g)] = {{"pool", s.pool},
                                       {"active", s.active},
                                       {"buyers", s.buyers},
                                       {"orders", s.orders},
                                       {"revenue", number_json(s.revenue)},
                                       {"traffic", board_traffic(g, s)},
                                       {"conversion", optional_json(board_conversion(g, s))},
                                       {"aov", optional_json(board_aov(s))}};
    }
    return groups;
}

json span_json(int64_t from_us, int64_t to_us) {
    return {{"from", format_timestamp_us(from_us)}, {"to", format_timestamp_us(to_us)}};
}

json run_board(const RunContext& ctx, const json& document, const RunOptions&) {
    BoardValidation parsed = validate_board(document, check_audience_group);
    if (!parsed.ok()) return refusal(std::move(parsed.errors));
    const Board& b = parsed.board;
    json out = {{"ok", true},
                {"kind", "board"},
                {"as_of", as_of_json(ctx)},
                {"dormant_days", b.dormant_days},
                {"population", ctx.model.users.size()}};
    if (!ctx.as_of_us) { // no events: every group is empty
        out["period"] = nullptr;
        out["groups"] = board_period_json(BoardPeriod{});
        out["previous"] = {{"period", nullptr}, {"groups", board_period_json(BoardPeriod{})}};
        return out;
    }
    BoardResult result =
        run_board_engine(b, LifecycleContext{ctx.model, *ctx.as_of_us, audience_resolver(ctx)});
    if (!result.ok()) return refusal(std::move(result.errors));
    out["population"] = result.population;
    out["period"] = span_json(result.current.from_us, result.current.to_us);
    out["groups"] = board_period_json(result.current);
    out["previous"] = {{"period", span_json(result.previous.from_us, result.previous.to_us)},
                       {"groups", board_period_json(result.previous)}};
    return out;
}

// One entry per kind: the only place a new analysis is wired into "run a definition".
struct KindEntry {
    const char* kind;
    json (*run)(const RunContext&, const json&, const RunOptions&);
};
constexpr KindEntry kKinds[] = {
    {"audience", run_audience},   {"funnel", run_funnel},       {"rfm", run_rfm},
    {"retention", run_retention}, {"lifecycle", run_lifecycle}, {"board", run_board},
};

std::string known_kinds() {
    std::string out;
    for (const KindEntry& k : kKinds) out += (out.empty() ? "" : ", ") + std::string(k.kind);
    return out;
}

} // namespace

EvalContext audience_eval_context(const RunContext& ctx) { return eval_context_of(funnel_hook(ctx)); }

std::function<bool(const json&, const std::string&, Bitmap*, std::vector<DefinitionError>&)>
audience_filter_resolver(const RunContext& ctx) {
    return audience_resolver(ctx);
}

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

const Rfm* SavedDefinitions::rfm(std::string_view id) const {
    for (const Rfm& r : rfms)
        if (r.id == id) return &r;
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
        } else if (kind == "rfm") {
            RfmValidation r = validate_rfm(item);
            if (r.ok())
                out->rfms.push_back(std::move(r.rfm));
            else
                problems.push_back({id, std::move(r.errors)});
        } else if (kind == "retention") {
            RetentionValidation r = validate_retention(item, check_audience_group);
            if (r.ok())
                out->retentions.push_back(std::move(r.retention));
            else
                problems.push_back({id, std::move(r.errors)});
        } else if (kind == "lifecycle") {
            LifecycleValidation r = validate_lifecycle(item, check_audience_group);
            if (r.ok())
                out->lifecycles.push_back(std::move(r.lifecycle));
            else
                problems.push_back({id, std::move(r.errors)});
        } else if (kind == "board") {
            BoardValidation r = validate_board(item, check_audience_group);
            if (r.ok())
                out->boards.push_back(std::move(r.board));
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

namespace {

json run_document(const RunContext& ctx, const json& document, const RunOptions& options) {
    if (document.is_object() && document.contains("kind")) {
        const json& k = document["kind"];
        if (!k.is_string())
            return refusal({DefinitionError{"kind", "expected a string (" + known_kinds() + ")"}});
        const std::string kind = k.get<std::string>();
        // An audience is the definition without a kind (DESIGN §3), so that no audience shared
        // so far changes meaning.
        if (kind == "audience")
            return refusal({DefinitionError{"kind", "leave \"kind\" out for an audience definition"}});
        for (const KindEntry& entry : kKinds)
            if (kind == entry.kind) return entry.run(ctx, document, options);
        return refusal({DefinitionError{"kind", "unknown kind " + quote(kind) + " (expected " +
                                                    known_kinds() + ", or none for an audience)"}});
    }
    return run_audience(ctx, document, options);
}

} // namespace

json run_definition(const RunContext& ctx, const json& document, const RunOptions& options) {
    return refuse_on_exception([&] { return run_document(ctx, document, options); });
}

json run_definition(const RunContext& ctx, std::string_view text, const RunOptions& options) {
    JsonText parsed = parse_json_text(text);
    if (parsed.fatal) return refusal(std::move(parsed.errors));
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

json refusal(const std::vector<DefinitionError>& errors) {
    return {{"ok", false}, {"errors", errors_json(errors)}};
}

std::string answer_text(const json& answer) {
    return answer.dump(-1, ' ', false, json::error_handler_t::replace);
}

} // namespace segx
