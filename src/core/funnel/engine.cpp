#include "core/funnel/engine.h"

#include "core/lang/names.h"
#include "core/lang/predicate.h"
#include "core/lang/window.h"
#include "core/time/parse.h"

#include <algorithm>
#include <cstring>
#include <unordered_map>

namespace segx {

namespace {

inline int lowest_bit(uint32_t x) {
#if defined(__GNUC__) || defined(__clang__)
    return __builtin_ctz(x);
#else
    int k = 0;
    while (!(x & 1u)) x >>= 1, k++;
    return k;
#endif
}

inline int64_t add_saturated(int64_t a, int64_t b) { // b >= 0
    return a > INT64_MAX - b ? INT64_MAX : a + b;
}

// Steps (or exclusions) compiled against the model: per event code, the items of that name
// without filters (their bit is set by the code alone) and those with filters (tested per row).
struct Matcher {
    std::vector<uint32_t> direct, filtered; // per event code, a bit per item
    std::vector<std::vector<ColumnPredicate>> predicates;

    uint32_t mask(uint32_t code, size_t row) const {
        if (code >= direct.size()) return 0;
        uint32_t m = direct[code];
        for (uint32_t f = filtered[code]; f != 0; f &= f - 1) {
            const int k = lowest_bit(f);
            bool hit = true;
            for (const ColumnPredicate& p : predicates[size_t(k)])
                if (!predicate_row(p, row)) {
                    hit = false;
                    break;
                }
            if (hit) m |= 1u << k;
        }
        return m;
    }
};

// Adds item `i` (event `event` with `where`) at `path` (".event", ".where[j]...").
void compile_item(const Model& model, size_t i, const std::string& event,
                  const std::vector<EventFilter>& where, const std::string& path,
                  std::vector<DefinitionError>& errors, Matcher& m) {
    m.predicates.resize(std::max(m.predicates.size(), i + 1));
    bool filters_ok = compile_event_filters(model.events.properties, where, path, errors, &m.predicates[i]);
    std::optional<uint32_t> code = model.event_names.find(event);
    if (!code) {
        errors.push_back(DefinitionError{child_path(path, "event"), unknown_event(event, model.event_names)});
        return;
    }
    if (!filters_ok) return;
    if (m.predicates[i].empty())
        m.direct[*code] |= 1u << i;
    else
        m.filtered[*code] |= 1u << i;
}

// A definition built in code skips the reader: the limits the engine relies on, checked again.
bool check_shape(const Funnel& f, std::vector<DefinitionError>& errors) {
    const size_t before = errors.size();
    if (f.steps.size() < kMinFunnelSteps || f.steps.size() > kMaxFunnelSteps)
        errors.push_back({"steps", "a funnel has 2 to 32 steps, got " + std::to_string(f.steps.size())});
    if (f.window.amount < 1 || f.window.amount > max_window_amount(f.window.unit))
        errors.push_back({"window", "expected 1 to " + std::to_string(max_window_amount(f.window.unit)) +
                                        " " + window_unit_name(f.window.unit)});
    if (f.exclusions.size() > kMaxFunnelExclusions)
        errors.push_back({"exclusions", "more than " + std::to_string(kMaxFunnelExclusions) + " exclusions"});
    if (f.order == FunnelOrder::Unordered && !f.exclusions.empty())
        errors.push_back({"exclusions", "exclusions apply to ordered and strict funnels only"});
    for (size_t i = 0; i < f.exclusions.size(); i++) {
        const FunnelExclusion& x = f.exclusions[i];
        if (!(1 <= x.from && x.from < x.to && size_t(x.to) <= f.steps.size()))
            errors.push_back({child_path(child_path("", "exclusions", i), "between"),
                              "expected [i, j] with 1 <= i < j <= " + std::to_string(f.steps.size())});
    }
    if (f.breakdown && (f.breakdown->top < 1 || f.breakdown->top > kMaxBreakdownTop))
        errors.push_back({"breakdown.top", "expected 1 to " + std::to_string(kMaxBreakdownTop)});
    return errors.size() == before;
}

// Breakdown groups: users counted per (value, level), values keyed by their stored form.
class Groups {
public:
    Groups(const Column& column, size_t steps) : col_(column), steps_(steps), not_set_(steps + 1, 0) {
        if (col_.type == ColumnType::String) by_code_.assign(col_.dict.size(), 0);
    }

