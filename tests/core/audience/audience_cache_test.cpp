#include "core/audience/audience_cache.h"

#include "audience_fixture.h"

#include <doctest/doctest.h>

namespace core_audience_audience_cache_test {

using namespace segx;
using namespace segx::test;

namespace {

Audience four_rules(int buyer_days) {
    return parse_audience(R"({"segx": 1, "id": "vip", "root": {"match": "all", "rules": [
        {"kind": "property", "attribute": "country", "op": "in", "values": ["CN", "US", "cn"]},
        {"kind": "property", "attribute": "age", "op": "between", "values": [20, 50]},
        {"kind": "behavior", "event": "purchase", "window": {"last_days": )" +
                          std::to_string(buyer_days) + R"(}},
        {"kind": "behavior", "event": "view", "did": false,
         "where": [{"property": "platform", "op": "eq", "value": "web"}]}]}})")
        .audience;
}

std::string uncached(const Audience& a, int64_t as_of = A) {
    EvalResult r = eval(a, as_of);
    REQUIRE(r.ok());
    return members(fixture_model(), r.users);
}

} // namespace

TEST_CASE("the cache reuses the other rules' bitsets after a one-rule edit") {
    AudienceCache cache;
    EvalContext ctx{fixture_model(), A, 7, nullptr};

    Audience a = four_rules(30);
    EvalResult first = cache.evaluate(a, ctx);
    REQUIRE(first.ok());
    CHECK(members(fixture_model(), first.users) == "u0 u1");
    CHECK(members(fixture_model(), first.users) == uncached(a));
    CHECK(cache.stats().misses == 4);
    CHECK(cache.stats().hits == 0);
    CHECK(cache.stats().entries == 4);

    EvalResult again = cache.evaluate(a, ctx);
    CHECK(again.users.words == first.users.words);
    CHECK(cache.stats().hits == 4);
    CHECK(cache.stats().misses == 4);

    // Edit one rule: three hits, one miss.
    Audience edited = four_rules(60);
    EvalResult after = cache.evaluate(edited, ctx);
    REQUIRE(after.ok());
    CHECK(members(fixture_model(), after.users) == uncached(edited));
    CHECK(members(fixture_model(), after.users) == "u0 u1");
    CHECK(cache.stats().hits == 7);
    CHECK(cache.stats().misses == 5);
    CHECK(cache.stats().entries == 5);
}

TEST_CASE("moving as-of keeps property rules cached and recomputes behavior rules") {
    AudienceCache cache;
    EvalContext ctx{fixture_model(), A, 1, nullptr};
    Audience a = four_rules(30);
    REQUIRE(cache.evaluate(a, ctx).ok());
    EvalContext earlier{fixture_model(), A - 10 * D, 1, nullptr};
    EvalResult r = cache.evaluate(a, earlier);
    REQUIRE(r.ok());
    CHECK(members(fixture_model(), r.users) == uncached(a, A - 10 * D));
    CHECK(cache.stats().hits == 2);
    CHECK(cache.stats().misses == 6);
}

TEST_CASE("a new model generation drops every cached bitset") {
    AudienceCache cache;
    Audience a = four_rules(30);
    REQUIRE(cache.evaluate(a, EvalContext{fixture_model(), A, 1, nullptr}).ok());
    REQUIRE(cache.evaluate(a, EvalContext{fixture_model(), A, 2, nullptr}).ok());
    CHECK(cache.stats().hits == 0);
    CHECK(cache.stats().misses == 8);
    CHECK(cache.stats().entries == 4);
}

TEST_CASE("the leaves of referenced audiences are cached too; errors are never cached") {
    AudienceCache cache;
    Saved saved;
    saved.audiences["vip"] = four_rules(30);
    EvalContext ctx{fixture_model(), A, 3, saved.lookup()};
    Audience outer = parse_audience(R"({"segx": 1, "root": {"match": "all", "rules": [
        {"kind": "audience", "op": "not_in", "id": "vip"},
        {"kind": "property", "attribute": "nope", "op": "is_set"}]}})")
                         .audience;
    CHECK_FALSE(cache.evaluate(outer, ctx).ok());
    CHECK(cache.stats().misses == 5);
    CHECK(cache.stats().entries == 4);
    CHECK_FALSE(cache.evaluate(outer, ctx).ok());
    CHECK(cache.stats().hits == 4);
    CHECK(cache.stats().misses == 6);
}

TEST_CASE("the cache evicts the least recently used bitsets past its capacity") {
    AudienceCache cache(2);
    EvalContext ctx{fixture_model(), A, 0, nullptr};
    REQUIRE(cache.evaluate(four_rules(30), ctx).ok());
    CHECK(cache.stats().entries == 2);
    cache.clear();
    CHECK(cache.stats().entries == 0);
    CHECK(cache.stats().misses == 0);
}

} // namespace core_audience_audience_cache_test
