// Session::warm_index_step (the page's idle frames after a load): every event name's per-user
// starts, then their times while they fit the index's budget, then the funnel engine's code
// once per mode; it ends, starts again for a new model, and changes no answer.
#include "app/session.h"

#include "tests/core/model/chunk_fixture.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <optional>
#include <random>
#include <string>
#include <vector>

namespace app_session_warm_test {

using namespace segx;
using namespace segx::test;
using nlohmann::json;

namespace {

// 400 users with 0..11 events each over names a..d, times in whole seconds (µs), ascending.
void stream_shop(Session& s, uint32_t seed) {
    std::mt19937 rng(seed);
    std::vector<std::optional<std::string>> users, events;
    std::vector<std::optional<int64_t>> times;
    for (int u = 0; u < 400; u++) {
        const int n = int(rng() % 12);
        for (int i = 0; i < n; i++) {
            users.push_back("u" + std::to_string(u));
            events.push_back(std::string(1, char('a' + rng() % 4)));
            times.push_back((int64_t(1767225600) + u * 7 + i * 3600) * 1000000);
        }
    }
    json spec = {{"name", "events.csv"}, {"kind", "events"}, {"time_is_epoch_us", true}};
    int h = s.begin_model_source(spec.dump());
    OwnedChunk uc = texts(users), tc = ints(times), ec = texts(events);
    s.pending_model.at(h).events->append(users.size(), uc.chunk(), tc.chunk(), ec.chunk(), ValueChunk::none(),
                                         ValueChunk::none(), {});
    s.finish_model_source(h);
    s.model_dirty = true;
    s.rebuild_model_if_dirty();
}

std::string funnels(Session& s) {
    std::string out;
    for (const char* order : {"ordered", "strict", "unordered"}) {
        json f = {{"segx", 1},
                  {"kind", "funnel"},
                  {"order", order},
                  {"steps", {{{"event", "a"}}, {{"event", "b"}}, {{"event", "c"}}}},
                  {"window", {{"days", 1}}}};
        out += s.run_json(f.dump(), false) + "\n";
    }
    return out;
}

} // namespace

TEST_CASE("idle warming builds starts, then times, then runs the engine three times per mode, and ends") {
    Session cold, warm;
    stream_shop(cold, 3);
    stream_shop(warm, 3);
    const EventIndex& index = warm.model.event_index;
    REQUIRE(index.codes() == 4);
    const size_t budget = EventIndex::kStartsBytesPerEvent * warm.model.events.size();
    CHECK(warm.warm_index_pending());
    int steps = 0;
    while (warm.warm_index_step()) REQUIRE(++steps < 30);
    CHECK_FALSE(warm.warm_index_pending());
    CHECK(warm.warm_engine_runs == Session::kWarmEngineRuns);
    // Every name's starts (compact: 400 users, 7 blocks of 64), and as many times as fit.
    CHECK(index.starts_cache.kept() == 4);
    CHECK(index.starts_cache.memory_bytes() - index.starts_cache.times_bytes() ==
          4 * UserStartsCache::kept_bytes(warm.model.users.size()));
    size_t timed = 0; // (two or more: the engine's warm-up ran its funnels)
    for (uint32_t c = 0; c < 4; c++) timed += index.starts_cache.has_times(c);
    CHECK(timed >= 2);
    CHECK(index.starts_cache.memory_bytes() <= budget);
    const size_t kept = index.starts_cache.memory_bytes();
    // The same answers as a session that never warmed, and nothing more built by them.
    CHECK(funnels(warm) == funnels(cold));
    CHECK(funnels(warm).find("\"ok\":true") != std::string::npos);
    CHECK(index.starts_cache.memory_bytes() <= budget);
    CHECK(index.starts_cache.memory_bytes() >= kept - index.starts_cache.times_bytes());

    // A new model: warming starts again, for it.
    stream_shop(warm, 4);
    CHECK(warm.warm_index_pending());
    CHECK(warm.model.event_index.starts_cache.kept() == 0);
    steps = 0;
    while (warm.warm_index_step()) REQUIRE(++steps < 30);
    CHECK(warm.warm_engine_runs == Session::kWarmEngineRuns);
    CHECK(warm.model.event_index.starts_cache.kept() == 4);
}

} // namespace app_session_warm_test
