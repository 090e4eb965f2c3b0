// Times from year 1 to 9999 and amounts up to 1e308 (issue 17, defect 1): a model holding them
// is safe for every structure keyed by day or period and every sum, or the row is refused with
// a reason naming it. Every kind of definition runs and compiles over such a model, at an as-of
// on either edge, and answers (ok, or errors): no out-of-bounds access, no giant allocation, no
// exception (the sanitizer build, tests/fuzz's extreme_values target, runs this file too).
#include "../model/chunk_fixture.h"
#include "core/audience/insight.h"
#include "core/model/model.h"
#include "core/model/overview.h"
#include "core/run/definition_sql.h"
#include "core/run/run.h"
#include "core/time/civil.h"
#include "core/time/parse.h"

#include <doctest/doctest.h>

#include <cmath>
#include <limits>

namespace core_run_extreme_values_test {

using namespace segx;
using namespace segx::test;
using nlohmann::json;

namespace {

int64_t at(int y, unsigned m, unsigned d) { return days_from_civil(y, m, d) * kMicrosPerDay; }
const int64_t kYear1 = at(1, 1, 1);
const int64_t kYear9999 = at(9999, 12, 31) + 86399 * kMicrosPerSecond;

struct Far {
    UserSource users;
    EventSource orders, events, unix_times;
    Model model;
};

const Far& far_model() {
    static const Far far = [] {
        Far f;
        UserSourceBuilder ub("customers.csv", {"signup", "ltv"});
        auto ids = texts({"u1", "u2", "u3", "u4"});
        auto signup = ints({kYear1, at(9999, 12, 31), at(1000, 1, 1), std::nullopt}, 0, ColumnType::Date);
        auto ltv = doubles({1e308, -1e308, 0, 5});
        ub.append(4, ids.chunk(), {signup.chunk(), ltv.chunk()});
        f.users = ub.finish();

        // An orders file: one order on 0001-01-01, one on 9999-12-31, a span 1000-2026,
        // amounts up to 1e15 and two beyond (refused), and a DuckDB-typed time past 9999.
        EventSourceSpec os;
        os.name = "orders.csv";
        os.kind = SourceKind::Orders;
        os.time_is_epoch_us = true;
        os.revenue_required = true;
        EventSourceBuilder ob(os);
        auto user = texts({"u1", "u2", "u3", "u3", "u4", "u4", "u4"});
        auto time = ints({kYear1, kYear9999, at(1000, 6, 1), at(2026, 1, 1), at(2025, 1, 1), at(2025, 2, 1),
                          kMaxTimeUs + 1});
        auto amount = doubles({10, 20, 1e15, 1e15, 1e308, -1e308, 1});
        auto order = texts({"o1", "o2", "o3", "o4", "o5", "o6", "o7"});
        ob.append(7, user.chunk(), time.chunk(), ValueChunk::none(), amount.chunk(), order.chunk(), {});
        f.orders = ob.finish();

        EventSourceSpec es;
        es.name = "events.csv";
        es.time_is_epoch_us = true;
        EventSourceBuilder eb(es);
        auto euser = texts({"u1", "u1", "u2", "u3", "u3", "u4"});
        auto etime =
            ints({kYear1, at(1000, 1, 1), kYear9999, at(1500, 3, 1), at(2026, 2, 28), at(2024, 1, 1)});
        auto event = texts({"view", "view", "view", "signup", "view", "signup"});
        eb.append(6, euser.chunk(), etime.chunk(), event.chunk(), ValueChunk::none(), ValueChunk::none(), {});
        f.events = eb.finish();

        // Unix seconds with one value in milliseconds among them.
        EventSourceSpec us;
        us.name = "unix.csv";
        us.time_format = TimeFormat::UnixSeconds;
        us.constant_event = "visit";
        EventSourceBuilder ub2(us);
        auto uuser = texts({"u1", "u2", "u3"});
        auto utime = ints({1706745600, 1706745600000, 1706832000});
        ub2.append(3, uuser.chunk(), utime.chunk(), ValueChunk::none(), ValueChunk::none(),
                   ValueChunk::none(), {});
        f.unix_times = ub2.finish();

        f.model = build_model({&f.users}, {&f.orders, &f.events, &f.unix_times});
        return f;
    }();
    return far;
}

const char* kDefinitions[] = {
    R"({"segx": 1, "root": {"rules": [{"kind": "behavior", "event": "purchase", "window": {"last_days": 30}}]}})",
    R"({"segx": 1, "root": {"rules": [{"kind": "behavior", "event": "view",
        "window": {"from": "0001-01-01", "to": "9999-12-31T23:59:59.999999Z"}, "count": {"op": "gte", "value": 1}}]}})",
    R"({"segx": 1, "root": {"rules": [{"kind": "behavior", "event": "purchase",
        "aggregate": {"fn": "sum", "of": "revenue", "op": "gte", "value": 1}}]}})",
    R"({"segx": 1, "root": {"match": "any", "rules": [
        {"kind": "property", "attribute": "signup", "op": "lt", "value": "0002-01-01"},
        {"kind": "property", "attribute": "ltv", "op": "gt", "value": 1e300},
        {"kind": "rfm", "segments": ["Champions"]}, {"kind": "lifecycle", "stage": "dormant", "period": "month"},
        {"kind": "lifecycle", "group": "new", "window": {"last_days": 36500}, "dormant_days": 100000}]}})",
    R"({"segx": 1, "kind": "funnel", "id": "f", "name": "f", "steps": [{"event": "view"}, {"event": "purchase"}],
        "window": {"days": 366}, "breakdown": {"attribute": "signup"}})",
    R"({"segx": 1, "kind": "retention", "id": "r", "name": "r", "period": "day", "start": {"event": "view"},
        "periods": 52, "cohorts": 1000})",
    R"({"segx": 1, "kind": "retention", "id": "r", "name": "r", "period": "month", "start": {"attribute": "signup"},
        "mode": "on_or_after", "periods": 52, "cohorts": 1000})",
    R"({"segx": 1, "kind": "retention", "id": "r", "name": "r", "period": "week", "start": {"event": "signup"},
        "return": {"event": "purchase"}, "periods": 52})",
    R"({"segx": 1, "kind": "lifecycle", "id": "l", "name": "l", "period": "day", "periods": 1000})",
    R"({"segx": 1, "kind": "lifecycle", "id": "l", "name": "l", "period": "month", "periods": 1000})",
    R"({"segx": 1, "kind": "board", "id": "b", "name": "b", "period": {"from": "0001-01-01", "to": "9999-12-31"},
        "dormant_days": 100000})",
    R"({"segx": 1, "kind": "board", "id": "b", "name": "b", "period": {"last_days": 100000}, "dormant_days": 1})",
    R"({"segx": 1, "kind": "rfm", "id": "r", "name": "r"})",
    R"({"segx": 1, "kind": "rfm", "id": "r", "name": "r", "method": "mean", "monetary": "mean_order"})",
    R"({"segx": 1, "kind": "rfm", "id": "r", "name": "r", "method": "thresholds",
        "thresholds": {"r": [1, 1000, 100000, 1000000], "m": [1, 1e6, 1e12, 1e15]}})",
};

} // namespace

