// Any definition JSON through the two entries the page calls: run_definition (evaluated over a
// small model) and definition_sql (compiled to DuckDB SQL). Neither may throw or crash, and
// every statement must lex cleanly: each '...' literal, "..." identifier and -- comment closed,
// no NUL, and every word outside them one that the compilers' own source spells, so that no text
// of the definition (which is untrusted) reaches the SQL unquoted.
#include "core/audience/json.h"
#include "core/funnel/json.h"
#include "core/model/chunk_fixture.h" // tests/core/model
#include "core/rfm/json.h"
#include "core/run/definition_sql.h"
#include "core/run/run.h"
#include "core/time/civil.h"
#include "fuzz/fuzz_check.h"

#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

namespace {

using namespace segx;
using segx::test::doubles;
using segx::test::ints;
using segx::test::texts;

const int64_t A = days_from_civil(2024, 3, 31) * kMicrosPerDay;
constexpr int64_t D = kMicrosPerDay;

Model make_model() {
    UserSourceBuilder ub("customers.csv", {"country", "age", "signup", "it's \"quoted\"", "vip"});
    auto ids = texts({"u0", "u1", "u2", "u'3"});
    auto country = texts({"CN", "US", std::nullopt, "中国"});
    auto age = ints({30, 45, std::nullopt, 18});
    auto signup = ints({A - 400 * D, A - 30 * D, std::nullopt, A}, 0, ColumnType::Date);
    auto quoted = texts({"a'b", "--", "\"", std::nullopt});
    auto vip = ints({1, 0, std::nullopt, 1}, 0, ColumnType::Bool);
    ub.append(4, ids.chunk(), {country.chunk(), age.chunk(), signup.chunk(), quoted.chunk(), vip.chunk()});
    UserSource users = ub.finish();

    EventSourceSpec spec;
    spec.name = "events.csv";
    spec.time_is_epoch_us = true;
    spec.property_names = {"platform", "price", "o'k"};
    EventSourceBuilder eb(spec);
    auto user = texts({"u0", "u0", "u1", "u1", "u2", "e9", "u'3"});
    auto time = ints({A - 30 * D, A - 29 * D, A - 10 * D, A - 1 * D, A - 60 * D, A, A - 7 * D});
    auto event = texts({"view", "purchase", "view", "purchase", "view", "sign'up", "view"});
    auto revenue = doubles({std::nullopt, 50, std::nullopt, 20, std::nullopt, std::nullopt, std::nullopt});
    auto platform = texts({"web", "ios", "ios", "android", std::nullopt, "web", "x\"y"});
    auto price = doubles({1, 2, 3, std::nullopt, 5, 6, 7});
    auto ok = ints({1, 2, 3, 4, 5, 6, 7});
    eb.append(7, user.chunk(), time.chunk(), event.chunk(), revenue.chunk(), ValueChunk::none(),
              {platform.chunk(), price.chunk(), ok.chunk()});
    EventSource events = eb.finish();
    return build_model({&users}, {&events});
}

SavedDefinitions make_saved() {
    SavedDefinitions s;
    s.audiences.push_back(parse_audience(R"({"segx":1,"id":"a1","name":"Buyers","root":{"rules":[
        {"kind":"behavior","did":true,"event":"purchase"}]}})")
                              .audience);
    s.audiences.push_back(parse_audience(R"({"segx":1,"id":"a2","name":"Not buyers","root":{"rules":[
        {"kind":"audience","op":"not_in","id":"a1"}]}})")
                              .audience);
    s.funnels.push_back(parse_funnel(R"({"segx":1,"kind":"funnel","id":"f1","name":"F",
        "steps":[{"event":"view"},{"event":"purchase"}]})")
                            .funnel);
    s.rfms.push_back(parse_rfm(R"({"segx":1,"kind":"rfm","id":"rfm-1","name":"RFM"})").rfm);
    return s;
}