    void add(size_t row, int level) {
        if (row >= col_.size() || col_.is_null(row)) {
            not_set_[size_t(level)]++;
            return;
        }
        uint32_t* slot = nullptr;
        if (col_.type == ColumnType::String) {
            slot = &by_code_[col_.codes[row]];
        } else {
            uint64_t key = 0;
            if (col_.type == ColumnType::Double) {
                double x = col_.doubles[row];
                if (x == 0) x = 0; // -0 and 0 are one value
                std::memcpy(&key, &x, sizeof key);
            } else {
                key = uint64_t(col_.ints[row]);
            }
            slot = &by_key_[key];
        }
        if (*slot == 0) {
            rows_.push_back(row);
            counts_.resize(counts_.size() + steps_ + 1, 0);
            *slot = uint32_t(rows_.size());
        }
        counts_[(*slot - 1) * (steps_ + 1) + size_t(level)]++;
    }

    // Top `top` values by step-1 users (ties by text), "other", "not set".
    std::vector<BreakdownRow> rows(size_t top) const {
        struct Value {
            std::string text;
            std::vector<uint64_t> users;
        };
        std::vector<Value> values;
        for (size_t g = 0; g < rows_.size(); g++)
            values.push_back({col_.format(rows_[g]), per_step(&counts_[g * (steps_ + 1)])});
        std::sort(values.begin(), values.end(), [](const Value& a, const Value& b) {
            return a.users[0] != b.users[0] ? a.users[0] > b.users[0] : a.text < b.text;
        });
        std::vector<BreakdownRow> out;
        BreakdownRow other{BreakdownRow::Kind::Other, "", std::vector<uint64_t>(steps_, 0)};
        for (size_t i = 0; i < values.size(); i++) {
            if (i < top) {
                out.push_back(
                    {BreakdownRow::Kind::Value, std::move(values[i].text), std::move(values[i].users)});
            } else {
                for (size_t k = 0; k < steps_; k++) other.users[k] += values[i].users[k];
            }
        }
        if (values.size() > top) out.push_back(std::move(other));
        std::vector<uint64_t> missing = per_step(not_set_.data());
        if (missing[0] > 0) out.push_back({BreakdownRow::Kind::NotSet, "", std::move(missing)});
        return out;
    }

private:
    // Level counts (index 0..steps) to users per step (level >= k), k = 1..steps.
    std::vector<uint64_t> per_step(const uint64_t* levels) const {
        std::vector<uint64_t> users(steps_, 0);
        uint64_t sum = 0;
        for (size_t k = steps_; k >= 1; k--) {
            sum += levels[k];
            users[k - 1] = sum;
        }
        return users;
    }

