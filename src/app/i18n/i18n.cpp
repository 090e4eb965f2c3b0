#include "app/i18n/i18n.h"

#include "core/lang/messages.h"

#include <array>
#include <cstring>
#include <string>

namespace segx {
namespace {

constexpr size_t kCount = size_t(S::Count_);

const char* const kKeyNames[kCount] = {
#define SEGX_STRING(key, text) #key,
#include "app/i18n/strings_en.inc"
#undef SEGX_STRING
};

const char* const kEnglish[kCount] = {
#define SEGX_STRING(key, text) text,
#include "app/i18n/strings_en.inc"
#undef SEGX_STRING
};

struct Entry {
    S key;
    const char* text;
};

// A key the English table lacks does not compile (S::key is unknown).
const Entry kChineseEntries[] = {
#define SEGX_STRING(key, text) {S::key, text},
#include "app/i18n/strings_zh.inc"
#undef SEGX_STRING
};

struct ChineseTable {
    std::array<const char*, kCount> text{};
    std::string problems;
};

// Indexed once, on first use: the .inc file lists keys by section, not in enum order.
const ChineseTable& chinese() {
    static const ChineseTable table = [] {
        ChineseTable t;
        for (const Entry& e : kChineseEntries) {
            size_t i = size_t(e.key);
            if (t.text[i]) t.problems += std::string("defined twice: ") + kKeyNames[i] + "\n";
            t.text[i] = e.text;
        }
        return t;
    }();
    return table;
}

Language g_language = Language::En;

} // namespace

void set_language(Language lang) { g_language = lang; }
Language language() { return g_language; }

const char* tr(S key, Language lang) {
    size_t i = size_t(key);
    if (i >= kCount) return "";
    if (lang == Language::Zh && chinese().text[i]) return chinese().text[i];
    return kEnglish[i]; // a missing translation shows English (the completeness test fails on it)
}

const char* tr(S key) { return tr(key, g_language); }

std::string trf(S key, std::initializer_list<std::string_view> args) { return format_text(tr(key), args); }

std::string label(S key, const char* id) { return std::string(tr(key)) + "###" + id; }

std::optional<S> string_key_from_name(std::string_view name) {
    for (size_t i = 0; i < kCount; ++i)
        if (name == kKeyNames[i]) return S(i);
    return std::nullopt;
}

const char* string_key_name(S key) { return size_t(key) < kCount ? kKeyNames[size_t(key)] : ""; }

bool has_translation(S key, Language lang) {
    if (lang == Language::En) return size_t(key) < kCount;
    return size_t(key) < kCount && chinese().text[size_t(key)] != nullptr;
}

std::string zh_table_problems() { return chinese().problems; }

namespace {

// The page's message patterns (pm_…) and pieces (pmp_…), in table order.
const std::vector<S>& page_patterns(bool pieces) {
    static const std::vector<S> whole = [] {
        std::vector<S> out;
        for (size_t i = 0; i < kCount; ++i)
            if (std::strncmp(kKeyNames[i], "pm_", 3) == 0) out.push_back(S(i));
        return out;
    }();
    static const std::vector<S> all = [] {
        std::vector<S> out = whole;
        for (size_t i = 0; i < kCount; ++i)
            if (std::strncmp(kKeyNames[i], "pmp_", 4) == 0) out.push_back(S(i));
        return out;
    }();
    return pieces ? all : whole;
}

std::string shown_in(std::string_view text, Language lang, bool piece, int depth) {
    if (lang == Language::En || text.empty() || depth > 6) return std::string(text);
    if (text.size() >= 2 && text.front() == '"' && text.back() == '"' && text.find('"', 1) == text.size() - 1)
        return std::string(text); // a quoted name
    std::string core = piece ? message_piece_text(text, lang) : message_text(text, lang);
    if (core != text) return core;
    // "path: message" (mapping.js and workspace.js name the field first): the path stays.
    size_t colon = text.find(": ");
    if (!piece && colon != std::string_view::npos && colon > 0 &&
        text.substr(0, colon).find(' ') == std::string_view::npos) {
        std::string rest = shown_in(text.substr(colon + 2), lang, false, depth + 1);
        if (rest != text.substr(colon + 2)) return std::string(text.substr(0, colon)) + "：" + rest;
    }
    std::vector<std::string> args;
    for (S key : page_patterns(piece)) {
        if (!match_text(kEnglish[size_t(key)], text, &args)) continue;
        for (std::string& a : args) a = shown_in(a, lang, true, depth + 1);
        return format_text(tr(key, lang), args);
    }
    return std::string(text);
}

} // namespace

std::string shown(std::string_view text, Language lang) { return shown_in(text, lang, false, 0); }
std::string shown(std::string_view text) { return shown(text, g_language); }

std::string stage_text(const std::string& code) {
    static const std::pair<const char*, S> kStages[] = {{"reading", S::stage_reading},
                                                        {"parsing", S::stage_parsing},
                                                        {"mapping", S::stage_mapping},
                                                        {"transferring", S::stage_transferring},
                                                        {"building", S::stage_building}};
    for (const auto& [name, key] : kStages)
        if (code == name) return tr(key);
    return code;
}

} // namespace segx
