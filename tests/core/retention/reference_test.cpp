// core/retention engine against a literal reference (DESIGN §6): per user and per period, with
// calendar periods computed independently (weeks from a known Monday, months from civil dates,
// one step at a time), on thousands of random small models: every unit, both modes, event and
// attribute starts, any or named returns, as-of anywhere (period edges included), audience
// filters, with and without the per-event-name index.
#include "cohort_fixture.h"
#include "core/retention/engine.h"

#include <random>

namespace core_retention_reference_test {

using namespace segx;
using namespace segx::test;

namespace {

constexpr int64_t D = kMicrosPerDay;

// Period keys: the day number of the period's first day (day, week) or year * 12 + month - 1.
struct Calendar {
    PeriodUnit unit;

    int64_t key(int64_t t) const {
        const int64_t day = floor_div(t, D);
        if (unit == PeriodUnit::Day) return day;
        if (unit == PeriodUnit::Week) {
            const int64_t monday = days_from_civil(2024, 1, 1); // a Monday
            int64_t d = day;
            while (((d - monday) % 7 + 7) % 7 != 0) d--;
            return d;
        }
        int y = 0;
        unsigned m = 0, dd = 0;
        civil_from_days(day, y, m, dd);
        return int64_t(y) * 12 + m - 1;
    }
    int64_t step(int64_t key, int64_t n) const { return unit == PeriodUnit::Week ? key + 7 * n : key + n; }
    int64_t start(int64_t key) const {
        if (unit != PeriodUnit::Month) return key * D;
        const int64_t y = floor_div(key, 12);
        return days_from_civil(int(y), unsigned(key - y * 12 + 1), 1) * D;
    }
};

struct Ev {
    int64_t t;
    std::string name;
};

struct RefRow {
    int64_t start_us;
    uint64_t size = 0;
    std::vector<uint64_t> counts;
    std::vector<uint8_t> complete;
};

std::vector<RefRow> reference(const Retention& r, const std::vector<std::vector<Ev>>& users,
                              const std::vector<std::optional<int64_t>>& signup,
                              const std::vector<bool>& keep, int64_t as_of,
                              std::vector<std::optional<double>>* mean) {
    const Calendar cal{r.period};
    const int64_t P = cal.key(as_of), R = r.cohort_rows();
    std::vector<RefRow> rows;
    for (int64_t i = R - 1; i >= 0; i--) {
        const int64_t c = cal.step(P, -i);
        RefRow row;
        row.start_us = cal.start(c);
        for (int64_t k = 0; k <= r.periods && cal.step(c, k) <= P; k++) {
            const int64_t q = cal.step(c, k);
            row.complete.push_back(cal.start(cal.step(q, 1)) - 1 <= as_of);
            uint64_t n = 0;
            for (size_t u = 0; u < users.size(); u++) {
                if (!keep[u]) continue;
                std::optional<int64_t> t0;
                if (r.start.attribute) {
                    if (signup[u] && *signup[u] <= as_of) t0 = signup[u];
                } else {
                    for (const Ev& e : users[u])
                        if (e.name == r.start.name && e.t <= as_of && (!t0 || e.t < *t0)) t0 = e.t;
                }
                if (!t0 || cal.key(*t0) != c) continue;
                bool counts = k == 0;
                for (const Ev& e : users[u]) {
                    if (e.t > as_of || !(r.returns.any || e.name == r.returns.event)) continue;
                    const int64_t p = cal.key(e.t);
                    if (r.mode == RetentionMode::Exact ? p == q : p >= q) counts = true;
                }
                n += counts;
            }
            row.counts.push_back(n);
        }
        row.size = row.counts[0];
        rows.push_back(row);
    }
    mean->clear();
    for (int64_t k = 0; k <= r.periods; k++) {
        uint64_t num = 0, den = 0;
        for (const RefRow& row : rows)
            if (size_t(k) < row.counts.size() && row.complete[size_t(k)])
                num += row.counts[size_t(k)], den += row.size;
        mean->push_back(den ? std::optional<double>(double(num) / double(den)) : std::nullopt);
    }
    return rows;
}

} // namespace

TEST_CASE("retention equals the literal per-user, per-period reference on random models") {
    std::mt19937_64 rng(20250112);
    auto pick = [&](int64_t n) { return int64_t(rng() % uint64_t(n)); };
    const char* names[] = {"signup", "purchase", "view"};
    const int64_t base = at("2024-11-25"); // weeks and months across the 2024/2025 boundary
    for (int round = 0; round < 3000; round++) {
        CAPTURE(round);
        const size_t n_users = size_t(1 + pick(7));
        std::vector<std::string> ids;
        std::vector<std::vector<Ev>> users(n_users);
        std::vector<CohortEvent> events;
        std::vector<std::optional<int64_t>> signup(n_users);
        auto some_time = [&]() {
            const int64_t day = base + pick(80) * D;
            switch (pick(4)) {
                case 0:
                    return day; // a midnight: often a period's first microsecond
                case 1:
                    return day - 1; // the last microsecond of the day before
                default:
                    return day + pick(D);
            }
        };
        for (size_t u = 0; u < n_users; u++) {
            ids.push_back("u" + std::to_string(u));
            for (int64_t i = 0, n = pick(9); i < n; i++) {
                Ev e{some_time(), names[pick(3)]};
                users[u].push_back(e);
                events.emplace_back(ids[u], e.t, e.name);
            }
            if (pick(3)) signup[u] = base + pick(80) * D;
        }
        const bool index = round % 2 == 1;
        Model m = cohort_model(ids, events, signup, index);

        Retention r;
        r.period = PeriodUnit(pick(3));
        r.mode = RetentionMode(pick(2));
        r.start = pick(3) ? RetentionStart{false, names[pick(3)]} : RetentionStart{true, "signup"};
        r.returns = pick(3) ? RetentionReturn{false, names[pick(3)]} : RetentionReturn{true, ""};
        r.periods = 1 + pick(r.period == PeriodUnit::Day ? 52 : 6);
        if (pick(2)) r.cohorts = 1 + pick(12);
        int64_t as_of = m.max_time_us == INT64_MIN ? base : m.max_time_us;
        if (pick(2)) as_of = pick(2) ? base + pick(90) * D - pick(2) : some_time();
        std::vector<bool> keep(n_users, true);
        RetentionContext ctx{m, as_of, nullptr};
        if (pick(3) == 0) {
            for (size_t u = 0; u < n_users; u++) keep[u] = pick(3) != 0;
            r.audience = {{"audience", "random"}};
            ctx.audience = [&](const nlohmann::json&, const std::string&, Bitmap* bits,
                               std::vector<DefinitionError>&) {
                bits->append_all(false, n_users);
                for (size_t u = 0; u < n_users; u++) bits->set(u, keep[u]);
                return true;
            };
        }
        // An event-start definition naming an event no one did is an error; skip those rounds.
        auto known = [&](const std::string& name) { return m.event_names.find(name).has_value(); };
        if ((!r.start.attribute && !known(r.start.name)) || (!r.returns.any && !known(r.returns.event)))
            continue;

        RetentionResult got = run_retention_engine(r, ctx);
        INFO(join_errors(got.errors));
        REQUIRE(got.ok());
        std::vector<std::optional<double>> mean;
        std::vector<RefRow> want = reference(r, users, signup, keep, as_of, &mean);
        REQUIRE(got.cohorts.size() == want.size());
        for (size_t i = 0; i < want.size(); i++) {
            CAPTURE(i);
            CHECK(got.cohorts[i].start_us == want[i].start_us);
            CHECK(got.cohorts[i].size == want[i].size);
            CHECK(got.cohorts[i].counts == want[i].counts);
            CHECK(got.cohorts[i].complete == want[i].complete);
        }
        CHECK(got.mean == mean);
        size_t users_in_filter = 0;
        for (bool k : keep) users_in_filter += k;
        CHECK(got.population == users_in_filter);

        // One random cell's users add up to its count.
        const size_t row = size_t(pick(int64_t(want.size())));
        const size_t k = size_t(pick(int64_t(want[row].counts.size())));
        RetentionCellUsers cell = retention_cell_users(r, ctx, row, k);
        REQUIRE(cell.ok());
        CHECK(cell.users.count_set() == want[row].counts[k]);
    }
}

} // namespace core_retention_reference_test