    const Column& col_;
    size_t steps_;
    std::vector<uint32_t> by_code_; // String: per dictionary code, group + 1 (0: none yet)
    std::unordered_map<uint64_t, uint32_t> by_key_;
    std::vector<size_t> rows_;     // per group, a row holding its value
    std::vector<uint64_t> counts_; // per group, users per level 0..steps
    std::vector<uint64_t> not_set_;
};

// Reorders `values`: the four percentiles by selection (nth_element on shrinking ranges), as
// the nearest ranks of a sort would give them, in O(n) rather than a full sort.
DurationStats duration_stats(std::vector<int64_t>& values) {
    DurationStats s;
    const size_t n = values.size();
    s.users = n;
    if (n == 0) return s;
    double sum = 0;
    for (int64_t v : values) sum += double(v);
    s.mean = sum / double(n) / 1e6;
    std::optional<double>* out[] = {&s.p25, &s.median, &s.p75, &s.p90};
    const int percents[] = {25, 50, 75, 90};
    auto lo = values.begin();
    for (int i = 0; i < 4; i++) {
        size_t rank = (size_t(percents[i]) * n + 99) / 100; // ceil(p·n/100), as nearest_rank
        const auto at = values.begin() + std::ptrdiff_t(std::max<size_t>(rank, 1) - 1);
        std::nth_element(lo, at, values.end());
        *out[i] = double(*at) / 1e6;
        lo = at;
    }
    return s;
}

// What one run needs: the compiled definition and the per-user walk.
class Engine {
public:
    Engine(const Funnel& f, const FunnelContext& ctx) : f_(f), ctx_(ctx), S_(f.steps.size()) {}

    bool compile(std::vector<DefinitionError>& errors) {
        if (!check_shape(f_, errors)) return false;
        const Model& m = ctx_.model;
        const size_t codes = m.event_names.size();
        steps_.direct.assign(codes, 0);
        steps_.filtered.assign(codes, 0);
        excl_.direct.assign(codes, 0);
        excl_.filtered.assign(codes, 0);
        for (size_t i = 0; i < S_; i++)
            compile_item(m, i, f_.steps[i].event, f_.steps[i].where, child_path("", "steps", i), errors,
                         steps_);
        for (size_t i = 0; i < f_.exclusions.size(); i++)
            compile_item(m, i, f_.exclusions[i].event, f_.exclusions[i].where,
                         child_path("", "exclusions", i), errors, excl_);
        if (f_.entry) {
            if (!f_.entry->from.empty() && !parse_time_text(f_.entry->from, TimeFormat::Iso, 0, &entry_lo_))
                errors.push_back({"entry.from", "not an ISO 8601 date or time"});
            if (!f_.entry->to.empty() && !parse_time_text(f_.entry->to, TimeFormat::Iso, 0, &entry_hi_))
                errors.push_back({"entry.to", "not an ISO 8601 date or time"});
        }
        if (f_.breakdown) {
            const std::vector<Column>& cols = f_.breakdown->property ? m.events.properties : m.attributes;
            const char* what = f_.breakdown->property ? "event property" : "attribute";
            breakdown_ = find_column(cols, f_.breakdown->name);
            if (breakdown_ == nullptr)
                errors.push_back({f_.breakdown->property ? "breakdown.property" : "breakdown.attribute",
                                  unknown_name(what, f_.breakdown->name, cols)});
        }
        if (!f_.audience.is_null()) {
            if (!ctx_.audience) {
                errors.push_back({"audience", "audience filters cannot be resolved here"});
            } else {
                filter_.emplace();
                if (!ctx_.audience(f_.audience, "audience", &*filter_, errors)) filter_.reset();
            }
        }
        window_us_ = f_.window.micros();
        if (!errors.empty()) return false;
        slots(m);
        return true;
    }