TEST_CASE("times outside years 1-9999, typed or as Unix numbers, are rejected naming the row") {
    const Far& f = far_model();
    const RejectReason* late = f.orders.rejects.find("time outside years 1-9999");
    REQUIRE(late != nullptr);
    CHECK(late->count == 1);
    CHECK(late->examples[0].rfind("row 7: ", 0) == 0);
    // 1706745600000 read as seconds is in year 56,000: refused, the other two kept.
    const RejectReason* ms = f.unix_times.rejects.find("time outside years 1-9999");
    REQUIRE(ms != nullptr);
    CHECK(ms->count == 1);
    CHECK(ms->examples[0].rfind("row 2: ", 0) == 0);
    CHECK(f.unix_times.size() == 2);
    CHECK(f.model.min_time_us == kYear1);
    CHECK(f.model.max_time_us == kYear9999);
}

TEST_CASE("amounts beyond 1e15 are rejected naming the row; sums of the rest stay finite") {
    const Far& f = far_model();
    const RejectReason* huge = f.orders.rejects.find("amount beyond 1e15");
    REQUIRE(huge != nullptr);
    CHECK(huge->count == 2);
    CHECK(huge->examples[0].rfind("row 5: ", 0) == 0);
    CHECK(huge->examples[1].rfind("row 6: ", 0) == 0);
    Overview o = compute_overview(f.model);
    CHECK(std::isfinite(o.revenue));
    CHECK(o.revenue == 2e15 + 30); // o1 + o2 + o3 + o4: exact in a double
    CHECK(std::isfinite(o.net_revenue));
}

TEST_CASE("the events-per-day chart of a 0001-9999 model is one century, the rest counted outside") {
    Overview o = compute_overview(far_model().model);
    REQUIRE(!o.per_day.empty());
    CHECK(o.per_day.size() <= size_t(kMaxChartDays));
    uint64_t on_chart = 0;
    for (const DayCount& d : o.per_day) on_chart += d.events;
    CHECK(on_chart + o.per_day_outside == o.events);
    CHECK(o.per_day_outside > 0);
    // The busiest century holds the 2024-2026 events.
    CHECK(o.per_day.front().day <= days_from_civil(2024, 1, 1));
    CHECK(o.per_day.back().day >= days_from_civil(2026, 2, 28));
}

TEST_CASE("every kind of definition runs and compiles over a model of years 1-9999, as of either edge") {
    const Model& model = far_model().model;
    SavedDefinitions saved;
    for (int64_t as_of : {model.max_time_us, kYear1, at(2026, 3, 1), kYear9999}) {
        RunContext ctx{model, as_of, 1, &saved};
        for (const char* text : kDefinitions) {
            json ran = run_definition(ctx, std::string_view(text), RunOptions{true, true});
            INFO(format_timestamp_us(as_of), " ", text, "\n", ran.dump().substr(0, 600));
            CHECK(ran.contains("ok"));
            if (!ran["ok"].get<bool>())
                for (const json& e : ran["errors"])
                    CHECK(e["message"].get<std::string>().rfind("internal error", 0) != 0);
            json sql = definition_sql(ctx, std::string_view(text));
            CHECK(sql.contains("ok"));
            if (!sql["ok"].get<bool>())
                for (const json& e : sql["errors"])
                    CHECK(e["message"].get<std::string>().rfind("internal error", 0) != 0);
        }
        Bitmap everyone;
        everyone.size = model.users.size();
        everyone.words.assign((everyone.size + 63) / 64, ~uint64_t(0));
        if (everyone.size % 64) everyone.words.back() &= (uint64_t(1) << (everyone.size % 64)) - 1;
        InsightOptions options;
        options.as_of_us = as_of;
        AudienceInsight insight = compute_insight(model, everyone, options);
        CHECK(insight.members == model.users.size());
    }
}

} // namespace core_run_extreme_values_test
