#include "core/retention/engine.h"

#include "core/lang/names.h"
#include "core/lang/text.h"
#include "core/model/user_events.h"

#include <algorithm>

namespace segx {

namespace {

constexpr int64_t kNone = INT64_MIN;

// A definition built in code skips the reader: the limits the engine relies on, checked again.
bool check_shape(const Retention& r, std::vector<DefinitionError>& errors) {
    const size_t before = errors.size();
    if (r.periods < 1 || r.periods > kMaxRetentionPeriods)
        errors.push_back(
            {"periods", "expected a whole number from 1 to " + std::to_string(kMaxRetentionPeriods)});
    if (r.cohorts && (*r.cohorts < 1 || *r.cohorts > kMaxRetentionCohorts))
        errors.push_back(
            {"cohorts", "expected a whole number from 1 to " + std::to_string(kMaxRetentionCohorts)});
    if (r.start.name.empty())
        errors.push_back({r.start.attribute ? "start.attribute" : "start.event", "must not be empty"});
    if (!r.returns.any && r.returns.event.empty()) errors.push_back({"return.event", "must not be empty"});
    return errors.size() == before;
}

class Engine {
public:
    Engine(const Retention& r, const RetentionContext& ctx) : r_(r), ctx_(ctx) {}

    bool compile(std::vector<DefinitionError>& errors) {
        if (!check_shape(r_, errors)) return false;
        const Model& m = ctx_.model;
        const size_t before = errors.size();
        if (r_.start.attribute) {
            attribute_ = find_column(m.attributes, r_.start.name);
            if (attribute_ == nullptr) {
                errors.push_back({"start.attribute", unknown_name("attribute", r_.start.name, m.attributes)});
            } else if (attribute_->type != ColumnType::Date && attribute_->type != ColumnType::Timestamp) {
                errors.push_back({"start.attribute", "a cohort needs a date or timestamp attribute; " +
                                                         quote(r_.start.name) + " is " +
                                                         type_name(attribute_->type)});
            }
        } else if (std::optional<uint32_t> code = m.event_names.find(r_.start.name)) {
            start_code_ = *code;
        } else {
            errors.push_back({"start.event", unknown_event(r_.start.name, m.event_names)});
        }
        if (!r_.returns.any) {
            if (std::optional<uint32_t> code = m.event_names.find(r_.returns.event))
                return_code_ = *code;
            else
                errors.push_back({"return.event", unknown_event(r_.returns.event, m.event_names)});
        }
        if (!r_.audience.is_null()) {
            if (!ctx_.audience) {
                errors.push_back({"audience", "audience filters cannot be resolved here"});
            } else {
                filter_.emplace();
                if (!ctx_.audience(r_.audience, "audience", &*filter_, errors)) filter_.reset();
            }
        }
        if (errors.size() != before) return false;

        rows_ = r_.cohort_rows();
        last_ = period_index(ctx_.as_of_us, r_.period);
        first_ = last_ - rows_ + 1;
        starts_.resize(size_t(rows_) + 1);
        for (int64_t i = 0; i <= rows_; i++) starts_[size_t(i)] = period_start_us(first_ + i, r_.period);
        return true;
    }

    int64_t rows() const { return rows_; }
    int64_t first_period() const { return first_; }
    // The last cell of cohort row `row`: min(periods, P - c).
    int64_t kmax(int64_t row) const { return std::min(r_.periods, rows_ - 1 - row); }
    uint64_t population() const { return filter_ ? filter_->count_set() : uint64_t(ctx_.model.users.size()); }