    // Walks the users; `visit(u, level, times, first_row)` for each user with level >= 1, where
    // times[k] is the counted attempt's k-th step time (k < level) and first_row its step-1 row.
    template <typename Visit>
    void run(std::vector<uint8_t>& levels, uint64_t& population, Visit visit) {
        const Model& m = ctx_.model;
        const size_t users = m.users.size();
        const std::vector<uint64_t>& offsets = m.events.offsets;
        levels.assign(users, 0);
        population = users;
        if (filter_) {
            population = filter_->count_set();
            for (size_t u = users; u < filter_->size; u++) population -= filter_->get(u);
        }
        const size_t walkable = std::min(users, offsets.empty() ? 0 : offsets.size() - 1);
        auto one = [&](size_t u) {
            if (filter_ && (u >= filter_->size || !filter_->get(u))) return;
            const int level = user(size_t(offsets[u]), size_t(offsets[u + 1]));
            if (level == 0) return;
            levels[u] = uint8_t(level);
            visit(u, level, times_, first_row_);
        };
        if (!use_index_) {
            for (size_t u = 0; u < walkable; u++) one(u);
            return;
        }
        // Only users holding a posting of a starting code (step 1's; unordered: any step's):
        // the next such posting's row names the next user, found by walking the offsets forward.
        const std::vector<uint32_t>& rows = m.event_index.rows;
        size_t u = 0;
        while (u < walkable) {
            uint64_t next = UINT64_MAX;
            for (size_t i = 0; i < starting_.size(); i++) {
                const size_t s = starting_[i];
                size_t& k = cur_[s];
                while (k < end_[s] && rows[k] < offsets[u]) k++;
                if (k < end_[s]) next = std::min<uint64_t>(next, rows[k]);
            }
            if (next == UINT64_MAX) break;
            while (u < walkable && offsets[u + 1] <= next) u++;
            if (u >= walkable) break;
#if defined(__GNUC__) || defined(__clang__)
            if (u + 8 < walkable) __builtin_prefetch(m.events.time.data() + offsets[u + 8]);
#endif
            one(u);
            u++;
        }
    }

private:
    // The slots, in code order, and the postings' ranges when the index fits the events.
    void slots(const Model& m) {
        slot_of_.assign(steps_.direct.size(), -1);
        const uint32_t starters = f_.order == FunnelOrder::Unordered ? ~0u : 1u;
        for (uint32_t code = 0; code < steps_.direct.size(); code++) {
            const uint32_t s = steps_.direct[code] | steps_.filtered[code];
            const uint32_t x = excl_.direct[code] | excl_.filtered[code];
            if (s == 0 && x == 0) continue;
            if (s & 1u) first_slot_ = codes_.size();
            if (s & starters) starting_.push_back(codes_.size());
            slot_of_[code] = int(codes_.size());
            codes_.push_back(code);
            has_excl_ = has_excl_ || x != 0;
        }
        slots_ = codes_.size();
        for (size_t k = 0; k < S_; k++)
            step_slot_[k] = size_t(slot_of_[*m.event_names.find(f_.steps[k].event)]);
        for (size_t x = 0; x < f_.exclusions.size(); x++)
            excl_slot_[x] = size_t(slot_of_[*m.event_names.find(f_.exclusions[x].event)]);
        for (size_t s = 0; s < slots_; s++) {
            const uint32_t code = codes_[s];
            filtered_[s] = (steps_.filtered[code] | excl_.filtered[code]) != 0;
            direct_[s] = steps_.direct[code];
            xdirect_[s] = excl_.direct[code];
        }
        const EventIndex& index = m.event_index;
        use_index_ = index.fits(m.events);
        if (!use_index_) return;
        for (size_t s = 0; s < slots_; s++) {
            cur_[s] = index.first(codes_[s]);
            end_[s] = cur_[s] + index.count(codes_[s]);
        }
    }

    bool in_entry(int64_t t) const { return t >= entry_lo_ && t <= entry_hi_; }

