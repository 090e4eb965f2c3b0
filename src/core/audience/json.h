#pragma once
// Audience definitions as JSON (DESIGN §3), versioned with "segx": 1.
//
//   {"segx": 1, "id": "a1", "name": "VIP buyers", "root": GROUP}
//   GROUP     {"kind": "group", "match": "all"|"any", "negate": true, "rules": [RULE, ...]}
//             ("kind" may be left out on the root; "negate" defaults to false)
//   property  {"kind": "property", "attribute": "country", "op": "in", "values": ["CN", "HK"],
//              "ci": true}
//             single-value operators take "value", in/not_in "values" (1 or more), between
//             "values" [lo, hi] (inclusive), is_set/is_not_set nothing; values are strings,
//             numbers or booleans, dates as ISO strings
//   behavior  {"kind": "behavior", "did": true, "event": "purchase",
//              "where": [{"property": "platform", "op": "eq", "value": "ios"}],
//              "window": {"last_days": 30} | {"from": ISO, "to": ISO} (either end optional)
//                        (no window: all time up to as-of),
//              and at most one of (none: count gte 1)
//              "count": {"op": "gte"|"lte"|"eq"|"between", "value": 2 | "values": [1, 3]}
//              "aggregate": {"fn": "sum"|"avg"|"min"|"max", "of": "revenue"|"property",
//                            "property": "price", "op": "gte", "value": 100}
//              "occurrence": "first"|"last"}
//   rfm       {"kind": "rfm", "segments": ["Champions"]} or {"kind": "rfm", "r": [4, 5], "f": [1, 5]}
//   lifecycle {"kind": "lifecycle", "stage": "new"|"returning"|"resurrecting"|"dormant",
//              "period": "week", "event": "visit"}  (period, event optional), or the board's
//             {"kind": "lifecycle", "group": "new"|"returning"|"dormant",
//              "window": {"last_days": 30}, "dormant_days": 90, "event": "visit"}
//   funnel    {"kind": "funnel", "funnel": "f1", "reached": 3} or {..., "dropped_after": 2}
//   audience  {"kind": "audience", "op": "in"|"not_in", "id": "a2"}
//
// to_json writes every field except false booleans ("negate", "ci") and an all-time window, so
// that from_json(to_json(x)) == x exactly. Numbers that are whole and within ±2^53 are written
// as JSON integers, others as doubles (shortest round-trip form).
//
// Reading is strict: unknown keys, missing or mistyped fields, values the operator cannot take,
// strings past kMaxStringBytes or not UTF-8, integers past ±2^53 and non-finite numbers are
// all errors, each with its JSON path. Definitions are data: quotes, SQL or HTML in names are
// kept as they are.

#include "core/audience/definition.h"
#include "core/lang/error.h"

#include <nlohmann/json_fwd.hpp>

#include <string_view>
#include <vector>

namespace segx {

struct ValidationResult {
    std::vector<DefinitionError> errors; // every problem found, at most kMaxErrors (+1 summary)
    Audience audience;                   // meaningful only when ok()

    bool ok() const { return errors.empty(); }
};

// Checks a parsed document and reads it. Never throws; never recurses deeper than
// kMaxGroupDepth groups whatever the document's depth. A "segx" other than 1 (or missing) is
// the only error reported: another version's fields would make misleading noise.
ValidationResult validate_audience(const nlohmann::json& document);

// Parses text (json_text.h: iterative, depth-limited) and validates it. Never throws. Parse
// problems come first, with their path where the parser had one.
ValidationResult parse_audience(std::string_view text);

void to_json(nlohmann::json& out, const Audience& audience);
void to_json(nlohmann::json& out, const Group& group);
void to_json(nlohmann::json& out, const Rule& rule);
// Throws std::invalid_argument listing every problem (join_errors) when invalid.
void from_json(const nlohmann::json& in, Audience& audience);

} // namespace segx
