// core/lifecycle engine on a hand-worked fixture: transitions over weeks across the 2024/2025
// boundary (new, returning, resurrecting, dormant), the activity event or any event, as-of
// mid-week, and each user's stage in the week holding as-of.
#include "core/lifecycle/engine.h"
#include "../retention/cohort_fixture.h"
#include "core/lifecycle/json.h"

namespace core_lifecycle_engine_test {

using namespace segx;
using namespace segx::test;

namespace {

// Weeks W0 = 2024-12-09, W1 = 12-16, W2 = 12-23, W3 = 12-30 (ISO week 1 of 2025), W4 = 2025-01-06;
// as-of Wednesday 2025-01-08 12:00.
Model weekly(bool index) {
    return cohort_model({"a", "b", "c", "d", "e", "f", "g", "h"},
                        {
                            {"a", "2024-12-16", "visit"},                  // W1 (its first microsecond)
                            {"a", "2024-12-29T23:59:59.999999Z", "visit"}, // W2 (its last)
                            {"a", "2025-01-07", "visit"},                  // W4
                            {"b", "2024-12-23 10:00", "visit"},            // W2: first ever
                            {"b", "2025-01-05", "visit"},                  // W3
                            {"c", "2024-12-20", "visit"},                  // W1 only
                            {"d", "2024-12-10", "visit"},                  // W0
                            {"d", "2025-01-01", "visit"},                  // W3
                            {"e", "2025-01-08 12:00", "visit"},            // W4, exactly at as-of
                            {"f", "2025-01-08T12:00:00.000001Z", "visit"}, // after as-of: never active
                            {"g", "2024-12-31", "purchase"},               // W3, not a visit
                        },
                        {}, index);
}

LifecycleResult run_on(const Model& m, const std::string& text, int64_t as_of) {
    LifecycleValidation v = parse_lifecycle(text);
    INFO(join_errors(v.errors));
    REQUIRE(v.ok());
    LifecycleResult r = run_lifecycle_engine(v.lifecycle, LifecycleContext{m, as_of, nullptr});
    INFO(join_errors(r.errors));
    REQUIRE(r.ok());
    return r;
}

// "2024-12-23 n1 r1 s0 d1" per period, plus "*" when incomplete.
std::string table(const LifecycleResult& r) {
    std::string out;
    for (const LifecyclePeriod& p : r.periods)
        out += (out.empty() ? "" : " | ") + format_date_us(p.start_us) + " n" + std::to_string(p.new_users) +
               " r" + std::to_string(p.returning) + " s" + std::to_string(p.resurrecting) + " d" +
               std::to_string(p.dormant) + (p.complete ? "" : "*");
    return out;
}

std::string stages(const Model& m, const std::string& text, int64_t as_of) {
    LifecycleValidation v = parse_lifecycle(text);
    REQUIRE(v.ok());
    StagesInPeriod s = stages_in_period(v.lifecycle, LifecycleContext{m, as_of, nullptr});
    REQUIRE(s.ok());
    std::string out;
    for (size_t u = 0; u < s.stages.size(); u++)
        out +=
            (u ? " " : "") + std::string(m.users.id(uint32_t(u))) + "=" + stage_in_period_name(s.stages[u]);
    return out;
}

const int64_t kAsOf = at("2025-01-08 12:00");

} // namespace

TEST_CASE("weekly lifecycle across the year boundary: every transition, by hand") {
    for (bool index : {false, true}) {
        CAPTURE(index);
        Model m = weekly(index);
        const char* visits =
            R"({"segx": 1, "kind": "lifecycle", "period": "week", "event": "visit", "periods": 3})";
        LifecycleResult r = run_on(m, visits, kAsOf);
        // W2: b new, a returning (W1, W2), c dormant (W1 only).
        // W3: b returning, d resurrecting (W0, then W3), a dormant.
        // W4: e new, a resurrecting, b and d dormant.
        CHECK(table(r) == "2024-12-23 n1 r1 s0 d1 | 2024-12-30 n0 r1 s1 d1 | 2025-01-06 n1 r0 s1 d2*");
        CHECK(r.population == 8);
        // Any event: g's purchase makes it new in W3 and dormant in W4.
        LifecycleResult any = run_on(m, R"({"segx": 1, "kind": "lifecycle", "periods": 3})", kAsOf);
        CHECK(table(any) == "2024-12-23 n1 r1 s0 d1 | 2024-12-30 n1 r1 s1 d1 | 2025-01-06 n1 r0 s1 d3*");
        CHECK(stages(m, visits, kAsOf) ==
              "a=resurrecting b=dormant c=inactive d=dormant e=new f=none g=none h=none");
        CHECK(stages(m, R"({"segx": 1, "kind": "lifecycle"})", kAsOf) ==
              "a=resurrecting b=dormant c=inactive d=dormant e=new f=none g=dormant h=none");
    }
}

TEST_CASE("the first reported period reads the one before it; as-of at a period's end completes it") {
    Model m = weekly(false);
    // One period (W4): only W3 is read before it.
    CHECK(table(run_on(m, R"({"segx": 1, "kind": "lifecycle", "event": "visit", "periods": 1})", kAsOf)) ==
          "2025-01-06 n1 r0 s1 d2*");
    CHECK(table(run_on(m, R"({"segx": 1, "kind": "lifecycle", "event": "visit", "periods": 1})",
                       at("2025-01-12T23:59:59.999999Z"))) == "2025-01-06 n2 r0 s1 d2"); // f joins
    // Days: a's visits at 2024-12-29 23:59:59.999999 and 2025-01-07 are days apart.
    CHECK(table(run_on(m,
                       R"({"segx": 1, "kind": "lifecycle", "period": "day", "event": "visit", "periods": 2})",
                       at("2024-12-30 08:00"))) == "2024-12-29 n0 r0 s1 d0 | 2024-12-30 n0 r0 s0 d1*");
}

TEST_CASE("monthly lifecycle across month ends") {
    Model m = cohort_model({"p", "q"}, {
                                           {"p", "2024-01-31T23:59:59.999999Z", "visit"}, // January
                                           {"p", "2024-02-01", "visit"},                  // February
                                           {"q", "2024-02-29 12:00", "visit"}, // February (leap day)
                                           {"q", "2024-04-01", "visit"},       // April
                                       });
    CHECK(table(run_on(m, R"({"segx": 1, "kind": "lifecycle", "period": "month", "periods": 3})",
                       at("2024-04-01"))) ==
          "2024-02-01 n1 r1 s0 d0 | 2024-03-01 n0 r0 s0 d2 | 2024-04-01 n0 r0 s1 d0*");
}

TEST_CASE("lifecycle errors name their paths") {
    Model m = weekly(false);
    LifecycleValidation v = parse_lifecycle(R"({"segx": 1, "kind": "lifecycle", "event": "visits",
                                                "audience": {"audience": "x"}})");
    REQUIRE(v.ok());
    LifecycleResult r = run_lifecycle_engine(v.lifecycle, LifecycleContext{m, kAsOf, nullptr});
    REQUIRE(r.errors.size() == 2);
    CHECK(r.errors[0].path == "event");
    CHECK(r.errors[0].message.rfind("unknown event \"visits\"", 0) == 0);
    CHECK(r.errors[1].to_string() == "audience: audience filters cannot be resolved here");
}

} // namespace core_lifecycle_engine_test
