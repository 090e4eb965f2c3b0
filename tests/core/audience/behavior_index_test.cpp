// Behavior rules read the event index (postings per event name, days beside them); this checks
// them against a plain scan of every user's events, written here from evaluate.h's semantics,
// on randomized models (fixed seeds) and random rules: windows whose edges sit exactly on
// event times (and 1 µs either side), as-of before, on and after events, users with no events
// (inside and past the CSR slices), equal times, a name with no events, NaN and null values,
// filters of every predicate mode, and times more than 65535 days apart (the index's last,
// open-ended day). Windowed counts and aggregates may read either of the index's two views
// (the user-ordered postings or the window's slice of the time view): every rule is checked
// with the plan forced each way and with the cost-based choice, on windows from 1 day to all
// time, over histories of 50 days and of two years.

#include "audience_fixture.h"

#include "core/audience/rule_eval.h"
#include "core/audience/user_set.h"
#include "core/lang/predicate.h"
#include "core/model/event_index.h"
#include "core/time/civil.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace core_audience_behavior_index_test {

using namespace segx;

namespace {

constexpr int64_t D = kMicrosPerDay;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct Rng {
    uint64_t s;
    uint64_t next() {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        return s;
    }
    size_t below(size_t n) { return size_t(next() % n); }
    bool chance(int percent) { return below(100) < size_t(percent); }
    template <typename T>
    const T& pick(const std::vector<T>& v) {
        return v[below(v.size())];
    }
};

Column string_column(const char* name, const std::vector<std::string>& values) {
    Column c;
    c.name = name;
    c.type = ColumnType::String;
    c.dict.intern("");
    for (const std::string& v : values) c.dict.intern(v);
    return c;
}

struct RandomModel {
    Model model;
    std::vector<std::string> events; // names for rules
    std::vector<int64_t> times;      // every event time used, for window edges and as-of
};

// `users` users, of whom the first `slices` have CSR slices (20% of them empty); times on a
// half-day grid of `steps` steps around `center` (100: 50 days), 1 µs jitter, some equal; with
// `far`, a few events 300 years before and after, so that most days are past the index's last
// day.
RandomModel random_model(uint64_t seed, size_t users, size_t slices, int64_t center, bool far,
                         size_t steps = 100) {
    RandomModel r;
    Model& m = r.model;
    Rng rng{seed};
    for (size_t u = 0; u < users; u++) m.users.intern("u" + std::to_string(u));
    r.events = {"a", "b", "c", "d"}; // "d": a name without events
    for (const std::string& name : r.events) m.event_names.intern(name);
    EventStore& ev = m.events;
    ev.properties.push_back(string_column("platform", {"ios", "android", "web"}));
    Column price;
    price.name = "price";
    price.type = ColumnType::Double;
    Column qty;
    qty.name = "qty";
    qty.type = ColumnType::Int64;
    ev.properties.push_back(price);
    ev.properties.push_back(qty);
    Column& platform = ev.properties[0];
    Column& prices = ev.properties[1];
    Column& qtys = ev.properties[2];

    ev.offsets.push_back(0);
    std::vector<int64_t> ts;
    for (size_t u = 0; u < slices; u++) {
        ts.clear();
        size_t k = rng.chance(20) ? 0 : 1 + rng.below(12);
        for (size_t i = 0; i < k; i++) {
            int64_t t = center + (int64_t(rng.below(steps)) - int64_t(steps * 4 / 5)) * (D / 2) +
                        int64_t(rng.below(3)) - 1;
            if (far && rng.chance(3)) t += (rng.chance(50) ? -1 : 1) * 300 * 365 * D;
            if (!ts.empty() && rng.chance(10)) t = ts.back(); // equal times
            ts.push_back(t);
        }
        std::sort(ts.begin(), ts.end());
        for (int64_t t : ts) {
            uint32_t code = uint32_t(rng.below(10) < 5 ? 0 : rng.below(10) < 6 ? 1 : 2);
            ev.time.push_back(t);
            ev.event.push_back(code);
            const double revenue = code == 0 && !rng.chance(30) ? double(rng.below(1000)) / 10.0
                                   : rng.chance(10)             ? 5.0
                                                                : kNaN;
            // A few orders per user, some events without one (each its own order).
            ev.values.push_back(revenue, rng.chance(30) ? EventStore::kNoOrder : uint32_t(rng.below(4)));
            bool has = !rng.chance(20);
            platform.codes.push_back(has ? uint32_t(1 + rng.below(3)) : 0);
            platform.valid.push_back(has);
            has = !rng.chance(20);
            prices.doubles.push_back(has ? (rng.chance(5) ? kNaN : double(rng.below(40)) / 2.0) : 0.0);
            prices.valid.push_back(has);
            has = !rng.chance(30);
            qtys.ints.push_back(has ? int64_t(rng.below(5)) : 0);
            qtys.valid.push_back(has);
            r.times.push_back(t);
        }
        ev.offsets.push_back(ev.time.size());
    }
    for (int64_t t : ev.time) {
        m.min_time_us = std::min(m.min_time_us, t);
        m.max_time_us = std::max(m.max_time_us, t);
    }
    m.event_index = build_event_index(ev);
    if (r.times.empty()) r.times.push_back(center);
    return r;
}

// ---- the plain scan ---------------------------------------------------------------------------

Bitmap scan(const Model& m, const BehaviorRule& rule, int64_t as_of) {
    const EventStore& ev = m.events;
    const uint32_t code = *m.event_names.find(rule.event);
    std::vector<Bitmap> filters;
    for (const EventFilter& f : rule.where) {
        const Column* column = nullptr;
        for (const Column& c : ev.properties)
            if (c.name == f.property) column = &c;
        ColumnPredicate p;
        std::vector<DefinitionError> errors;
        REQUIRE(compile_predicate(*column, f.property, f.op, f.values, f.ci, "w", errors, &p));
        filters.push_back(predicate_rows(p, ev.size()));
    }
    int64_t lo = INT64_MIN, hi = as_of;
    if (const auto* last = std::get_if<WindowLastDays>(&rule.window)) lo = as_of - last->days * D;
    if (const auto* range = std::get_if<WindowRange>(&rule.window)) {
        int64_t us = 0;
        if (!range->from.empty() && parse_time_text(range->from, TimeFormat::Iso, 0, &us)) lo = us;
        if (!range->to.empty() && parse_time_text(range->to, TimeFormat::Iso, 0, &us))
            hi = std::min(us, as_of);
    }
    const auto matches = [&](size_t i) {
        if (ev.event[i] != code) return false;
        for (const Bitmap& f : filters)
            if (!f.get(i)) return false;
        return true;
    };
    const auto value = [&](size_t i, double* x) {
        const auto* agg = std::get_if<AggregateMeasure>(&rule.measure);
        if (agg->property.empty()) {
            *x = ev.values.revenue(i);
        } else {
            const Column& c = *std::find_if(ev.properties.begin(), ev.properties.end(),
                                            [&](const Column& p) { return p.name == agg->property; });
            if (!c.valid.get(i)) return false;
            *x = c.type == ColumnType::Double ? c.doubles[i] : double(c.ints[i]);
        }
        return !std::isnan(*x);
    };

    Bitmap out = make_user_set(m.users.size(), false);
    for (size_t u = 0; u < m.users.size(); u++) {
        size_t b = 0, e = 0;
        if (u < ev.user_count()) {
            b = size_t(ev.offsets[u]);
            e = size_t(ev.offsets[u + 1]);
        }
        bool hit = false;
        if (const auto* count = std::get_if<CountMeasure>(&rule.measure)) {
            // Distinct orders and days by brute force: sets of the counted keys.
            int64_t k = 0;
            std::vector<int64_t> keys;
            for (size_t i = b; i < e; i++) {
                if (!(matches(i) && ev.time[i] > lo && ev.time[i] <= hi)) continue;
                if (count->unit == CountUnit::Events) {
                    k++;
                } else if (count->unit == CountUnit::Days) {
                    keys.push_back((ev.time[i] - ((ev.time[i] % D) + D) % D) / D); // floor, exactly
                } else if (ev.values.order(i) == EventStore::kNoOrder) {
                    k++;
                } else {
                    keys.push_back(ev.values.order(i));
                }
            }
            std::sort(keys.begin(), keys.end());
            k += int64_t(std::unique(keys.begin(), keys.end()) - keys.begin());
            const auto& v = count->values;
            hit = count->op == Op::Gte   ? k >= v[0]
                  : count->op == Op::Lte ? k <= v[0]
                  : count->op == Op::Eq  ? k == v[0]
                                         : v[0] <= k && k <= v[1];
        } else if (const auto* agg = std::get_if<AggregateMeasure>(&rule.measure)) {
            std::vector<double> xs;
            double x = 0;
            for (size_t i = b; i < e; i++)
                if (matches(i) && ev.time[i] > lo && ev.time[i] <= hi && value(i, &x)) xs.push_back(x);
            if (!xs.empty()) {
                double sum = 0;
                for (double y : xs) sum += y;
                double a = agg->fn == AggregateFn::Sum   ? sum
                           : agg->fn == AggregateFn::Avg ? sum / double(xs.size())
                           : agg->fn == AggregateFn::Min ? *std::min_element(xs.begin(), xs.end())
                                                         : *std::max_element(xs.begin(), xs.end());
                const auto& v = agg->values;
                hit = agg->op == Op::Eq    ? a == v[0]
                      : agg->op == Op::Neq ? a != v[0]
                      : agg->op == Op::Gt  ? a > v[0]
                      : agg->op == Op::Gte ? a >= v[0]
                      : agg->op == Op::Lt  ? a < v[0]
                      : agg->op == Op::Lte ? a <= v[0]
                                           : v[0] <= a && a <= v[1];
            }
        } else {
            const bool last = std::get<OccurrenceMeasure>(rule.measure).last;
            bool found = false;
            int64_t when = 0;
            for (size_t i = b; i < e; i++)
                if (matches(i) && ev.time[i] <= as_of && (last || !found)) {
                    found = true;
                    when = ev.time[i];
                }
            hit = found && when > lo && when <= hi;
        }
        out.set(u, hit != !rule.did);
    }
    return out;
}

// ---- random rules -------------------------------------------------------------------------------

EventFilter filter(const char* property, Op op, std::vector<Scalar> values, bool ci = false) {
    return EventFilter{property, op, std::move(values), ci};
}

BehaviorRule random_rule(Rng& rng, const std::vector<std::string>& events,
                         const std::vector<int64_t>& times) {
    static const std::vector<EventFilter> filters = {
        filter("platform", Op::Eq, {Scalar::of("ios")}),
        filter("platform", Op::Eq, {Scalar::of("IOS")}, true),
        filter("platform", Op::In, {Scalar::of("ios"), Scalar::of("web")}),
        filter("platform", Op::Neq, {Scalar::of("web")}),
        filter("platform", Op::IsSet, {}),
        filter("platform", Op::IsNotSet, {}),
        filter("price", Op::Gt, {Scalar::of(5)}),
        filter("price", Op::Between, {Scalar::of(2.5), Scalar::of(10)}),
        filter("price", Op::In, {Scalar::of(1), Scalar::of(3.5)}),
        filter("price", Op::Neq, {Scalar::of(4)}),
        filter("qty", Op::Lte, {Scalar::of(2)}),
        filter("qty", Op::NotIn, {Scalar::of(0), Scalar::of(3)}),
        filter("qty", Op::IsNotSet, {}),
    };
    BehaviorRule r;
    r.did = !rng.chance(25);
    r.event = rng.pick(events);
    for (size_t n = rng.below(4); n > 1; n--) // 0 (half the time), 1 or 2 filters
        r.where.push_back(rng.pick(filters));
    // Window edges on event times, or 1 µs either side.
    const auto edge = [&] { return rng.pick(times) + int64_t(rng.below(3)) - 1; };
    switch (rng.below(3)) {
        case 0:
            r.window = WindowAllTime{};
            break;
        case 1:
            r.window =
                WindowLastDays{rng.pick(std::vector<int64_t>{1, 2, 3, 7, 30, 45, 90, 365, 40000, 100000})};
            break;
        default: {
            WindowRange w;
            if (!rng.chance(20)) w.from = format_timestamp_us(edge());
            if (w.from.empty() || !rng.chance(30)) w.to = format_timestamp_us(edge());
            r.window = w;
        }
    }
    switch (rng.below(3)) {
        case 0: {
            CountMeasure c;
            c.op = rng.pick(std::vector<Op>{Op::Gte, Op::Lte, Op::Eq, Op::Between});
            int64_t a = int64_t(rng.below(4)), b = int64_t(rng.below(4));
            if (rng.chance(5)) // bounds past a byte: wider per-user counters
                a = rng.pick(std::vector<int64_t>{254, 255, 256, 300}), b = rng.chance(50) ? 0 : a + 1;
            c.values = c.op == Op::Between ? std::vector<int64_t>{std::min(a, b), std::max(a, b)}
                                           : std::vector<int64_t>{a};
            c.unit = rng.pick(std::vector<CountUnit>{CountUnit::Events, CountUnit::Orders, CountUnit::Days});
            r.measure = c;
            break;
        }
        case 1: {
            AggregateMeasure a;
            a.fn = rng.pick(std::vector<AggregateFn>{AggregateFn::Sum, AggregateFn::Avg, AggregateFn::Min,
                                                     AggregateFn::Max});
            a.property = rng.pick(std::vector<std::string>{"", "", "price", "qty"});
            a.op = rng.pick(std::vector<Op>{Op::Eq, Op::Neq, Op::Gt, Op::Gte, Op::Lt, Op::Lte, Op::Between});
            double x = rng.pick(std::vector<double>{0, 1, 5, 10, 50, 100.5});
            a.values = a.op == Op::Between ? std::vector<double>{x, x + 40} : std::vector<double>{x};
            r.measure = a;
            break;
        }
        default:
            r.measure = OccurrenceMeasure{rng.chance(50)};
    }
    return r;
}

std::string describe(const BehaviorRule& r, int64_t as_of) {
    Audience a;
    a.root.rules.push_back(r);
    nlohmann::json j;
    to_json(j, a);
    return j.dump() + " as of " + format_timestamp_us(as_of);
}

// Random rules on `fixture`, each evaluated through the index and by the plain scan.
// Returns how many rules split the users (some members, not all), to show the rules bite.
int check_random_rules(const RandomModel& fixture, uint64_t seed, int rules) {
    Rng rng{seed};
    std::vector<int64_t> as_ofs = fixture.times;
    as_ofs.push_back(fixture.times.back() + 400 * D);  // past every event
    as_ofs.push_back(fixture.times.front() - 400 * D); // before every event (times are unsorted: near enough)
    int mixed = 0;                                     // rules that split the users: some members, not all
    for (int i = 0; i < rules; i++) {
        const BehaviorRule rule = random_rule(rng, fixture.events, fixture.times);
        const int64_t as_of = rng.pick(as_ofs) + int64_t(rng.below(3)) - 1;
        Audience a;
        a.root.rules.push_back(rule);
        EvalResult r = evaluate(a, EvalContext{fixture.model, as_of, 0, nullptr});
        INFO(describe(rule, as_of));
        INFO(join_errors(r.errors));
        REQUIRE(r.ok());
        const Bitmap expected = scan(fixture.model, rule, as_of);
        CHECK(segx::test::members(fixture.model, r.users) == segx::test::members(fixture.model, expected));
        // The same rule through each view, forced.
        for (BehaviorPlan plan : {BehaviorPlan::Postings, BehaviorPlan::TimeSlice}) {
            set_behavior_plan_for_tests(plan);
            EvalResult forced = evaluate(a, EvalContext{fixture.model, as_of, 0, nullptr});
            set_behavior_plan_for_tests(BehaviorPlan::Auto);
            const char* forced_plan =
                plan == BehaviorPlan::Postings ? "forced: postings" : "forced: time slice";
            INFO(forced_plan);
            REQUIRE(forced.ok());
            CHECK(segx::test::members(fixture.model, forced.users) ==
                  segx::test::members(fixture.model, expected));
        }
        size_t n = expected.count_set();
        mixed += n > 0 && n < expected.size;
    }
    return mixed;
}

} // namespace

