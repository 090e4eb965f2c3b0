#pragma once
// DefinitionError: one problem with a definition, located by its JSON path ("root.rules[2].value",
// "segx", or "$" for the document as a whole) so that the UI can point at the offending input.

#include <cstddef>
#include <string>
#include <vector>

namespace segx {

// Reports stop after this many problems (plus one saying how many more there were): a hostile
// definition with a million bad values must not make a million messages.
constexpr size_t kMaxErrors = 1000;

struct DefinitionError {
    std::string path;
    std::string message;

    std::string to_string() const { return path + ": " + message; } // "root.rules[0].op: ..."
};

inline bool operator==(const DefinitionError& a, const DefinitionError& b) {
    return a.path == b.path && a.message == b.message;
}

// All errors, one per line.
inline std::string join_errors(const std::vector<DefinitionError>& errors) {
    std::string out;
    for (const DefinitionError& e : errors) {
        if (!out.empty()) out += '\n';
        out += e.to_string();
    }
    return out;
}

} // namespace segx