    // The user's events of a step's or an exclusion's name at or before as-of, in stored order,
    // into row_, time_, smask_ and xmask_ (reused buffers); their count. Through the postings
    // (index) or by reading the slice [b, e). Ordered and strict funnels stop early, before any
    // other name is gathered, when no step-1 event lies in the entry range.
    size_t gather(size_t b, size_t e) {
        const EventStore& ev = ctx_.model.events;
        const bool ordered = f_.order != FunnelOrder::Unordered;
        key_.clear();
        if (use_index_) {
            const std::vector<uint32_t>& rows = ctx_.model.event_index.rows;
            for (size_t i = 0; i < slots_; i++) {
                // Step 1's code first, so that a user who cannot start is left at once.
                const size_t s = i == 0 ? first_slot_ : i == first_slot_ ? 0 : i;
                size_t k = cur_[s];
                while (k < end_[s] && rows[k] < b) k++;
                const size_t from = key_.size();
                for (; k < end_[s] && rows[k] < e; k++) key_.push_back(uint64_t(rows[k]) << 6 | s);
                cur_[s] = k;
                if (i == 0 && ordered && !can_start(from)) return 0;
            }
            if (slots_ > 1) sort_keys();
        } else {
            for (size_t r = b; r < e; r++) {
                const uint32_t code = ev.event[r];
                if (code < slot_of_.size() && slot_of_[code] >= 0)
                    key_.push_back(uint64_t(r) << 6 | uint64_t(slot_of_[code]));
            }
            if (ordered && !can_start(0)) return 0;
        }
        const size_t n = key_.size();
        if (row_.size() < n) row_.resize(n), time_.resize(n), smask_.resize(n), xmask_.resize(n);
        size_t kept = 0;
        for (; kept < n; kept++) {
            const size_t row = size_t(key_[kept] >> 6);
            const int64_t t = ev.time[row];
            if (t > ctx_.as_of_us) break; // time order: the rest are past as-of too
            const uint32_t code = codes_[key_[kept] & 63];
            row_[kept] = row;
            time_[kept] = t;
            smask_[kept] = steps_.mask(code, row);
            xmask_[kept] = has_excl_ ? excl_.mask(code, row) : 0;
        }
        return kept;
    }

    // Whether key_[from..] (rows of step 1's code) holds a step-1 event that starts an attempt.
    bool can_start(size_t from) const {
        const EventStore& ev = ctx_.model.events;
        for (size_t i = from; i < key_.size(); i++) {
            const size_t row = size_t(key_[i] >> 6);
            if ((key_[i] & 63) != first_slot_) continue;
            const int64_t t = ev.time[row];
            if (t > ctx_.as_of_us) return false;
            if (in_entry(t) && (steps_.mask(codes_[first_slot_], row) & 1u)) return true;
        }
        return false;
    }

    // Rows are distinct: a plain sort of the keys is the stored order (insertion sort for the
    // few events of most users).
    void sort_keys() {
        uint64_t* k = key_.data();
        const size_t n = key_.size();
        if (n > 48) {
            std::sort(k, k + n);
            return;
        }
        for (size_t i = 1; i < n; i++) {
            const uint64_t x = k[i];
            size_t j = i;
            for (; j > 0 && k[j - 1] > x; j--) k[j] = k[j - 1];
            k[j] = x;
        }
    }

    // Ordered and strict funnels need no merge: each step (and exclusion) is one event name, so
    // "the earliest step-k event after row r" is a seek in that name's own entries, and "the
    // very next stored event" is the entry of row r + 1 in the step's name, when there is one.
    struct Entry {
        int64_t time;
        uint32_t row, smask, xmask;
    };

    Entry entry(size_t s, size_t row, int64_t t) const {
        if (!filtered_[s]) return {t, uint32_t(row), direct_[s], xdirect_[s]};
        const uint32_t code = codes_[s];
        return {t, uint32_t(row), steps_.mask(code, row), has_excl_ ? excl_.mask(code, row) : 0};
    }

    // Slot s's postings in the user's rows [b, e), at or before as-of, into entries_[s] (grown
    // to the largest user's events once, then written through a pointer), their count in count_[s].
    void gather_slot(size_t s, size_t b, size_t e) {
        const uint32_t* rows = ctx_.model.event_index.rows.data();
        const int64_t* time = ctx_.model.events.time.data();
        if (entries_[s].size() < e - b) entries_[s].resize(e - b);
        Entry* out = entries_[s].data();
        size_t n = 0, k = cur_[s];
        const size_t end = end_[s];
        while (k < end && rows[k] < b) k++;
        for (; k < end && rows[k] < e; k++) {
            const int64_t t = time[rows[k]];
            if (t > ctx_.as_of_us) break; // time order: the user's later ones are past as-of too
            out[n++] = entry(s, rows[k], t);
        }
        while (k < end && rows[k] < e) k++;
        cur_[s] = k;
        count_[s] = n;
    }

