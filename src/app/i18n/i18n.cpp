#include "app/i18n/i18n.h"

#include <array>
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

} // namespace segx
