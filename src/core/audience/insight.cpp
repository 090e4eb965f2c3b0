#include "core/audience/insight.h"

#include "core/model/int_code_map.h"
#include "core/time/civil.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace segx {

namespace {

constexpr int64_t kMicrosPerHour = 3600 * kMicrosPerSecond;
// code_of results that are not codes: a value that counts as not set, and "too many values".
constexpr uint32_t kSkip = UINT32_MAX, kStop = UINT32_MAX - 1;

// Member bits aligned with the model's users: zeros past the end of either.
std::vector<uint64_t> member_words(const Bitmap& members, size_t users) {
    std::vector<uint64_t> words((users + 63) / 64, 0);
    std::copy_n(members.words.begin(), std::min(words.size(), members.words.size()), words.begin());
    if ((users & 63) != 0) words.back() &= (1ull << (users & 63)) - 1;
    return words;
}

struct Counts {
    std::vector<uint64_t> members, users; // per code
};

// One pass over the non-null rows of `column` below `rows`, counting users and members per
// code_of(row). False if code_of gave up (kStop).
template <typename CodeOf>
bool count_codes(const Column& column, size_t rows, const std::vector<uint64_t>& member, CodeOf code_of,
                 Counts& out) {
    rows = std::min(rows, column.size());
    for (size_t w = 0; w * 64 < rows; w++) {
        uint64_t valid = column.valid.words[w];
        if (rows - w * 64 < 64) valid &= (1ull << (rows - w * 64)) - 1;
        const uint64_t m = member[w];
        while (valid != 0) {
            const unsigned bit = unsigned(__builtin_ctzll(valid));
            valid &= valid - 1;
            const uint32_t code = code_of(w * 64 + bit);
            if (code >= kStop) {
                if (code == kStop) return false;
                continue;
            }
            out.users[code]++;
            out.members[code] += (m >> bit) & 1; // no branch on membership
        }
    }
    return true;
}

ValueLift lift_of(std::string value, uint64_t members, uint64_t users, const AudienceInsight& t) {
    ValueLift v;
    v.value = std::move(value);
    v.members = members;
    v.users = users;
    v.member_share = t.members ? double(members) / double(t.members) : 0.0;
    v.all_share = t.users ? double(users) / double(t.users) : 0.0;
    v.lift = v.all_share > 0 ? v.member_share / v.all_share : 0.0;
    return v;
}

void set_not_set(const Counts& c, const AudienceInsight& t, AttributeInsight& out) {
    uint64_t members = 0, users = 0;
    for (size_t i = 0; i < c.users.size(); i++) {
        members += c.members[i];
        users += c.users[i];
    }
    out.members_not_set = t.members - members;
    out.users_not_set = t.users - users;
}

// The top k codes by members (members > 0), ties by less(a, b).
template <typename Less, typename Text>
void top_values(const Counts& c, size_t k, Less less, Text text, const AudienceInsight& t,
                AttributeInsight& out) {
    std::vector<uint32_t> codes;
    uint64_t with_value = 0;
    for (uint32_t code = 0; code < c.members.size(); code++)
        if (c.members[code] != 0) {
            codes.push_back(code);
            with_value += c.members[code];
        }
    const size_t n = std::min(k, codes.size());
    std::partial_sort(codes.begin(), codes.begin() + ptrdiff_t(n), codes.end(), [&](uint32_t a, uint32_t b) {
        return c.members[a] != c.members[b] ? c.members[a] > c.members[b] : less(a, b);
    });
    uint64_t shown = 0;
    for (size_t i = 0; i < n; i++) {
        out.values.push_back(lift_of(text(codes[i]), c.members[codes[i]], c.users[codes[i]], t));
        shown += c.members[codes[i]];
    }
    out.members_other = with_value - shown;
}

int64_t double_key(double v) {
    if (v == 0) v = 0; // -0 and 0 are one value
    int64_t key;
    std::memcpy(&key, &v, sizeof key);
    return key;
}

double number_at(const Column& c, size_t row) {
    return c.type == ColumnType::Double ? c.doubles[row] : double(c.ints[row]);
}

// Rounds down to two significant digits; the small nudge keeps 0.29 from becoming 0.28.
double round_down_2sig(double x) {
    if (x == 0 || !std::isfinite(x)) return x;
    const int e = int(std::floor(std::log10(std::fabs(x)))) - 1;
    if (e >= 0) {
        const double p = std::pow(10.0, e);
        return std::floor(x / p + 1e-9) * p;
    }
    const double s = std::pow(10.0, -e);
    return std::floor(x * s + 1e-9) / s;
}

bool is_time(ColumnType t) { return t == ColumnType::Date || t == ColumnType::Timestamp; }

std::string cut_text(ColumnType type, double cut) {
    return is_time(type) ? format_date_us(int64_t(cut)) : format_double(cut);
}

// Cuts at the quintiles of a strided sample of the column, rounded and strictly increasing,
// all above the sample's minimum. No range is empty: rounding down is monotone and keeps a
// rounded value fixed, so the sampled value a cut came from lies below the next cut.
std::vector<double> quantile_cuts(const Column& column, size_t rows) {
    std::vector<double> sample;
    const size_t stride = std::max<size_t>(1, rows / kQuantileSample);
    for (size_t row = 0; row < rows; row += stride)
        if (!column.is_null(row) && !std::isnan(number_at(column, row)))
            sample.push_back(number_at(column, row));
    std::sort(sample.begin(), sample.end());
    std::vector<double> cuts;
    for (size_t j = 1; j < kNumericBuckets && !sample.empty(); j++) {
        double x = sample[sample.size() * j / kNumericBuckets];
        x = is_time(column.type) ? double(floor_div(int64_t(x), kMicrosPerDay) * kMicrosPerDay)
                                 : round_down_2sig(x);
        if (x > (cuts.empty() ? sample.front() : cuts.back())) cuts.push_back(x);
    }
    return cuts;
}

// Range index of every row: the number of cuts at or below the value, counted without
// branches over kNumericBuckets - 1 slots (unused ones hold the type's maximum; the clamp keeps
// that maximum itself in the last range).
template <typename T, typename V>
void count_ranges(const Column& column, const V* values, const std::vector<double>& cuts, size_t rows,
                  const std::vector<uint64_t>& member, Counts& c) {
    std::array<T, kNumericBuckets - 1> cut;
    cut.fill(std::numeric_limits<T>::max());
    for (size_t i = 0; i < cuts.size(); i++)
        cut[i] = T(cuts[i]); // integral for BIGINT, DATE and TIMESTAMP columns
    const uint32_t last = uint32_t(cuts.size());
    count_codes(
        column, rows, member,
        [&](size_t row) {
            const T x = T(values[row]);
            if (x != x) // NaN
                return kSkip;
            uint32_t b = 0;
            for (const T& k : cut) b += x >= k;
            return std::min(b, last);
        },
        c);
}

void ranges(const Column& column, size_t rows, const std::vector<uint64_t>& member, const AudienceInsight& t,
            AttributeInsight& out) {
    const std::vector<double> cuts = quantile_cuts(column, rows);
    Counts c;
    c.members.assign(cuts.size() + 1, 0);
    c.users.assign(cuts.size() + 1, 0);
    if (column.type == ColumnType::Double)
        count_ranges<double>(column, column.doubles.data(), cuts, rows, member, c);
    else
        column.ints.visit([&](const auto* v) { count_ranges<int64_t>(column, v, cuts, rows, member, c); });
    out.ranges = true;
    set_not_set(c, t, out);
    const double inf = std::numeric_limits<double>::infinity();
    for (size_t b = 0; b <= cuts.size(); b++) {
        const double lo = b == 0 ? -inf : cuts[b - 1], hi = b == cuts.size() ? inf : cuts[b];
        std::string label;
        if (cuts.empty())
            label = "any value";
        else if (b == 0)
            label = "< " + cut_text(column.type, hi);
        else if (b == cuts.size())
            label = ">= " + cut_text(column.type, lo);
        else
            label = "[" + cut_text(column.type, lo) + ", " + cut_text(column.type, hi) + ")";
        ValueLift v = lift_of(std::move(label), c.members[b], c.users[b], t);
        v.lo = lo;
        v.hi = hi;
        out.values.push_back(std::move(v));
    }
}

AttributeInsight attribute_insight(const Column& column, const std::vector<uint64_t>& member, size_t k,
                                   const AudienceInsight& t) {
    AttributeInsight out;
    out.attribute = column.name;
    out.type = column.type;
    const size_t rows = std::min(column.size(), size_t(t.users));
    Counts c;
    if (column.type == ColumnType::String) {
        c.members.assign(column.dict.size(), 0);
        c.users.assign(column.dict.size(), 0);
        count_codes(
            column, rows, member, [&](size_t row) { return column.codes[row]; }, c);
        set_not_set(c, t, out);
        top_values(
            c, k, [&](uint32_t a, uint32_t b) { return column.dict.at(a) < column.dict.at(b); },
            [&](uint32_t code) { return std::string(column.dict.at(code)); }, t, out);
        return out;
    }
    // Numbers, booleans and dates: by value while there are few distinct ones, else ranges.
    const bool is_double = column.type == ColumnType::Double;
    IntCodeMap codes;
    std::vector<int64_t> keys;
    std::vector<size_t> first_row; // a row holding each value, for Column::format
    const bool few = count_codes(
        column, rows, member,
        [&](size_t row) {
            int64_t key;
            if (is_double) {
                if (std::isnan(column.doubles[row])) return kSkip;
                key = double_key(column.doubles[row]);
            } else {
                key = column.ints[row];
            }
            uint32_t code = codes.find(key);
            if (code == IntCodeMap::kMissing) {
                if (keys.size() == kMaxDistinctNumbers) return kStop;
                code = uint32_t(keys.size());
                codes.insert(key, code);
                keys.push_back(key);
                first_row.push_back(row);
                c.members.push_back(0);
                c.users.push_back(0);
            }
            return code;
        },
        c);
    if (!few) {
        ranges(column, rows, member, t, out);
        return out;
    }
    set_not_set(c, t, out);
    auto less = [&](uint32_t a, uint32_t b) {
        return is_double ? column.doubles[first_row[a]] < column.doubles[first_row[b]] : keys[a] < keys[b];
    };
    top_values(
        c, k, less, [&](uint32_t code) { return column.format(first_row[code]); }, t, out);
    return out;
}

size_t interval_bucket(int64_t gap_us) {
    size_t b = 0;
    while (b < kIntervalBuckets - 1 && gap_us >= kIntervalEdgesDays[b] * kMicrosPerDay) b++;
    return b;
}

// Weekday × hour cell of a time, Monday 00:00 first: 1970-01-01 was a Thursday, 72 hours
// after a Monday midnight.
size_t week_cell(int64_t us) {
    if (us >= 0) // unsigned division by a constant is a multiply: a third of the pass's time
        return size_t((uint64_t(us) / uint64_t(kMicrosPerHour) + 72) % 168);
    const int64_t c = (floor_div(us, kMicrosPerHour) + 72) % 168;
    return size_t(c < 0 ? c + 168 : c);
}

// One pass over the members' event slices (time-sorted, so each stops at as-of): heat map
// cells, purchases per member and the gaps between them.
void scan_events(const Model& model, const std::vector<uint64_t>& member, int64_t as_of, PurchaseIntervals& p,
                 ActivityHeatmap& h) {
    const EventStore& ev = model.events;
    const std::optional<uint32_t> code = model.event_names.find(model.purchase_event);
    const uint32_t purchase = code ? *code : UINT32_MAX;
    // last_user[o]: the member who last counted order o (one compare instead of a per-user set).
    std::vector<uint32_t> last_user(model.order_ids.size(), UINT32_MAX);
    std::vector<int64_t> gaps;
    uint64_t cells[168] = {};
    const size_t with_slices = ev.user_count();
    for (size_t w = 0; w < member.size(); w++) {
        for (uint64_t bits = member[w]; bits != 0; bits &= bits - 1) {
            const size_t u = w * 64 + size_t(__builtin_ctzll(bits));
            uint64_t purchases = 0;
            int64_t previous = 0;
            const size_t end = u < with_slices ? size_t(ev.offsets[u + 1]) : 0;
            for (size_t i = u < with_slices ? size_t(ev.offsets[u]) : 0; i < end; i++) {
                const int64_t t = ev.time[i];
                if (t > as_of) break;
                cells[week_cell(t)]++;
                if (ev.event[i] != purchase) continue;
                const uint32_t o = ev.values.order(i);
                if (o != EventStore::kNoOrder) {
                    if (last_user[o] == uint32_t(u)) continue; // another line of an order already counted
                    last_user[o] = uint32_t(u);
                }
                if (purchases++ > 0) gaps.push_back(t - previous);
                previous = t;
            }
            if (purchases == 0)
                p.members_no_purchase++;
            else if (purchases == 1)
                p.members_one_purchase++;
            else
                p.members_repeat++;
        }
    }
    for (size_t c = 0; c < 168; c++) {
        h.events[c / 24][c % 24] = cells[c];
        h.max_cell = std::max(h.max_cell, cells[c]);
        h.total += cells[c];
    }
    p.intervals = gaps.size();
    if (gaps.empty()) return;
    double sum_days = 0;
    for (int64_t g : gaps) {
        p.histogram[interval_bucket(g)]++;
        sum_days += double(g) / double(kMicrosPerDay);
    }
    p.mean_days = sum_days / double(gaps.size());
    const size_t mid = gaps.size() / 2;
    std::nth_element(gaps.begin(), gaps.begin() + ptrdiff_t(mid), gaps.end());
    double median = double(gaps[mid]);
    if (gaps.size() % 2 == 0) // the mean of the two middle gaps; the lower is the max below mid
        median = (median + double(*std::max_element(gaps.begin(), gaps.begin() + ptrdiff_t(mid)))) / 2;
    p.median_days = median / double(kMicrosPerDay);
}

} // namespace

const char* interval_bucket_label(size_t bucket) {
    static const char* const labels[kIntervalBuckets] = {"0-1",   "1-7",    "7-14",    "14-30", "30-60",
                                                         "60-90", "90-180", "180-365", "365+"};
    return bucket < kIntervalBuckets ? labels[bucket] : "";
}

AudienceInsight compute_insight(const Model& model, const Bitmap& members, const InsightOptions& options) {
    AudienceInsight out;
    out.users = model.users.size();
    const std::vector<uint64_t> member = member_words(members, model.users.size());
    for (uint64_t w : member) out.members += uint64_t(__builtin_popcountll(w));
    for (const Column& column : model.attributes)
        out.attributes.push_back(attribute_insight(column, member, options.top_k, out));
    scan_events(model, member, options.as_of_us, out.purchases, out.activity);
    return out;
}

} // namespace segx
