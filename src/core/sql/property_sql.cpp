// Property rules and event filters as SQL comparisons. compile_predicate checks the operator
// and the values against the column first, exactly as evaluation does; its result then gives
// the bounds: integer-valued columns (BIGINT, DATE, TIMESTAMP, BOOLEAN) compare with the exact
// int64 bounds it derived (age > 29.5 is age > 29, age = 30.5 is FALSE), so DuckDB never
// rounds a value the core compared exactly.

#include "core/lang/json_text.h"
#include "core/lang/names.h"
#include "core/lang/predicate.h"
#include "core/lang/text.h"
#include "core/sql/rule_sql.h"
#include "core/sql/sql_text.h"

#include <algorithm>

namespace segx {

namespace {

std::string value_path(const std::string& path, Op op, size_t i) {
    std::string p = path;
    if (op_arity(op) == Arity::One) {
        append_path_key(p, "value");
    } else {
        append_path_key(p, "values");
        append_path_index(p, i);
    }
    return p;
}

template <typename T, typename F>
std::string list_sql(const std::vector<T>& values, F&& literal) {
    std::string out = "(";
    for (size_t i = 0; i < values.size(); i++) out += (i > 0 ? ", " : "") + literal(values[i]);
    return out + ")";
}

// VARCHAR: bytes compare as DuckDB compares them; ci folds A-Z on both sides, and only them
// (DuckDB's lower() folds all of Unicode).
std::string string_sql(const std::string& expr, Op op, const std::vector<Scalar>& values, bool ci) {
    const std::string x =
        ci ? "translate(" + expr + ", 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')" : expr;
    const auto lit = [ci](const Scalar& v) { return sql_string(ci ? fold_ascii(v.text) : v.text); };
    switch (op) {
        case Op::Eq:
            return x + " = " + lit(values[0]);
        case Op::Neq:
            return x + " <> " + lit(values[0]);
        case Op::In:
            return x + " IN " + list_sql(values, lit);
        case Op::NotIn:
            return x + " NOT IN " + list_sql(values, lit);
        case Op::Contains:
            return "contains(" + x + ", " + lit(values[0]) + ")";
        case Op::NotContains:
            return "NOT contains(" + x + ", " + lit(values[0]) + ")";
        case Op::StartsWith:
            return "starts_with(" + x + ", " + lit(values[0]) + ")";
        case Op::Gt:
            return x + " > " + lit(values[0]);
        case Op::Gte:
            return x + " >= " + lit(values[0]);
        case Op::Lt:
            return x + " < " + lit(values[0]);
        case Op::Lte:
            return x + " <= " + lit(values[0]);
        case Op::Between:
            return x + " BETWEEN " + lit(values[0]) + " AND " + lit(values[1]);
        default:
            return "FALSE";
    }
}

// BIGINT, DATE, TIMESTAMP, BOOLEAN over the predicate's inclusive range [lo, hi] or its set.
// gt and lt are written with the bound they started from (lo - 1, hi + 1), so `age gt 30`
// reads `age > 30`.
std::string int_sql(const ColumnPredicate& p, const std::string& x, ColumnType type, Op op) {
    const auto lit = [type](int64_t v) -> std::string {
        switch (type) {
            case ColumnType::Bool:
                return v != 0 ? "TRUE" : "FALSE";
            case ColumnType::Date:
                return sql_date_or_timestamp(v);
            case ColumnType::Timestamp:
                return sql_timestamp(v);
            default:
                return std::to_string(v);
        }
    };
    if (p.use_set) {
        std::vector<int64_t> set = p.int_set;
        set.erase(std::unique(set.begin(), set.end()), set.end());
        if (set.empty()) // no value fits the column: in matches nothing, not_in every value
            return p.negate ? x + " IS NOT NULL" : "FALSE";
        return x + (p.negate ? " NOT IN " : " IN ") + list_sql(set, lit);
    }
    const bool empty = p.lo > p.hi, no_lo = p.lo == INT64_MIN, no_hi = p.hi == INT64_MAX;
    if (empty) // no value fits: eq matches nothing, neq every value
        return p.negate ? x + " IS NOT NULL" : "FALSE";
    if (no_lo && no_hi) return p.negate ? "FALSE" : x + " IS NOT NULL";
    if (p.lo == p.hi) return x + (p.negate ? " <> " : " = ") + lit(p.lo);
    std::string range;
    if (no_hi)
        range = op == Op::Gt ? x + " > " + lit(p.lo - 1) : x + " >= " + lit(p.lo);
    else if (no_lo)
        range = op == Op::Lt ? x + " < " + lit(p.hi + 1) : x + " <= " + lit(p.hi);
    else
        range = x + " BETWEEN " + lit(p.lo) + " AND " + lit(p.hi);
    return p.negate ? "NOT (" + range + ")" : range; // NOT keeps a NULL a NULL
}

std::string double_sql(const ColumnPredicate& p, const std::string& x, Op op) {
    if (p.use_set) return x + (p.negate ? " NOT IN " : " IN ") + list_sql(p.double_set, sql_double);
    switch (op) {
        case Op::Eq:
            return x + " = " + sql_double(p.dlo);
        case Op::Neq:
            return x + " <> " + sql_double(p.dlo);
        case Op::Gt:
            return x + " > " + sql_double(p.dlo);
        case Op::Gte:
            return x + " >= " + sql_double(p.dlo);
        case Op::Lt:
            return x + " < " + sql_double(p.dhi);
        case Op::Lte:
            return x + " <= " + sql_double(p.dhi);
        case Op::Between:
            return x + " BETWEEN " + sql_double(p.dlo) + " AND " + sql_double(p.dhi);
        default:
            return "FALSE";
    }
}

} // namespace

std::string comparison_sql(const Column& column, const std::string& expr, const std::string& what, Op op,
                           const std::vector<Scalar>& values, bool ci, const std::string& path,
                           std::vector<DefinitionError>& errors) {
    ColumnPredicate p;
    if (!compile_predicate(column, what, op, values, ci, path, errors, &p)) return "";
    switch (p.mode) {
        case ColumnPredicate::Mode::IsSet:
            return expr + " IS NOT NULL";
        case ColumnPredicate::Mode::IsNotSet:
            return expr + " IS NULL";
        case ColumnPredicate::Mode::Codes: {
            bool ok = true;
            for (size_t i = 0; i < values.size(); i++)
                if (!is_valid_utf8(values[i].text)) {
                    errors.push_back(DefinitionError{value_path(path, op, i),
                                                     "is not valid UTF-8, which SQL text must be"});
                    ok = false;
                }
            return ok ? string_sql(expr, op, values, ci) : "";
        }
        case ColumnPredicate::Mode::Ints:
            return int_sql(p, expr, column.type, op);
        case ColumnPredicate::Mode::Doubles:
            return double_sql(p, expr, op);
    }
    return "";
}

const Column* sql_column(const std::vector<Column>& columns, const char* what, const char* table,
                         const std::string& name, const std::vector<const char*>& reserved,
                         const std::string& path, std::vector<DefinitionError>& errors) {
    const Column* found = nullptr;
    for (const Column& c : columns)
        if (c.name == name) found = &c;
    if (found == nullptr) {
        errors.push_back(DefinitionError{path, unknown_name(what, name, columns)});
        return nullptr;
    }
    const std::string named = std::string(what) + " " + quote(name) + " cannot be named in SQL: ";
    if (!sql_text_ok(name)) {
        errors.push_back(DefinitionError{path, named + "the name is not valid UTF-8 or holds a NUL byte"});
        return nullptr;
    }
    const std::string folded = fold_ascii(name);
    for (const char* r : reserved)
        if (folded == r) {
            errors.push_back(DefinitionError{path, named + "the " + table + " table has its own " + quote(r) +
                                                       " column, and DuckDB names ignore case"});
            return nullptr;
        }
    for (const Column& c : columns)
        if (&c != found && fold_ascii(c.name) == folded) {
            errors.push_back(
                DefinitionError{path, named + what + " " + quote(c.name) +
                                          " differs from it only in case, and DuckDB names ignore case"});
            return nullptr;
        }
    return found;
}

std::string property_sql(const Model& model, const PropertyRule& rule, const std::string& path,
                         std::vector<DefinitionError>& errors) {
    std::string p = path;
    append_path_key(p, "attribute");
    const Column* column =
        sql_column(model.attributes, "attribute", "users", rule.attribute, {"user_id"}, p, errors);
    if (column == nullptr) return "";
    return comparison_sql(*column, "\"u\"." + sql_ident(column->name), "attribute " + quote(rule.attribute),
                          rule.op, rule.values, rule.ci, path, errors);
}

} // namespace segx
