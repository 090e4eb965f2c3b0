#include "core/model/user_source.h"

#include "chunk_fixture.h"

#include <doctest/doctest.h>

#include <stdexcept>
#include <string>
#include <vector>

namespace core_model_user_source_test {

using namespace segx;
using namespace segx::test;

namespace {

void append(UserSourceBuilder& b, const OwnedChunk& id, const std::vector<const OwnedChunk*>& attrs) {
    std::vector<ValueChunk> chunks;
    for (const OwnedChunk* a : attrs) chunks.push_back(a->chunk());
    b.append(id.size(), id.chunk(), chunks);
}

// The attribute text of a user's winning row.
std::string attr(const UserSource& s, std::string_view id, size_t column) {
    std::optional<uint32_t> code = s.user_ids.find(id);
    REQUIRE(code.has_value());
    return s.attributes[column].format(s.row_of_user[*code]);
}

} // namespace

TEST_CASE("duplicate user ids: the last row wins and every overridden row is reported") {
    UserSourceBuilder b("customers.csv", {"country"});
    auto ids = texts({"u1", "u2", "u1", "", "u1"});
    auto country = texts({"CN", "US", "JP", "XX", "DE"});
    append(b, ids, {&country});
    UserSource s = b.finish();

    CHECK(s.name == "customers.csv");
    CHECK(s.user_ids.size() == 2);
    CHECK(s.row_of_user == std::vector<uint32_t>{4, 1});
    CHECK(attr(s, "u1", 0) == "DE");
    CHECK(attr(s, "u2", 0) == "US");
    CHECK(s.rejects.read == 5);
    CHECK(s.rejects.kept == 2);
    CHECK(s.rejects.rejected() == 3);
    REQUIRE(s.rejects.reasons.size() == 2);
    CHECK(s.rejects.reasons[0].reason == "duplicate user id (last row wins)");
    CHECK(s.rejects.reasons[0].count == 2);
    CHECK(s.rejects.reasons[0].examples ==
          std::vector<std::string>{R"(row 1: user_id="u1" (replaced by row 3))",
                                   R"(row 3: user_id="u1" (replaced by row 5))"});
    CHECK(s.rejects.reasons[1].reason == "no user id");
    CHECK(s.rejects.reasons[1].count == 1);
    CHECK(s.rejects.reasons[1].examples == std::vector<std::string>{R"(row 4: user_id="")"});
}

TEST_CASE("ids of different types are one user across batches, so duplicates are found") {
    UserSourceBuilder b("users.csv", {"plan"});
    auto ids1 = ints({42, 7});
    auto plan1 = texts({"free", "pro"});
    append(b, ids1, {&plan1});
    auto ids2 = doubles({42.0, std::nullopt}, 5);
    auto plan2 = texts({"pro", "gold"}, 3);
    append(b, ids2, {&plan2});
    auto ids3 = texts({" 7 "});
    auto plan3 = texts({"team"});
    append(b, ids3, {&plan3});
    UserSource s = b.finish();
    CHECK(s.user_ids.size() == 2);
    CHECK(attr(s, "42", 0) == "pro");
    CHECK(attr(s, "7", 0) == "team");
    CHECK(s.rejects.find("duplicate user id (last row wins)")->count == 2);
    CHECK(s.rejects.find("no user id")->examples == std::vector<std::string>{"row 4: user_id=null"});
    CHECK(s.attributes[0].size() == 5); // every row read stays; only row_of_user refers to them
}

TEST_CASE("attribute types come from the first typed chunk, dates included") {
    UserSourceBuilder b("users.csv", {"signup", "score", "vip", "note"});
    auto ids = texts({"a", "b"});
    auto signup = ints({1704067200000000, std::nullopt}, 0, ColumnType::Date);
    auto score = doubles({1.5, 2.5});
    auto vip = ints({1, 0}, 0, ColumnType::Bool);
    auto note = none();
    append(b, ids, {&signup, &score, &vip, &note});
    auto ids2 = texts({"c"});
    auto signup2 = ints({1704153600000000}, 0, ColumnType::Date);
    auto score2 = none();
    auto vip2 = ints({5}, 0, ColumnType::Bool);
    auto note2 = texts({"hello"});
    append(b, ids2, {&signup2, &score2, &vip2, &note2});
    UserSource s = b.finish();
    REQUIRE(s.attributes.size() == 4);
    CHECK(s.attributes[0].type == ColumnType::Date);
    CHECK(attr(s, "a", 0) == "2024-01-01");
    CHECK(attr(s, "b", 0) == "");
    CHECK(s.attributes[0].is_null(1));
    CHECK(attr(s, "c", 0) == "2024-01-02");
    CHECK(s.attributes[1].type == ColumnType::Double);
    CHECK(s.attributes[1].is_null(2));
    CHECK(attr(s, "c", 2) == "true");
    CHECK(s.attributes[3].type == ColumnType::String);
    CHECK(s.attributes[3].is_null(0));
    CHECK(s.attributes[3].is_null(1));
    CHECK(attr(s, "c", 3) == "hello");
}

TEST_CASE("an attribute that never had a typed chunk is an all-null string column") {
    UserSourceBuilder b("users.csv", {"empty"});
    auto ids = texts({"a", "b"});
    auto empty = none();
    append(b, ids, {&empty});
    UserSource s = b.finish();
    CHECK(s.attributes[0].type == ColumnType::String);
    CHECK(s.attributes[0].size() == 2);
    CHECK(s.attributes[0].valid.count_set() == 0);
}

TEST_CASE("bad attribute chunks throw naming the column and change nothing") {
    UserSourceBuilder b("users.csv", {"age"});
    auto ids = texts({"a"});
    auto age = ints({30});
    append(b, ids, {&age});
    auto ids2 = texts({"b"});
    auto bad = doubles({31.5});
    CHECK_THROWS_WITH_AS(append(b, ids2, {&bad}),
                         "column 'age' is BIGINT, but a later chunk holds double values",
                         std::invalid_argument);
    CHECK_THROWS_WITH_AS(append(b, ids2, {}), "source 'users.csv': 0 attribute chunks for 1 attribute names",
                         std::invalid_argument);
    UserSource s = b.finish();
    CHECK(s.user_ids.size() == 1);
    CHECK(s.rejects.read == 1);
    CHECK(s.attributes[0].size() == 1);
}

} // namespace core_model_user_source_test
