// core/lifecycle JSON for lifecycle and board definitions: defaults, exact round trip, and
// strict reading with every problem at its JSON path.
#include "core/lifecycle/json.h"

#include <doctest/doctest.h>

namespace core_lifecycle_json_test {

using namespace segx;
using nlohmann::json;

TEST_CASE("lifecycle: defaults and exact round trip") {
    LifecycleValidation v = parse_lifecycle(R"({"segx": 1, "kind": "lifecycle"})");
    REQUIRE(v.ok());
    CHECK(v.lifecycle.period == PeriodUnit::Week);
    CHECK(v.lifecycle.event.empty());
    CHECK(v.lifecycle.periods == 12);
    CHECK(json(v.lifecycle) == json::parse(R"({"segx": 1, "kind": "lifecycle", "id": "", "name": "",
        "period": "week", "periods": 12})"));
    const char* full = R"({"segx": 1, "kind": "lifecycle", "id": "l1", "name": "日活", "period": "day",
        "event": "login", "periods": 1000, "audience": {"audience": "vip"}})";
    v = parse_lifecycle(full);
    REQUIRE(v.ok());
    CHECK(json(v.lifecycle) == json::parse(full));
    Lifecycle back;
    from_json(json::parse(full), back);
    CHECK(back == v.lifecycle);
}

TEST_CASE("board: defaults and exact round trip") {
    BoardValidation v = parse_board(R"({"segx": 1, "kind": "board"})");
    REQUIRE(v.ok());
    CHECK(v.board.period == TimeWindow{WindowLastDays{30}});
    CHECK(v.board.dormant_days == 90);
    CHECK(json(v.board) == json::parse(R"({"segx": 1, "kind": "board", "id": "", "name": "",
        "period": {"last_days": 30}, "dormant_days": 90})"));
    for (
        const char* full : {
            R"({"segx": 1, "kind": "board", "id": "b1", "name": "九宫格", "period": {"from": "2024-03-01", "to": "2024-03-31T12:00:00Z"},
                 "dormant_days": 180, "event": "visit", "audience": {"match": "any", "rules": []}})",
            R"({"segx": 1, "kind": "board", "id": "", "name": "", "period": {"from": "2024-03-01"}, "dormant_days": 1})",
        }) {
        CAPTURE(full);
        v = parse_board(full);
        INFO(join_errors(v.errors));
        REQUIRE(v.ok());
        CHECK(json(v.board) == json::parse(full));
        Board back;
        from_json(json::parse(full), back);
        CHECK(back == v.board);
    }
}

TEST_CASE("lifecycle and board: strict reading, paths and messages") {
    auto lc = [](const std::string& text) { return join_errors(parse_lifecycle(text).errors); };
    auto bd = [](const std::string& text) { return join_errors(parse_board(text).errors); };
    CHECK(lc(R"({"kind": "lifecycle"})") ==
          "segx: missing: a segx lifecycle definition starts with \"segx\": 1");
    CHECK(lc(R"({"segx": 1, "kind": "board"})") == "kind: expected \"lifecycle\", got \"board\"");
    CHECK(lc(R"({"segx": 1, "kind": "lifecycle", "period": "quarter"})") ==
          "period: unknown period \"quarter\" (expected day, week or month)");
    CHECK(lc(R"({"segx": 1, "kind": "lifecycle", "periods": 0})")
              .rfind("periods: expected a whole number from 1 to 1000", 0) == 0);
    CHECK(lc(R"({"segx": 1, "kind": "lifecycle", "event": ""})") == "event: must not be empty");
    CHECK(lc(R"({"segx": 1, "kind": "lifecycle", "events": "a"})").rfind("events: unknown key", 0) == 0);
    CHECK(bd(R"({"kind": "board"})") == "segx: missing: a segx board definition starts with \"segx\": 1");
    CHECK(bd(R"({"segx": 1, "kind": "board", "period": {"to": "2024-03-01"}})") ==
          "period.from: missing: the board's period needs a start (the previous period has the same length)");
    CHECK(bd(R"({"segx": 1, "kind": "board", "period": {"last_days": 0}})")
              .rfind("period.last_days: expected a whole number of days from 1", 0) == 0);
    CHECK(bd(R"({"segx": 1, "kind": "board", "period": {"from": "2024-03-02", "to": "2024-03-01"}})") ==
          "period.to: must be after from (the window is (from, to])");
    CHECK(bd(R"({"segx": 1, "kind": "board", "period": "last month"})") ==
          "period: expected an object, got a string");
    CHECK(bd(R"({"segx": 1, "kind": "board", "dormant_days": 100001})")
              .rfind("dormant_days: expected a whole number of days from 1 to 100000", 0) == 0);
    CHECK(bd(R"({"segx": 1, "kind": "board", "audience": []})") ==
          "audience: expected an object, got an array");
    CHECK(bd(R"({"segx": 1, "kind": "board", "dormant_days": 5, "dormant_days": 6})")
              .rfind("dormant_days: duplicate key", 0) == 0);
}

} // namespace core_lifecycle_json_test