TEST_CASE("behavior rules through the event index match a plain scan: random rules, random models") {
    const int64_t center = segx::test::A;
    SUBCASE("times within a year; users without events, inside and past the slices") {
        CHECK(check_random_rules(random_model(42, 400, 380, center, false), 7, 3000) > 1000);
    }
    SUBCASE("times over two years: narrow windows hold a small part of each name's history") {
        CHECK(check_random_rules(random_model(777, 500, 480, center, false, 1460), 23, 3000) > 500);
    }
    SUBCASE("a few events 300 years away: most days are the index's last, open-ended one") {
        CHECK(check_random_rules(random_model(4242, 300, 300, center, true), 11, 3000) > 1000);
    }
    SUBCASE("no events at all") { check_random_rules(random_model(1, 20, 0, center, false), 13, 200); }
}

TEST_CASE("behavior rules on the hand-worked fixture match a plain scan, through build_model's index") {
    const Model& m = segx::test::fixture_model();
    REQUIRE(m.event_index.fits(m.events));
    RandomModel fixture;
    fixture.model = m;
    fixture.events = {"purchase", "view"};
    fixture.times = m.events.time;
    CHECK(check_random_rules(fixture, 99, 1000) > 200);
}

TEST_CASE("a model without an index (filled by hand) gives the same answers") {
    RandomModel fixture = random_model(5, 200, 200, segx::test::A, false);
    RandomModel bare = fixture;
    bare.model.event_index = EventIndex();
    Rng rng{17};
    for (int i = 0; i < 300; i++) {
        const BehaviorRule rule = random_rule(rng, fixture.events, fixture.times);
        const int64_t as_of = rng.pick(fixture.times);
        Audience a;
        a.root.rules.push_back(rule);
        INFO(describe(rule, as_of));
        CHECK(evaluate(a, EvalContext{fixture.model, as_of, 0, nullptr}).users.words ==
              evaluate(a, EvalContext{bare.model, as_of, 0, nullptr}).users.words);
    }
}

