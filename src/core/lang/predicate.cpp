#include "core/lang/predicate.h"

#include "core/lang/json_text.h"
#include "core/lang/text.h"
#include "core/time/parse.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <type_traits>

namespace segx {

namespace {

constexpr double kTwo63 = 9223372036854775808.0;
constexpr double kTwo53 = 9007199254740992.0;

// A value for an integer-valued column: exact when it is an integer (dates, whole numbers up
// to 2^53), else a double whose integer bounds are derived below.
struct Num {
    bool is_int = true;
    int64_t i = 0;
    double d = 0;
};

std::optional<int64_t> exact(const Num& v) {
    if (v.is_int) return v.i;
    if (v.d == std::floor(v.d) && v.d >= -kTwo63 && v.d < kTwo63) return int64_t(v.d);
    return std::nullopt;
}
std::optional<int64_t> at_least(const Num& v) { // smallest int64 >= v
    if (v.is_int) return v.i;
    double c = std::ceil(v.d);
    if (c >= kTwo63) return std::nullopt;
    return c < -kTwo63 ? INT64_MIN : int64_t(c);
}
std::optional<int64_t> at_most(const Num& v) { // largest int64 <= v
    if (v.is_int) return v.i;
    double f = std::floor(v.d);
    if (f < -kTwo63) return std::nullopt;
    return f >= kTwo63 ? INT64_MAX : int64_t(f);
}
std::optional<int64_t> above(const Num& v) { // smallest int64 > v
    if (v.is_int) return v.i == INT64_MAX ? std::nullopt : std::optional<int64_t>(v.i + 1);
    double f = std::floor(v.d);
    if (f >= kTwo63) return std::nullopt;
    return f < -kTwo63 ? INT64_MIN : int64_t(f) + 1; // f < 2^63 is at most 2^63 - 1024
}
std::optional<int64_t> below(const Num& v) { // largest int64 < v
    if (v.is_int) return v.i == INT64_MIN ? std::nullopt : std::optional<int64_t>(v.i - 1);
    double c = std::ceil(v.d);
    if (c <= -kTwo63) return std::nullopt;
    return c >= kTwo63 ? INT64_MAX : int64_t(c) - 1;
}

bool is_order_op(Op op) {
    return op == Op::Gt || op == Op::Gte || op == Op::Lt || op == Op::Lte || op == Op::Between;
}
bool is_text_op(Op op) { return op == Op::Contains || op == Op::NotContains || op == Op::StartsWith; }
bool is_negated(Op op) { return op == Op::Neq || op == Op::NotIn || op == Op::NotContains; }

class Compiler {
public:
    Compiler(const Column& column, const std::string& what, Op op, const std::vector<Scalar>& values, bool ci,
             const std::string& path, std::vector<DefinitionError>& errors)
        : c_(column), what_(what), op_(op), values_(values), ci_(ci), path_(path), errors_(errors) {}

    bool run(ColumnPredicate* out) {
        out->column = &c_;
        out->negate = false;
        if (!arity_fits()) return false;
        if (op_ == Op::IsSet || op_ == Op::IsNotSet) {
            out->mode = op_ == Op::IsSet ? ColumnPredicate::Mode::IsSet : ColumnPredicate::Mode::IsNotSet;
            return true;
        }
        if (is_text_op(op_) && c_.type != ColumnType::String) {
            fail(op_path(), quote(op_name(op_)) + " needs a text column: " + described());
            return false;
        }
        switch (c_.type) {
            case ColumnType::String:
                return strings(out);
            case ColumnType::Double:
                return doubles(out);
            case ColumnType::Bool:
                if (is_order_op(op_)) {
                    fail(op_path(), quote(op_name(op_)) + " cannot order booleans: " + described() +
                                        "; use eq, neq, in, not_in, is_set or is_not_set");
                    return false;
                }
                return ints(out);
            case ColumnType::Int64:
            case ColumnType::Date:
            case ColumnType::Timestamp:
                return ints(out);
        }
        return false;
    }

private:
    std::string described() const { return what_ + " is " + type_name(c_.type); }
    std::string op_path() const {
        std::string p = path_;
        append_path_key(p, "op");
        return p;
    }
    std::string value_path(size_t i) const {
        std::string p = path_;
        if (op_arity(op_) == Arity::One) {
            append_path_key(p, "value");
        } else {
            append_path_key(p, "values");
            append_path_index(p, i);
        }
        return p;
    }
    void fail(std::string path, std::string message) {
        errors_.push_back(DefinitionError{std::move(path), std::move(message)});
    }

