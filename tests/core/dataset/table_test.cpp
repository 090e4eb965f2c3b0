#include "core/dataset/table.h"

#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

namespace core_dataset_table_test {

using namespace segx;

namespace {

Column int_column(const char* name, size_t rows) {
    Column c;
    c.name = name;
    c.type = ColumnType::Int64;
    std::vector<int64_t> values(rows, 1);
    c.append_int64(values.data(), nullptr, 0, rows);
    return c;
}

Table orders() {
    Table t;
    t.name = "orders";
    t.rows = 3;
    t.columns.push_back(int_column("user_id", 3));
    t.columns.push_back(int_column("Amount", 3));
    return t;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

} // namespace

TEST_CASE("find returns the column with exactly that name") {
    Table t = orders();
    REQUIRE(t.find("Amount") != nullptr);
    CHECK(t.find("Amount") == &t.columns[1]);
    CHECK(t.find("amount") == nullptr); // case-sensitive
    CHECK(t.find("missing") == nullptr);
    const Table& ct = t;
    CHECK(ct.find("user_id") == &t.columns[0]);
}

TEST_CASE("check_consistent accepts columns as long as the table") {
    CHECK_NOTHROW(check_consistent(orders()));
    Table empty;
    empty.name = "empty";
    CHECK_NOTHROW(check_consistent(empty));
}

TEST_CASE("check_consistent names the table and the column with the wrong row count") {
    Table t = orders();
    t.columns.push_back(int_column("qty", 2));
    try {
        check_consistent(t);
        FAIL("expected runtime_error");
    } catch (const std::runtime_error& e) {
        CHECK(contains(e.what(), "'orders'"));
        CHECK(contains(e.what(), "'qty'"));
        CHECK(contains(e.what(), "2 rows"));
    }
}

TEST_CASE("check_consistent catches values out of step with validity") {
    Table t = orders();
    t.columns[1].ints.pop_back();
    CHECK_THROWS_WITH_AS(check_consistent(t),
                         "table 'orders': column 'Amount' (BIGINT) has 2 values but 3 validity bits",
                         std::runtime_error);
}

TEST_CASE("Table memory_bytes includes every column") {
    Table t = orders();
    CHECK(t.memory_bytes() >= t.columns[0].memory_bytes() + t.columns[1].memory_bytes());
    CHECK(t.memory_bytes() >= 2 * 3 * 8);
}

} // namespace core_dataset_table_test
