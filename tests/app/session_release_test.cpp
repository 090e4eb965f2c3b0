// Session::release_sources (the page and the Node build): once the model is built, each mapped
// source keeps only its shell (name, spec, rejects, detected time format); a rebuild after a
// change waits until every shell's rows came again (missing_sources), a source streamed again
// keeps its place in load order, and a held model is not rebuilt.
#include "app/session.h"

#include "tests/core/model/chunk_fixture.h"

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace app_session_release_test {

using namespace segx;
using namespace segx::test;

namespace {

// Streams an events file of "visit" events (times in µs) into the session, as the bridge does.
void stream(Session& s, const std::string& name, bool restream,
            const std::vector<std::optional<std::string>>& users,
            const std::vector<std::optional<int64_t>>& times) {
    nlohmann::json spec = {{"name", name},
                           {"kind", "events"},
                           {"time_is_epoch_us", true},
                           {"constant_event", "visit"},
                           {"restream", restream}};
    int h = s.begin_model_source(spec.dump());
    OwnedChunk u = texts(users), t = ints(times);
    s.pending_model.at(h).events->append(users.size(), u.chunk(), t.chunk(), ValueChunk::none(),
                                         ValueChunk::none(), ValueChunk::none(), {});
    s.finish_model_source(h);
}

std::vector<std::string> names(const Session& s) {
    std::vector<std::string> out;
    for (const EventSource& e : s.event_sources) out.push_back(e.spec.name);
    return out;
}

const std::vector<std::optional<std::string>> kUsersA = {"u1", "u2", std::nullopt};
const std::vector<std::optional<int64_t>> kTimesA = {1000, 2000, 3000};
const std::vector<std::optional<std::string>> kUsersB = {"u3"};
const std::vector<std::optional<int64_t>> kTimesB = {1500};

// a.csv and b.csv streamed and the model built from them (3 events, 3 users).
void build_a_and_b(Session& s) {
    stream(s, "a.csv", false, kUsersA, kTimesA);
    stream(s, "b.csv", false, kUsersB, kTimesB);
    s.rebuild_model_if_dirty();
}

} // namespace

TEST_CASE("sources are shells once the model is built; a rebuild waits for their rows") {
    Session s;
    s.release_sources = true;
    build_a_and_b(s);
    CHECK(s.model.events.size() == 3);
    CHECK(s.model.users.size() == 3);
    // Shells: no rows, the rejects still said (a.csv's row without a user).
    CHECK(s.event_sources.at(0).size() == 0);
    CHECK(s.event_sources.at(0).user_ids.size() == 0);
    REQUIRE(s.rejects_of("a.csv") != nullptr);
    CHECK(s.rejects_of("a.csv")->read == 3);
    CHECK(s.rejects_of("a.csv")->rejected() == 1);
    CHECK(s.missing_sources().empty()); // the model is current

    // b.csv leaves: a.csv's rows are needed again, and until they come the model stays.
    const uint64_t generation = s.model_generation;
    s.remove_model_source("b.csv");
    CHECK(s.missing_sources() == std::vector<std::string>{"a.csv"});
    s.rebuild_model_if_dirty();
    CHECK(s.model_generation == generation);
    CHECK(s.model.events.size() == 3);
    stream(s, "a.csv", true, kUsersA, kTimesA);
    CHECK(s.missing_sources().empty());
    s.rebuild_model_if_dirty();
    CHECK(s.model_generation == generation + 1);
    CHECK(s.model.events.size() == 2);
    CHECK(s.rejects_of("a.csv")->rejected() == 1);
}

TEST_CASE("a source streamed again keeps its place; a reload goes last") {
    Session s;
    s.release_sources = true;
    build_a_and_b(s);
    stream(s, "c.csv", false, kUsersB, kTimesB); // a new file: a and b are needed again
    CHECK(s.missing_sources() == std::vector<std::string>{"a.csv", "b.csv"});
    stream(s, "a.csv", true, kUsersA, kTimesA);
    stream(s, "b.csv", true, kUsersB, kTimesB);
    CHECK(names(s) == std::vector<std::string>{"a.csv", "b.csv", "c.csv"});
    s.rebuild_model_if_dirty();
    CHECK(s.model.events.size() == 4);
    // A reload (a new version of a.csv, not its rows again) is the latest file.
    stream(s, "a.csv", false, kUsersA, kTimesA);
    CHECK(names(s) == std::vector<std::string>{"b.csv", "c.csv", "a.csv"});
}

TEST_CASE("a held model is rebuilt only after the hold ends") {
    Session s;
    s.release_sources = true;
    s.model_hold = 1;
    stream(s, "a.csv", false, kUsersA, kTimesA);
    s.rebuild_model_if_dirty();
    CHECK(s.model.events.size() == 0);
    CHECK(s.event_sources.at(0).size() == 2); // not released: no model was built from it
    s.model_hold = 0;
    s.rebuild_model_if_dirty();
    CHECK(s.model.events.size() == 2);
    CHECK(s.event_sources.at(0).size() == 0);
}

TEST_CASE("without release_sources (native tests) the sources keep their rows") {
    Session s;
    stream(s, "a.csv", false, kUsersA, kTimesA);
    s.rebuild_model_if_dirty();
    CHECK(s.event_sources.at(0).size() == 2);
    CHECK(s.missing_sources().empty());
}

TEST_CASE("a rebuild that streams sources again drops the old model first, and only then") {
    Session s;
    s.release_sources = true;
    build_a_and_b(s);
    const uint64_t built = s.model_generation;
    CHECK_FALSE(s.drop_model_for_rebuild()); // the model is current: nothing streams again
    CHECK(s.model.events.size() == 3);
    CHECK_FALSE(s.rebuilding);

    s.remove_model_source("b.csv"); // a.csv's rows are needed again
    CHECK(s.drop_model_for_rebuild());
    CHECK(s.rebuilding);
    CHECK(s.model.events.size() == 0);
    CHECK(s.model.users.size() == 0);
    CHECK(s.model_generation == built + 1); // caches and jobs of the old model expire
    CHECK(s.overview.events == 3);          // the overview stays until the rebuild
    CHECK(s.state("rebuilding")["rebuilding"] == true);
    stream(s, "a.csv", true, kUsersA, kTimesA);
    s.rebuild_model_if_dirty();
    CHECK_FALSE(s.rebuilding);
    CHECK(s.model_generation == built + 2);
    CHECK(s.model.events.size() == 2);
    CHECK(s.overview.events == 2);
}

TEST_CASE("without release_sources a model is never dropped") {
    Session s;
    build_a_and_b(s);
    s.remove_model_source("b.csv");
    CHECK_FALSE(s.drop_model_for_rebuild());
    CHECK(s.model.events.size() == 3);
}

} // namespace app_session_release_test