    // A definition built in code skips the JSON validator: check the value count here too.
    bool arity_fits() {
        size_t n = values_.size();
        Arity a = op_arity(op_);
        bool ok = a == Arity::None ? n == 0 : a == Arity::One ? n == 1 : a == Arity::Two ? n == 2 : n >= 1;
        if (!ok) {
            std::string p = path_;
            append_path_key(p, a == Arity::One ? "value" : "values");
            fail(p, quote(op_name(op_)) + " cannot take " + std::to_string(n) + " values");
        }
        return ok;
    }

    // ---- VARCHAR: a match table over the dictionary ---------------------------------------

    bool strings(ColumnPredicate* out) {
        bool ok = true;
        for (size_t i = 0; i < values_.size(); i++)
            if (values_[i].kind != Scalar::Kind::String) {
                fail(value_path(i), "expected a string: " + described());
                ok = false;
            }
        if (!ok) return false;
        out->mode = ColumnPredicate::Mode::Codes;
        build_table(out->code_match);
        if (out->code_match.empty()) // a column that never got a string: code 0 is its filler
            out->code_match.push_back(0);
        return true;
    }

    void build_table(std::vector<uint8_t>& table) {
        const StringDictionary& dict = c_.dict;
        const size_t n = dict.size();
        const bool neg = is_negated(op_);

        if ((op_ == Op::Eq || op_ == Op::Neq || op_ == Op::In || op_ == Op::NotIn) && !ci_) {
            // One dictionary look-up per value; values absent from the data match nothing.
            table.assign(n, neg ? 1 : 0);
            for (const Scalar& v : values_)
                if (auto code = dict.find(v.text)) table[*code] = neg ? 0 : 1;
            return;
        }

        // One test per distinct string, never per row.
        std::vector<std::string> needles;
        for (const Scalar& v : values_) needles.push_back(ci_ ? fold_ascii(v.text) : v.text);
        if (op_ == Op::In || op_ == Op::NotIn || op_ == Op::Eq || op_ == Op::Neq)
            std::sort(needles.begin(), needles.end());
        table.assign(n, 0);
        std::string folded;
        for (uint32_t code = 0; code < n; code++) {
            std::string_view s = dict.at(code);
            if (ci_) {
                folded.assign(s.data(), s.size());
                for (char& ch : folded) ch = fold_ascii(ch);
                s = folded;
            }
            bool hit = false;
            switch (op_) {
                case Op::Eq:
                case Op::Neq:
                case Op::In:
                case Op::NotIn:
                    hit = std::binary_search(needles.begin(), needles.end(), s);
                    break;
                case Op::Contains:
                case Op::NotContains:
                    hit = s.find(needles[0]) != std::string_view::npos;
                    break;
                case Op::StartsWith:
                    hit = s.substr(0, needles[0].size()) == needles[0];
                    break;
                case Op::Gt:
                    hit = s > std::string_view(needles[0]);
                    break;
                case Op::Gte:
                    hit = s >= std::string_view(needles[0]);
                    break;
                case Op::Lt:
                    hit = s < std::string_view(needles[0]);
                    break;
                case Op::Lte:
                    hit = s <= std::string_view(needles[0]);
                    break;
                case Op::Between:
                    hit = s >= std::string_view(needles[0]) && s <= std::string_view(needles[1]);
                    break;
                default:
                    break;
            }
            table[code] = uint8_t(hit != neg);
        }
    }

    // ---- BIGINT, DATE, TIMESTAMP, BOOLEAN: exact int64 ranges and sets --------------------

