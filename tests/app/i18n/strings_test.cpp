// The two string tables are complete and consistent: every key has Chinese, no key is defined
// twice, placeholders match, and no English words are left in the Chinese table except names.
#include "app/i18n/i18n.h"

#include <doctest/doctest.h>

#include <cctype>
#include <set>
#include <string>

namespace app_i18n_strings_test {

using namespace segx;

namespace {

std::multiset<std::string> placeholders(const std::string& s) {
    std::multiset<std::string> out;
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '{') continue;
        if (i + 1 < s.size() && s[i + 1] == '{') {
            ++i;
            continue;
        }
        size_t close = s.find('}', i);
        if (close != std::string::npos) out.insert(s.substr(i, close - i + 1));
    }
    return out;
}

// Latin words allowed in Chinese text: product and format names, units, and codes people type.
const std::set<std::string> kNames = {
    "RFM", "SQL",   "CSV",   "TSV",   "JSON", "DuckDB",  "ID",      "id",      "UTF", "GBK",
    "URL", "R",     "F",     "M",     "TTF",  "KB",      "MB",      "GB",      "TB",  "B",
    "UTC", "ISO",   "Ctrl",  "Enter", "Esc",  "segx",    "Parquet", "OPFS",    "p",   "AM",
    "PM",  "NTILE", "Excel", "TOP",   "N",    "GB18030", "E",       "Windows", "LE",  "BE"};

// Latin words in s (runs of ASCII letters), minus placeholders and allowed names.
std::string english_left(const std::string& s) {
    std::string bad, word;
    bool in_brace = false;
    auto flush = [&] {
        if (!word.empty() && !kNames.count(word)) bad += word + " ";
        word.clear();
    };
    for (char c : s) {
        if (c == '{') in_brace = true;
        if (c == '}') in_brace = false;
        if (!in_brace && std::isalpha((unsigned char)c))
            word += c;
        else
            flush();
    }
    flush();
    return bad;
}

} // namespace

TEST_CASE("every key of the English table has a Chinese text, defined once") {
    CHECK(zh_table_problems() == "");
    std::string missing;
    for (size_t i = 0; i < size_t(S::Count_); ++i)
        if (!has_translation(S(i), Language::Zh)) missing += std::string(string_key_name(S(i))) + " ";
    CHECK_MESSAGE(missing.empty(), "no Chinese for: " << missing);
}

TEST_CASE("Chinese texts keep the English placeholders and leave no English words") {
    for (size_t i = 0; i < size_t(S::Count_); ++i) {
        std::string en = tr(S(i), Language::En), zh = tr(S(i), Language::Zh);
        CAPTURE(string_key_name(S(i)));
        CHECK(placeholders(en) == placeholders(zh));
        CHECK(!en.empty());
        CHECK(!zh.empty());
        CHECK(english_left(zh) == "");
    }
}

TEST_CASE("format_text fills positional placeholders in any order") {
    CHECK(format_text("{0} of {1}", {"3", "5"}) == "3 of 5");
    CHECK(format_text("{1} 中的 {0}", {"3", "5"}) == "5 中的 3");
    CHECK(format_text("{{0}} {0}", {"x"}) == "{0} x");
    CHECK(format_text("{2} {x}", {"a"}) == " {x}"); // missing args are empty; non-numbers stay
}

TEST_CASE("tr follows the active language") {
    set_language(Language::Zh);
    CHECK(std::string(tr(S::tab_audiences)) == "人群");
    CHECK(label(S::tab_funnels, "Funnels") == "漏斗###Funnels");
    set_language(Language::En);
    CHECK(std::string(tr(S::tab_audiences)) == "Audiences");
    CHECK(language_from_code("zh-Hans-CN") == Language::Zh);
    CHECK(language_from_code("en-GB") == Language::En);
    CHECK(!language_from_code("fr").has_value());
}

TEST_CASE("shown: the page's and the core's English messages in the active language") {
    CHECK(shown("user_id: no column named \"uid\"", Language::Zh) == "user_id：没有名为 \"uid\" 的列");
    CHECK(shown("kind: expected one of events, orders, users", Language::Zh) ==
          "kind：应为以下之一：events、orders、users");
    CHECK(shown("revenue_expr: \"select\" is not allowed in an expression", Language::Zh) ==
          "revenue_expr：表达式中不允许使用 \"select\"");
    CHECK(shown("mappings[\"a.csv\"]: expected a mapping (an object), found a list", Language::Zh) ==
          "mappings[\"a.csv\"]：应为映射（对象），实际为列表");
    CHECK(shown("funnels[\"f\"]: a funnel id is longer than 200 characters", Language::Zh) ==
          "funnels[\"f\"]：漏斗 ID 超过 200 个字符");
    CHECK(shown("big.csv: line 7 is longer than 1,000,000 bytes; expected CSV text with one row per line",
                Language::Zh) == "big.csv：第 7 行超过 1,000,000 字节；应为每行一条记录的 CSV 文本");
    CHECK(shown("line is longer than 1,000,000 bytes; expected CSV text with one row per line",
                Language::Zh) == "有一行超过 1,000,000 字节；应为每行一条记录的 CSV 文本");
    CHECK(shown("line 2 is 3.5 MB long without a line break (at most 1,000,000 bytes per line); expected CSV "
                "text with "
                "one row per line",
                Language::Zh) ==
          "第 2 行长 3.5 MB 且没有换行（每行至多 1,000,000 字节）；应为每行一条记录的 CSV 文本");
    // The load's refusals: over the memory budget, and too large for a tab (web/loads.js).
    CHECK(shown("the file is 2.1 GB, more than the memory budget of 2 GB; it was not loaded (change \"Memory "
                "budget\" in the left rail, or segx.setMemoryBudget(mb))",
                Language::Zh) ==
          "文件大小为 2.1 GB，超过内存预算 2 GB，未加载（可在左栏修改“内存预算”，或调用 "
          "segx.setMemoryBudget(mb)）");
    CHECK(
        shown(
            "events.csv: about 46,000,000 rows: with the 1,200,000 rows already loaded, building the model "
            "would need about 4.8 GB of memory, more than a browser tab can hold (4 GB); it was not loaded. "
            "Run definitions over files this large on the command line: node tools/segx.mjs run (README, "
            "\"Data beyond the tab\")",
            Language::Zh) ==
        "events.csv：约 46,000,000 行：加上已加载的 1,200,000 行，建立模型约需 4.8 GB "
        "内存，超过浏览器标签页能容纳的"
        "上限（4 GB），未加载。如此大的文件请在命令行上运行定义：node tools/segx.mjs run（README、\"Data "
        "beyond "
        "the tab\"）"); // the piece read as a list
    // The core's own messages go through its tables.
    CHECK(shown("root.rules[0].window.last_days: expected a whole number of days from 1 to 3650, got 0",
                Language::Zh) == "root.rules[0].window.last_days：应为天数 1 到 3650 之间的整数，实际为 0");
    // DuckDB's words and Chinese text stay as they are; English mode changes nothing.
    CHECK(shown("Binder Error: Referenced column \"x\" not found", Language::Zh) ==
          "Binder Error: Referenced column \"x\" not found");
    CHECK(shown("已导入", Language::Zh) == "已导入");
    CHECK(shown("user_id: no column named \"uid\"", Language::En) == "user_id: no column named \"uid\"");
    set_language(Language::Zh);
    CHECK(stage_text("mapping") == "映射中");
    CHECK(stage_text("other") == "other");
    set_language(Language::En);
    CHECK(stage_text("mapping") == "mapping");
}

} // namespace app_i18n_strings_test
