#include "core/dataset/string_dictionary.h"

#include <doctest/doctest.h>

#include <stdexcept>
#include <string>

namespace core_dataset_string_dictionary_test {

using segx::StringDictionary;
using namespace std::string_literals;

TEST_CASE("intern assigns dense codes in first-seen order and reuses them") {
    StringDictionary d;
    CHECK(d.size() == 0);
    CHECK(d.intern("paris") == 0);
    CHECK(d.intern("tokyo") == 1);
    CHECK(d.intern("paris") == 0);
    CHECK(d.intern("lima") == 2);
    CHECK(d.size() == 3);
    CHECK(d.at(0) == "paris");
    CHECK(d.at(1) == "tokyo");
    CHECK(d.at(2) == "lima");
}

TEST_CASE("find returns the code of known strings and nothing for unknown ones") {
    StringDictionary d;
    CHECK_FALSE(d.find("x").has_value()); // empty dictionary, no table yet
    d.intern("x");
    d.intern("y");
    CHECK(d.find("y") == 1u);
    CHECK_FALSE(d.find("z").has_value());
    CHECK_FALSE(d.find("").has_value());
    CHECK(d.size() == 2); // find never adds
}

TEST_CASE("the empty string is an ordinary value") {
    StringDictionary d;
    d.intern("a");
    CHECK(d.intern("") == 1);
    CHECK(d.find("") == 1u);
    CHECK(d.at(1).empty());
    CHECK(d.intern(std::string_view()) == 1); // a null view is the same empty string
}

TEST_CASE("embedded NUL bytes are part of the string") {
    StringDictionary d;
    const std::string a = "a\0b"s, a2 = "a\0c"s, nul = "\0"s, nul2 = "\0\0"s;
    CHECK(d.intern("a") == 0);
    CHECK(d.intern(a) == 1);
    CHECK(d.intern(a2) == 2);
    CHECK(d.intern(nul) == 3);
    CHECK(d.intern(nul2) == 4);
    CHECK(d.intern("") == 5);
    CHECK(d.at(1).size() == 3);
    CHECK(d.at(1) == a);
    CHECK(d.at(4) == nul2);
    CHECK(d.find(a2) == 2u);
}

TEST_CASE("UTF-8 Chinese strings are interned byte for byte") {
    StringDictionary d;
    CHECK(d.intern("会员ID") == 0);
    CHECK(d.intern("用户ID") == 1);
    CHECK(d.intern("会员ID") == 0);
    CHECK(d.at(0).size() == 8); // 会 and 员 are 3 bytes each, plus "ID"
    CHECK(d.at(1) == "用户ID");
    CHECK(d.find("下单时间") == std::nullopt);
}

TEST_CASE("a million distinct strings round-trip through intern, find and at") {
    StringDictionary d;
    const uint32_t n = 1000000;
    bool all_dense = true;
    for (uint32_t i = 0; i < n; i++) all_dense = all_dense && d.intern("user-" + std::to_string(i)) == i;
    CHECK(all_dense);
    CHECK(d.size() == n);
    bool all_found = true, all_text = true, all_stable = true;
    for (uint32_t i = 0; i < n; i++) {
        std::string s = "user-" + std::to_string(i);
        all_found = all_found && d.find(s) == i;
        all_text = all_text && d.at(i) == s;
        if (i % 7 == 0) all_stable = all_stable && d.intern(s) == i;
    }
    CHECK(all_found);
    CHECK(all_text);
    CHECK(all_stable);
    CHECK(d.size() == n);
    CHECK_FALSE(d.find("user-1000000").has_value());
    CHECK_FALSE(d.find("user-").has_value());
    // Arena holds "user-" (5 bytes) plus the digits: 10 + 90*2 + 900*3 + ... + 900000*6.
    CHECK(d.memory_bytes() >= 5 * size_t(n) + 5888890);
}

TEST_CASE("long strings sharing prefixes stay distinct") {
    StringDictionary d;
    std::string base(100, 'q');
    for (int i = 0; i < 50; i++)
        CHECK(d.intern(base + char('A' + i % 26) + std::to_string(i)) == uint32_t(i));
    CHECK(d.intern(base) == 50);
    CHECK(d.find(base + "A0") == 0u);
}

TEST_CASE("at throws out_of_range naming the bad code") {
    StringDictionary d;
    d.intern("only");
    try {
        d.at(7);
        FAIL("expected out_of_range");
    } catch (const std::out_of_range& e) {
        CHECK(std::string(e.what()).find("code 7") != std::string::npos);
        CHECK(std::string(e.what()).find("size 1") != std::string::npos);
    }
}

TEST_CASE("clear empties the dictionary and restarts codes at 0") {
    StringDictionary d;
    d.intern("a");
    d.intern("b");
    d.clear();
    CHECK(d.size() == 0);
    CHECK_FALSE(d.find("a").has_value());
    CHECK(d.intern("b") == 0);
    CHECK(d.at(0) == "b");
}

TEST_CASE("interning a substring of an existing entry is safe") {
    StringDictionary d;
    d.intern("abcdefgh");
    std::string_view inside = d.at(0).substr(2, 3); // points into the arena
    CHECK(d.intern(inside) == 1);
    CHECK(d.at(1) == "cde");
}

TEST_CASE("hash_bytes depends on length and content, not on the buffer") {
    using segx::hash_bytes;
    std::string a = "checkout_completed", b = "checkout_completed";
    CHECK(hash_bytes(a.data(), a.size()) == hash_bytes(b.data(), b.size()));
    CHECK(hash_bytes("a", 1) != hash_bytes("b", 1));
    const char zeros[16] = {};
    for (size_t len = 0; len < 16; len++) // all-zero inputs differ only by length
        CHECK(hash_bytes(zeros, len) != hash_bytes(zeros, len + 1));
}

TEST_CASE("shrink_to_fit gives back the arena's and offsets' slack and keeps every code") {
    StringDictionary d;
    size_t text = 0;
    for (int i = 0; i < 1000; i++) {
        const std::string s = "id" + std::to_string(i);
        text += s.size();
        d.intern(s);
    }
    const size_t before = d.memory_bytes();
    d.shrink_to_fit();
    // 4,890 bytes of text, 1001 offsets; the table keeps its 2048 slots (1000 entries past 70% of 1024).
    CHECK(text == 4890);
    CHECK(d.memory_bytes() <= text + 16 + 8 * 1001 + 8 * 2048);
    CHECK(d.memory_bytes() < before);
    for (int i = 0; i < 1000; i += 99) CHECK(d.find("id" + std::to_string(i)) == uint32_t(i));
    CHECK(d.intern("new") == 1000); // still grows afterwards
    CHECK(d.at(1000) == "new");
}

} // namespace core_dataset_string_dictionary_test
