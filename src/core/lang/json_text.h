#pragma once
// Reading untrusted JSON text (a pasted definition, a share link, an imported file) into a
// nlohmann DOM without trusting its shape: no recursion, so 10 000 nested brackets cannot
// overflow the (small, in WASM) stack; nesting past `max_depth` stops the parse; and every
// problem is located by JSON path like the validator's (json.h).

#include "core/lang/error.h"

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace segx {

// Larger texts are refused before parsing: a definition is a few KB even with long `in` lists.
constexpr size_t kMaxJsonTextBytes = 8u << 20;
// JSON nesting allowed in a definition: each group level is two JSON levels (the group object
// and its rules array), plus the document, a rule and its values.
constexpr size_t kMaxJsonDepth = 2 * 64 + 16;

struct JsonText {
    nlohmann::json value;
    // Fatal problems (syntax, nesting, a number out of range) leave `value` null; the others
    // (a duplicate key, an integer beyond ±2^53) are reported while parsing goes on.
    std::vector<DefinitionError> errors;
    bool fatal = false;
};

// Parses with nlohmann's SAX parser (iterative) into a DOM built on an explicit stack.
//   - nesting deeper than max_depth: "nested deeper than N levels" at the path reached;
//   - a duplicate object key: "duplicate key" (the last value is kept, as JavaScript does);
//   - an integer literal beyond ±2^53: refused, it would not compare exactly as a double;
//   - numbers past the double range (1e400): "number out of range";
//   - syntax errors and invalid UTF-8: nlohmann's message with line and column.
JsonText parse_json_text(std::string_view text, size_t max_depth = kMaxJsonDepth);

// "root.rules[2].value": a path from its parts; keys that are not plain identifiers are
// written as ["some key"] so that a hostile key cannot forge a path.
void append_path_key(std::string& path, std::string_view key);
void append_path_index(std::string& path, size_t index);

// A definition read from text: parse_json_text, then `validate(dom)` (returning a Result with
// `errors`). Fatal parse problems come alone; the others (a duplicate key, an inexact integer)
// come first and refuse the document, which is then Result's default with every error.
template <typename Result, typename Validate>
Result parse_and_validate(std::string_view text, Validate&& validate) {
    JsonText parsed = parse_json_text(text);
    Result result;
    if (parsed.fatal) {
        result.errors = std::move(parsed.errors);
        return result;
    }
    Result validated = validate(parsed.value);
    if (parsed.errors.empty()) return validated;
    result.errors = std::move(parsed.errors);
    result.errors.insert(result.errors.end(), validated.errors.begin(), validated.errors.end());
    return result;
}

} // namespace segx
