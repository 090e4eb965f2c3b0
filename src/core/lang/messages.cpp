#include "core/lang/messages.h"

#include "core/text/pattern.h"

#include <array>
#include <cstring>
#include <unordered_map>
#include <vector>

namespace segx {
namespace {

constexpr size_t kCount = size_t(Msg::Count_);

const char* const kNames[kCount] = {
#define SEGX_MESSAGE(key, text) #key,
#include "core/lang/messages_en.inc"
#undef SEGX_MESSAGE
};

const char* const kEnglish[kCount] = {
#define SEGX_MESSAGE(key, text) text,
#include "core/lang/messages_en.inc"
#undef SEGX_MESSAGE
};

struct Entry {
    Msg key;
    const char* text;
};

// A key the English table lacks does not compile.
const Entry kChineseEntries[] = {
#define SEGX_MESSAGE(key, text) {Msg::key, text},
#include "core/lang/messages_zh.inc"
#undef SEGX_MESSAGE
};

struct Chinese {
    std::array<const char*, kCount> text{};
    std::string problems;
};

const Chinese& chinese() {
    static const Chinese table = [] {
        Chinese t;
        for (const Entry& e : kChineseEntries) {
            size_t i = size_t(e.key);
            if (t.text[i]) t.problems += std::string("defined twice: ") + kNames[i] + "\n";
            t.text[i] = e.text;
        }
        return t;
    }();
    return table;
}

bool is_part(size_t i) { return std::strncmp(kNames[i], "part_", 5) == 0; }

// The first entry whose English pattern reads `text` (pieces only when `parts`).
size_t find_entry(std::string_view text, bool parts, std::vector<std::string>* args) {
    for (size_t i = 0; i < kCount; ++i)
        if ((parts || !is_part(i)) && match_text(kEnglish[i], text, args)) return i;
    return kCount;
}

// A quoted name ("\"Country\""): a person's text, never translated.
bool one_quoted_name(std::string_view s) {
    if (s.size() < 2 || s.front() != '"' || s.back() != '"') return false;
    for (size_t i = 1; i + 1 < s.size(); ++i) {
        if (s[i] == '\\')
            ++i;
        else if (s[i] == '"')
            return false;
    }
    return true;
}

std::string translate(std::string_view text, bool parts, int depth);

// A piece inside a message: a message or piece of the table, "path: message", a list of
// keywords ("all or any"), or a name (unchanged).
std::string translate_piece(std::string_view s, int depth) {
    if (s.empty() || depth > 6 || one_quoted_name(s)) return std::string(s);
    std::vector<std::string> args;
    if (find_entry(s, true, &args) < kCount) return translate(s, true, depth);
    size_t colon = s.find(": ");
    if (colon != std::string_view::npos && colon > 0 &&
        s.substr(0, colon).find(' ') == std::string_view::npos)
        return std::string(s.substr(0, colon)) + "：" + translate(s.substr(colon + 2), false, depth + 1);
    // "a, b or c" of single words or quoted names (one_of, known names): Chinese separators.
    std::string out, word;
    bool words = s.find(" or ") != std::string_view::npos || s.find(", ") != std::string_view::npos;
    bool quoted = false;
    for (size_t i = 0; words && i < s.size(); ++i) {
        if (quoted || s[i] == '"') { // a quoted name is copied as it is
            if (s[i] == '\\' && i + 1 < s.size())
                out += s[i++];
            else if (s[i] == '"')
                quoted = !quoted;
            out += s[i];
        } else if (s.compare(i, 4, " or ") == 0) {
            out += " 或 ", i += 3;
        } else if (s.compare(i, 2, ", ") == 0) {
            out += "、", i += 1;
        } else if (s[i] == ' ') {
            words = false;
        } else {
            out += s[i];
        }
    }
    return words ? out : std::string(s);
}

std::string translate(std::string_view text, bool parts, int depth) {
    std::vector<std::string> args;
    size_t i = find_entry(text, parts, &args);
    if (i == kCount || !chinese().text[i]) return std::string(text);
    for (std::string& a : args) a = translate_piece(a, depth + 1);
    return format_text(chinese().text[i], args);
}

} // namespace

std::string message_text(std::string_view message, Language lang) {
    if (lang == Language::En || message.empty()) return std::string(message);
    // The interface draws the same few messages every frame: remember them.
    static std::unordered_map<std::string, std::string> seen;
    auto it = seen.find(std::string(message));
    if (it != seen.end()) return it->second;
    if (seen.size() > 512) seen.clear();
    std::string out = translate(message, false, 0);
    seen.emplace(std::string(message), out);
    return out;
}

std::string message_piece_text(std::string_view piece, Language lang) {
    return lang == Language::En ? std::string(piece) : translate_piece(piece, 0);
}

std::string error_line(const DefinitionError& e, Language lang) {
    std::string text = message_text(e.message, lang);
    if (e.path.empty()) return text;
    return e.path + (lang == Language::Zh ? "：" : ": ") + text;
}

Msg message_key(std::string_view message) {
    std::vector<std::string> args;
    return Msg(find_entry(message, false, &args));
}

const char* message_key_name(Msg key) { return size_t(key) < kCount ? kNames[size_t(key)] : ""; }

const char* message_pattern(Msg key, Language lang) {
    size_t i = size_t(key);
    if (i >= kCount) return nullptr;
    return lang == Language::Zh ? chinese().text[i] : kEnglish[i];
}

bool message_is_part(Msg key) { return size_t(key) < kCount && is_part(size_t(key)); }

std::string message_zh_problems() { return chinese().problems; }

} // namespace segx
