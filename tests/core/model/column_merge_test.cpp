#include "core/model/column_merge.h"

#include <doctest/doctest.h>

#include <vector>

namespace core_model_column_merge_test {

using namespace segx;

namespace {

Column typed(const char* name, ColumnType type, size_t valid_rows, size_t null_rows = 0) {
    Column c;
    c.name = name;
    c.type = type;
    c.valid.append_all(true, valid_rows);
    c.valid.append_all(false, null_rows);
    return c;
}

} // namespace

TEST_CASE("merge_types: equal types, int with double, date with timestamp") {
    CHECK(merge_types(ColumnType::String, ColumnType::String) == ColumnType::String);
    CHECK(merge_types(ColumnType::Int64, ColumnType::Double) == ColumnType::Double);
    CHECK(merge_types(ColumnType::Double, ColumnType::Int64) == ColumnType::Double);
    CHECK(merge_types(ColumnType::Date, ColumnType::Timestamp) == ColumnType::Timestamp);
    CHECK_FALSE(merge_types(ColumnType::Int64, ColumnType::String).has_value());
    CHECK_FALSE(merge_types(ColumnType::Bool, ColumnType::Int64).has_value());
    CHECK_FALSE(merge_types(ColumnType::Date, ColumnType::Int64).has_value());
}

TEST_CASE("plan_columns: an all-null column fits any type and takes the first real one") {
    std::vector<Column> a{typed("x", ColumnType::String, 0, 3), typed("y", ColumnType::Int64, 1)};
    std::vector<Column> b{typed("x", ColumnType::Int64, 2), typed("y", ColumnType::String, 0, 2)};
    std::vector<Column> c{typed("x", ColumnType::String, 1)};
    ColumnPlan plan = plan_columns({{"a.csv", &a}, {"b.csv", &b}, {"c.csv", &c}});
    REQUIRE(plan.columns.size() == 3);
    CHECK(plan.columns[0].name == "x");
    CHECK(plan.columns[0].type == ColumnType::Int64); // a.csv's x held no value
    CHECK(plan.columns[1].name == "y");
    CHECK(plan.columns[1].type == ColumnType::Int64); // b.csv's y held no value
    CHECK(plan.columns[2].name == "x (c.csv)");
    CHECK(plan.columns[2].type == ColumnType::String);
    CHECK(plan.sources == std::vector<std::string>{"a.csv", "a.csv", "c.csv"});
    CHECK(plan.target == std::vector<std::vector<size_t>>{{0, 1}, {0, 1}, {2}});
}

TEST_CASE("scatter_column writes values and nulls, overwriting earlier rows") {
    Column src;
    src.name = "n";
    src.type = ColumnType::Int64;
    const int64_t values[3] = {5, 6, 7};
    const uint8_t validity[1] = {0b101};
    src.append_int64(values, validity, 0, 3);

    Column dst = typed("n", ColumnType::Double, 0);
    dst.doubles.assign(4, 0.0);
    dst.valid.append_all(true, 4); // all set: the nulls must clear them
    std::vector<uint32_t> remap;
    const uint32_t to[3] = {3, 0, 1};
    scatter_column(src, dst, nullptr, to, 3, remap);
    CHECK(dst.doubles[3] == 5.0);
    CHECK(dst.is_null(0));
    CHECK(dst.doubles[1] == 7.0);
    CHECK_FALSE(dst.is_null(2)); // untouched
}

} // namespace core_model_column_merge_test
