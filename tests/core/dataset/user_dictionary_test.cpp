#include "core/dataset/user_dictionary.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <limits>

namespace core_dataset_user_dictionary_test {

using segx::UserDictionary;

TEST_CASE("integer 123 and string \"123\" are the same user") {
    UserDictionary u;
    uint32_t a = u.intern_int(123);
    CHECK(a == 0);
    CHECK(u.intern("123") == a);
    CHECK(u.intern(" 123 ") == a);
    CHECK(u.find_int(123) == a);
    CHECK(u.find("123") == a);
    CHECK(u.id(a) == "123");
    CHECK(u.size() == 1);
}

TEST_CASE("user indices are dense and in first-seen order") {
    UserDictionary u;
    CHECK(u.intern("alice") == 0);
    CHECK(u.intern_int(7) == 1);
    CHECK(u.intern("bob") == 2);
    CHECK(u.intern("alice") == 0);
    CHECK(u.size() == 3);
    CHECK(u.id(1) == "7");
}

TEST_CASE("leading and trailing ASCII whitespace is trimmed from string ids") {
    UserDictionary u;
    uint32_t a = u.intern("  42\t\r\n");
    CHECK(u.id(a) == "42");
    CHECK(u.intern("42") == a);
    CHECK(u.intern("\v\f42 ") == a);
    CHECK(u.find(" 42") == a);
    CHECK(u.intern("4 2") != a); // inner spaces are part of the id
    CHECK(u.id(u.intern(" 4 2 ")) == "4 2");
    CHECK(UserDictionary::trim("\t x y \n") == "x y");
}

TEST_CASE("non-ASCII whitespace is not trimmed") {
    UserDictionary u;
    uint32_t a = u.intern("会员\xE3\x80\x80"); // U+3000 IDEOGRAPHIC SPACE
    uint32_t b = u.intern(" 会员 ");
    CHECK(a != b);
    CHECK(u.id(b) == "会员");
    CHECK(u.id(a).size() == 9);
}

TEST_CASE("an empty or all-whitespace id is not a user") {
    UserDictionary u;
    CHECK(u.intern("") == UserDictionary::kNone);
    CHECK(u.intern("   \t") == UserDictionary::kNone);
    CHECK(u.size() == 0);
    CHECK_FALSE(u.find("").has_value());
    CHECK_FALSE(u.find(" ").has_value());
    CHECK(UserDictionary::kNone == 0xFFFFFFFFu);
}

TEST_CASE("ids are text: leading zeros and decimals make different users") {
    UserDictionary u;
    uint32_t a = u.intern_int(123);
    CHECK(u.intern("0123") != a);
    CHECK(u.intern("123.0") != a);
    CHECK(u.size() == 3);
}

TEST_CASE("intern_int writes negative and extreme integers canonically") {
    UserDictionary u;
    CHECK(u.id(u.intern_int(0)) == "0");
    CHECK(u.id(u.intern_int(-5)) == "-5");
    CHECK(u.intern("-5") == 1);
    CHECK(u.id(u.intern_int(std::numeric_limits<int64_t>::min())) == "-9223372036854775808");
    CHECK(u.id(u.intern_int(std::numeric_limits<int64_t>::max())) == "9223372036854775807");
    CHECK_FALSE(u.find_int(6).has_value());
}

TEST_CASE("clear forgets every user") {
    UserDictionary u;
    u.intern("a");
    u.clear();
    CHECK(u.size() == 0);
    CHECK_FALSE(u.find("a").has_value());
    CHECK(u.intern("b") == 0);
}

TEST_CASE("a source's trimmed ids are adopted whole, index = code, and interning goes on after them") {
    segx::StringDictionary ids;
    ids.intern("u9");
    ids.intern("42");
    ids.intern("会员-7");
    UserDictionary u;
    REQUIRE(u.can_adopt(ids));
    u.adopt(ids);
    CHECK(u.size() == 3);
    CHECK(u.find("u9") == 0u);
    CHECK(u.find_int(42) == 1u);
    CHECK(u.find(" 会员-7 ") == 2u);
    CHECK(u.intern("new") == 3u);
    CHECK(u.intern("u9") == 0u);
}

TEST_CASE("ids are not adopted into a dictionary with users, nor when one is padded or empty") {
    segx::StringDictionary clean, padded, empty;
    clean.intern("a");
    padded.intern("a");
    padded.intern(" b");
    empty.intern("");
    UserDictionary u;
    CHECK_FALSE(u.can_adopt(padded)); // interning would trim " b": its code would not be its index
    CHECK_FALSE(u.can_adopt(empty));  // "" is no user
    u.intern("x");
    CHECK_FALSE(u.can_adopt(clean));
    CHECK(UserDictionary().can_adopt(segx::StringDictionary()));
}

} // namespace core_dataset_user_dictionary_test