    // The user's level (ordered, strict) over the events [b, e) of its slice.
    int user_by_slots(size_t b, size_t e) {
        const size_t s0 = step_slot_[0];
        if (use_index_) {
            gather_slot(s0, b, e);
            bool can = false;
            for (size_t i = 0; i < count_[s0] && !can; i++)
                can = (entries_[s0][i].smask & 1u) && in_entry(entries_[s0][i].time);
            if (!can) return 0;
            for (size_t s = 0; s < slots_; s++)
                if (s != s0) gather_slot(s, b, e);
        } else {
            const EventStore& ev = ctx_.model.events;
            for (size_t s = 0; s < slots_; s++) {
                count_[s] = 0;
                if (entries_[s].size() < e - b) entries_[s].resize(e - b);
            }
            for (size_t r = b; r < e && ev.time[r] <= ctx_.as_of_us; r++) {
                const uint32_t code = ev.event[r];
                if (code >= slot_of_.size() || slot_of_[code] < 0) continue;
                const size_t s = size_t(slot_of_[code]);
                entries_[s][count_[s]++] = entry(s, r, ev.time[r]);
            }
        }
        const Entry* list[kMaxFunnelSteps];
        size_t size[kMaxFunnelSteps], cursor[kMaxFunnelSteps];
        for (size_t k = 0; k < S_; k++)
            list[k] = entries_[step_slot_[k]].data(), size[k] = count_[step_slot_[k]], cursor[k] = 0;
        const size_t X = f_.exclusions.size();
        size_t xcursor[kMaxFunnelExclusions];
        std::fill(xcursor, xcursor + X, size_t(0));
        const bool strict = f_.order == FunnelOrder::Strict;
        const Entry* at[kMaxFunnelSteps];
        int best = 0;
        for (size_t p1 = 0; p1 < size[0] && size_t(best) < S_; p1++) {
            const Entry& first = list[0][p1];
            if (!(first.smask & 1u) || !in_entry(first.time)) continue;
            const int64_t end = add_saturated(first.time, window_us_);
            at[0] = &first;
            size_t level = 1;
            for (size_t k = 1; k < S_; k++) {
                const Entry* l = list[k];
                const uint32_t bit = 1u << k, prev = at[k - 1]->row;
                size_t c = cursor[k];
                if (strict) {
                    while (c < size[k] && l[c].row <= prev) c++;
                    cursor[k] = c;
                    if (c >= size[k] || l[c].row != prev + 1 || !(l[c].smask & bit)) break;
                } else {
                    while (c < size[k] && (l[c].row <= prev || !(l[c].smask & bit))) c++;
                    cursor[k] = c;
                    if (c >= size[k]) break;
                }
                if (l[c].time > end) break;
                at[k] = &l[c];
                level++;
            }
            bool void_attempt = false;
            for (size_t x = 0; x < X && !void_attempt; x++) {
                const FunnelExclusion& ex = f_.exclusions[x];
                if (level < size_t(ex.to)) continue;
                const Entry* l = entries_[excl_slot_[x]].data();
                const size_t n = count_[excl_slot_[x]];
                const uint32_t bit = 1u << x, from = at[ex.from - 1]->row;
                size_t c = xcursor[x];
                while (c < n && (l[c].row <= from || !(l[c].xmask & bit))) c++;
                xcursor[x] = c;
                void_attempt = c < n && l[c].row < at[ex.to - 1]->row;
            }
            if (void_attempt || int(level) <= best) continue;
            best = int(level);
            for (size_t k = 0; k < level; k++) times_[k] = at[k]->time;
            first_row_ = first.row;
        }
        return best;
    }

