#include "core/model/event_index.h"

#include "core/time/civil.h"

#include <doctest/doctest.h>

#include <cmath>
#include <vector>

namespace core_model_event_index_test {

using namespace segx;

namespace {

constexpr int64_t D = kMicrosPerDay;

// users[u] = that user's (time, event code) in slice order.
EventStore make_store(const std::vector<std::vector<std::pair<int64_t, uint32_t>>>& users) {
    EventStore s;
    s.offsets.push_back(0);
    for (const auto& events : users) {
        for (const auto& [t, code] : events) {
            s.time.push_back(t);
            s.event.push_back(code);
            s.values.push_back(NAN, EventStore::kNoOrder);
        }
        s.offsets.push_back(s.time.size());
    }
    return s;
}

std::vector<uint32_t> postings(const EventIndex& index, uint32_t code) {
    const uint32_t* rows = index.rows.data() + index.first(code);
    return std::vector<uint32_t>(rows, rows + index.count(code));
}

} // namespace

TEST_CASE("event index: each code's rows in CSR order, with UTC days since the earliest event's midnight") {
    const int64_t t0 = 1000 * D + 5;
    // Codes 0 and 2 used, 1 not (a name with no events left), 3 past the last code.
    EventStore s = make_store(
        {{{t0, 2}, {t0 + D, 0}, {t0 + D, 2}}, {}, {{t0 - 1, 0}, {t0 + 10 * D - 6, 0}, {t0 + 10 * D - 1, 2}}});
    EventIndex index = build_event_index(s);
    CHECK(index.fits(s));
    CHECK(index.codes() == 3);
    CHECK(postings(index, 0) == std::vector<uint32_t>{1, 3, 4});
    CHECK(postings(index, 1).empty());
    CHECK(postings(index, 2) == std::vector<uint32_t>{0, 2, 5});
    CHECK(postings(index, 3).empty());
    CHECK(index.base_time == 1000 * D); // the midnight before the earliest event (t0 - 1)
    // Days are UTC days: 1010 D - 1 µs is day 9, 1010 D + 4 µs day 10.
    CHECK(index.day == std::vector<uint16_t>{1, 0, 9, 0, 1, 10});
    CHECK(index.min_time == std::vector<int64_t>{t0 - 1, INT64_MAX, t0});
    CHECK(index.max_time == std::vector<int64_t>{t0 + 10 * D - 6, INT64_MIN, t0 + 10 * D - 1});
    CHECK(index.memory_bytes() >= 14 * s.size());

    // The time view: per code, the same ranges, ordered by (day, row), with each row's user.
    CHECK(index.by_day_row == std::vector<uint32_t>{3, 1, 4, 0, 2, 5});
    CHECK(index.by_day_user == std::vector<uint32_t>{2, 0, 2, 0, 0, 2});
    const int64_t* time = s.time.data();
    CHECK(index.first_on_or_after_day(0, -1, time) == 0);
    CHECK(index.first_on_or_after_day(0, 0, time) == 0);
    CHECK(index.first_on_or_after_day(0, 1, time) == 1);
    CHECK(index.first_on_or_after_day(0, 2, time) == 2);
    CHECK(index.first_on_or_after_day(0, 9, time) == 2);
    CHECK(index.first_on_or_after_day(0, 10, time) == 3);
    CHECK(index.first_on_or_after_day(1, 0, time) == 3); // no events: an empty range
    CHECK(index.first_on_or_after_day(2, 1, time) == 4);
    CHECK(index.first_on_or_after_day(2, 10, time) == 5);
    CHECK(index.first_on_or_after_day(2, 11, time) == 6);
    CHECK(index.stored_day(t0 - 2) == 0);
    CHECK(index.stored_day(INT64_MAX) == EventIndex::kLastDay);
}

TEST_CASE("event index: the time view keeps each user's events in CSR order, days across users") {
    // Three users whose events interleave in time; code 0 only, so the view is one range.
    const int64_t t0 = 500 * D;
    EventStore s = make_store({{{t0 + 5 * D, 0}, {t0 + 5 * D, 0}, {t0 + 9 * D, 0}},
                               {{t0, 0}, {t0 + 5 * D + 7, 0}},
                               {{t0 + 2 * D, 0}, {t0 + 9 * D - 1, 0}}});
    EventIndex index = build_event_index(s);
    CHECK(index.fits(s));
    // Days: rows 0,1 day 5; 2 day 9; 3 day 0; 4 day 5; 5 day 2; 6 day 8.
    CHECK(index.by_day_row == std::vector<uint32_t>{3, 5, 0, 1, 4, 6, 2});
    CHECK(index.by_day_user == std::vector<uint32_t>{1, 2, 0, 0, 1, 2, 0});
    CHECK(index.first_on_or_after_day(0, 3, s.time.data()) == 2);
    CHECK(index.first_on_or_after_day(0, 6, s.time.data()) == 5);
}

TEST_CASE("event index: day_of clamps to -1 before the first event and past the last day") {
    EventStore s = make_store({{{0, 0}, {int64_t(70000) * D, 0}, {INT64_MAX, 0}}});
    EventIndex index = build_event_index(s);
    CHECK(index.day_of(-1) == -1);
    CHECK(index.day_of(INT64_MIN) == -1);
    CHECK(index.day_of(0) == 0);
    CHECK(index.day_of(D - 1) == 0);
    CHECK(index.day_of(D) == 1);
    CHECK(index.day_of(int64_t(EventIndex::kLastDay) * D) == EventIndex::kLastDay);
    CHECK(index.day_of(int64_t(EventIndex::kLastDay + 1) * D) == EventIndex::kLastDay + 1);
    CHECK(index.day_of(INT64_MAX) == EventIndex::kLastDay + 1);
    // An event past the last day is stored as the last day: open-ended.
    CHECK(index.day == std::vector<uint16_t>{0, EventIndex::kLastDay, EventIndex::kLastDay});
}

TEST_CASE("event index: an empty store, and a store it was not built from") {
    EventStore empty = make_store({{}, {}});
    EventIndex index = build_event_index(empty);
    CHECK(index.fits(empty));
    CHECK(index.codes() == 0);
    CHECK(index.by_day_row.empty());
    CHECK(index.count(0) == 0);

    EventStore some = make_store({{{5, 0}}});
    CHECK_FALSE(index.fits(some));        // built for another store
    CHECK_FALSE(EventIndex().fits(some)); // none built (a Model filled by hand)
}

} // namespace core_model_event_index_test
