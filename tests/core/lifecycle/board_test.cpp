// core/lifecycle board: a small shop's nine numbers computed by hand, the groups at the dormancy
// edge and at the period's edges, the previous period, the activity event, and errors.
#include "core/lifecycle/board.h"
#include "../retention/cohort_fixture.h"
#include "core/lifecycle/json.h"

namespace core_lifecycle_board_test {

using namespace segx;
using namespace segx::test;

namespace {

// As-of A = 2024-03-31 00:00. Period (2024-03-01, 2024-03-31]; D = 30 days, so the dormancy
// window is (2024-01-31, 2024-03-01]. Previous period (2024-01-31, 2024-03-01], its dormancy
// window (2024-01-01, 2024-01-31].
Model shop(bool index) {
    return cohort_model({"n1", "n2", "r1", "r2", "d1", "d2", "x", "y"},
                        {
                            {"n1", "2024-03-05", "view"},
                            {"n1", "2024-03-06", "purchase", 60, "o1"}, // two line items of one order
                            {"n1", "2024-03-06", "purchase", 40, "o1"},
                            {"n2", "2024-03-31", "view"}, // exactly e: in the period
                            {"r1", "2024-02-15", "view"}, // in the dormancy window
                            {"r1", "2024-03-10", "purchase", 50, "o2"},
                            {"r1", "2024-03-20", "purchase", 30}, // no order id: one order
                            {"r2", "2024-03-01", "view"}, // exactly s: before the period, in the window
                            {"d1", "2023-12-01", "view"},
                            {"d1", "2024-03-15", "purchase", 200, "o3"},  // a dormant user buying again
                            {"d2", "2024-01-31", "view"},                 // exactly s - D: outside the window
                            {"x", "2024-03-31T00:00:00.000001Z", "view"}, // after as-of
                        },
                        {}, index);
}

const int64_t A = at("2024-03-31");

BoardResult run_on(const Model& m, const std::string& text, int64_t as_of = A) {
    BoardValidation v = parse_board(text);
    INFO(join_errors(v.errors));
    REQUIRE(v.ok());
    BoardResult r = run_board_engine(v.board, LifecycleContext{m, as_of, nullptr});
    INFO(join_errors(r.errors));
    REQUIRE(r.ok());
    return r;
}

// "pool active buyers orders revenue"
std::string stats(const BoardPeriod& p, BoardGroup g) {
    const BoardGroupStats& s = p.group(g);
    return std::to_string(s.pool) + " " + std::to_string(s.active) + " " + std::to_string(s.buyers) + " " +
           std::to_string(s.orders) + " " + format_double(s.revenue);
}

} // namespace

TEST_CASE("a small shop's nine numbers, by hand") {
    for (bool index : {false, true}) {
        CAPTURE(index);
        Model m = shop(index);
        BoardResult r = run_on(m, R"({"segx": 1, "kind": "board", "dormant_days": 30})");
        CHECK(r.current.from_us == at("2024-03-01"));
        CHECK(r.current.to_us == A);
        CHECK(stats(r.current, BoardGroup::New) == "2 2 1 1 100");
        CHECK(stats(r.current, BoardGroup::Returning) == "2 1 1 2 80");
        CHECK(stats(r.current, BoardGroup::Dormant) == "2 1 1 1 200");
        // Traffic, conversion, average order value.
        const BoardGroupStats& n = r.current.group(BoardGroup::New);
        const BoardGroupStats& ret = r.current.group(BoardGroup::Returning);
        const BoardGroupStats& d = r.current.group(BoardGroup::Dormant);
        CHECK(board_traffic(BoardGroup::New, n) == 2);
        CHECK(*board_conversion(BoardGroup::New, n) == 0.5);
        CHECK(*board_aov(n) == 100);
        CHECK(board_traffic(BoardGroup::Returning, ret) == 1);
        CHECK(*board_conversion(BoardGroup::Returning, ret) == 1.0);
        CHECK(*board_aov(ret) == 40);
        CHECK(board_traffic(BoardGroup::Dormant, d) == 2); // the pool
        CHECK(*board_conversion(BoardGroup::Dormant, d) == 0.5);
        CHECK(*board_aov(d) == 200);

        // Previous period (2024-01-31, 2024-03-01]: r1 and r2 are new (r2 at its closed end), d2
        // returning (its visit at 2024-01-31 00:00 is in (2024-01-01, 2024-01-31]), d1 dormant.
        CHECK(r.previous.from_us == at("2024-01-31"));
        CHECK(r.previous.to_us == at("2024-03-01"));
        CHECK(stats(r.previous, BoardGroup::New) == "2 2 0 0 0");
        CHECK(stats(r.previous, BoardGroup::Returning) == "1 0 0 0 0");
        CHECK(stats(r.previous, BoardGroup::Dormant) == "1 0 0 0 0");
        CHECK_FALSE(
            board_conversion(BoardGroup::Returning, r.previous.group(BoardGroup::Returning)).has_value());
        CHECK(*board_conversion(BoardGroup::Dormant, r.previous.group(BoardGroup::Dormant)) == 0);
        CHECK_FALSE(board_aov(r.previous.group(BoardGroup::New)).has_value());
    }
}

TEST_CASE("the activity event decides the groups; purchases still count for buyers") {
    Model m = shop(false);
    BoardResult r = run_on(m, R"({"segx": 1, "kind": "board", "dormant_days": 30, "event": "view"})");
    CHECK(stats(r.current, BoardGroup::New) == "2 2 1 1 100");
    CHECK(stats(r.current, BoardGroup::Returning) == "2 0 1 2 80"); // r1 only purchased in the period
    CHECK(stats(r.current, BoardGroup::Dormant) == "2 0 1 1 200");
}

TEST_CASE("the dormancy threshold moves users between returning and dormant") {
    Model m = shop(false);
    // D = 31 days: (2024-01-30, 2024-03-01] now holds d2's visit.
    BoardResult r = run_on(m, R"({"segx": 1, "kind": "board", "dormant_days": 31})");
    CHECK(stats(r.current, BoardGroup::Returning) == "3 1 1 2 80");
    CHECK(stats(r.current, BoardGroup::Dormant) == "1 1 1 1 200");
    // The default, 90 days: (2023-12-02, 2024-03-01] still leaves out d1's 2023-12-01 visit; 92 take it in.
    BoardResult d90 = run_on(m, R"({"segx": 1, "kind": "board"})");
    CHECK(stats(d90.current, BoardGroup::Returning) == "3 1 1 2 80");
    CHECK(stats(d90.current, BoardGroup::Dormant) == "1 1 1 1 200");
    CHECK(run_on(m, R"({"segx": 1, "kind": "board", "dormant_days": 92})")
              .current.group(BoardGroup::Dormant)
              .pool == 0);
}

TEST_CASE("a from/to period, clipped at as-of, and the users of each group") {
    Model m = shop(true);
    BoardValidation v =
        parse_board(R"({"segx": 1, "kind": "board", "period": {"from": "2024-03-08", "to": "2024-04-30"},
                                       "dormant_days": 30})");
    REQUIRE(v.ok());
    LifecycleContext ctx{m, A, nullptr};
    BoardResult r = run_board_engine(v.board, ctx);
    REQUIRE(r.ok());
    CHECK(r.current.from_us == at("2024-03-08"));
    CHECK(r.current.to_us == A);                   // never past as-of
    CHECK(r.previous.from_us == at("2024-02-14")); // 23 days before 2024-03-08
    // (2024-02-07, 2024-03-08] holds n1, r1 and r2's visits: n2 is new, n1 r1 r2 returning, d1 d2 dormant.
    CHECK(stats(r.current, BoardGroup::New) == "1 1 0 0 0");
    CHECK(stats(r.current, BoardGroup::Returning) == "3 1 1 2 80");
    CHECK(stats(r.current, BoardGroup::Dormant) == "2 1 1 1 200");
    BoardGroups g = board_groups(v.board, ctx);
    REQUIRE(g.ok());
    std::string out;
    for (size_t u = 0; u < g.groups.size(); u++)
        out += (u ? " " : "") + std::string(m.users.id(uint32_t(u))) + "=" + board_group_name(g.groups[u]);
    CHECK(out == "n1=returning n2=new r1=returning r2=returning d1=dormant d2=dormant x=none y=none");
}

TEST_CASE("board errors name their paths") {
    Model m = shop(false);
    auto errors = [&](const std::string& text) {
        BoardValidation v = parse_board(text);
        REQUIRE(v.ok());
        return join_errors(run_board_engine(v.board, LifecycleContext{m, A, nullptr}).errors);
    };
    CHECK(errors(R"({"segx": 1, "kind": "board", "period": {"from": "2024-03-31"}})") ==
          "period.from: must be before as-of (2024-03-31 00:00:00): the period (from, to] holds no time up "
          "to as-of");
    CHECK(errors(R"({"segx": 1, "kind": "board", "event": "visit"})")
              .rfind("event: unknown event \"visit\"", 0) == 0);
    Board all_time;
    all_time.period = WindowAllTime{};
    CHECK(join_errors(run_board_engine(all_time, LifecycleContext{m, A, nullptr}).errors) ==
          "period: expected {\"last_days\": N} or {\"from\", \"to\"}");
}

} // namespace core_lifecycle_board_test
