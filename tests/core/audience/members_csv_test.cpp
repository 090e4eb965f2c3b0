#include "core/audience/members_csv.h"

#include "audience_fixture.h"

#include <doctest/doctest.h>

#include <initializer_list>
#include <stdexcept>
#include <string>

namespace core_audience_members_csv_test {

using namespace segx;
using namespace segx::test;

namespace {

Bitmap users_named(const Model& m, std::initializer_list<const char*> ids) {
    Bitmap b;
    b.append_all(false, m.users.size());
    for (const char* id : ids) b.set(*m.users.find(id), true);
    return b;
}

// Users whose ids and text need quoting or a formula guard; BIGINT and DOUBLE columns with
// negative numbers, and an attribute name that itself starts like a formula.
Model tricky_model() {
    UserSourceBuilder b("crm.csv", {"note", "balance", "@rate"});
    auto ids = texts({"a,b", "=1+1", "q\"x", "-5", "plain", "中文", "cr"});
    auto note =
        texts({"=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "\tx", "北京,\"朝阳\"\n二行", "\rx"});
    auto balance = ints({-3, 0, std::nullopt, 7, -10, 1, 2});
    auto rate = doubles({-0.5, std::nullopt, 1e21, 2, 0.25, -1e-7, 3});
    b.append(7, ids.chunk(), {note.chunk(), balance.chunk(), rate.chunk()});
    UserSource users = b.finish();
    return build_model({&users}, {});
}

} // namespace

TEST_CASE("members CSV: header, one row per member in user order, nulls empty, dates ISO, Chinese as is") {
    const Model& m = fixture_model();
    const Bitmap members = users_named(m, {"e8", "u4", "u3", "u0"});
    CHECK(members_csv(m, members, {"city", "age", "score", "signup", "vip", "last_login"}) ==
          "user_id,city,age,score,signup,vip,last_login\n"
          "u0,北京,30,4.5,2023-01-15,true,2024-03-30 10:00:00\n"
          "u3,北京市,,5,,,\n"
          "u4,广州,18,2.5,2022-12-31,false,\n"
          "e8,,,,,,\n");
}

TEST_CASE("members CSV: attributes in the order asked, repeats allowed, none at all gives ids only") {
    const Model& m = fixture_model();
    const Bitmap members = users_named(m, {"u1", "u2"});
    CHECK(members_csv(m, members, {"vip", "country", "vip"}) ==
          "user_id,vip,country,vip\nu1,false,US,false\nu2,true,cn,true\n");
    CHECK(members_csv(m, members, {}) == "user_id\nu1\nu2\n");
    CHECK(members_csv(m, users_named(m, {}), {"country"}) == "user_id,country\n");
}

TEST_CASE("members CSV: an empty string and a null are both an empty field") {
    const Model& m = fixture_model();
    CHECK(members_csv(m, users_named(m, {"u3", "u4"}), {"tag"}) == "user_id,tag\nu3,\nu4,\n");
}

TEST_CASE("members CSV: an unknown attribute is an error naming it") {
    const Model& m = fixture_model();
    const Bitmap members = users_named(m, {"u0"});
    CHECK_THROWS_WITH_AS(members_csv(m, members, {"country", "nope"}),
                         "members CSV: unknown attribute \"nope\"", std::invalid_argument);
}

TEST_CASE("members CSV: quoting of commas, quotes and line breaks, and the formula guard on text only") {
    const Model m = tricky_model();
    Bitmap all;
    all.append_all(true, m.users.size());
    CHECK(members_csv(m, all, {"note", "balance", "@rate"}) ==
          "user_id,note,balance,'@rate\n"
          "\"a,b\",\"'=HYPERLINK(\"\"http://x\"\")\",-3,-0.5\n" // numbers keep their minus sign
          "'=1+1,'+1,0,\n"
          "\"q\"\"x\",'-2,,1e+21\n"
          "'-5,'@SUM(A1),7,2\n" // a user id is text: "-5" is guarded
          "plain,'\tx,-10,0.25\n"
          "中文,\"北京,\"\"朝阳\"\"\n二行\",1,-1e-7\n"
          "cr,\"'\rx\",2,3\n");
}

TEST_CASE("members CSV: member bits past the model's users are ignored") {
    const Model& m = fixture_model();
    Bitmap wide;
    wide.append_all(false, m.users.size() + 70);
    wide.set(m.users.size() + 3, true);
    wide.set(9, true); // e9
    CHECK(members_csv(m, wide, {"country"}) == "user_id,country\ne9,\n");
}

} // namespace core_audience_members_csv_test
