#include "core/model/column_merge.h"

#include <limits>

namespace segx {

namespace {

// Row t becomes null with its type's filler. Touches nothing when it is null already: a fresh
// column is all null, so scattering nulls into it writes no memory.
void set_null(Column& c, size_t t) {
    if (!c.valid.get(t)) return;
    c.valid.set(t, false);
    switch (c.type) {
        case ColumnType::String:
            c.codes.set(t, 0);
            break;
        case ColumnType::Double:
            c.doubles[t] = std::numeric_limits<double>::quiet_NaN();
            break;
        default:
            c.ints.set(t, 0);
            break;
    }
}

// Bitmap::set lives out of line; this sits in the scatter's per-row loop.
void set_valid(Column& c, size_t t) { c.valid.words[t >> 6] |= uint64_t(1) << (t & 63); }

bool has_values(const Column& c) { return c.valid.count_set() > 0; }

bool name_taken(const ColumnPlan& plan, const std::string& name) {
    for (const Column& c : plan.columns)
        if (c.name == name) return true;
    return false;
}

} // namespace

std::optional<ColumnType> merge_types(ColumnType a, ColumnType b) {
    if (a == b) return a;
    auto pair = [&](ColumnType x, ColumnType y) { return (a == x && b == y) || (a == y && b == x); };
    if (pair(ColumnType::Int64, ColumnType::Double)) return ColumnType::Double;
    if (pair(ColumnType::Date, ColumnType::Timestamp)) return ColumnType::Timestamp;
    return std::nullopt;
}

ColumnPlan plan_columns(const std::vector<NamedColumns>& sources) {
    ColumnPlan plan;
    std::vector<std::string> base;   // per planned column: the name before any suffix
    std::vector<bool> typed_by_data; // per planned column: its type came from a real value
    for (const NamedColumns& s : sources) {
        std::vector<size_t>& targets = plan.target.emplace_back();
        for (const Column& c : *s.columns) {
            bool valued = has_values(c);
            size_t found = plan.columns.size();
            for (size_t k = 0; k < plan.columns.size() && found == plan.columns.size(); k++) {
                if (base[k] != c.name) continue;
                if (!valued) {
                    found = k;
                } else if (!typed_by_data[k]) {
                    plan.columns[k].type = c.type; // only nulls so far: adopt this type
                    typed_by_data[k] = true;
                    found = k;
                } else if (std::optional<ColumnType> t = merge_types(plan.columns[k].type, c.type)) {
                    plan.columns[k].type = *t;
                    found = k;
                }
            }
            if (found == plan.columns.size()) {
                std::string name = c.name;
                if (name_taken(plan, name)) name += " (" + std::string(s.source) + ")";
                for (int copy = 2; name_taken(plan, name); copy++) // the same file name twice
                    name = c.name + " (" + std::string(s.source) + ") " + std::to_string(copy);
                Column planned;
                planned.name = name;
                planned.type = c.type;
                plan.columns.push_back(std::move(planned));
                plan.sources.emplace_back(s.source);
                base.push_back(c.name);
                typed_by_data.push_back(valued);
            }
            targets.push_back(found);
        }
    }
    return plan;
}

void scatter_column(const Column& src, Column& dst, const uint32_t* src_rows, const uint32_t* dst_rows,
                    size_t n, std::vector<uint32_t>& remap) {
    auto row = [src_rows](size_t k) { return src_rows ? size_t(src_rows[k]) : k; };
    const ColumnType st = src.type, dt = dst.type;
    if (dt == ColumnType::String && st == ColumnType::String) {
        remap.assign(src.dict.size(), UINT32_MAX);
        for (size_t k = 0; k < n; k++) {
            size_t r = row(k), t = dst_rows[k];
            if (t == kSkipRow) continue;
            if (!src.valid.get(r)) {
                set_null(dst, t);
                continue;
            }
            uint32_t& mapped = remap[src.codes[r]];
            if (mapped == UINT32_MAX) mapped = dst.dict.intern(src.dict.at(src.codes[r]));
            set_valid(dst, t);
            dst.codes.set(t, mapped);
        }
    } else if (dt == ColumnType::Double && (st == ColumnType::Double || st == ColumnType::Int64)) {
        for (size_t k = 0; k < n; k++) {
            size_t r = row(k), t = dst_rows[k];
            if (t == kSkipRow) continue;
            if (!src.valid.get(r)) {
                set_null(dst, t);
                continue;
            }
            set_valid(dst, t);
            dst.doubles[t] = st == ColumnType::Double ? src.doubles[r] : double(src.ints[r]);
        }
    } else if (is_int_type(dt) && is_int_type(st)) {
        for (size_t k = 0; k < n; k++) {
            size_t r = row(k), t = dst_rows[k];
            if (t == kSkipRow) continue;
            if (!src.valid.get(r)) {
                set_null(dst, t);
                continue;
            }
            set_valid(dst, t);
            dst.ints.set(t, src.ints[r]);
        }
    } else {
        // Types that do not merge: the plan only sends a column here when it holds no value.
        for (size_t k = 0; k < n; k++)
            if (dst_rows[k] != kSkipRow) set_null(dst, dst_rows[k]);
    }
}

} // namespace segx
