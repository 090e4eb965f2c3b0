#pragma once
// Audience definitions (DESIGN §3): plain value types for the rule tree that the UI edits, the
// JSON carries (json.h) and the evaluator turns into a user bitset (evaluate.h).
//
// The types hold exactly what the JSON says and nothing derived: no dictionary codes, no
// parsed times. That keeps `from_json(to_json(x)) == x` exact and lets one definition be
// evaluated against any model. Where a field only makes sense for some variants (a count's
// bounds, an aggregate's function, a window's days), the variants are separate types in a
// std::variant, so that no "unused" field can make two equal-meaning definitions unequal.

#include "core/lang/error.h"
#include "core/lang/event_filter.h"
#include "core/lang/value.h"
#include "core/lang/window.h"
#include "core/retention/period.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace segx {

// Limits on untrusted audience definitions (json.h enforces them; the evaluator re-checks the
// depth so a tree built in code cannot recurse without bound either). Value limits: lang/value.h.
constexpr int kMaxGroupDepth = 64;  // groups inside groups, the root being depth 1
constexpr size_t kMaxRules = 10000; // rules in one definition, groups included
// ---- rules ----------------------------------------------------------------------------------

// A user attribute compared with values: `country in ["CN", "HK"]`.
struct PropertyRule {
    std::string attribute;
    Op op = Op::Eq;
    std::vector<Scalar> values; // as many as op_arity says
    bool ci = false;            // strings: ASCII case-insensitive (evaluate.h)
};

// What a count counts among the user's matching events in the window: the events, their
// distinct order ids (an event without an order id is an order of its own), or the distinct UTC
// days they fall on.
enum class CountUnit : uint8_t { Events, Orders, Days };
const char* count_unit_name(CountUnit unit); // "events", "orders", "days"
std::optional<CountUnit> count_unit_from_name(std::string_view name);

// What a behavior rule measures over the user's matching events in the window.
struct CountMeasure {                  // number of matching events (orders, days), 0 for none
    Op op = Op::Gte;                   // gte, lte, eq or between
    std::vector<int64_t> values = {1}; // 0..kMaxCount; two for between
    CountUnit unit = CountUnit::Events;
};
constexpr int64_t kMaxCount = 4294967295;

enum class AggregateFn : uint8_t { Sum, Avg, Min, Max };
const char* aggregate_fn_name(AggregateFn fn);
std::optional<AggregateFn> aggregate_fn_from_name(std::string_view name);

struct AggregateMeasure { // fn over non-null values; no values -> NULL -> false
    AggregateFn fn = AggregateFn::Sum;
    std::string property; // a numeric event property; "" = the revenue column
    Op op = Op::Gte;      // eq, neq, gt, gte, lt, lte or between
    std::vector<double> values = {0};
};

struct OccurrenceMeasure { // the user's first (or last) matching event lies in the window
    bool last = false;
};

using Measure = std::variant<CountMeasure, AggregateMeasure, OccurrenceMeasure>;

// "did / did not perform `event` (with filters) <measure> within <window>".
struct BehaviorRule {
    bool did = true; // false: every user for whom the "did" form is false
    std::string event;
    std::vector<EventFilter> where;
    TimeWindow window;
    Measure measure;
};

// Evaluated through EvalContext (evaluate.h): the audience engine includes none of src/core/rfm,
// lifecycle or funnel.
struct ScoreRange {
    int lo = 1, hi = 5; // 1..5, lo <= hi
};
struct RfmRule {
    std::vector<std::string> segments; // named segments (Champions, At Risk, ...), or
    std::optional<ScoreRange> r, f, m; // score ranges (at least one); never both forms
    std::string rfm;                   // saved RFM settings id; "" = the default settings
};

enum class LifecycleStage : uint8_t { New, Returning, Resurrecting, Dormant };
const char* lifecycle_stage_name(LifecycleStage stage);
std::optional<LifecycleStage> lifecycle_stage_from_name(std::string_view name);
// The 9-metric board's groups (DESIGN §6), for a lifecycle rule of the board's form.
enum class LifecycleGroup : uint8_t { New, Returning, Dormant };
const char* lifecycle_group_name(LifecycleGroup group);
std::optional<LifecycleGroup> lifecycle_group_from_name(std::string_view name);
struct LifecycleRule {
    LifecycleStage stage = LifecycleStage::New;
    PeriodUnit period = PeriodUnit::Week; // the calendar period whose stage counts (the one holding as-of)
    std::string event;                    // the activity event; "" = any event
    // The board's form instead of a stage: the users of a board group for the board period
    // `window` ((s, e], never past as-of) and dormancy threshold `dormant_days` (the board's
    // defaults: the last 30 days, 90). `period` and `stage` are then unused.
    std::optional<LifecycleGroup> group;
    TimeWindow window = WindowLastDays{30};
    int64_t dormant_days = 90;
};

