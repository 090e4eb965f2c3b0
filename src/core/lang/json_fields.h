#pragma once
// FieldReader: typed access to the fields of an untrusted nlohmann DOM, for the definition
// reader (json_read.cpp). Each accessor reads its field or records one problem at the field's
// JSON path and leaves the output at its default; nothing throws, so one walk over a document
// reports every problem. Shared by the readers of every definition kind.

#include "core/lang/error.h"
#include "core/lang/event_filter.h"
#include "core/lang/text.h"
#include "core/lang/value.h"
#include "core/lang/window.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace segx {

// Checks an audience group object found at `path` (a definition's audience filter), appending
// its problems. Supplied by the caller (core/run), so no analysis includes the audience reader.
using GroupCheck = std::function<void(const nlohmann::json& group, const std::string& path,
                                      std::vector<DefinitionError>& errors)>;

} // namespace segx

namespace segx::json_read {

using json = nlohmann::json;

const char* type_of(const json& v);     // "a string", "an array", "null", ...
std::string number_text(const json& v); // as written: integers exactly, doubles shortest
std::string key_path(const std::string& path, std::string_view key);
std::string index_path(const std::string& path, size_t i);
std::string one_of(std::initializer_list<const char*> names); // "a, b or c"

inline const std::initializer_list<const char*> kOpNames = {
    "eq", "neq", "in", "not_in", "contains", "not_contains", "starts_with",
    "gt", "gte", "lt", "lte",    "between",  "is_set",       "is_not_set"};

class FieldReader {
public:
    std::vector<DefinitionError> errors; // at most kMaxErrors

    void fail(const std::string& path, std::string message);
    void finish(); // appends "N more problems not shown" when some were dropped

    // ---- generic fields -------------------------------------------------------------------
    // The document itself: an object with "segx": 1. `what` names the kind in the message for a
    // missing version ("a segx funnel definition starts with ..."). False, with the one problem
    // reported, when it is not: another version's fields would make misleading noise.
    bool document(const json& doc, const char* what);
    static const json* get(const json& obj, const char* key);
    bool object(const json& v, const std::string& path);
    // Every key not in `allowed` is a problem: a typo ("vaule") must not pass as a default.
    void keys(const json& obj, const std::string& path, std::initializer_list<const char*> allowed);
    // A string of at most kMaxStringBytes, valid UTF-8; nullptr is "missing" when required.
    bool string(const json* v, const std::string& path, std::string* out, bool required, bool non_empty);
    // Optional: nullptr leaves *out as it is.
    void boolean(const json* v, const std::string& path, bool* out);
    // A finite double; integers beyond ±2^53 are refused (they would not compare exactly).
    bool number(const json& v, const std::string& path, double* out);
    // An integer in [lo, hi] ("expected a whole number<unit> from lo to hi, got ...").
    bool whole(const json& v, const std::string& path, int64_t lo, int64_t hi, int64_t* out,
               const char* unit = "");
    // A string, number or boolean value of a comparison.
    bool scalar(const json& v, const std::string& path, Scalar* out);
    // A name from a closed set: "unknown operator \"equals\" (expected eq, neq, ...)".
    template <typename T, typename Parse>
    bool pick(const json* v, const std::string& path, const char* what,
              std::initializer_list<const char*> expected, Parse parse, T* out) {
        std::string s;
        if (v == nullptr) {
            fail(path, "missing (expected " + one_of(expected) + ")");
            return false;
        }
        if (!string(v, path, &s, true, false)) return false;
        std::optional<T> parsed = parse(std::string_view(s));
        if (!parsed) {
            fail(path,
                 std::string("unknown ") + what + " " + quote(s) + " (expected " + one_of(expected) + ")");
            return false;
        }
        *out = *parsed;
        return true;
    }

    // ---- comparisons (property rules and event filters) -------------------------------------
    // "value" or "values" as op_arity(op) says.
    void values(const json& obj, const std::string& path, Op op, std::vector<Scalar>* out);
    // What the operator can compare, checked on the values alone (the column type is checked
    // when evaluating against a model).
    void value_kinds(const std::string& path, Op op, const std::vector<Scalar>& vals, size_t expected);
    // {name_key, op, value/values, ci}: shared by property rules and event filters.
    void comparison(const json& obj, const std::string& path, const char* name_key, std::string* name, Op* op,
                    std::vector<Scalar>* vals, bool* ci);

    // {"last_days": N} or {"from", "to"} (either end optional; from before to).
    TimeWindow window(const json& v, const std::string& path);
    // An ISO 8601 date or time string; *us its instant (UTC when zone-less).
    bool time(const json& v, const std::string& path, std::string* text, int64_t* us);
    // An analysis's audience filter, kept as JSON: {"audience": saved id}, or an audience group
    // checked by `check` (the audience reader, supplied by the caller; without it only the
    // group's keys are checked). Null when it is not an object.
    json audience_filter(const json& v, const std::string& path, const GroupCheck& check);
    // obj's optional "where": an array of {property, op, value/values, ci}.
    void filters(const json& obj, const std::string& path, std::vector<EventFilter>* out);

private:
    size_t dropped_ = 0;
};

} // namespace segx::json_read
