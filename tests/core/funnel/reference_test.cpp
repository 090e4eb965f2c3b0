// core/funnel engine against a plain reference that enumerates every attempt literally as
// DESIGN §4 says (no cursors, no masks, no early exits), on thousands of random small users,
// every mode, with filters, entry ranges, exclusions, as-of cuts, audience filters and
// breakdowns. Small name and time alphabets make ties, repeats and window edges common.
#include "funnel_fixture.h"

#include "core/time/parse.h"

#include <map>
#include <random>

namespace core_funnel_reference_test {

using namespace segx;
using namespace segx::test;

namespace {

struct RefEvent {
    int64_t t;
    std::string name;
    std::optional<std::string> device;
    size_t row; // the model's event row
};

bool filter_hit(const EventFilter& f, const RefEvent& e) {
    switch (f.op) {
        case Op::Eq:
            return e.device && *e.device == f.values[0].text;
        case Op::Neq:
            return e.device && *e.device != f.values[0].text;
        case Op::IsNotSet:
            return !e.device;
        case Op::In:
            for (const Scalar& v : f.values)
                if (e.device && *e.device == v.text) return true;
            return false;
        default:
            FAIL("filter op not generated");
            return false;
    }
}

bool matches(const std::string& event, const std::vector<EventFilter>& where, const RefEvent& e) {
    if (e.name != event) return false;
    for (const EventFilter& f : where)
        if (!filter_hit(f, e)) return false;
    return true;
}

struct RefUser {
    int level = 0;
    std::vector<int64_t> times; // the counted attempt's step times
    size_t first_row = 0;
};

RefUser reference_user(const Funnel& f, const std::vector<RefEvent>& ev, int64_t lo, int64_t hi) {
    const size_t n = ev.size(), S = f.steps.size();
    const int64_t W = f.window.micros();
    auto step = [&](size_t k, size_t q) { return matches(f.steps[k].event, f.steps[k].where, ev[q]); };
    RefUser best;
    for (size_t a = 0; a < n; a++) {
        if (ev[a].t < lo || ev[a].t > hi) continue;
        if (f.order == FunnelOrder::Unordered) {
            bool anchor = false;
            for (size_t k = 0; k < S; k++) anchor = anchor || step(k, a);
            if (!anchor) continue;
            std::vector<int64_t> earliest;
            for (size_t k = 0; k < S; k++) {
                std::optional<int64_t> first;
                for (size_t q = 0; q < n; q++)
                    if (ev[q].t >= ev[a].t && ev[q].t <= ev[a].t + W && step(k, q) && !first) first = ev[q].t;
                if (first) earliest.push_back(*first);
            }
            if (int(earliest.size()) > best.level) {
                std::sort(earliest.begin(), earliest.end());
                best = {int(earliest.size()), earliest, ev[a].row};
            }
            continue;
        }
        if (!step(0, a)) continue;
        std::vector<size_t> pos = {a};
        for (size_t k = 1; k < S; k++) {
            std::optional<size_t> found;
            if (f.order == FunnelOrder::Strict) {
                size_t q = pos.back() + 1;
                if (q < n && step(k, q) && ev[q].t <= ev[a].t + W) found = q;
            } else {
                for (size_t q = pos.back() + 1; q < n && !found; q++)
                    if (step(k, q) && ev[q].t <= ev[a].t + W) found = q;
            }
            if (!found) break;
            pos.push_back(*found);
        }
        bool void_attempt = false;
        for (const FunnelExclusion& x : f.exclusions)
            if (pos.size() >= size_t(x.to))
                for (size_t q = pos[x.from - 1] + 1; q < pos[x.to - 1]; q++)
                    void_attempt = void_attempt || matches(x.event, x.where, ev[q]);
        if (void_attempt || int(pos.size()) <= best.level) continue;
        best.level = int(pos.size());
        best.times.clear();
        for (size_t p : pos) best.times.push_back(ev[p].t);
        best.first_row = ev[a].row;
    }
    return best;
}

void check_durations(const DurationStats& got, std::vector<int64_t> values) {
    REQUIRE(got.users == values.size());
    if (values.empty()) {
        CHECK_FALSE(got.median.has_value());
        CHECK_FALSE(got.mean.has_value());
        return;
    }
    std::sort(values.begin(), values.end());
    auto pct = [&](int p) {
        size_t rank = size_t(std::ceil(double(p) * double(values.size()) / 100.0));
        return double(values[std::max<size_t>(rank, 1) - 1]) / 1e6;
    };
    double sum = 0;
    for (int64_t v : values) sum += double(v) / 1e6;
    CHECK(*got.median == pct(50));
    CHECK(*got.p25 == pct(25));
    CHECK(*got.p75 == pct(75));
    CHECK(*got.p90 == pct(90));
    CHECK(*got.mean == doctest::Approx(sum / double(values.size())));
}

std::string iso_seconds(int s) { // T0 + s seconds, s < 60
    char buf[40];
    std::snprintf(buf, sizeof buf, "2024-01-01T00:00:%02dZ", s);
    return buf;
}

struct World {
    Model model;
    std::vector<std::vector<RefEvent>> events; // per user, in stored order
    std::vector<std::optional<std::string>> country, device_of_row;
};

// Event times are T0 + i·unit (+ 1 µs now and then, unless not `jitter`), i < 30: seconds by
// default, so windows of seconds and minutes meet their edges; hours, for windows of days. Up to
// max_events per user.
World random_world(std::mt19937& rng, size_t users, int64_t unit = S, size_t max_events = 8,
                   bool jitter = true) {
    const char* names[] = {"a", "b", "c", "x"};
    const char* devices[] = {"m", "d"};
    const char* countries[] = {"CN", "US", "JP", "KR", "FR"};
    std::vector<std::string> ids;
    std::vector<RawEvent> raw;
    World w;
    for (uint32_t u = 0; u < users; u++) {
        ids.push_back("u" + std::to_string(u));
        w.country.push_back(rng() % 6 == 0 ? std::nullopt : std::optional<std::string>(countries[rng() % 5]));
        const size_t n = rng() % (max_events + 1);
        for (size_t i = 0; i < n; i++) {
            int64_t t = T0 + int64_t(rng() % 30) * unit + (rng() % 4 == 0 && jitter ? 1 : 0);
            std::optional<std::string> device;
            if (rng() % 3) device = devices[rng() % 2];
            raw.push_back({u, t, names[rng() % 4], device});
        }
    }
    w.model = model_from(ids, raw, w.country);
    // Read the stored order back (model_from sorts stably), as the reference's input.
    const EventStore& s = w.model.events;
    w.events.resize(users);
    const Column& device = s.properties[0];
    for (size_t u = 0; u < users; u++)
        for (size_t r = s.offsets[u]; r < s.offsets[u + 1]; r++)
            w.events[u].push_back(
                {s.time[r], std::string(w.model.event_names.at(s.event[r])),
                 device.is_null(r) ? std::nullopt : std::optional<std::string>(device.format(r)), r});
    return w;
}

std::vector<EventFilter> random_where(std::mt19937& rng) {
    std::vector<EventFilter> where;
    switch (rng() % 6) {
        case 0:
            where.push_back({"device", Op::Eq, {Scalar::of("m")}, false});
            break;
        case 1:
            where.push_back({"device", Op::Neq, {Scalar::of("m")}, false});
            break;
        case 2:
            where.push_back({"device", Op::IsNotSet, {}, false});
            break;
        case 3:
            where.push_back({"device", Op::In, {Scalar::of("d"), Scalar::of("zz")}, false});
            break;
        default:
            break;
    }
    return where;
}

Funnel random_funnel(std::mt19937& rng, FunnelOrder order) {
    const char* names[] = {"a", "b", "c", "x"};
    Funnel f;
    f.order = order;
    const size_t steps = 2 + rng() % 3;
    for (size_t k = 0; k < steps; k++) f.steps.push_back({names[rng() % 3], random_where(rng)});
    f.window = {WindowUnit::Seconds, int64_t(1 + rng() % 12)};
    if (rng() % 3 == 0) f.window = {WindowUnit::Minutes, 1};
    if (rng() % 3 == 0) {
        FunnelEntry e;
        int from = int(rng() % 20);
        if (rng() % 4) e.from = iso_seconds(from);
        if (rng() % 4 || e.from.empty()) e.to = iso_seconds(from + int(rng() % 15));
        f.entry = e;
    }
    if (order != FunnelOrder::Unordered)
        for (size_t x = rng() % 3; x > 0; x--) {
            int i = 1 + int(rng() % (steps - 1));
            int j = i + 1 + int(rng() % (steps - size_t(i)));
            f.exclusions.push_back({names[rng() % 4], random_where(rng), i, j});
        }
    switch (rng() % 3) {
        case 0:
            f.breakdown = FunnelBreakdown{false, "country", int64_t(1 + rng() % 4)};
            break;
        case 1:
            f.breakdown = FunnelBreakdown{true, "device", int64_t(1 + rng() % 2)};
            break;
        default:
            break;
    }
    if (rng() % 4 == 0) f.audience = nlohmann::json{{"audience", "random"}};
    return f;
}

// Runs whose walks read the steps' times kept beside the postings (the index's PostingTimes for
// every step name), and runs that read EventStore::time.
struct TimeReads {
    size_t posting = 0, store = 0;
};
TimeReads g_reads;

void compare_one(const World& w, const Funnel& f, int64_t as_of, const Bitmap& filter, bool posting_times) {
    FunnelContext ctx{
        w.model, as_of,
        [&filter](const nlohmann::json&, const std::string&, Bitmap* users, std::vector<DefinitionError>&) {
            *users = filter;
            return true;
        }};
    ctx.posting_times = posting_times;
    FunnelResult got = run_funnel_engine(f, ctx);
    INFO(join_errors(got.errors));
    INFO("posting times " << posting_times);
    REQUIRE(got.ok());
    bool kept = posting_times && w.model.event_index.fits(w.model.events);
    for (const FunnelStep& step : f.steps) {
        const uint32_t code = *w.model.event_names.find(step.event);
        kept = kept &&
               (w.model.event_index.count(code) == 0 || w.model.event_index.starts_cache.has_times(code));
    }
    (kept ? g_reads.posting : g_reads.store)++;
    int64_t lo = INT64_MIN, hi = INT64_MAX;
    if (f.entry) {
        if (!f.entry->from.empty()) REQUIRE(parse_time_text(f.entry->from, TimeFormat::Iso, 0, &lo));
        if (!f.entry->to.empty()) REQUIRE(parse_time_text(f.entry->to, TimeFormat::Iso, 0, &hi));
    }
    const size_t S = f.steps.size(), users = w.events.size();
    std::vector<uint64_t> step_users(S, 0);
    std::vector<std::vector<int64_t>> gaps(S);
    std::vector<int64_t> convert;
    std::map<std::string, std::vector<uint64_t>> groups;
    std::vector<uint64_t> not_set(S, 0);
    uint64_t population = 0;
    REQUIRE(got.levels.size() == users);
    for (size_t u = 0; u < users; u++) {
        const bool in = f.audience.is_null() || filter.get(u);
        population += in;
        std::vector<RefEvent> ev;
        for (const RefEvent& e : w.events[u])
            if (e.t <= as_of) ev.push_back(e);
        RefUser r = in ? reference_user(f, ev, lo, hi) : RefUser{};
        INFO("user " << u << " events " << ev.size());
        REQUIRE(int(got.levels[u]) == r.level);
        for (int k = 0; k < r.level; k++) step_users[size_t(k)]++;
        for (int k = 1; k < r.level; k++)
            gaps[size_t(k)].push_back(r.times[size_t(k)] - r.times[size_t(k) - 1]);
        if (size_t(r.level) == S) convert.push_back(r.times[S - 1] - r.times[0]);
        if (f.breakdown && r.level > 0) {
            std::optional<std::string> value = w.country[u];
            if (f.breakdown->property) {
                bool found = false;
                for (const RefEvent& e : w.events[u])
                    if (e.row == r.first_row) {
                        value = e.device;
                        found = true;
                    }
                REQUIRE(found);
            }
            std::vector<uint64_t>& row = value ? groups[*value] : not_set;
            row.resize(S, 0);
            for (int k = 0; k < r.level; k++) row[size_t(k)]++;
        }
    }
    CHECK(got.population == population);
    for (size_t k = 0; k < S; k++) {
        CHECK(got.steps[k].users == step_users[k]);
        CHECK(got.steps[k].drop_off == (k ? step_users[k - 1] - step_users[k] : 0));
        if (k) check_durations(got.steps[k].from_prev, gaps[k]);
    }
    check_durations(got.time_to_convert, convert);
    std::vector<int64_t> edges = histogram_edges(f.window.micros());
    std::vector<uint64_t> buckets(edges.size() - 1, 0);
    for (int64_t v : convert) {
        size_t i = 0;
        while (i + 1 < buckets.size() && v >= edges[i + 1]) i++;
        buckets[i]++;
    }
    REQUIRE(got.histogram.size() == buckets.size());
    for (size_t i = 0; i < buckets.size(); i++) CHECK(got.histogram[i].users == buckets[i]);
    if (!f.breakdown) {
        CHECK(got.breakdown.empty());
        return;
    }
    std::vector<std::pair<std::string, std::vector<uint64_t>>> values(groups.begin(), groups.end());
    std::stable_sort(values.begin(), values.end(),
                     [](const auto& a, const auto& b) { return a.second[0] > b.second[0]; });
    std::vector<BreakdownRow> expect;
    std::vector<uint64_t> other(S, 0);
    for (size_t i = 0; i < values.size(); i++)
        if (i < size_t(f.breakdown->top))
            expect.push_back({BreakdownRow::Kind::Value, values[i].first, values[i].second});
        else
            for (size_t k = 0; k < S; k++) other[k] += values[i].second[k];
    if (values.size() > size_t(f.breakdown->top)) expect.push_back({BreakdownRow::Kind::Other, "", other});
    if (not_set[0] > 0) expect.push_back({BreakdownRow::Kind::NotSet, "", not_set});
    REQUIRE(got.breakdown.size() == expect.size());
    std::vector<uint64_t> total(S, 0);
    for (size_t i = 0; i < expect.size(); i++) {
        CHECK(int(got.breakdown[i].kind) == int(expect[i].kind));
        CHECK(got.breakdown[i].value == expect[i].value);
        CHECK(got.breakdown[i].users == expect[i].users);
        for (size_t k = 0; k < S; k++) total[k] += got.breakdown[i].users[k];
    }
    for (size_t k = 0; k < S; k++) CHECK(total[k] == got.steps[k].users); // rows add up exactly
}

// The engine both ways: with the times kept beside the postings (when the index has them) and
// reading EventStore::time alone.
void compare(const World& w, const Funnel& f, int64_t as_of, const Bitmap& filter) {
    compare_one(w, f, as_of, filter, true);
    compare_one(w, f, as_of, filter, false);
}

} // namespace

TEST_CASE("the engine equals the literal reference on random users, every mode") {
    std::mt19937 rng(20240101);
    const FunnelOrder orders[] = {FunnelOrder::Ordered, FunnelOrder::Strict, FunnelOrder::Unordered};
    size_t checked = 0;
    const TimeReads reads = g_reads;
    for (int round = 0; round < 40; round++) {
        World w = random_world(rng, 150);
        // Every other round with the per-event-name index, which lets the engine skip users.
        if (round % 2) w.model.event_index = build_event_index(w.model.events);
        Bitmap filter;
        for (size_t u = 0; u < w.events.size(); u++) filter.push_back(rng() % 3 != 0);
        for (FunnelOrder order : orders)
            for (int i = 0; i < 4; i++) {
                Funnel f = random_funnel(rng, order);
                nlohmann::json j;
                to_json(j, f);
                INFO(j.dump());
                Funnel back;
                from_json(j, back); // every generated funnel is a valid document
                CHECK(back == f);
                const int64_t as_of = rng() % 3 == 0 ? T0 + int64_t(rng() % 30) * S : w.model.max_time_us;
                compare(w, f, as_of, filter);
                checked += w.events.size();
            }
    }
    CHECK(checked >= 50000);
    // Both ways of reading times were checked (the times kept need the index and room in its budget).
    CHECK(g_reads.posting - reads.posting >= 50);
    CHECK(g_reads.store - reads.store >= 50);
}

TEST_CASE("windows of hours and days over events days apart; many users") {
    // Windows that end exactly on an event or a day edge over events 6 hours apart for a week,
    // funnels whose every step-1 event can start (no entry, no step-1 filter: the engine then
    // reads no time for users without a step 2), and two rounds of 12 000 users, so that
    // thousands of users reach each step (percentiles by histogram: duration_stats).
    std::mt19937 rng(20261204);
    const FunnelOrder orders[] = {FunnelOrder::Ordered, FunnelOrder::Strict, FunnelOrder::Unordered};
    const int64_t hour = 3600 * S;
    const TimeReads reads = g_reads;
    for (int round = 0; round < 8; round++) {
        // Odd rounds in whole hours: the index keeps the times (in seconds) beside the postings.
        World w = random_world(rng, round < 2 ? 12000 : 400, 6 * hour, 8, round % 2 == 0);
        w.model.event_index = build_event_index(w.model.events);
        Bitmap all;
        for (size_t u = 0; u < w.events.size(); u++) all.push_back(true);
        for (FunnelOrder order : orders)
            for (int i = 0; i < 4; i++) {
                Funnel f = random_funnel(rng, order);
                f.audience = nullptr;
                f.window = rng() % 2 ? FunnelWindow{WindowUnit::Days, int64_t(1 + rng() % 3)}
                                     : FunnelWindow{WindowUnit::Hours, int64_t(6 * (1 + rng() % 8))};
                if (f.entry) {
                    f.entry->from = f.entry->from.empty() ? "" : "2024-01-02T00:00:00Z";
                    f.entry->to = f.entry->to.empty() ? "" : "2024-01-05T12:00:00Z";
                }
                if (i % 2 == 0) { // every step-1 event can start (engine.cpp, any_start_)
                    f.exclusions.clear();
                    f.steps[0].where.clear();
                    f.entry.reset();
                }
                nlohmann::json j;
                to_json(j, f);
                INFO(j.dump());
                const int64_t as_of =
                    rng() % 4 == 0 ? T0 + int64_t(rng() % 30) * 6 * hour : w.model.max_time_us;
                compare(w, f, as_of, all);
            }
    }
    CHECK(g_reads.posting - reads.posting >= 10);
}

TEST_CASE("funnels whose every step-1 event starts an attempt, over users with many events") {
    // The engine's grouped attempts (engine.cpp, user_ordered_fast / user_strict_fast: no
    // entry, no step-1 filter, no exclusions, step-1 events before as-of), and unordered funnels
    // with every event an anchor and users of one step name at level 1: up to 24 events per
    // user over 3 names, so that users have many starts between step-2 events and counted
    // starts other than the first; breakdowns by the step-1 event's property check the counted
    // start, the percentiles its times. As-of cuts later steps' events only, or step 1's too
    // (the general walk).
    std::mt19937 rng(20261205);
    const FunnelOrder orders[] = {FunnelOrder::Ordered, FunnelOrder::Strict, FunnelOrder::Unordered};
    const TimeReads reads = g_reads;
    for (int round = 0; round < 24; round++) {
        World w = random_world(rng, round < 4 ? 5000 : 300, S, 24);
        if (round % 4) w.model.event_index = build_event_index(w.model.events);
        Bitmap filter;
        for (size_t u = 0; u < w.events.size(); u++) filter.push_back(rng() % 4 != 0);
        for (FunnelOrder order : orders)
            for (int i = 0; i < 6; i++) {
                Funnel f = random_funnel(rng, order);
                f.exclusions.clear();
                f.steps[0].where.clear();
                f.entry.reset();
                if (order == FunnelOrder::Unordered && i < 4) {
                    // No filters, each step its own name: users holding one name are level 1
                    // at once (engine.cpp, the unordered any_start_).
                    const char* names[] = {"a", "b", "c"};
                    const size_t first = rng() % 3;
                    f.steps.resize(std::min<size_t>(f.steps.size(), 3));
                    for (size_t k = 0; k < f.steps.size(); k++) f.steps[k] = {names[(first + k) % 3], {}};
                }
                if (i % 2 == 0) f.breakdown = FunnelBreakdown{true, "device", 2};
                nlohmann::json j;
                to_json(j, f);
                INFO(j.dump());
                const int64_t as_of = i % 3 == 2 ? T0 + int64_t(rng() % 30) * S : w.model.max_time_us;
                compare(w, f, as_of, filter);
            }
    }
    CHECK(g_reads.posting - reads.posting >= 100);
}

} // namespace core_funnel_reference_test