    // The user's level over the events [b, e) of its slice; fills times_ and first_row_ for
    // the counted attempt.
    int user(size_t b, size_t e) {
        if (e == b) return 0;
        if (f_.order != FunnelOrder::Unordered) return user_by_slots(b, e);
        const size_t n = gather(b, e);
        return n == 0 ? 0 : unordered(n);
    }

    // Anchors in stored order; the events in [t, t + W] by two forward-only bounds [lo, hi).
    int unordered(size_t n) {
        const int64_t* time = time_.data();
        const uint32_t* smask = smask_.data();
        uint32_t count[kMaxFunnelSteps];
        std::fill(count, count + S_, 0u);
        int distinct = 0, best = 0;
        size_t lo = 0, hi = 0, best_lo = 0, best_hi = 0, best_anchor = 0;
        for (size_t a = 0; a < n && size_t(best) < S_; a++) {
            if (smask[a] == 0 || !in_entry(time[a])) continue;
            const int64_t t = time[a], end = add_saturated(t, window_us_);
            for (; time[lo] < t; lo++)
                if (lo < hi)
                    for (uint32_t m = smask[lo]; m != 0; m &= m - 1) distinct -= --count[lowest_bit(m)] == 0;
            if (hi < lo) hi = lo;
            for (; hi < n && time[hi] <= end; hi++)
                for (uint32_t m = smask[hi]; m != 0; m &= m - 1) distinct += count[lowest_bit(m)]++ == 0;
            if (distinct > best) {
                best = distinct;
                best_lo = lo;
                best_hi = hi;
                best_anchor = a;
            }
        }
        if (best == 0) return 0;
        // Each matched step's earliest time in the window, ascending: the k-th completed step.
        int64_t first[kMaxFunnelSteps];
        uint32_t seen = 0;
        int found = 0;
        for (size_t q = best_lo; q < best_hi && found < best; q++)
            for (uint32_t m = smask[q] & ~seen; m != 0; m &= m - 1) {
                seen |= 1u << lowest_bit(m);
                first[found++] = time[q];
            }
        std::sort(first, first + found);
        for (int k = 0; k < found; k++) times_[k] = first[k];
        first_row_ = row_[best_anchor];
        return best;
    }

