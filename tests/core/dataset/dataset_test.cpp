#include "core/dataset/dataset.h"

#include <doctest/doctest.h>

namespace core_dataset_dataset_test {

using namespace segx;

namespace {

Table table(const char* name, size_t rows) {
    Table t;
    t.name = name;
    t.rows = rows;
    return t;
}

} // namespace

TEST_CASE("put appends tables with new names in order") {
    Dataset ds;
    Table& a = ds.put(table("users", 10));
    CHECK(a.name == "users");
    ds.put(table("orders", 20));
    REQUIRE(ds.tables.size() == 2);
    CHECK(ds.tables[0].name == "users");
    CHECK(ds.tables[1].name == "orders");
}

TEST_CASE("put replaces a table of the same name in place") {
    Dataset ds;
    ds.put(table("users", 10));
    ds.put(table("orders", 20));
    ds.put(table("events", 30));
    Table& replaced = ds.put(table("orders", 99));
    CHECK(ds.tables.size() == 3);
    CHECK(&replaced == &ds.tables[1]); // same position
    CHECK(ds.tables[1].name == "orders");
    CHECK(ds.tables[1].rows == 99);
    CHECK(ds.tables[2].name == "events");
}

TEST_CASE("find looks tables up by exact name") {
    Dataset ds;
    ds.put(table("orders", 20));
    const Dataset& cds = ds;
    REQUIRE(cds.find("orders") != nullptr);
    CHECK(cds.find("orders")->rows == 20);
    CHECK(cds.find("Orders") == nullptr);
    CHECK(ds.find("nothing") == nullptr);
}

TEST_CASE("remove deletes the named table and reports whether it existed") {
    Dataset ds;
    ds.put(table("a", 1));
    ds.put(table("b", 2));
    ds.put(table("c", 3));
    CHECK(ds.remove("b"));
    CHECK_FALSE(ds.remove("b"));
    REQUIRE(ds.tables.size() == 2);
    CHECK(ds.tables[0].name == "a");
    CHECK(ds.tables[1].name == "c");
}

} // namespace core_dataset_dataset_test
