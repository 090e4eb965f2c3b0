#pragma once
// ColumnPredicate: one comparison (an operator and its values, from a property rule or an event
// filter) compiled once against one column, then run over the whole column in one sequential
// pass (predicate_rows), so that the per-row test is a table load or an integer/double range
// test: no string compares, no parsing and no allocation per row.
//
//   VARCHAR   a match table over the column's dictionary (one byte per distinct string), built
//             with ONE look-up per value for eq/in/neq/not_in, or one test per dictionary entry
//             for contains/starts_with/ordering/ci. Strings compare as bytes (UTF-8 order, as
//             DuckDB does); ci folds ASCII letters only (text.h).
//   BIGINT    an inclusive int64 range [lo, hi] or a sorted set, derived exactly from the
//             double values (age > 29.5 is age >= 30; age = 30.5 matches nothing).
//   DATE, TIMESTAMP  the same over µs, values being ISO strings (UTC when zone-less).
//   BOOLEAN   the same over 0/1, values true/false; eq, neq, in, not_in only.
//   DOUBLE    a double range with open/closed ends, or a set.
//
// Nulls (DESIGN §3, SQL's rule that NULL compares false): a null row matches no operator but
// is_not_set; in particular neq, not_in and not_contains are false on null rows, and is_set is
// false. An empty string is a value, not a null.

#include "core/dataset/bitmap.h"
#include "core/dataset/column.h"
#include "core/lang/error.h"
#include "core/lang/value.h"

#include <cstdint>
#include <string>
#include <vector>

namespace segx {

struct ColumnPredicate {
    enum class Mode : uint8_t { IsSet, IsNotSet, Codes, Ints, Doubles };

    Mode mode = Mode::IsSet;
    const Column* column = nullptr;
    // Ints/Doubles: the test is inverted on non-null rows (neq, not_in). Codes bake it in.
    bool negate = false;
    std::vector<uint8_t> code_match; // Codes: per dictionary code, 1 = match
    bool use_set = false;            // Ints/Doubles: membership in the sorted set below
    int64_t lo = 1, hi = 0;          // Ints: lo <= x <= hi (lo > hi: empty)
    std::vector<int64_t> int_set;
    double dlo = 0, dhi = 0; // Doubles: dlo <(=) x <(=) dhi
    bool lo_open = false, hi_open = false;
    std::vector<double> double_set;
};

// Compiles `op values` (ci: ASCII case-insensitive strings) against `column`. `what` names the
// column in messages ("attribute \"age\""); errors go below `path`, the JSON path of the rule
// or filter (".op", ".value", ".values[1]"). False, with errors appended, when the operator or
// a value does not fit the column's type.
bool compile_predicate(const Column& column, const std::string& what, Op op,
                       const std::vector<Scalar>& values, bool ci, const std::string& path,
                       std::vector<DefinitionError>& errors, ColumnPredicate* out);

// The rows 0..rows-1 that match, one word of 64 rows at a time; rows past the column's end
// count as null.
Bitmap predicate_rows(const ColumnPredicate& p, size_t rows);

// The same test on one row (a row past the column's end is null), for engines that test only
// the rows they visit (a funnel tests a step's filters on that step's events only).
bool predicate_row(const ColumnPredicate& p, size_t row);

} // namespace segx