    const Funnel& f_;
    const FunnelContext& ctx_;
    const size_t S_;
    Matcher steps_, excl_;
    int64_t entry_lo_ = INT64_MIN, entry_hi_ = INT64_MAX;
    int64_t window_us_ = 0;
    std::optional<Bitmap> filter_;
    // The event codes of steps and exclusions ("slots", at most 64), each with its postings'
    // cursor and end when the model's index is used; slot_of_ per code (-1: not relevant).
    std::vector<uint32_t> codes_;
    std::vector<int> slot_of_;
    size_t slots_ = 0, first_slot_ = 0;
    size_t cur_[64] = {}, end_[64] = {};
    bool filtered_[64] = {};
    std::vector<size_t> starting_;                // the slots whose names can start an attempt
    uint32_t direct_[64] = {}, xdirect_[64] = {}; // per slot: its steps', exclusions' bits without filters
    size_t step_slot_[kMaxFunnelSteps] = {}, excl_slot_[kMaxFunnelExclusions] = {};
    std::vector<Entry> entries_[64]; // ordered, strict: per slot, the current user's (reused)
    size_t count_[64] = {};
    bool use_index_ = false, has_excl_ = false;
    // The current user's gathered events (reused, never shrunk): key = row << 6 | slot.
    std::vector<uint64_t> key_;
    std::vector<size_t> row_;
    std::vector<int64_t> time_;
    std::vector<uint32_t> smask_, xmask_;
    int64_t times_[kMaxFunnelSteps] = {};
    size_t first_row_ = 0;

public:
    const Column* breakdown_ = nullptr;
};

} // namespace

int64_t nearest_rank(const std::vector<int64_t>& sorted, int p) {
    const size_t n = sorted.size();
    size_t rank = (size_t(p) * n + 99) / 100; // ceil(p·n/100)
    if (rank < 1) rank = 1;
    return sorted[rank - 1];
}

std::vector<int64_t> histogram_edges(int64_t window_us) {
    constexpr int64_t s = 1000000, min = 60 * s, h = 60 * min, d = 24 * h;
    static const int64_t kLadder[] = {0,        10 * s, 30 * s, min,    2 * min, 5 * min, 10 * min,
                                      30 * min, h,      2 * h,  6 * h,  12 * h,  d,       2 * d,
                                      3 * d,    7 * d,  14 * d, 30 * d, 60 * d,  90 * d,  180 * d};
    std::vector<int64_t> edges;
    for (int64_t e : kLadder)
        if (e < window_us) edges.push_back(e);
    edges.push_back(window_us);
    return edges;
}

FunnelResult run_funnel_engine(const Funnel& funnel, const FunnelContext& ctx) {
    FunnelResult r;
    Engine engine(funnel, ctx);
    if (!engine.compile(r.errors)) return r;
    const size_t S = funnel.steps.size();
    std::vector<std::vector<int64_t>> gaps(S); // gaps[k]: step k's time - step k-1's, k >= 1
    std::vector<int64_t> convert;
    std::optional<Groups> groups;
    if (engine.breakdown_) groups.emplace(*engine.breakdown_, S);
    const bool by_property = funnel.breakdown && funnel.breakdown->property;
    std::vector<uint64_t> reached(S + 1, 0); // users per level
    engine.run(r.levels, r.population, [&](size_t u, int level, const int64_t* times, size_t first_row) {
        reached[size_t(level)]++;
        for (int k = 1; k < level; k++) gaps[size_t(k)].push_back(times[k] - times[k - 1]);
        if (size_t(level) == S) convert.push_back(times[S - 1] - times[0]);
        if (groups) groups->add(by_property ? first_row : u, level);
    });
    // Users per step: level >= k.
    std::vector<uint64_t> users(S, 0);
    uint64_t sum = 0;
    for (size_t k = S; k >= 1; k--) users[k - 1] = sum += reached[k];
    r.steps.resize(S);
    for (size_t k = 0; k < S; k++) {
        FunnelStepResult& s = r.steps[k];
        s.users = users[k];
        s.conversion = users[0] ? double(users[k]) / double(users[0]) : 0.0;
        if (k == 0) {
            s.from_previous = users[0] ? 1.0 : 0.0;
        } else {
            s.from_previous = users[k - 1] ? double(users[k]) / double(users[k - 1]) : 0.0;
            s.drop_off = users[k - 1] - users[k];
            s.from_prev = duration_stats(gaps[k]);
        }
    }
    r.time_to_convert = duration_stats(convert); // sorts `convert`
    std::vector<int64_t> edges = histogram_edges(funnel.window.micros());
    for (size_t i = 0; i + 1 < edges.size(); i++) r.histogram.push_back({edges[i], edges[i + 1], 0});
    for (int64_t v : convert) {
        size_t i = size_t(std::upper_bound(edges.begin(), edges.end(), v) - edges.begin());
        i = i == 0 ? 0 : std::min(i - 1, r.histogram.size() - 1);
        r.histogram[i].users++;
    }
    if (groups) r.breakdown = groups->rows(size_t(funnel.breakdown->top));
    return r;
}

FunnelLevels funnel_levels(const Funnel& funnel, const FunnelContext& ctx) {
    FunnelLevels out;
    Engine engine(funnel, ctx);
    if (!engine.compile(out.errors)) return out;
    uint64_t population = 0;
    engine.run(out.levels, population, [](size_t, int, const int64_t*, size_t) {});
    return out;
}

} // namespace segx