    // visit(u, row, hits) for every user with a cohort among the rows; bit k of hits (1 <= k <=
    // kmax(row)) is set when the user counts in cell k.
    template <typename Visit>
    void run(Visit&& visit) const {
        const EventStore& s = ctx_.model.events;
        const int64_t as_of = ctx_.as_of_us;
        const int64_t* time = s.time.data();
        const bool any = r_.returns.any;
        auto hit = [&](size_t i) { return any || s.event[i] == return_code_; };
        // The start event's postings, walked with the users; their days tell most users whose
        // first start event is before the oldest cohort without reading its time.
        UserEvents starts(ctx_.model, r_.start.attribute ? UserEvents::kAny : start_code_, true);
        const int64_t oldest_day = starts.day_key(starts_[0]);
        for (size_t u = 0, users = ctx_.model.users.size(); u < users; u++) {
            if (filter_ && !filter_->get(u)) continue;
            int64_t t0 = kNone;
            if (r_.start.attribute) {
                t0 = attribute_time(u);
            } else {
                starts.seek(u);
                if (starts.count() == 0 || starts.before_day(0, oldest_day)) continue;
                t0 = starts.time(0);
                if (t0 > as_of) continue;
            }
            if (t0 == kNone || t0 < starts_[0]) continue;
            const int64_t row =
                int64_t(std::upper_bound(starts_.begin(), starts_.end(), t0) - starts_.begin()) - 1;
            const int64_t kmax = this->kmax(row);
            uint64_t hits = 0;
            if (kmax > 0) {
                const size_t begin = size_t(s.offsets[u]);
                size_t end = size_t(s.offsets[u + 1]);
                if (end > begin && time[end - 1] > as_of)
                    end = size_t(std::upper_bound(time + begin, time + end, as_of) - time);
                // The first event after the cohort's period.
                size_t i =
                    size_t(std::lower_bound(time + begin, time + end, starts_[size_t(row + 1)]) - time);
                if (r_.mode == RetentionMode::Exact) {
                    int64_t j = 1; // the period of time[i], relative to the cohort's
                    while (i < end) {
                        while (time[i] >= starts_[size_t(row + j + 1)]) j++;
                        if (j > kmax) break;
                        if (!hit(i)) {
                            i++;
                            continue;
                        }
                        hits |= uint64_t(1) << j;
                        if (j == kmax) break;
                        // Skip the rest of period j: one hit is enough.
                        i = size_t(std::lower_bound(time + i, time + end, starts_[size_t(row + j + 1)]) -
                                   time);
                        j++;
                    }
                } else {
                    for (size_t q = end; q > i; q--) {
                        if (!hit(q - 1)) continue;
                        const int64_t j =
                            int64_t(std::upper_bound(starts_.begin(), starts_.end(), time[q - 1]) -
                                    starts_.begin()) -
                            1 - row;
                        const int64_t reach = std::min(j, kmax);
                        hits = ((uint64_t(1) << (reach + 1)) - 1) & ~uint64_t(1);
                        break;
                    }
                }
            }
            visit(u, row, hits);
        }
    }

private:
    int64_t attribute_time(size_t u) const {
        if (u >= attribute_->size() || attribute_->is_null(u)) return kNone;
        const int64_t t = attribute_->ints[u];
        return t <= ctx_.as_of_us ? t : kNone;
    }

    const Retention& r_;
    const RetentionContext& ctx_;
    const Column* attribute_ = nullptr;
    uint32_t start_code_ = 0, return_code_ = 0;
    std::optional<Bitmap> filter_;
    int64_t rows_ = 0, first_ = 0, last_ = 0;
    std::vector<int64_t> starts_; // period starts of rows first_ .. last_ + 1
};

} // namespace

RetentionResult run_retention_engine(const Retention& retention, const RetentionContext& ctx) {
    RetentionResult result;
    Engine engine(retention, ctx);
    if (!engine.compile(result.errors)) return result;
    result.population = engine.population();
    const int64_t rows = engine.rows();
    result.cohorts.resize(size_t(rows));
    for (int64_t row = 0; row < rows; row++) {
        RetentionCohort& c = result.cohorts[size_t(row)];
        c.period = engine.first_period() + row;
        c.start_us = period_start_us(c.period, retention.period);
        const size_t cells = size_t(engine.kmax(row)) + 1;
        c.counts.assign(cells, 0);
        c.complete.resize(cells);
        for (size_t k = 0; k < cells; k++)
            c.complete[k] = period_complete(c.period + int64_t(k), retention.period, ctx.as_of_us) ? 1 : 0;
    }
    engine.run([&](size_t, int64_t row, uint64_t hits) {
        RetentionCohort& c = result.cohorts[size_t(row)];
        c.size++;
        c.counts[0]++;
        for (size_t k = 1; k < c.counts.size(); k++) c.counts[k] += (hits >> k) & 1;
    });
    for (int64_t k = 0; k <= retention.periods; k++) {
        uint64_t num = 0, den = 0;
        for (const RetentionCohort& c : result.cohorts)
            if (size_t(k) < c.counts.size() && c.complete[size_t(k)]) {
                num += c.counts[size_t(k)];
                den += c.size;
            }
        result.mean.push_back(den > 0 ? std::optional<double>(double(num) / double(den)) : std::nullopt);
    }
    return result;
}

RetentionCellUsers retention_cell_users(const Retention& retention, const RetentionContext& ctx, size_t row,
                                        size_t k) {
    RetentionCellUsers result;
    Engine engine(retention, ctx);
    if (!engine.compile(result.errors)) return result;
    result.users.append_all(false, ctx.model.users.size());
    if (int64_t(row) >= engine.rows() || int64_t(k) > engine.kmax(int64_t(row))) return result;
    engine.run([&](size_t u, int64_t r, uint64_t hits) {
        if (size_t(r) == row && (k == 0 || (hits >> k) & 1)) result.users.set(u, true);
    });
    return result;
}

RetentionCellUsers retention_cohort_users(const Retention& retention, const RetentionContext& ctx) {
    RetentionCellUsers result;
    Engine engine(retention, ctx);
    if (!engine.compile(result.errors)) return result;
    result.users.append_all(false, ctx.model.users.size());
    engine.run([&](size_t u, int64_t, uint64_t) { result.users.set(u, true); });
    return result;
}

} // namespace segx