TEST_CASE("all-time revenue sums read the model's per-user totals and agree with the event scan") {
    // Fixture users include buyers with and without revenue and users who never bought.
    const Model& m = segx::test::fixture_model();
    REQUIRE(m.aggregates.has_revenue.size() == m.users.size());
    const double thresholds[] = {-1, 0, 10, 25.5, 100, 1e9};
    const Op ops[] = {Op::Gte, Op::Gt, Op::Lte, Op::Lt, Op::Eq, Op::Neq, Op::Between};
    size_t nonempty = 0;
    for (bool did : {true, false})
        for (Op op : ops)
            for (double x : thresholds)
                for (int64_t as_of : {m.max_time_us, m.max_time_us + 1000, m.max_time_us - 1}) {
                    BehaviorRule rule;
                    rule.did = did;
                    rule.event = "purchase";
                    rule.measure = AggregateMeasure{
                        AggregateFn::Sum, "", op,
                        op == Op::Between ? std::vector<double>{x, x + 50} : std::vector<double>{x}};
                    Audience a;
                    a.root.rules.push_back(rule);
                    INFO("did " << did << " op " << op_name(op) << " x " << x << " as_of " << as_of);
                    set_behavior_plan_for_tests(BehaviorPlan::Postings); // the event scan
                    const Bitmap scan = evaluate(a, EvalContext{m, as_of, 0, nullptr}).users;
                    set_behavior_plan_for_tests(
                        BehaviorPlan::Auto); // the totals, when as-of covers every event
                    const Bitmap fast = evaluate(a, EvalContext{m, as_of, 0, nullptr}).users;
                    CHECK(fast.words == scan.words);
                    nonempty += fast.count_set() > 0 && fast.count_set() < m.users.size();
                }
    CHECK(nonempty > 20);
}

} // namespace core_audience_behavior_index_test