    bool int_value(size_t i, Num* v) {
        const Scalar& s = values_[i];
        switch (c_.type) {
            case ColumnType::Bool:
                if (s.kind != Scalar::Kind::Bool) {
                    fail(value_path(i), "expected true or false: " + described());
                    return false;
                }
                *v = Num{true, s.boolean ? 1 : 0, 0};
                return true;
            case ColumnType::Date:
            case ColumnType::Timestamp: {
                int64_t us = 0;
                if (s.kind != Scalar::Kind::String) {
                    fail(value_path(i), "expected an ISO date string: " + described());
                    return false;
                }
                if (!parse_time_text(s.text, TimeFormat::Iso, 0, &us)) {
                    fail(value_path(i), quote(s.text) + " is not an ISO 8601 date or time: " + described());
                    return false;
                }
                *v = Num{true, us, 0};
                return true;
            }
            default: // Int64
                if (s.kind != Scalar::Kind::Number) {
                    fail(value_path(i), "expected a number: " + described());
                    return false;
                }
                if (s.number == std::floor(s.number) && std::fabs(s.number) <= kTwo53)
                    *v = Num{true, int64_t(s.number), 0};
                else
                    *v = Num{false, 0, s.number};
                return true;
        }
    }

    bool ints(ColumnPredicate* out) {
        std::vector<Num> v(values_.size());
        bool ok = true;
        for (size_t i = 0; i < values_.size(); i++) ok = int_value(i, &v[i]) && ok;
        if (!ok) return false;
        out->mode = ColumnPredicate::Mode::Ints;
        out->negate = is_negated(op_);
        std::optional<int64_t> lo = INT64_MIN, hi = INT64_MAX;
        switch (op_) {
            case Op::Eq:
            case Op::Neq:
                lo = hi = exact(v[0]);
                break;
            case Op::Gt:
                lo = above(v[0]);
                break;
            case Op::Gte:
                lo = at_least(v[0]);
                break;
            case Op::Lt:
                hi = below(v[0]);
                break;
            case Op::Lte:
                hi = at_most(v[0]);
                break;
            case Op::Between:
                lo = at_least(v[0]);
                hi = at_most(v[1]);
                break;
            case Op::In:
            case Op::NotIn:
                out->use_set = true;
                for (const Num& x : v)
                    if (auto e = exact(x)) out->int_set.push_back(*e);
                std::sort(out->int_set.begin(), out->int_set.end());
                return true;
            default:
                break;
        }
        if (lo && hi) {
            out->lo = *lo;
            out->hi = *hi;
        } else { // no int64 satisfies the bound: an empty range
            out->lo = 1;
            out->hi = 0;
        }
        return true;
    }

    // ---- DOUBLE ---------------------------------------------------------------------------

    bool doubles(ColumnPredicate* out) {
        bool ok = true;
        for (size_t i = 0; i < values_.size(); i++)
            if (values_[i].kind != Scalar::Kind::Number) {
                fail(value_path(i), "expected a number: " + described());
                ok = false;
            }
        if (!ok) return false;
        out->mode = ColumnPredicate::Mode::Doubles;
        out->negate = is_negated(op_);
        const double inf = std::numeric_limits<double>::infinity();
        out->dlo = -inf;
        out->dhi = inf;
        double a = values_[0].number;
        switch (op_) {
            case Op::Eq:
            case Op::Neq:
                out->dlo = out->dhi = a;
                break;
            case Op::Gt:
                out->dlo = a;
                out->lo_open = true;
                break;
            case Op::Gte:
                out->dlo = a;
                break;
            case Op::Lt:
                out->dhi = a;
                out->hi_open = true;
                break;
            case Op::Lte:
                out->dhi = a;
                break;
            case Op::Between:
                out->dlo = a;
                out->dhi = values_[1].number;
                break;
            case Op::In:
            case Op::NotIn:
                out->use_set = true;
                for (const Scalar& s : values_) out->double_set.push_back(s.number);
                std::sort(out->double_set.begin(), out->double_set.end());
                break;
            default:
                break;
        }
        return true;
    }

