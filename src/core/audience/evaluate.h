#pragma once
// Evaluating an audience definition against a Model: a Bitmap with one bit per user index.
//
// Semantics (the SQL compiler, src/core/sql, must emit exactly these):
//   - Two-valued logic. Every rule is true or false for every user; nothing is "unknown".
//     `negate`, `did: false` and `not_in` (audience) are plain complements over all users. In
//     SQL that means wrapping each rule as COALESCE(<rule>, FALSE) before NOT / AND / OR.
//   - Property rules: predicate.h. A null attribute matches no operator except is_not_set
//     (so neq, not_in and not_contains are false for nulls, as `NULL <> 'x'` is in SQL, and a
//     negated group does include them). Users in no users file have null attributes.
//   - Groups: `all` of no rules is every user, `any` of no rules is no user (the identities of
//     AND and OR, as SQL's TRUE and FALSE).
//   - Windows: start-exclusive, end-inclusive (as_of - N days, as_of], (from, to], and never
//     past as-of: events after as_of do not exist for any rule, "all time" included, so that
//     an earlier as-of gives the audience as it was then.
//   - Behavior counts include zero: `count lte 2` matches users with no such event. Aggregates
//     (sum/avg/min/max) skip null values (revenue NaN, null properties); a user with no
//     non-null value has a NULL aggregate, which compares false (SQL's SUM over no rows).
//     first/last occurrence: the user's first (last) matching event at or before as-of lies in
//     the window.
//   - Strings compare as bytes; `ci` folds ASCII letters only, so Chinese text compares
//     exactly either way (text.h).
//   - Funnel rules: `reached k` is the users whose level in the saved funnel (DESIGN §4, at the
//     same as-of) is >= k, `dropped_after k` those whose level is exactly k (reached k, not
//     k + 1). The funnel is resolved through EvalContext::funnel; an unknown id, a step past
//     the funnel's last (or dropped_after its last step, which nobody can drop after), and a
//     funnel that does not run on the model are errors at the rule's path.
//   - RFM rules: the users whose scores (DESIGN §5, at the same as-of) under the rule's RFM
//     settings (a saved RFM definition by `rfm` id, else the default settings: quantile, total,
//     the 10-segment grid) fall in one of the named segments, or in every given score range.
//     Users without a purchase at or before as-of are not customers and match no rfm rule. An
//     unknown settings id, a segment name the settings lack (the error lists the known ones) and
//     a score above the method's maximum (2 for `mean`) are errors at the rule's path. Resolved
//     through EvalContext::rfm.
//   - Lifecycle rules: the users whose stage (DESIGN §6) in the calendar period holding as-of
//     (`period`, default week) with the rule's activity event (`event`, default any event) is
//     the rule's stage; or, in the board's form (`group`), the users of that 9-metric board group
//     for the rule's board period and dormancy threshold. Resolved through
//     EvalContext::lifecycle; an unknown event or a bad period is an error at the rule's path.
//   - Unknown attribute, event, event property, audience or funnel names are errors naming
//     them, never an empty match. So are values of the wrong type for the column (a string for
//     a BIGINT).
//   - Audience references are resolved through EvalContext::saved by id, recursively; a cycle
//     is an error naming every audience in it ("audience cycle: a → b → a").
// Errors do not stop the walk: every problem is reported, each with its rule's JSON path; the
// bitmap is then empty.

#include "core/audience/definition.h"
#include "core/dataset/bitmap.h"
#include "core/lang/error.h"
#include "core/model/model.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace segx {

// A saved funnel as a `funnel` rule sees it. The audience engine includes nothing of
// src/core/funnel: the owner of the saved definitions (run.h's audience_eval_context) answers
// EvalContext::funnel with this.
struct FunnelRuleSource {
    size_t steps = 0;
    // The funnel's canonical JSON (the SQL compiler compiles it from this).
    std::string definition;
    // Everything the levels depend on besides the model and as-of: the funnel's JSON and that of
    // every saved definition its audience filter reaches. Rules on the funnel are cached under
    // it, so that editing any of them drops their users.
    std::string key;
    // The per-user levels (0..steps, by user index; missing users: 0) at the context's as-of;
    // false with errors (paths inside the funnel) when it does not run on the model.
    std::function<bool(std::vector<uint8_t>* levels, std::vector<DefinitionError>& errors)> levels;
};

// Per user index (missing users: not customers): the R, F and M scores (1..max_score; 0 for a
// user who is not a customer) and the segment (an index into RfmRuleSource::segments; 255 for
// none).
struct RfmRuleScores {
    std::vector<uint8_t> r, f, m, segment;
};

