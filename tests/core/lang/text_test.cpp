#include "core/lang/text.h"
#include "core/lang/json_text.h"

#include <doctest/doctest.h>

#include <string>

namespace core_lang_text_test {

using namespace segx;

TEST_CASE("quote escapes quotes, backslashes, control characters and invalid bytes") {
    CHECK(quote("plain") == "\"plain\"");
    CHECK(quote("say \"hi\" \\ now") == "\"say \\\"hi\\\" \\\\ now\"");
    CHECK(quote("a\nb\tc\x01") == "\"a\\u000Ab\\u0009c\\u0001\"");
    CHECK(quote("bad \xff\xc3") == "\"bad \\xFF\\xC3\"");
    CHECK(quote("中国") == "\"中国\"");
}

TEST_CASE("quote cuts long text at a character boundary and says how long it was") {
    CHECK(quote(std::string(100, 'x'), 4) == "\"xxxx…\" (100 bytes)");
    // "中" is 3 bytes: a cut after 4 bytes keeps the second character whole.
    CHECK(quote("中中中", 4) == "\"中中…\" (9 bytes)");
    CHECK(quote("abc", 3) == "\"abc\"");
}

TEST_CASE("is_valid_utf8 refuses overlongs, surrogates, stray and truncated bytes") {
    CHECK(is_valid_utf8(""));
    CHECK(is_valid_utf8("ascii 中国 😀"));
    CHECK_FALSE(is_valid_utf8("\xc0\xaf"));         // overlong '/'
    CHECK_FALSE(is_valid_utf8("\xe0\x80\xaf"));     // overlong
    CHECK_FALSE(is_valid_utf8("\xed\xa0\x80"));     // surrogate U+D800
    CHECK_FALSE(is_valid_utf8("\xf4\x90\x80\x80")); // past U+10FFFF
    CHECK_FALSE(is_valid_utf8("\x80"));             // stray continuation
    CHECK_FALSE(is_valid_utf8("\xe4\xb8"));         // truncated
    CHECK(sanitize_utf8("a\xffz\xe4\xb8") == "a\xEF\xBF\xBDz\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST_CASE("ASCII folding leaves every non-ASCII byte alone") {
    CHECK(fold_ascii("Gold MEMBER 中国 ÄÖ") == "gold member 中国 ÄÖ");
}

TEST_CASE("JSON paths write plain keys with dots and other keys quoted in brackets") {
    std::string p;
    append_path_key(p, "root");
    append_path_key(p, "rules");
    append_path_index(p, 2);
    append_path_key(p, "value");
    CHECK(p == "root.rules[2].value");
    std::string q = "root";
    append_path_key(q, "a.b");
    append_path_key(q, "");
    append_path_key(q, "9lives");
    CHECK(q == "root[\"a.b\"][\"\"][\"9lives\"]");
}

TEST_CASE("parse_json_text reports duplicate keys at their path and keeps going") {
    JsonText t = parse_json_text(R"({"a": [1, {"b": 1, "b": 2}], "c": true})");
    CHECK_FALSE(t.fatal);
    REQUIRE(t.errors.size() == 1);
    CHECK(t.errors[0].to_string() == "a[1].b: duplicate key (the last value is used)");
    CHECK(t.value["a"][1]["b"] == 2);
    CHECK(t.value["c"] == true);
}

} // namespace core_lang_text_test
