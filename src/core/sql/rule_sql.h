#pragma once
// The leaf-rule compilers behind audience_sql.h, as rule_eval.h is behind evaluate.h: each
// turns one rule into a SQL boolean expression over the current user row "u" (a row of the
// users table joined to the universe of ids), or appends path-named errors and returns "".
// The checks are evaluate's (compile_predicate, unknown_name), so the messages are the same.
//
// Multi-line expressions put their continuation lines at `indent` spaces; the first line has
// no indentation of its own.

#include "core/audience/definition.h"
#include "core/dataset/column.h"
#include "core/lang/error.h"
#include "core/model/model.h"

#include <cstdint>
#include <string>
#include <vector>

namespace segx {

// `expr op values` over a column typed like `column` (ci: ASCII case-insensitive strings).
// Null values of `expr` give NULL or FALSE, never TRUE, except for is_not_set. `what` and
// `path` are as for compile_predicate, which checks the operator and values first.
std::string comparison_sql(const Column& column, const std::string& expr, const std::string& what, Op op,
                           const std::vector<Scalar>& values, bool ci, const std::string& path,
                           std::vector<DefinitionError>& errors);

// The column named `name` among `columns` that SQL can name unambiguously: nullptr and an
// error at `path` when there is none (unknown_name's message), when another column differs
// from it only in ASCII case (DuckDB's names ignore case), or when it has the name of one of
// `table`'s own columns (`reserved`, lower case, e.g. "user_id").
const Column* sql_column(const std::vector<Column>& columns, const char* what, const char* table,
                         const std::string& name, const std::vector<const char*>& reserved,
                         const std::string& path, std::vector<DefinitionError>& errors);

// The events table's own columns (audience_sql.h), which no event property may be named like.
extern const std::vector<const char*> kEventsTableColumns;

std::string property_sql(const Model& model, const PropertyRule& rule, const std::string& path,
                         std::vector<DefinitionError>& errors);

std::string behavior_sql(const Model& model, const BehaviorRule& rule, int64_t as_of_us, int indent,
                         const std::string& path, std::vector<DefinitionError>& errors);

} // namespace segx
