#pragma once
// Test support for the rule tests of run_definition (tests/core/run/*_rule_test.cpp): an answer's
// members or errors as one line of text, so a CHECK reads like the expected answer.
#include <nlohmann/json.hpp>

#include <string>

namespace segx::test {

// "u1 u2" (the order the answer lists them: sorted when RunOptions::sorted_members), or the
// answer itself when it is refused.
inline std::string members(const nlohmann::json& answer) {
    if (!answer.value("ok", false)) return answer.dump();
    std::string out;
    for (const nlohmann::json& id : answer["members"])
        out += (out.empty() ? "" : " ") + id.get<std::string>();
    return out;
}

// "path: message" per error, one per line.
inline std::string errors(const nlohmann::json& answer) {
    std::string out;
    for (const nlohmann::json& e : answer.value("errors", nlohmann::json::array()))
        out +=
            (out.empty() ? "" : "\n") + e["path"].get<std::string>() + ": " + e["message"].get<std::string>();
    return out;
}

} // namespace segx::test
