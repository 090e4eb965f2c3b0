#include "core/dataset/column.h"
#include "core/time/civil.h"

#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <stdexcept>
#include <string>

namespace core_dataset_column_test {

using namespace segx;
using namespace std::string_literals;

namespace {

Column make(const char* name, ColumnType type) {
    Column c;
    c.name = name;
    c.type = type;
    return c;
}

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

} // namespace

TEST_CASE("type_name uses DuckDB's type names") {
    CHECK(std::string(type_name(ColumnType::Bool)) == "BOOLEAN");
    CHECK(std::string(type_name(ColumnType::Int64)) == "BIGINT");
    CHECK(std::string(type_name(ColumnType::Double)) == "DOUBLE");
    CHECK(std::string(type_name(ColumnType::Date)) == "DATE");
    CHECK(std::string(type_name(ColumnType::Timestamp)) == "TIMESTAMP");
    CHECK(std::string(type_name(ColumnType::String)) == "VARCHAR");
}

TEST_CASE("format_double prints the shortest text that round-trips") {
    CHECK(format_double(0.1) == "0.1");
    CHECK(format_double(0.1 + 0.2) == "0.30000000000000004");
    CHECK(format_double(3.0) == "3");
    CHECK(format_double(-3.0) == "-3");
    CHECK(format_double(0.0) == "0");
    CHECK(format_double(-0.0) == "-0");
    CHECK(format_double(123.456) == "123.456");
    CHECK(format_double(1000000.0) == "1000000");
    CHECK(format_double(1e20) == "100000000000000000000");
    CHECK(format_double(1e21) == "1e+21");
    CHECK(format_double(1.5e300) == "1.5e+300");
    CHECK(format_double(0.000001) == "0.000001");
    CHECK(format_double(1.5e-7) == "1.5e-7");
    CHECK(format_double(5e-324) == "5e-324");
    CHECK(format_double(std::numeric_limits<double>::max()) == "1.7976931348623157e+308");
    CHECK(format_double(9007199254740993.0) == "9007199254740992"); // 2^53 + 1 is not a double
}

TEST_CASE("format_double spells NaN and infinities like JavaScript") {
    CHECK(format_double(std::nan("")) == "NaN");
    CHECK(format_double(std::numeric_limits<double>::infinity()) == "Infinity");
    CHECK(format_double(-std::numeric_limits<double>::infinity()) == "-Infinity");
}

TEST_CASE("append_int64 stores values and zeroes null slots") {
    Column c = make("qty", ColumnType::Int64);
    const int64_t values[3] = {5, 999, -7};
    const uint8_t validity[1] = {0b101};
    c.append_int64(values, validity, 0, 3);
    REQUIRE(c.size() == 3);
    CHECK(c.ints.to_vector() == std::vector<int64_t>{5, 0, -7});
    CHECK_FALSE(c.is_null(0));
    CHECK(c.is_null(1));
    CHECK(c.format(0) == "5");
    CHECK(c.format(1) == "");
    CHECK(c.format(2) == "-7");
}

TEST_CASE("append_int64 chunks accumulate with their own bit offsets") {
    Column c = make("n", ColumnType::Int64);
    const int64_t a[2] = {1, 2};
    c.append_int64(a, nullptr, 0, 2);
    const int64_t b[3] = {3, 4, 5};
    const uint8_t validity[1] = {0b11010000}; // from bit 4: 1, 0, 1
    c.append_int64(b, validity, 4, 3);
    CHECK(c.size() == 5);
    CHECK(c.ints.to_vector() == std::vector<int64_t>{1, 2, 3, 0, 5});
    CHECK(c.valid.count_set() == 4);
    CHECK(c.is_null(3));
    CHECK(c.format(4) == "5");
    CHECK(c.format(0) == "1");
    CHECK(std::to_string(std::numeric_limits<int64_t>::min()) == "-9223372036854775808");
}

TEST_CASE("Bool columns store 0/1 and print true/false") {
    Column c = make("paid", ColumnType::Bool);
    const int64_t values[4] = {0, 2, 1, 1};
    const uint8_t validity[1] = {0b0111};
    c.append_int64(values, validity, 0, 4);
    CHECK(c.ints.to_vector() == std::vector<int64_t>{0, 1, 1, 0});
    CHECK(c.format(0) == "false");
    CHECK(c.format(1) == "true");
    CHECK(c.format(2) == "true");
    CHECK(c.format(3) == "");
}

TEST_CASE("Date and Timestamp columns print through civil time") {
    Column date = make("signup", ColumnType::Date);
    const int64_t days[3] = {11016 * kMicrosPerDay, -25508 * kMicrosPerDay, -kMicrosPerDay};
    date.append_int64(days, nullptr, 0, 3);
    CHECK(date.format(0) == "2000-02-29");
    CHECK(date.format(1) == "1900-03-01");
    CHECK(date.format(2) == "1969-12-31");

    Column time = make("ts", ColumnType::Timestamp);
    const int64_t times[2] = {951831930000123, -1};
    time.append_int64(times, nullptr, 0, 2);
    CHECK(time.format(0) == "2000-02-29 13:45:30.000123");
    CHECK(time.format(1) == "1969-12-31 23:59:59.999999");
}

TEST_CASE("append_double stores values and NaN in null slots") {
    Column c = make("amount", ColumnType::Double);
    const double values[5] = {0.1, 1e21, -0.0, 3.0, 42.0};
    const uint8_t validity[1] = {0b01111};
    c.append_double(values, validity, 0, 5);
    REQUIRE(c.size() == 5);
    CHECK(c.format(0) == "0.1");
    CHECK(c.format(1) == "1e+21");
    CHECK(c.format(2) == "-0");
    CHECK(c.format(3) == "3");
    CHECK(c.is_null(4));
    CHECK(std::isnan(c.doubles[4]));
    CHECK(c.format(4) == "");
}

TEST_CASE("append_utf8 reads offsets that do not start at 0") {
    // A sliced Arrow array: values buffer "zzz" "abc" "" "de", offsets {3, 6, 6, 8} index the
    // whole buffer; "zzz" belongs to rows before the slice.
    const std::string values = "zzzabcde";
    const int32_t offsets[4] = {3, 6, 6, 8};
    Column c = make("city", ColumnType::String);
    c.append_utf8(offsets, values.data(), nullptr, 0, 3);
    REQUIRE(c.size() == 3);
    CHECK(c.format(0) == "abc");
    CHECK(c.format(1) == "");
    CHECK(c.format(2) == "de");
    CHECK(c.codes.to_vector() == std::vector<uint32_t>{1, 0, 2}); // code 0 is always ""
    CHECK(c.dict.size() == 3);
}

TEST_CASE("an empty string and a null differ only in the validity bit") {
    const int32_t offsets[4] = {0, 0, 0, 1};
    const char bytes[] = "x";
    const uint8_t validity[1] = {0b101}; // row 1 null
    Column c = make("note", ColumnType::String);
    c.append_utf8(offsets, bytes, validity, 0, 3);
    CHECK_FALSE(c.is_null(0));
    CHECK(c.is_null(1));
    CHECK(c.format(0) == "");
    CHECK(c.format(1) == "");
    CHECK(c.codes[0] == c.codes[1]);
    CHECK(c.dict.at(c.codes[0]) == "");
    CHECK(c.format(2) == "x");
}

TEST_CASE("append_utf8 interns repeated UTF-8 and NUL-bearing strings once") {
    const std::string values = "上海北京上海a\0b"s; // 上海 and 北京 are 6 bytes each
    const int32_t offsets[5] = {0, 6, 12, 18, 21};
    Column c = make("城市", ColumnType::String);
    const uint8_t validity[1] = {0b11110}; // read from bit 1: all four valid
    c.append_utf8(offsets, values.data(), validity, 1, 4);
    CHECK(c.format(0) == "上海");
    CHECK(c.format(1) == "北京");
    CHECK(c.codes[0] == c.codes[2]);
    CHECK(c.format(3) == "a\0b"s);
    CHECK(c.format(3).size() == 3);
    CHECK(c.dict.size() == 4); // "", 上海, 北京, a\0b
}

TEST_CASE("append_utf8 rejects negative or decreasing offsets and names the row") {
    const int32_t offsets[3] = {0, 4, 2};
    Column c = make("city", ColumnType::String);
    try {
        c.append_utf8(offsets, "abcd", nullptr, 0, 2);
        FAIL("expected invalid_argument");
    } catch (const std::invalid_argument& e) {
        CHECK(contains(e.what(), "'city'"));
        CHECK(contains(e.what(), "row 1"));
    }
    CHECK(c.size() == 0);
    const int32_t negative[2] = {-1, 2};
    CHECK_THROWS_WITH_AS(c.append_utf8(negative, "abcd", nullptr, 0, 1),
                         "column 'city': negative utf8 offset -1 at row 0", std::invalid_argument);
    CHECK(c.size() == 0);
}

TEST_CASE("appending the wrong type throws naming the column and both types") {
    Column s = make("city", ColumnType::String);
    const double d[1] = {1.0};
    try {
        s.append_double(d, nullptr, 0, 1);
        FAIL("expected invalid_argument");
    } catch (const std::invalid_argument& e) {
        CHECK(contains(e.what(), "'city'"));
        CHECK(contains(e.what(), "VARCHAR"));
        CHECK(contains(e.what(), "DOUBLE"));
    }
    CHECK(s.size() == 0);

    Column n = make("amount", ColumnType::Double);
    const int64_t i[1] = {1};
    CHECK_THROWS_AS(n.append_int64(i, nullptr, 0, 1), std::invalid_argument);
    CHECK_THROWS_WITH(
        n.append_int64(i, nullptr, 0, 1),
        "column 'amount' is DOUBLE, but append_int64 appends BOOLEAN/BIGINT/DATE/TIMESTAMP values");
    const int32_t offsets[2] = {0, 1};
    CHECK_THROWS_WITH(n.append_utf8(offsets, "x", nullptr, 0, 1),
                      "column 'amount' is DOUBLE, but append_utf8 appends VARCHAR values");
    CHECK(n.size() == 0);
}

TEST_CASE("zero-row chunks change nothing but are accepted") {
    Column c = make("x", ColumnType::Int64);
    c.append_int64(nullptr, nullptr, 0, 0);
    CHECK(c.size() == 0);
    Column s = make("s", ColumnType::String);
    s.append_utf8(nullptr, nullptr, nullptr, 0, 0);
    CHECK(s.size() == 0);
}

TEST_CASE("memory_bytes covers values, validity and dictionary") {
    Column c = make("v", ColumnType::Int64);
    std::vector<int64_t> values(1000, 7);
    c.append_int64(values.data(), nullptr, 0, values.size());
    CHECK(c.memory_bytes() >= 1000 * 1 + 16 * 8); // 1000 one-byte values + 16 validity words
    CHECK(c.memory_bytes() < 1000 * 2);
    CHECK(c.ints.width() == 1);
    const int64_t big[2] = {1, int64_t(1) << 40};
    c.append_int64(big, nullptr, 0, 2);
    CHECK(c.ints.width() == 8);
    CHECK(c.memory_bytes() >= 1002 * 8 + 16 * 8);
    CHECK(c.ints[999] == 7);
    CHECK(c.ints[1001] == int64_t(1) << 40);
    Column s = make("s", ColumnType::String);
    const int32_t offsets[2] = {0, 5};
    s.append_utf8(offsets, "hello", nullptr, 0, 1);
    CHECK(s.memory_bytes() >= s.dict.memory_bytes() + 1);
}

} // namespace core_dataset_column_test
