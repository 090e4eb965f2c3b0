#pragma once
// The interface languages. The core composes people-facing sentences (rule descriptions,
// messages) per language, so the enum lives here; the app's string tables are src/app/i18n.
#include <cstdint>
#include <optional>
#include <string_view>

namespace segx {

enum class Language : uint8_t { En, Zh };

// "en" / "zh-CN": the codes the workspace stores and the page's language switch uses.
inline const char* language_code(Language l) { return l == Language::Zh ? "zh-CN" : "en"; }

// Reads a stored code or a browser language tag ("zh", "zh-CN", "zh-Hans-CN", "en-GB", ...).
inline std::optional<Language> language_from_code(std::string_view code) {
    auto starts = [&](std::string_view p) { return code.substr(0, p.size()) == p; };
    if (starts("zh") || starts("ZH")) return Language::Zh;
    if (starts("en") || starts("EN")) return Language::En;
    return std::nullopt;
}

} // namespace segx
