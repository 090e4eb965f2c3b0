// Session's load bookkeeping: a load abandoned to start again (a big CSV read again whole,
// web/csv_head.js) leaves no pending table and says nothing; a failed one says why.
#include "app/session.h"

#include <doctest/doctest.h>

namespace app_session_load_test {

using namespace segx;

TEST_CASE("an abandoned load drops its pending tables without a message, and starts again") {
    Session s;
    const size_t said = s.log.size();
    s.begin_load("events.csv", 1e9, false);
    s.begin_load("other.csv", 10, false);
    REQUIRE(s.pending.size() == 2);
    s.abandon_load("events.csv");
    CHECK(s.pending.size() == 1);
    CHECK(s.pending.begin()->second.table.name == "other.csv");
    CHECK(s.log.size() == said);
    REQUIRE(s.find_source("events.csv") != nullptr);
    CHECK(s.find_source("events.csv")->state == LoadState::Loading);
    const int again = s.begin_load("events.csv", 1e9, false);
    CHECK(s.pending.count(again) == 1);
    CHECK(s.pending.size() == 2);
}

TEST_CASE("a failed load drops its pending tables and says why, naming the file") {
    Session s;
    s.begin_load("events.csv", 10, false);
    s.fail_load("events.csv", "a zero byte at offset 3");
    CHECK(s.pending.empty());
    REQUIRE(!s.log.empty());
    CHECK(s.log.back().text == "events.csv: a zero byte at offset 3");
    CHECK(s.find_source("events.csv")->state == LoadState::Failed);
}

} // namespace app_session_load_test