    const Column& c_;
    const std::string& what_;
    Op op_;
    const std::vector<Scalar>& values_;
    bool ci_;
    const std::string& path_;
    std::vector<DefinitionError>& errors_;
};

inline bool int_hit(const ColumnPredicate& p, int64_t x) {
    bool in =
        p.use_set ? std::binary_search(p.int_set.begin(), p.int_set.end(), x) : (p.lo <= x) & (x <= p.hi);
    return in != p.negate;
}

inline bool double_hit(const ColumnPredicate& p, double x) {
    bool in;
    if (p.use_set) {
        in = std::binary_search(p.double_set.begin(), p.double_set.end(), x);
    } else {
        bool above_lo = p.lo_open ? x > p.dlo : x >= p.dlo;
        bool below_hi = p.hi_open ? x < p.dhi : x <= p.dhi;
        in = above_lo & below_hi;
    }
    return in != p.negate;
}

// out.words[w] = (bits of rows 64w.. that pass `hit`) & valid, for the rows in the column.
template <typename Hit>
void fill_words(Bitmap& out, const Column& c, size_t rows, Hit hit) {
    size_t n = std::min(rows, c.size());
    for (size_t w = 0; w * 64 < n; w++) {
        size_t base = w * 64, end = std::min(n, base + 64);
        uint64_t word = 0;
        for (size_t r = base; r < end; r++) word |= uint64_t(hit(r)) << (r - base);
        out.words[w] = word & c.valid.words[w];
    }
}

} // namespace

bool compile_predicate(const Column& column, const std::string& what, Op op,
                       const std::vector<Scalar>& values, bool ci, const std::string& path,
                       std::vector<DefinitionError>& errors, ColumnPredicate* out) {
    *out = ColumnPredicate();
    return Compiler(column, what, op, values, ci, path, errors).run(out);
}

bool predicate_row(const ColumnPredicate& p, size_t row) {
    const Column& c = *p.column;
    const bool valid = row < c.size() && c.valid.get(row);
    switch (p.mode) {
        case ColumnPredicate::Mode::IsSet:
            return valid;
        case ColumnPredicate::Mode::IsNotSet:
            return !valid;
        case ColumnPredicate::Mode::Codes:
            return valid && p.code_match[c.codes[row]] != 0;
        case ColumnPredicate::Mode::Ints:
            return valid && int_hit(p, c.ints[row]);
        case ColumnPredicate::Mode::Doubles:
            return valid && double_hit(p, c.doubles[row]);
    }
    return false;
}

Bitmap predicate_rows(const ColumnPredicate& p, size_t rows) {
    Bitmap out;
    out.size = rows;
    out.words.assign((rows + 63) / 64, 0);
    const Column& c = *p.column;
    size_t n = std::min(rows, c.size());
    size_t nwords = (n + 63) / 64;
    switch (p.mode) {
        case ColumnPredicate::Mode::IsSet:
            std::copy(c.valid.words.begin(), c.valid.words.begin() + nwords, out.words.begin());
            break;
        case ColumnPredicate::Mode::IsNotSet:
            for (size_t w = 0; w < out.words.size(); w++)
                out.words[w] = w < nwords ? ~c.valid.words[w] : ~0ull;
            break;
        case ColumnPredicate::Mode::Codes: {
            const uint8_t* table = p.code_match.data();
            c.codes.visit([&](const auto* codes) {
                fill_words(out, c, rows, [&](size_t r) { return table[codes[r]] != 0; });
            });
            break;
        }
        case ColumnPredicate::Mode::Ints: {
            c.ints.visit([&](const auto* x) {
                if (p.use_set) {
                    fill_words(out, c, rows, [&](size_t r) { return int_hit(p, x[r]); });
                    return;
                }
                // The range clamped to the stored type: compared at its width, the same verdicts.
                using T = std::remove_const_t<std::remove_pointer_t<decltype(x)>>;
                const int64_t lo = std::max<int64_t>(p.lo, std::numeric_limits<T>::min());
                const int64_t hi = std::min<int64_t>(p.hi, std::numeric_limits<T>::max());
                if (lo > hi) {
                    fill_words(out, c, rows, [&](size_t) { return p.negate; });
                    return;
                }
                const T tlo = T(lo), thi = T(hi);
                fill_words(out, c, rows,
                           [&](size_t r) { return ((tlo <= x[r]) & (x[r] <= thi)) != p.negate; });
            });
            break;
        }
        case ColumnPredicate::Mode::Doubles: {
            const double* x = c.doubles.data();
            fill_words(out, c, rows, [&](size_t r) { return double_hit(p, x[r]); });
            break;
        }
    }
    // Rows past the column (IsNotSet) and bits past `rows` (a longer column).
    if (p.mode != ColumnPredicate::Mode::IsNotSet && n < rows && nwords > 0 && (n & 63) != 0)
        out.words[nwords - 1] &= (1ull << (n & 63)) - 1;
    if ((rows & 63) != 0) out.words.back() &= (1ull << (rows & 63)) - 1;
    return out;
}

} // namespace segx
