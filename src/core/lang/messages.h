#pragma once
// The core's messages in the interface's language.
//
// A message is composed in English where the core raises it: that English is the message of
// record (the JSON answers of segx.run, DESIGN §9, logs and tests read it). The interface shows
// it in the active language through message_text(), which reads it back against one table of
// patterns (messages_en.inc: "unknown attribute {0} (known: {1})") and writes the matching
// pattern of the language's table (messages_zh.inc) with the same pieces, themselves translated
// when they are message pieces (types, units, nested messages). So every call site keeps its
// English sentence, and the translation sits in one table per language, complete by test
// (tests/core/lang/messages_test.cpp). A message no pattern reads is shown as it is.
#include "core/lang/error.h"
#include "core/text/language.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace segx {

enum class Msg : uint16_t {
#define SEGX_MESSAGE(key, text) key,
#include "core/lang/messages_en.inc"
#undef SEGX_MESSAGE
    Count_
};

// The message in `lang` (English: unchanged).
std::string message_text(std::string_view message, Language lang);
// A piece of a message in `lang`: a message or piece of the table, "path: message", a list of
// keywords or quoted names ("a, b or c": Chinese separators); a quoted name stays as it is.
std::string message_piece_text(std::string_view piece, Language lang);
// "path: message" (DefinitionError::to_string) with the message in `lang`.
std::string error_line(const DefinitionError& error, Language lang);

// Which pattern reads the message (Msg::Count_ when none): tests check coverage with it.
Msg message_key(std::string_view message);

// For the completeness test.
const char* message_key_name(Msg key);
const char* message_pattern(Msg key, Language lang); // null when the language lacks the key
bool message_is_part(Msg key);                       // a piece (part_…), not a whole message
std::string message_zh_problems();                   // keys defined twice in messages_zh.inc

} // namespace segx
