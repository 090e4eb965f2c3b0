#include "core/model/event_index.h"

#include "core/time/civil.h"

#include <algorithm>

namespace segx {

size_t EventIndex::memory_bytes() const {
    return (start.capacity() + rows.capacity()) * sizeof(uint32_t) + day.capacity() * sizeof(uint16_t) +
           (min_time.capacity() + max_time.capacity()) * sizeof(int64_t);
}

int64_t EventIndex::day_of(int64_t t) const {
    if (t < base_time)
        return -1;
    // Unsigned: t - base_time may not fit an int64 (far-apart extreme times).
    const uint64_t days = (uint64_t(t) - uint64_t(base_time)) / uint64_t(kMicrosPerDay);
    return int64_t(std::min<uint64_t>(days, uint64_t(kLastDay) + 1));
}

EventIndex build_event_index(const EventStore& events) {
    EventIndex index;
    const size_t n = events.size(); // < 2^32: build_event_store refuses more
    if (n == 0)
        return index;
    const uint32_t* code = events.event.data();
    const int64_t* time = events.time.data();
    uint32_t codes = 0;
    for (size_t i = 0; i < n; i++)
        codes = std::max(codes, code[i] + 1);
    index.start.assign(size_t(codes) + 1, 0);
    index.min_time.assign(codes, INT64_MAX);
    index.max_time.assign(codes, INT64_MIN);
    for (size_t i = 0; i < n; i++) {
        index.start[code[i] + 1]++;
        index.min_time[code[i]] = std::min(index.min_time[code[i]], time[i]);
        index.max_time[code[i]] = std::max(index.max_time[code[i]], time[i]);
    }
    index.base_time = *std::min_element(index.min_time.begin(), index.min_time.end());
    for (uint32_t c = 0; c < codes; c++)
        index.start[c + 1] += index.start[c];
    index.rows.resize(n);
    index.day.resize(n);
    std::vector<uint32_t> cursor(index.start.begin(), index.start.end() - 1);
    for (size_t i = 0; i < n; i++) {
        const uint32_t k = cursor[code[i]]++;
        index.rows[k] = uint32_t(i);
        index.day[k] = uint16_t(std::min<int64_t>(index.day_of(time[i]), EventIndex::kLastDay));
    }
    return index;
}

} // namespace segx
