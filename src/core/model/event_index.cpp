#include "core/model/event_index.h"

#include "core/time/civil.h"

#include <algorithm>

namespace segx {

size_t EventIndex::memory_bytes() const {
    return (start.capacity() + rows.capacity() + by_day_row.capacity() + by_day_user.capacity()) *
               sizeof(uint32_t) +
           day.capacity() * sizeof(uint16_t) + (min_time.capacity() + max_time.capacity()) * sizeof(int64_t) +
           starts_cache.memory_bytes();
}

void EventIndex::user_starts(const EventStore& events, const uint32_t* codes, size_t n, StartsView* out,
                             std::vector<std::vector<uint32_t>>& scratch, PostingTimes* times,
                             size_t timed) const {
    std::vector<UserStartsCache::Source> sources(n);
    for (size_t i = 0; i < n; i++) {
        const uint32_t c = codes[i];
        sources[i] = {rows.data() + first(c), count(c), c};
        if (times != nullptr && i < timed && c < this->codes()) sources[i].time = events.time.data();
        if (sources[i].time != nullptr) sources[i].min_time = min_time[c], sources[i].max_time = max_time[c];
    }
    starts_cache.acquire(sources.data(), n, events.offsets.data(), events.user_count(),
                         kStartsBytesPerEvent * rows.size(), out, scratch, times);
}

bool EventIndex::warm_user_starts(const EventStore& events, uint32_t code) const {
    if (code >= codes() || !fits(events)) return false;
    const UserStartsCache::Source source{rows.data() + first(code), count(code), code};
    return starts_cache.prefill(source, events.offsets.data(), events.user_count(),
                                kStartsBytesPerEvent * rows.size());
}

bool EventIndex::warm_posting_times(const EventStore& events, uint32_t code) const {
    if (code >= codes() || !fits(events)) return false;
    const UserStartsCache::Source source{rows.data() + first(code), count(code),    code,
                                         events.time.data(),        min_time[code], max_time[code]};
    return starts_cache.prefill_times(source, kStartsBytesPerEvent * rows.size());
}

std::vector<uint32_t> EventIndex::codes_by_count() const {
    std::vector<uint32_t> out;
    for (uint32_t c = 0; c < codes(); c++)
        if (count(c) > 0) out.push_back(c);
    std::stable_sort(out.begin(), out.end(), [&](uint32_t a, uint32_t b) { return count(a) > count(b); });
    return out;
}

int64_t EventIndex::day_of(int64_t t) const {
    if (t < base_time) return -1;
    // Unsigned: t - base_time may not fit an int64 (far-apart extreme times).
    const uint64_t days = (uint64_t(t) - uint64_t(base_time)) / uint64_t(kMicrosPerDay);
    return int64_t(std::min<uint64_t>(days, uint64_t(kLastDay) + 1));
}

uint16_t EventIndex::stored_day(int64_t time) const {
    return uint16_t(std::clamp<int64_t>(day_of(time), 0, kLastDay));
}

size_t EventIndex::first_on_or_after_day(uint32_t code, int64_t d, const int64_t* time) const {
    size_t lo = first(code), hi = lo + count(code);
    while (lo < hi) {
        const size_t mid = lo + (hi - lo) / 2;
        if (int64_t(stored_day(time[by_day_row[mid]])) < d)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

namespace {

// The time view: per code, its postings by day, stably (so by row within a day): a counting
// sort over the code's day range when that range is not much longer than its postings, else
// a comparison sort. O(events + codes). `users` holds one code's users in posting order.
void sort_by_day(EventIndex& index) {
    const size_t n = index.rows.size();
    const uint32_t codes = uint32_t(index.codes());
    index.by_day_row.resize(n);
    uint32_t* by_user = index.by_day_user.data();
    std::vector<uint32_t> users;
    const uint16_t* day = index.day.data();
    const uint32_t* rows = index.rows.data();
    std::vector<uint32_t> bucket;
    std::vector<uint32_t> order;
    for (uint32_t c = 0; c < codes; c++) {
        const size_t b = index.start[c], e = index.start[c + 1];
        if (b == e) continue;
        const size_t lo = index.stored_day(index.min_time[c]), hi = index.stored_day(index.max_time[c]);
        const size_t range = hi - lo + 1;
        users.assign(by_user + b, by_user + e);
        if (range <= (e - b) + 4096) {
            bucket.assign(range, 0);
            for (size_t k = b; k < e; k++) bucket[day[k] - lo]++;
            uint32_t pos = uint32_t(b);
            for (size_t d = 0; d < range; d++) {
                const uint32_t count = bucket[d];
                bucket[d] = pos;
                pos += count;
            }
            for (size_t k = b; k < e; k++) {
                const uint32_t r = rows[k];
                const uint32_t at = bucket[day[k] - lo]++;
                index.by_day_row[at] = r;
                by_user[at] = users[k - b];
            }
        } else {
            order.resize(e - b);
            for (size_t k = b; k < e; k++) order[k - b] = uint32_t(k);
            std::stable_sort(order.begin(), order.end(),
                             [day](uint32_t x, uint32_t y) { return day[x] < day[y]; });
            for (size_t k = b; k < e; k++) {
                index.by_day_row[k] = rows[order[k - b]];
                by_user[k] = users[order[k - b] - b];
            }
        }
    }
}

template <typename Code>
void fill_postings(const EventStore& events, const Code* code, EventIndex& index) {
    const size_t n = events.size();
    const int64_t* time = events.time.data();
    uint32_t codes = 0;
    for (size_t i = 0; i < n; i++) codes = std::max(codes, uint32_t(code[i]) + 1);
    index.start.assign(size_t(codes) + 1, 0);
    index.min_time.assign(codes, INT64_MAX);
    index.max_time.assign(codes, INT64_MIN);
    for (size_t i = 0; i < n; i++) {
        index.start[code[i] + 1]++;
        index.min_time[code[i]] = std::min(index.min_time[code[i]], time[i]);
        index.max_time[code[i]] = std::max(index.max_time[code[i]], time[i]);
    }
    // Days start at UTC midnight, so that calendar periods (lifecycle, retention) begin on a
    // day's first microsecond and their edges need no time read (user_events.h
    // scan_events_by_day).
    const int64_t earliest = *std::min_element(index.min_time.begin(), index.min_time.end());
    index.base_time =
        earliest < INT64_MIN + kMicrosPerDay ? earliest : floor_div(earliest, kMicrosPerDay) * kMicrosPerDay;
    for (uint32_t c = 0; c < codes; c++) index.start[c + 1] += index.start[c];
    index.rows.resize(n);
    index.day.resize(n);
    // Each posting's user as well, into by_day_user for now (in posting order): a user cursor
    // moving forward with i. UINT32_MAX: a row in no slice (none, normally).
    index.by_day_user.resize(n);
    const uint64_t* offsets = events.offsets.data();
    const size_t slices = events.user_count();
    size_t u = 0;
    std::vector<uint32_t> cursor(index.start.begin(), index.start.end() - 1);
    for (size_t i = 0; i < n; i++) {
        while (u < slices && offsets[u + 1] <= i) u++;
        const uint32_t k = cursor[code[i]]++;
        index.rows[k] = uint32_t(i);
        index.day[k] = uint16_t(std::min<int64_t>(index.day_of(time[i]), EventIndex::kLastDay));
        index.by_day_user[k] = u < slices ? uint32_t(u) : UINT32_MAX;
    }
    sort_by_day(index);
}

} // namespace

EventIndex build_event_index(const EventStore& events) {
    EventIndex index;
    const size_t n = events.size(); // < 2^32: build_event_store refuses more
    if (n == 0) return index;
    events.event.visit([&](const auto* code) { fill_postings(events, code, index); });
    return index;
}

} // namespace segx
