#pragma once
// The interface's words: one table per language (strings_en.inc, strings_zh.inc), looked up by
// key. Panels draw tr(S::key) and never a literal; sentences with values use trf() with
// positional placeholders {0} {1} …, so each language orders them as it needs.
//
// Widget ids stay language-free: a label that a test or the layout must find across languages
// is drawn as tr(S::key) + "###stable_id" (Dear ImGui hides what follows ###), see label().
#include "core/text/language.h"
#include "core/text/pattern.h"

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace segx {

enum class S : uint16_t {
#define SEGX_STRING(key, text) key,
#include "app/i18n/strings_en.inc"
#undef SEGX_STRING
    Count_
};

// The active language (one per page; the workspace's setting owns it, the app applies it).
void set_language(Language lang);
Language language();

const char* tr(S key);                // in the active language
const char* tr(S key, Language lang); // in a given language (tests, exports)

// tr(key) with {0} {1} … replaced by args, in the active language.
std::string trf(S key, std::initializer_list<std::string_view> args);
// format_text(pattern, args): any pattern (core/text/pattern.h).

// "<translated text>###<id>": a widget label whose ImGui id does not change with the language.
std::string label(S key, const char* id);
inline std::string label(S key, const std::string& id) { return label(key, id.c_str()); }

// A message the page or the core composed in English ("user_id: no column named \"x\"",
// "unknown attribute ..."), in the active language: the core's messages by its pattern tables
// (core/lang/messages.h), the page's checks by the pm_ patterns of these tables; "path: message"
// keeps its path. What no pattern reads is shown as it is (DuckDB's own words, for one).
std::string shown(std::string_view text);
std::string shown(std::string_view text, Language lang);

// A load's stage ("reading", "parsing", "mapping", …) in words.
std::string stage_text(const std::string& code);

// For the completeness test: the key's name, and whether the language's table defines it.
const char* string_key_name(S key);
std::optional<S> string_key_from_name(std::string_view name); // the page's messages name keys
bool has_translation(S key, Language lang);
// Keys the Chinese table defines more than once or that the English table lacks (by name).
std::string zh_table_problems();

} // namespace segx