// The RFM settings an `rfm` rule names (the default settings for ""), as the rule sees them;
// answered by the owner of the saved definitions, as FunnelRuleSource is.
struct RfmRuleSource {
    std::vector<std::string> segments; // the settings' segment names, in order
    int max_score = 5;                 // 5, or 2 for the mean method
    // The settings' canonical JSON: rules on them are cached under it (editing the saved
    // settings drops their users), and the SQL compiler compiles from it.
    std::string definition;
    // The scores at the context's as-of; false with errors (paths inside the settings).
    std::function<bool(RfmRuleScores* scores, std::vector<DefinitionError>& errors)> scores;
};

// A `retention` rule as the owner of the saved definitions answers it (run.h; the audience engine
// includes nothing of src/core/retention): the rule's retention read strictly, its canonical JSON
// (the SQL compiler compiles from it), the key its users depend on besides the model, as-of and
// the rule (the JSON of every saved audience the retention's audience filter reaches: rules are
// cached under it), and the cell's users at the context's as-of.
struct RetentionRuleSource {
    std::string definition;
    std::string key;
    // False with errors whose paths are relative to the rule ("retention.start.event", "cohort").
    std::function<bool(Bitmap* users, std::vector<DefinitionError>& errors)> users;
};

// Per user index (missing users: 0): 1 + LifecycleStage of the user's stage in the period
// holding as-of, or 0 for none (never active, or active before but in neither that period nor
// the previous one). For a rule of the board's form (LifecycleRule::group): 1 + LifecycleGroup
// of the user's board group, or 0 for none (never active by the board period's end).
using LifecycleRuleStages = std::vector<uint8_t>;

struct EvalContext {
    const Model& model;
    int64_t as_of_us = 0; // DESIGN §1: default the model's max_time_us, never the wall clock
    // Bumped by the owner of the model on every build_model; AudienceCache drops results of
    // other generations (the Model itself carries no version).
    uint64_t model_generation = 0;
    // Saved audiences' definitions by id, for `audience` rules (nullptr: no such audience).
    // Definitions, not bitsets, so that the evaluator sees the whole reference graph and can
    // name a cycle instead of recursing forever. May be empty when nothing is saved.
    std::function<const Audience*(std::string_view id)> saved;
    // Saved funnels by id, for `funnel` rules (nullopt: no such funnel). May be empty.
    std::function<std::optional<FunnelRuleSource>(std::string_view id)> funnel = nullptr;
    // RFM settings for `rfm` rules: a saved RFM definition by id, the default settings for ""
    // (nullopt: no such settings). Empty: rfm rules are errors.
    std::function<std::optional<RfmRuleSource>(std::string_view id)> rfm = nullptr;
    // Stages (or board groups) for a `lifecycle` rule's period and event (or board period,
    // threshold and event) at the context's as-of; false with errors (paths relative to the
    // rule: "event", "window", "dormant_days"). Empty: lifecycle rules are errors.
    std::function<bool(const LifecycleRule& rule, LifecycleRuleStages* stages,
                       std::vector<DefinitionError>& errors)>
        lifecycle = nullptr;
    // Reads a `retention` rule's retention and checks its cohort and period (errors at paths
    // relative to the rule: "retention…", "cohort", "period"). Empty: retention rules are errors.
    std::function<bool(const RetentionRule& rule, RetentionRuleSource* source,
                       std::vector<DefinitionError>& errors)>
        retention = nullptr;
};

struct EvalResult {
    Bitmap users; // bit u set = user index u is a member; empty bitmap when !ok()
    std::vector<DefinitionError> errors;

    bool ok() const { return errors.empty(); }
};

class AudienceCache;

EvalResult evaluate(const Audience& audience, const EvalContext& ctx);

// The checks of a `funnel` rule before anything runs (shared with the SQL compiler): the funnel
// exists (ctx.funnel) and has the step; fills *source. False with errors at `path`'s fields.
bool check_funnel_rule(const FunnelRule& rule, const EvalContext& ctx, const std::string& path,
                       std::vector<DefinitionError>& errors, std::optional<FunnelRuleSource>* source);

// The checks of an `rfm` rule before anything runs (shared with the SQL compiler): the settings
// exist (ctx.rfm), know the named segments and allow the score ranges; fills *source. False with
// errors at `path`'s fields.
bool check_rfm_rule(const RfmRule& rule, const EvalContext& ctx, const std::string& path,
                    std::vector<DefinitionError>& errors, std::optional<RfmRuleSource>* source);

namespace detail {
// The one evaluator; `cache` may be null (AudienceCache::evaluate passes itself).
EvalResult evaluate_with_cache(const Audience& audience, const EvalContext& ctx, AudienceCache* cache);
} // namespace detail

} // namespace segx