// Every identifier-like word of the SQL compilers' sources: what the compilers may write
// outside quotes.
std::set<std::string> compiler_words() {
    std::set<std::string> words;
    const std::filesystem::path root = std::filesystem::path(SEGX_REPO_DIR) / "src/core";
    for (const char* dir : {"sql", "run", "time", "lang"})
        for (const auto& entry : std::filesystem::directory_iterator(root / dir)) {
            std::ifstream in(entry.path());
            std::stringstream buf;
            buf << in.rdbuf();
            const std::string s = buf.str();
            for (size_t i = 0; i < s.size();) {
                if (std::isalpha(static_cast<unsigned char>(s[i])) || s[i] == '_') {
                    size_t j = i;
                    while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_'))
                        j++;
                    words.insert(s.substr(i, j - i));
                    i = j;
                } else {
                    i++;
                }
            }
        }
    FUZZ_CHECK(words.count("SELECT"), "the compilers' sources were found under " SEGX_REPO_DIR);
    return words;
}

void check_sql(const std::string& sql, const std::set<std::string>& words) {
    FUZZ_CHECK(sql.find('\0') == std::string::npos, "a NUL in the SQL");
    size_t i = 0;
    while (i < sql.size()) {
        const char c = sql[i];
        if (c == '\'' || c == '"') {
            size_t j = i + 1;
            for (;;) {
                FUZZ_CHECK(j < sql.size(), "an unclosed quote at " + std::to_string(i) + ": " + sql);
                if (sql[j] == c && j + 1 < sql.size() && sql[j + 1] == c) {
                    j += 2;
                } else if (sql[j] == c) {
                    break;
                } else {
                    j++;
                }
            }
            i = j + 1;
        } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
            const size_t end = sql.find('\n', i);
            FUZZ_CHECK(end != std::string::npos || sql.compare(0, 2, "--") != 0 || true, "");
            i = end == std::string::npos ? sql.size() : end + 1;
        } else if (std::isdigit(static_cast<unsigned char>(c))) {
            while (i < sql.size() &&
                   (std::isalnum(static_cast<unsigned char>(sql[i])) || sql[i] == '.' || sql[i] == '_' ||
                    ((sql[i] == '+' || sql[i] == '-') && (sql[i - 1] == 'e'))))
                i++;
        } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
            size_t j = i;
            while (j < sql.size() && (std::isalnum(static_cast<unsigned char>(sql[j])) || sql[j] == '_')) j++;
            const std::string word = sql.substr(i, j - i);
            FUZZ_CHECK(words.count(word),
                       "a word the compilers do not write, outside quotes: " + word + "\n" + sql);
            i = j;
        } else {
            FUZZ_CHECK(static_cast<unsigned char>(c) < 0x80, "a non-ASCII byte outside quotes: " + sql);
            i++;
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const Model model = make_model();
    static const SavedDefinitions saved = make_saved();
    static const std::set<std::string> words = compiler_words();
    std::string_view text(reinterpret_cast<const char*>(data), size);

    RunContext ctx{model, A, 1, &saved, nullptr, nullptr};
    nlohmann::json ran = run_definition(ctx, text, RunOptions{true, true});
    FUZZ_CHECK(ran.is_object() && ran.contains("ok"), "an answer without ok");
    (void)answer_text(ran);
    const auto no_internal_error = [](const nlohmann::json& answer) {
        if (answer["ok"].get<bool>()) return;
        for (const auto& e : answer["errors"])
            FUZZ_CHECK(e["message"].get<std::string>().rfind("internal error", 0) != 0,
                       "an exception inside: " + e.dump());
    };
    no_internal_error(ran);

    nlohmann::json compiled = definition_sql(ctx, text);
    FUZZ_CHECK(compiled.is_object() && compiled.contains("ok"), "an answer without ok");
    no_internal_error(compiled);
    if (compiled["ok"].get<bool>()) check_sql(compiled["sql"].get<std::string>(), words);
    return 0;
}
