#include "core/model/user_starts.h"
#include "core/model/event_index.h"

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

namespace core_model_user_starts_test {

using namespace segx;

namespace {

// `users` users with 0..max_events events each, codes below `codes`, times ascending per user.
EventStore random_store(std::mt19937& rng, size_t users, uint32_t codes, size_t max_events) {
    EventStore s;
    s.offsets.push_back(0);
    for (size_t u = 0; u < users; u++) {
        const size_t n = rng() % (max_events + 1);
        for (size_t i = 0; i < n; i++) {
            s.time.push_back(int64_t(i) * 1000);
            s.event.push_back(uint32_t(rng() % codes));
            s.values.push_back(NAN, EventStore::kNoOrder);
        }
        s.offsets.push_back(s.time.size());
    }
    return s;
}

// User u's postings of `code`, the plain way: its rows carrying the code.
std::vector<uint32_t> rows_of(const EventStore& s, size_t u, uint32_t code) {
    std::vector<uint32_t> out;
    for (size_t r = s.offsets[u]; r < s.offsets[u + 1]; r++)
        if (s.event[r] == code) out.push_back(uint32_t(r));
    return out;
}

void check_starts(const EventStore& s, const EventIndex& index, uint32_t code, StartsView starts) {
    const size_t users = s.user_count();
    REQUIRE(starts[users] == index.count(code));
    for (size_t u = 0; u < users; u++) {
        const uint32_t* rows = index.rows.data() + index.first(code);
        std::vector<uint32_t> got(rows + starts[u], rows + starts[u + 1]);
        CHECK(got == rows_of(s, u, code));
    }
    // The masks of users with postings, kept (has) or computed, bit for bit.
    for (size_t u0 = 0; u0 < users; u0 += 64) {
        const size_t n = std::min<size_t>(64, users - u0);
        uint64_t want = 0;
        for (size_t j = 0; j < n; j++) want |= uint64_t(!rows_of(s, u0 + j, code).empty()) << j;
        CHECK(users_with_postings(starts, u0, n) == want);
    }
}

} // namespace

TEST_CASE("user starts: each user's postings of a name, as one range") {
    std::mt19937 rng(7);
    for (int round = 0; round < 20; round++) {
        EventStore s = random_store(rng, 1 + rng() % 60, 1 + rng() % 5, rng() % 2 ? 3 : 12);
        EventIndex index = build_event_index(s);
        for (uint32_t code = 0; code < index.codes(); code++) {
            std::vector<uint32_t> starts;
            build_user_starts(index.rows.data() + index.first(code), index.count(code), s.offsets.data(),
                              s.user_count(), &starts);
            check_starts(s, index, code, StartsView{starts.data()});
        }
    }
    // No postings at all, and users without events at the ends.
    std::vector<uint32_t> starts;
    const uint64_t offsets[] = {0, 0, 3, 3};
    build_user_starts(nullptr, 0, offsets, 3, &starts);
    CHECK(starts == std::vector<uint32_t>{0, 0, 0, 0});
}

TEST_CASE("compact starts (2 B per user) give the same ranges; a block of 65,536 postings is kept wide") {
    std::mt19937 rng(23);
    for (int round = 0; round < 20; round++) {
        EventStore s = random_store(rng, 1 + rng() % 300, 1 + rng() % 4, rng() % 2 ? 3 : 12);
        EventIndex index = build_event_index(s);
        for (uint32_t code = 0; code < index.codes(); code++) {
            std::vector<uint32_t> base;
            std::vector<uint16_t> off;
            REQUIRE(build_user_starts_compact(index.rows.data() + index.first(code), index.count(code),
                                              s.offsets.data(), s.user_count(), &base, &off));
            CHECK(base.size() == s.user_count() / 64 + 1);
            check_starts(s, index, code, StartsView{nullptr, base.data(), off.data()});
        }
    }
    // 130 users; user 70 has 65,600 events of code 0: its block (users 64..127) does not fit 16 bits.
    EventStore s;
    s.offsets.push_back(0);
    for (size_t u = 0; u < 130; u++) {
        const size_t n = u == 70 ? 65600 : 3;
        for (size_t i = 0; i < n; i++) {
            s.time.push_back(int64_t(i) * 1000);
            s.event.push_back(uint32_t(u == 70 ? 0 : i % 2));
            s.values.push_back(NAN, EventStore::kNoOrder);
        }
        s.offsets.push_back(s.time.size());
    }
    EventIndex index = build_event_index(s);
    std::vector<uint32_t> base;
    std::vector<uint16_t> off;
    CHECK_FALSE(
        build_user_starts_compact(index.rows.data(), index.count(0), s.offsets.data(), 130, &base, &off));
    CHECK(build_user_starts_compact(index.rows.data() + index.first(1), index.count(1), s.offsets.data(), 130,
                                    &base, &off));
    std::vector<std::vector<uint32_t>> scratch;
    const uint32_t codes[] = {0, 1};
    StartsView out[2];
    index.user_starts(s, codes, 2, out, scratch);
    CHECK(out[0].wide != nullptr);
    CHECK(out[1].wide == nullptr);
    check_starts(s, index, 0, out[0]);
    check_starts(s, index, 1, out[1]);
    CHECK(index.starts_cache.kept() == 2);
    CHECK(out[0].has != nullptr);
    CHECK(out[1].has != nullptr);
    // Each with a mask word per 64 users (3 blocks, the last one past the users).
    CHECK(index.starts_cache.memory_bytes() == 131 * 4 + 3 * 8 + UserStartsCache::kept_bytes(130));
    CHECK(UserStartsCache::kept_bytes(130) == 3 * (4 + 128) + 3 * 8);
    CHECK(UserStartsCache::kept_bytes(20) == 21 * 4 + 8); // few users: wide is smaller
}

TEST_CASE("user starts are kept with the index within 4 B per event; past it, scratch for the call") {
    std::mt19937 rng(11);
    // 100 users, 8 events each on average over 6 names: the budget (4 B/event, ~3.2 KB) holds
    // 12 names' starts (264 B each, compact).
    EventStore s = random_store(rng, 100, 6, 16);
    EventIndex index = build_event_index(s);
    const size_t budget = EventIndex::kStartsBytesPerEvent * s.size();
    const size_t each = UserStartsCache::kept_bytes(s.user_count());
    REQUIRE(budget / each >= 2);
    std::vector<std::vector<uint32_t>> scratch;
    const uint32_t codes[] = {0, 1, 2, 3, 4, 5};
    StartsView out[6];

    index.user_starts(s, codes, 2, out, scratch);
    CHECK(index.starts_cache.builds() == 2);
    CHECK(index.starts_cache.kept() == 2);
    check_starts(s, index, 0, out[0]);
    check_starts(s, index, 1, out[1]);
    const size_t before = index.memory_bytes();
    index.user_starts(s, codes, 2, out, scratch); // kept: nothing built again
    CHECK(index.starts_cache.builds() == 2);
    CHECK(index.memory_bytes() == before);

    // All six: what does not fit the budget is built for this call, and still right.
    index.user_starts(s, codes, 6, out, scratch);
    for (uint32_t c = 0; c < 6; c++) check_starts(s, index, c, out[c]);
    CHECK(index.starts_cache.kept() == std::min<size_t>(6, budget / each));
    CHECK(index.starts_cache.memory_bytes() <= budget);

    // A cache with a budget of one name evicts the least recently used one.
    UserStartsCache one;
    std::vector<UserStartsCache::Source> src;
    for (uint32_t c = 0; c < 3; c++) src.push_back({index.rows.data() + index.first(c), index.count(c), c});
    StartsView p[3];
    one.acquire(&src[0], 1, s.offsets.data(), s.user_count(), each, p, scratch);
    one.acquire(&src[1], 1, s.offsets.data(), s.user_count(), each, p, scratch);
    CHECK(one.kept() == 1);
    check_starts(s, index, 1, p[0]);
    one.acquire(src.data(), 3, s.offsets.data(), s.user_count(), each, p, scratch);
    for (uint32_t c = 0; c < 3; c++) check_starts(s, index, c, p[c]);
    CHECK(one.kept() == 1);

    // Another user count (a new model read through the same cache): nothing stale is returned.
    EventStore t = random_store(rng, 40, 3, 8);
    EventIndex other = build_event_index(t);
    std::vector<UserStartsCache::Source> src2;
    for (uint32_t c = 0; c < other.codes(); c++)
        src2.push_back({other.rows.data() + other.first(c), other.count(c), c});
    one.acquire(src2.data(), src2.size(), t.offsets.data(), t.user_count(), 1 << 20, p, scratch);
    for (uint32_t c = 0; c < other.codes(); c++) check_starts(t, other, c, p[c]);
}

TEST_CASE("warming builds names ahead of use, most events first, within the budget, evicting nothing") {
    std::mt19937 rng(5);
    // 100 users, 2.5 events each on average over 6 names: the budget holds 3 names' starts.
    EventStore s = random_store(rng, 100, 6, 5);
    EventIndex index = build_event_index(s);
    const size_t budget = EventIndex::kStartsBytesPerEvent * s.size();
    const size_t each = UserStartsCache::kept_bytes(s.user_count());
    const size_t fit = budget / each;
    REQUIRE(fit >= 3); // (one warmed name is left unused below)
    REQUIRE(fit < 6);  // some names are left for their first use

    const std::vector<uint32_t> order = index.codes_by_count();
    REQUIRE(order.size() == 6);
    for (size_t i = 1; i < order.size(); i++) CHECK(index.count(order[i - 1]) >= index.count(order[i]));

    size_t warmed = 0;
    for (uint32_t code : order) {
        if (!index.warm_user_starts(s, code)) break;
        warmed++;
    }
    CHECK(warmed == fit);
    CHECK(index.starts_cache.kept() == fit);
    CHECK(index.starts_cache.builds() == fit);
    CHECK(index.starts_cache.memory_bytes() <= budget);
    CHECK(index.warm_user_starts(s, order[0])); // kept already: nothing built
    CHECK(index.starts_cache.builds() == fit);
    CHECK_FALSE(index.warm_user_starts(s, order[fit])); // full: no eviction for a warm-up
    CHECK(index.starts_cache.kept() == fit);
    CHECK_FALSE(index.warm_user_starts(s, 99)); // not a code

    // A use of the warmed names builds nothing and reads the right ranges.
    std::vector<std::vector<uint32_t>> scratch;
    StartsView out[2];
    index.user_starts(s, order.data(), 2, out, scratch);
    CHECK(index.starts_cache.builds() == fit);
    check_starts(s, index, order[0], out[0]);
    check_starts(s, index, order[1], out[1]);
    // A name not warmed evicts a warmed one never used, not one just used.
    index.user_starts(s, &order[fit], 1, out, scratch);
    CHECK(index.starts_cache.builds() == fit + 1);
    check_starts(s, index, order[fit], out[0]);
    CHECK(index.starts_cache.kept() == fit);
    index.user_starts(s, order.data(), 2, out, scratch);
    CHECK(index.starts_cache.builds() == fit + 1); // the two used ones were kept
}

TEST_CASE("a rebuilt index starts with no kept starts") {
    std::mt19937 rng(3);
    EventStore s = random_store(rng, 30, 3, 10);
    EventIndex index = build_event_index(s);
    std::vector<std::vector<uint32_t>> scratch;
    const uint32_t codes[] = {0, 1};
    StartsView out[2];
    index.user_starts(s, codes, 2, out, scratch);
    CHECK(index.starts_cache.kept() > 0);
    // The model changes: its index is built again, and answers for the new events only.
    s.event.set(0, s.event[0] == 0 ? 1 : 0);
    index = build_event_index(s);
    CHECK(index.starts_cache.kept() == 0);
    index.user_starts(s, codes, 2, out, scratch);
    check_starts(s, index, 0, out[0]);
    check_starts(s, index, 1, out[1]);
}

TEST_CASE("posting times: exact in the coarsest unit that fits, else absent") {
    const int64_t s = 1000000;
    const int64_t base = 1767225600 * s; // 2026-01-01
    const auto times_of = [](const std::vector<int64_t>& t, std::vector<uint32_t>* v, int64_t* b,
                             int64_t* u) {
        std::vector<uint32_t> rows(t.size());
        for (size_t k = 0; k < t.size(); k++) rows[k] = uint32_t(k);
        const auto [lo, hi] = std::minmax_element(t.begin(), t.end());
        return build_posting_times(rows.data(), rows.size(), t.data(), *lo, *hi, v, b, u);
    };
    const auto check_exact = [&](const std::vector<int64_t>& t, int64_t unit) {
        std::vector<uint32_t> v;
        int64_t b = 0, u = 0;
        REQUIRE(times_of(t, &v, &b, &u));
        CHECK(u == unit);
        REQUIRE(v.size() == t.size());
        for (size_t k = 0; k < t.size(); k++) CHECK(b + int64_t(v[k]) * u == t[k]);
    };
    // Whole seconds over ten years: seconds. A millisecond over 40 days: ms. A µs within the hour: µs.
    check_exact({base + 3 * s, base, base + 86400 * 3650 * s, base + 59 * s}, s);
    check_exact({base + 40 * 86400 * s, base + 1000, base + 7 * s}, 1000);
    check_exact({base + 3, base + 3600 * s, base - 17}, 1);
    // Not exact in any unit that fits: absent, nothing kept.
    std::vector<uint32_t> v = {1, 2, 3};
    int64_t b = 0, u = 0;
    CHECK_FALSE(times_of({base, base + 1000, base + 60 * 86400 * s}, &v, &b, &u)); // ms over 60 days
    CHECK(v.empty());
    CHECK_FALSE(times_of({base, base + 1, base + 2 * 3600 * s}, &v, &b, &u)); // µs over 2 hours
    CHECK(v.empty());
    CHECK_FALSE(times_of({INT64_MIN, INT64_MAX}, &v, &b, &u)); // extreme times
    CHECK(v.empty());
}

TEST_CASE("posting times are kept beside the starts, within the same budget") {
    std::mt19937 rng(5);
    // 200 users, ~8 events each over 4 names (times: whole ms, i * 1000 µs): the budget (4 B per
    // event) holds every name's starts (528 B each) and some of their times (4 B per posting).
    EventStore s = random_store(rng, 200, 4, 16);
    EventIndex index = build_event_index(s);
    const size_t budget = EventIndex::kStartsBytesPerEvent * s.size();
    std::vector<std::vector<uint32_t>> scratch;
    const uint32_t codes[] = {0, 1, 2, 3};
    StartsView out[4];
    PostingTimes times[4];
    const auto check_times = [&](size_t i) {
        const uint32_t c = codes[i];
        REQUIRE(times[i].v != nullptr);
        CHECK(times[i].unit == 1000);
        for (size_t k = 0; k < index.count(c); k++)
            CHECK(times[i].base + int64_t(times[i].v[k]) * times[i].unit ==
                  s.time[index.rows[index.first(c) + k]]);
    };
    // Two names, times asked for the first only.
    index.user_starts(s, codes, 2, out, scratch, times, 1);
    check_starts(s, index, 0, out[0]);
    check_starts(s, index, 1, out[1]);
    check_times(0);
    CHECK(times[1].v == nullptr);
    CHECK(index.starts_cache.has_times(0));
    CHECK_FALSE(index.starts_cache.has_times(1));
    const size_t bytes = index.starts_cache.memory_bytes();
    CHECK(bytes == 2 * UserStartsCache::kept_bytes(s.user_count()) + index.count(0) * 4);
    index.user_starts(s, codes, 2, out, scratch, times, 1); // kept: nothing built again
    CHECK(index.starts_cache.memory_bytes() == bytes);
    check_times(0);
    // All four with times: every name's starts, and times as far as the budget allows.
    index.user_starts(s, codes, 4, out, scratch, times, 4);
    size_t timed = 0;
    for (size_t i = 0; i < 4; i++) {
        check_starts(s, index, codes[i], out[i]);
        if (times[i].v != nullptr) check_times(i), timed++;
    }
    CHECK(timed >= 1);
    CHECK(timed < 4); // (4 names' starts and times need 2.1 KB + 4 B per event: past the budget)
    CHECK(index.starts_cache.kept() == 4);
    CHECK(index.starts_cache.memory_bytes() <= budget);
    // Times of microseconds over more than 71 minutes fit no unit: absent, the starts still kept.
    EventStore t = random_store(rng, 50, 2, 6);
    for (size_t r = 0; r < t.size(); r++) t.time[r] = int64_t(r) * 3600000001;
    EventIndex other = build_event_index(t);
    other.user_starts(t, codes, 2, out, scratch, times, 2);
    CHECK(times[0].v == nullptr);
    CHECK(times[1].v == nullptr);
    CHECK(other.starts_cache.kept() == 2);
    check_starts(t, other, 0, out[0]);
}

TEST_CASE("posting times stay right through any sequence of calls, budgets and evictions") {
    // Random calls over 6 names with budgets from tight to ample: every starts and times handed
    // out is the asked name's (a cache that drops entries must not hand out another name's).
    std::mt19937 rng(17);
    EventStore s = random_store(rng, 120, 6, 16);
    EventIndex index = build_event_index(s);
    std::vector<std::vector<uint32_t>> scratch;
    size_t timed_seen = 0, absent_seen = 0;
    for (int round = 0; round < 5; round++) {
        // A cache per budget (an index's budget is fixed), 80 calls each.
        UserStartsCache cache;
        const size_t budget = (s.user_count() + 1) * 4 * size_t(1 + round) + rng() % (4 * s.size());
        for (int call = 0; call < 80; call++) {
            std::vector<uint32_t> codes = {0, 1, 2, 3, 4, 5};
            std::shuffle(codes.begin(), codes.end(), rng);
            const size_t n = 1 + rng() % 6, timed = rng() % (n + 1);
            std::vector<UserStartsCache::Source> src(n);
            for (size_t i = 0; i < n; i++) {
                const uint32_t c = codes[i];
                src[i] = {index.rows.data() + index.first(c), index.count(c), c};
                if (i < timed)
                    src[i].time = s.time.data(), src[i].min_time = index.min_time[c],
                    src[i].max_time = index.max_time[c];
            }
            StartsView out[6];
            PostingTimes times[6];
            cache.acquire(src.data(), n, s.offsets.data(), s.user_count(), budget, out, scratch, times);
            for (size_t i = 0; i < n; i++) {
                const uint32_t c = codes[i];
                check_starts(s, index, c, out[i]);
                if (i >= timed) CHECK(times[i].v == nullptr);
                if (times[i].v == nullptr) {
                    absent_seen++;
                    continue;
                }
                timed_seen++;
                for (size_t k = 0; k < index.count(c); k++)
                    REQUIRE(times[i].base + int64_t(times[i].v[k]) * times[i].unit ==
                            s.time[index.rows[index.first(c) + k]]);
            }
            CHECK(cache.memory_bytes() <= budget); // kept within the budget
        }
    }
    CHECK(timed_seen > 100);
    CHECK(absent_seen > 100);
}

TEST_CASE("posting times: a name whose times do not fit gets none, not another name's") {
    // 20 users; code 0: 10 events, code 1: 500, code 2: 100 (times in whole ms). The budget
    // holds the three names' starts and the times of codes 0 and 2, but not code 1's even with
    // code 0's entry dropped: code 1 then has no times, and nothing kept is dropped for nothing.
    EventStore s;
    s.offsets.push_back(0);
    for (uint32_t u = 0; u < 20; u++) {
        for (uint32_t i = 0; i < 31; i++) {
            const uint32_t code = i == 30 ? 0 : i % 6 == 5 ? 2 : 1;
            if (code == 0 && u >= 10) continue;
            s.time.push_back(int64_t(s.time.size()) * 1000);
            s.event.push_back(code);
            s.values.push_back(NAN, EventStore::kNoOrder);
        }
        s.offsets.push_back(s.time.size());
    }
    EventIndex index = build_event_index(s);
    REQUIRE(index.count(0) == 10);
    REQUIRE(index.count(1) == 500);
    REQUIRE(index.count(2) == 100);
    const size_t starts = UserStartsCache::kept_bytes(s.user_count()),
                 budget = 3 * starts + 4 * (10 + 100) + 10;
    const auto source = [&](uint32_t c, bool timed) {
        UserStartsCache::Source src{index.rows.data() + index.first(c), index.count(c), c};
        if (timed)
            src.time = s.time.data(), src.min_time = index.min_time[c], src.max_time = index.max_time[c];
        return src;
    };
    const auto right = [&](uint32_t c, const PostingTimes& t) {
        for (size_t k = 0; k < index.count(c); k++)
            if (t.base + int64_t(t.v[k]) * t.unit != s.time[index.rows[index.first(c) + k]]) return false;
        return true;
    };
    UserStartsCache cache;
    std::vector<std::vector<uint32_t>> scratch;
    StartsView out[3];
    PostingTimes times[3];
    const UserStartsCache::Source first[] = {source(0, true), source(1, false), source(2, true)};
    cache.acquire(first, 3, s.offsets.data(), s.user_count(), budget, out, scratch, times);
    REQUIRE(times[0].v != nullptr);
    REQUIRE(times[2].v != nullptr);
    CHECK(times[1].v == nullptr);
    CHECK(cache.memory_bytes() == 3 * starts + 4 * 110);
    // Codes 1 (times asked) and 2: code 1's times do not fit even without code 0's entry.
    const UserStartsCache::Source second[] = {source(1, true), source(2, true)};
    cache.acquire(second, 2, s.offsets.data(), s.user_count(), budget, out, scratch, times);
    CHECK(times[0].v == nullptr);
    REQUIRE(times[1].v != nullptr);
    CHECK(right(2, times[1]));
    check_starts(s, index, 1, out[0]);
    check_starts(s, index, 2, out[1]);
    CHECK(cache.kept() == 3); // code 0 not dropped for nothing
}

TEST_CASE("the least recently used names' times are dropped before any starts") {
    std::mt19937 rng(29);
    // 200 users over 3 names: a budget of the three names' starts and the times of two names.
    EventStore s = random_store(rng, 200, 3, 12);
    EventIndex index = build_event_index(s);
    const size_t each = UserStartsCache::kept_bytes(s.user_count());
    const auto source = [&](uint32_t c) {
        return UserStartsCache::Source{index.rows.data() + index.first(c),
                                       index.count(c),
                                       c,
                                       s.time.data(),
                                       index.min_time[c],
                                       index.max_time[c]};
    };
    const size_t budget = 3 * each + 4 * (index.count(0) + index.count(1) + index.count(2)) - 4;
    UserStartsCache cache;
    std::vector<std::vector<uint32_t>> scratch;
    StartsView out[3];
    PostingTimes times[3];
    for (uint32_t c = 0; c < 3; c++) {
        const UserStartsCache::Source src = source(c);
        cache.acquire(&src, 1, s.offsets.data(), s.user_count(), budget, out, scratch, times);
        check_starts(s, index, c, out[0]);
        REQUIRE(times[0].v != nullptr);
    }
    // The third name's times needed room: the first name's times went, every name's starts stay.
    CHECK(cache.kept() == 3);
    CHECK_FALSE(cache.has_times(0));
    CHECK(cache.has_times(2));
    CHECK(cache.builds() == 3);
    CHECK(cache.memory_bytes() <= budget);
    const UserStartsCache::Source again = source(0); // its starts are kept; its times come back
    cache.acquire(&again, 1, s.offsets.data(), s.user_count(), budget, out, scratch, times);
    CHECK(cache.builds() == 3);
    CHECK(times[0].v != nullptr);
    CHECK(cache.has_times(0));
    CHECK(cache.memory_bytes() <= budget);
}

TEST_CASE("warming times: kept starts get their times ahead of use, within the budget, evicting nothing") {
    std::mt19937 rng(31);
    EventStore s = random_store(rng, 200, 4, 12);
    EventIndex index = build_event_index(s);
    const std::vector<uint32_t> order = index.codes_by_count();
    REQUIRE(order.size() == 4);
    CHECK_FALSE(index.warm_posting_times(s, order[0])); // no starts kept yet
    for (uint32_t c : order) REQUIRE(index.warm_user_starts(s, c));
    size_t warmed = 0;
    for (uint32_t c : order) {
        if (!index.warm_posting_times(s, c)) break;
        CHECK(index.starts_cache.has_times(c));
        warmed++;
    }
    // 4 names' starts (528 B each) in a budget of 4 B per event: times in order while they fit.
    const size_t budget = EventIndex::kStartsBytesPerEvent * s.size();
    size_t fit = 0, bytes = 4 * UserStartsCache::kept_bytes(s.user_count());
    while (fit < 4 && bytes + 4 * index.count(order[fit]) <= budget) bytes += 4 * index.count(order[fit++]);
    REQUIRE(fit >= 1);
    REQUIRE(fit < 4);
    CHECK(warmed == fit);
    CHECK(index.starts_cache.memory_bytes() == bytes);
    CHECK(index.starts_cache.memory_bytes() <= budget);
    // A use reads the warmed times and builds nothing.
    std::vector<std::vector<uint32_t>> scratch;
    StartsView out[1];
    PostingTimes times[1];
    const size_t builds = index.starts_cache.builds();
    index.user_starts(s, &order[0], 1, out, scratch, times, 1);
    CHECK(index.starts_cache.builds() == builds);
    REQUIRE(times[0].v != nullptr);
    for (size_t k = 0; k < index.count(order[0]); k++)
        CHECK(times[0].base + int64_t(times[0].v[k]) * times[0].unit ==
              s.time[index.rows[index.first(order[0]) + k]]);
}

} // namespace core_model_user_starts_test
