// The SQL contract's tables written from the model (core/sql/contract_tables.h), checked line by
// line on the hand-worked audience fixture.
#include "core/sql/contract_tables.h"
#include "../audience/audience_fixture.h"

#include <sstream>

namespace segx::test::sql_contract_tables_test {

static std::vector<std::string> lines(const std::string& csv) {
    std::vector<std::string> out;
    std::istringstream in(csv);
    for (std::string l; std::getline(in, l);) out.push_back(l);
    return out;
}

TEST_CASE("users: one quoted id and every attribute, typed as the model types them") {
    ContractTable t = contract_users(fixture_model());
    REQUIRE(t.columns.size() == 9);
    CHECK(t.columns[0] == std::make_pair(std::string("user_id"), std::string("VARCHAR")));
    CHECK(t.columns[3].first == "age");
    CHECK(t.columns[3].second == "BIGINT");
    CHECK(t.columns[5].second == "DATE");
    CHECK(t.columns[8].second == "TIMESTAMP");
    auto l = lines(t.csv);
    REQUIRE(l.size() == 1 + 8); // e8, e9 have no attributes: no row
    CHECK(l[0] == R"("user_id","country","city","age","score","signup","vip","tag","last_login")");
    CHECK(l[1] == R"("u0","CN","北京",30,4.5,2023-01-15,true,"Gold Member",2024-03-30 10:00:00)");
    // NULL is an empty field; an empty string is "".
    CHECK(l[4] == R"("u3",,"北京市",,5,,,,)");
    CHECK(l[5] == R"("u4","中国","广州",18,2.5,2022-12-31,false,"",)");
}

TEST_CASE("events: every kept event in stored order, time in UTC, NULL revenue empty") {
    const Model& m = fixture_model();
    ContractTable t = contract_events(m);
    std::vector<std::string> names;
    for (auto& c : t.columns) names.push_back(c.first);
    CHECK(names == std::vector<std::string>{"user_id", "event", "time", "revenue", "order_id", "seq",
                                            "platform", "price", "qty"});
    auto l = lines(t.csv);
    REQUIRE(l.size() == 1 + m.events.size());
    // u0's first event: purchase at A - 30 days, 100, web, qty 1; seq is the stored row.
    CHECK(l[1] == R"("u0","purchase",2024-03-01 00:00:00,100,,0,"web",,1)");
    // e8's purchase without revenue: an empty revenue field.
    bool found = false;
    for (const std::string& line : l)
        found = found || line == R"("e8","purchase",2024-03-11 00:00:00,,,15,"web",,1)";
    CHECK(found);
}

TEST_CASE("a table written in user slices is the whole table: the same rows, each slice with the header") {
    const Model& m = fixture_model();
    for (auto write : {&contract_users, &contract_events}) {
        const std::vector<std::string> whole = lines(write(m, {}).csv);
        for (size_t step : {size_t(1), size_t(3), size_t(4), m.users.size()}) {
            std::vector<std::string> joined = {whole[0]};
            size_t slices = 0;
            for (size_t first = 0; first < m.users.size(); first += step, ++slices) {
                std::vector<std::string> part = lines(write(m, {first, first + step}).csv);
                REQUIRE(!part.empty());
                CHECK(part[0] == whole[0]);
                joined.insert(joined.end(), part.begin() + 1, part.end());
            }
            CHECK(slices == (m.users.size() + step - 1) / step);
            CHECK(joined == whole);
        }
        // Past the last user: the header only.
        CHECK(lines(write(m, {m.users.size(), m.users.size() + 5}).csv).size() == 1);
    }
}

} // namespace segx::test::sql_contract_tables_test