struct FunnelRule {
    std::string funnel;         // saved funnel id
    bool dropped_after = false; // false: reached step `step`; true: dropped after it
    int step = 1;               // 1..kMaxFunnelStep
};
constexpr int kMaxFunnelStep = 100;

// A retention cell's users (DESIGN §6): of the retention `retention` (its whole definition, so
// the audience stands alone: a link or a saved audience keeps its meaning when the Retention tab
// changes), the cohort whose period starts on the UTC date `cohort` and, for k = `period` >= 1,
// of them those the cell counts (a return in period cohort + k; on_or_after: in it or later);
// k = 0 is the whole cohort. The retention is read strictly when the rule is evaluated or
// compiled (errors under "retention"): this folder needs nothing of src/core/retention.
// (The json member comes last: std::variant's converting constructor tries aggregate
// initialisation of the first member, and nlohmann::json's constructor is not SFINAE-friendly.)
struct RetentionRule {
    std::string cohort;       // "YYYY-MM-DD": the first day of the cohort's period
    int period = 0;           // k, 0 .. kMaxRetentionRulePeriod
    nlohmann::json retention; // a retention definition (src/core/retention/json.h), as written
};
constexpr int kMaxRetentionRulePeriod = 52;

// In / not in another saved audience, by id. Cycles are an evaluation error.
struct AudienceRefRule {
    std::string id;
    bool in = true;
};

struct Rule;

// `all`: users matching every rule (no rules: every user); `any`: users matching at least one
// (no rules: no user), the identities of AND and OR. `negate` complements the result.
enum class Match : uint8_t { All, Any };
struct Group {
    Match match = Match::All;
    bool negate = false;
    std::vector<Rule> rules;
};

using RuleNode = std::variant<Group, PropertyRule, BehaviorRule, RfmRule, LifecycleRule, FunnelRule,
                              AudienceRefRule, RetentionRule>;

// The wrapper that lets Group hold a vector of nodes (a variant cannot name itself).
struct Rule {
    RuleNode node;

    Rule() = default;
    // Implicit from any node type, so that `group.rules.push_back(PropertyRule{...})` reads well.
    template <typename T, typename = std::enable_if_t<!std::is_same<std::decay_t<T>, Rule>::value &&
                                                      std::is_constructible<RuleNode, T&&>::value>>
    Rule(T&& value) : node(std::forward<T>(value)) {}
};

// The "kind" of a rule in JSON: "group", "property", "behavior", "rfm", "lifecycle", "funnel",
// "audience", "retention".
const char* rule_kind_name(const RuleNode& node);

struct Audience {
    int segx = 1; // format version
    std::string id, name;
    Group root;
};

// A count's or an aggregate's operator and number of values (one, or two for between); errors
// at path.count / path.aggregate. Shared by the evaluator and the SQL compiler.
void check_measure_ops(const Measure& measure, const std::string& path, std::vector<DefinitionError>& errors);

bool operator==(const PropertyRule& a, const PropertyRule& b);
bool operator==(const CountMeasure& a, const CountMeasure& b);
bool operator==(const AggregateMeasure& a, const AggregateMeasure& b);
bool operator==(const OccurrenceMeasure& a, const OccurrenceMeasure& b);
bool operator==(const BehaviorRule& a, const BehaviorRule& b);
bool operator==(const ScoreRange& a, const ScoreRange& b);
bool operator==(const RfmRule& a, const RfmRule& b);
bool operator==(const LifecycleRule& a, const LifecycleRule& b);
bool operator==(const FunnelRule& a, const FunnelRule& b);
bool operator==(const AudienceRefRule& a, const AudienceRefRule& b);
bool operator==(const RetentionRule& a, const RetentionRule& b);
bool operator==(const Group& a, const Group& b);
bool operator==(const Rule& a, const Rule& b);
bool operator==(const Audience& a, const Audience& b);
inline bool operator!=(const Rule& a, const Rule& b) { return !(a == b); }
inline bool operator!=(const Group& a, const Group& b) { return !(a == b); }
inline bool operator!=(const Audience& a, const Audience& b) { return !(a == b); }

} // namespace segx
