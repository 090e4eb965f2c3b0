// core/lifecycle engines (lifecycle, stages, board) against literal references (DESIGN §6): per
// user and per period, periods stepped one at a time from independently computed keys, on
// thousands of random small models with period edges, as-of cuts, activity events, orders with
// line items, audience filters, with and without the per-event-name index.
#include "../retention/cohort_fixture.h"
#include "core/lifecycle/board.h"
#include "core/lifecycle/engine.h"

#include <map>
#include <random>
#include <set>

namespace core_lifecycle_reference_test {

using namespace segx;
using namespace segx::test;

namespace {

constexpr int64_t D = kMicrosPerDay;

int64_t period_key(int64_t t, PeriodUnit unit) { // the first day of its period, or y * 12 + m - 1
    const int64_t day = floor_div(t, D);
    if (unit == PeriodUnit::Day) return day;
    if (unit == PeriodUnit::Week) {
        const int64_t monday = days_from_civil(2024, 1, 1);
        int64_t d = day;
        while (((d - monday) % 7 + 7) % 7 != 0) d--;
        return d;
    }
    int y = 0;
    unsigned m = 0, dd = 0;
    civil_from_days(day, y, m, dd);
    return int64_t(y) * 12 + m - 1;
}
int64_t step(int64_t key, PeriodUnit unit, int64_t n) {
    return unit == PeriodUnit::Week ? key + 7 * n : key + n;
}

struct Ev {
    int64_t t;
    std::string name;
    double revenue;
    std::string order;
};

struct World {
    std::vector<std::vector<Ev>> users;
    std::vector<bool> keep;
    Model model;
};

World random_world(std::mt19937_64& rng, bool index) {
    auto pick = [&](int64_t n) { return int64_t(rng() % uint64_t(n)); };
    const char* names[] = {"visit", "purchase", "view"};
    const int64_t base = at("2024-11-25");
    World w;
    const size_t n_users = size_t(1 + pick(7));
    std::vector<std::string> ids;
    std::vector<CohortEvent> events;
    w.users.resize(n_users);
    for (size_t u = 0; u < n_users; u++) {
        ids.push_back("u" + std::to_string(u));
        for (int64_t i = 0, n = pick(10); i < n; i++) {
            const int64_t day = base + pick(80) * D;
            const int64_t t = pick(3) == 0 ? day : pick(4) == 0 ? day - 1 : day + pick(D);
            Ev e{t, names[pick(3)], NAN, ""};
            if (e.name == "purchase") {
                if (pick(4)) e.revenue = double(1 + pick(100));
                if (pick(3)) e.order = "o" + std::to_string(pick(4)); // shared ids: line items
            }
            w.users[u].push_back(e);
            events.emplace_back(ids[u], e.t, e.name, e.revenue, e.order);
        }
    }
    w.model = cohort_model(ids, events, {}, index);
    w.keep.assign(n_users, true);
    return w;
}

} // namespace

TEST_CASE("lifecycle and stages equal the literal reference on random models") {
    std::mt19937_64 rng(1226);
    auto pick = [&](int64_t n) { return int64_t(rng() % uint64_t(n)); };
    for (int round = 0; round < 3000; round++) {
        CAPTURE(round);
        World w = random_world(rng, round % 2 == 1);
        const Model& m = w.model;
        Lifecycle l;
        l.period = PeriodUnit(pick(3));
        l.periods = 1 + pick(l.period == PeriodUnit::Day ? 60 : 8);
        if (pick(2)) l.event = pick(2) ? "visit" : "view";
        if (!l.event.empty() && !m.event_names.find(l.event)) continue;
        int64_t as_of = m.max_time_us == INT64_MIN ? at("2024-12-01") : m.max_time_us;
        if (pick(2)) as_of = at("2024-11-25") + pick(90) * D - pick(2);
        LifecycleContext ctx{m, as_of, nullptr};
        if (pick(3) == 0) {
            for (size_t u = 0; u < w.keep.size(); u++) w.keep[u] = pick(3) != 0;
            l.audience = {{"audience", "random"}};
            ctx.audience = [&](const nlohmann::json&, const std::string&, Bitmap* bits,
                               std::vector<DefinitionError>&) {
                bits->append_all(false, w.keep.size());
                for (size_t u = 0; u < w.keep.size(); u++) bits->set(u, w.keep[u]);
                return true;
            };
        }
        LifecycleResult got = run_lifecycle_engine(l, ctx);
        INFO(join_errors(got.errors));
        REQUIRE(got.ok());
        StagesInPeriod got_stages = stages_in_period(l, ctx);
        REQUIRE(got_stages.ok());

        auto active_keys = [&](size_t u) {
            std::set<int64_t> keys;
            for (const Ev& e : w.users[u])
                if (e.t <= as_of && (l.event.empty() || e.name == l.event))
                    keys.insert(period_key(e.t, l.period));
            return keys;
        };
        const int64_t P = period_key(as_of, l.period);
        REQUIRE(got.periods.size() == size_t(l.periods));
        for (int64_t i = 0; i < l.periods; i++) {
            const int64_t p = step(P, l.period, i - l.periods + 1), prev = step(p, l.period, -1);
            uint64_t n_new = 0, n_ret = 0, n_res = 0, n_dor = 0;
            for (size_t u = 0; u < w.users.size(); u++) {
                if (!w.keep[u]) continue;
                std::set<int64_t> a = active_keys(u);
                const bool now = a.count(p), before = a.count(prev), earlier = !a.empty() && *a.begin() < p;
                if (now && *a.begin() == p) n_new++;
                if (now && before) n_ret++;
                if (now && !before && earlier) n_res++;
                if (!now && before) n_dor++;
            }
            const LifecyclePeriod& g = got.periods[size_t(i)];
            CAPTURE(i);
            CHECK(g.new_users == n_new);
            CHECK(g.returning == n_ret);
            CHECK(g.resurrecting == n_res);
            CHECK(g.dormant == n_dor);
        }
        for (size_t u = 0; u < w.users.size(); u++) {
            std::set<int64_t> a = active_keys(u);
            StageInPeriod want = StageInPeriod::None;
            if (w.keep[u] && !a.empty()) {
                const bool now = a.count(P), before = a.count(step(P, l.period, -1));
                want = now      ? (*a.begin() == P ? StageInPeriod::New
                                   : before        ? StageInPeriod::Returning
                                                   : StageInPeriod::Resurrecting)
                       : before ? StageInPeriod::Dormant
                                : StageInPeriod::Inactive;
            }
            CAPTURE(u);
            CHECK(got_stages.stages[u] == want);
        }
    }
}

TEST_CASE("the board equals the literal reference on random models") {
    std::mt19937_64 rng(990);
    auto pick = [&](int64_t n) { return int64_t(rng() % uint64_t(n)); };
    for (int round = 0; round < 3000; round++) {
        CAPTURE(round);
        World w = random_world(rng, round % 2 == 0);
        const Model& m = w.model;
        Board b;
        int64_t as_of = m.max_time_us == INT64_MIN ? at("2024-12-01") : m.max_time_us;
        if (pick(2)) as_of = at("2024-11-25") + pick(90) * D - pick(2);
        int64_t s = 0, e = 0;
        if (pick(2)) {
            const int64_t days = 1 + pick(40);
            b.period = WindowLastDays{days};
            s = as_of - days * D;
            e = as_of;
        } else {
            s = at("2024-11-25") + pick(60) * D - pick(2);
            e = s + (1 + pick(40 * 24)) * 3600 * kMicrosPerSecond;
            WindowRange range{format_timestamp_us(s), pick(4) ? format_timestamp_us(e) : ""};
            for (std::string* t : {&range.from, &range.to})
                if (!t->empty()) (*t)[10] = 'T';
            if (range.to.empty()) e = as_of;
            b.period = range;
            e = std::min(e, as_of);
            if (e <= s) continue; // refused: a period after as-of
        }
        b.dormant_days = 1 + pick(60);
        if (pick(2)) b.event = pick(2) ? "visit" : "view";
        if (!b.event.empty() && !m.event_names.find(b.event)) continue;
        LifecycleContext ctx{m, as_of, nullptr};
        if (pick(3) == 0) {
            for (size_t u = 0; u < w.keep.size(); u++) w.keep[u] = pick(3) != 0;
            b.audience = {{"audience", "random"}};
            ctx.audience = [&](const nlohmann::json&, const std::string&, Bitmap* bits,
                               std::vector<DefinitionError>&) {
                bits->append_all(false, w.keep.size());
                for (size_t u = 0; u < w.keep.size(); u++) bits->set(u, w.keep[u]);
                return true;
            };
        }
        BoardResult got = run_board_engine(b, ctx);
        INFO(join_errors(got.errors));
        REQUIRE(got.ok());
        BoardGroups groups = board_groups(b, ctx);
        REQUIRE(groups.ok());
        const int64_t dorm = b.dormant_days * D;

        auto check_period = [&](const BoardPeriod& got_period, int64_t ps, int64_t pe, bool current) {
            CHECK(got_period.from_us == ps);
            CHECK(got_period.to_us == pe);
            BoardGroupStats want[3];
            for (size_t u = 0; u < w.users.size(); u++) {
                if (!w.keep[u]) continue;
                auto active_in = [&](int64_t lo, int64_t hi) {
                    for (const Ev& ev : w.users[u])
                        if ((b.event.empty() || ev.name == b.event) && ev.t > lo && ev.t <= hi) return true;
                    return false;
                };
                if (!active_in(INT64_MIN, pe)) {
                    if (current) CHECK(groups.groups[u] == BoardGroup::None);
                    continue;
                }
                const BoardGroup g = !active_in(INT64_MIN, ps)  ? BoardGroup::New
                                     : active_in(ps - dorm, ps) ? BoardGroup::Returning
                                                                : BoardGroup::Dormant;
                if (current) CHECK(groups.groups[u] == g);
                BoardGroupStats& st = want[size_t(g) - 1];
                st.pool++;
                st.active += active_in(ps, pe);
                std::set<std::string> orders;
                bool buyer = false;
                double revenue = 0;
                for (const Ev& ev : w.users[u])
                    if (ev.name == "purchase" && ev.t > ps && ev.t <= pe) {
                        buyer = true;
                        if (!std::isnan(ev.revenue)) revenue += ev.revenue;
                        if (ev.order.empty())
                            st.orders++;
                        else
                            orders.insert(ev.order);
                    }
                st.buyers += buyer;
                st.orders += orders.size();
                st.revenue += revenue;
            }
            for (BoardGroup g : {BoardGroup::New, BoardGroup::Returning, BoardGroup::Dormant}) {
                CAPTURE(board_group_name(g));
                const BoardGroupStats& a = got_period.group(g);
                const BoardGroupStats& r = want[size_t(g) - 1];
                CHECK(a.pool == r.pool);
                CHECK(a.active == r.active);
                CHECK(a.buyers == r.buyers);
                CHECK(a.orders == r.orders);
                CHECK(a.revenue == r.revenue); // whole numbers: exact
            }
        };
        check_period(got.current, s, e, true);
        check_period(got.previous, s - (e - s), s, false);
    }
}

} // namespace core_lifecycle_reference_test
