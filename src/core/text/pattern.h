#pragma once
// Sentences with positional placeholders {0} {1} …: filled (format_text) and read back
// (match_text). One language's pattern may order the placeholders as it needs; "{{" and "}}"
// are literal braces.
#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

namespace segx {

// Replaces {0} {1} … in `pattern` by the arguments (a missing one is empty; "{x}" stays).
std::string format_text(std::string_view pattern, std::initializer_list<std::string_view> args);
std::string format_text(std::string_view pattern, const std::vector<std::string>& args);

// Whether `text` is `pattern` with some text in place of each placeholder; *args gets it, by
// placeholder number. A placeholder takes the shortest text that lets the rest match (so
// "{0} (known: {1})" reads a name that itself holds " (" correctly only when the rest still
// matches); two placeholders must not touch.
bool match_text(std::string_view pattern, std::string_view text, std::vector<std::string>* args);

} // namespace segx
