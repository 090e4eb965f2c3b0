#pragma once
// The values every definition compares with: operators, their arity, and JSON scalars. Shared by
// audiences (property rules, behavior filters), funnels (step filters) and every later analysis.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace segx {

// Limits on untrusted definitions, enforced by the JSON reader (json_fields.h).
constexpr size_t kMaxValues = 10000;      // values of one `in`, filters of one behavior rule
constexpr size_t kMaxStringBytes = 10000; // any one string: names, values, ids

enum class Op : uint8_t {
    Eq,
    Neq,
    In,
    NotIn,
    Contains,
    NotContains,
    StartsWith,
    Gt,
    Gte,
    Lt,
    Lte,
    Between,
    IsSet,
    IsNotSet,
};

const char* op_name(Op op); // "eq", "not_in", "starts_with", ...
std::optional<Op> op_from_name(std::string_view name);

// How many values an operator takes: is_set/is_not_set none, in/not_in one or more (`values`
// in JSON), between exactly two (`values`), every other one exactly one (`value`).
enum class Arity : uint8_t { None, One, Two, Many };
Arity op_arity(Op op);

// A JSON scalar in a comparison. Dates and times are strings (ISO 8601, parsed when compared
// with a DATE or TIMESTAMP column); numbers are doubles (JSON integers beyond ±2^53 are refused
// on input rather than rounded).
struct Scalar {
    enum class Kind : uint8_t { String, Number, Bool };
    Kind kind = Kind::String;
    std::string text;     // String
    double number = 0;    // Number
    bool boolean = false; // Bool

    static Scalar of(std::string s);
    static Scalar of(const char* s) { return of(std::string(s)); }
    static Scalar of(double x);
    static Scalar of(int x) { return of(double(x)); }
    static Scalar of_bool(bool b);
};
bool operator==(const Scalar& a, const Scalar& b);
inline bool operator!=(const Scalar& a, const Scalar& b) { return !(a == b); }

} // namespace segx
