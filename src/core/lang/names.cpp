#include "core/lang/names.h"

#include "core/lang/json_text.h"
#include "core/lang/text.h"

namespace segx {

std::string child_path(const std::string& path, const char* key) {
    std::string p = path;
    append_path_key(p, key);
    return p;
}

std::string child_path(const std::string& path, const char* key, size_t i) {
    std::string p = child_path(path, key);
    append_path_index(p, i);
    return p;
}

// Ids as they appear in messages: plain when short and printable, else quoted.
std::string show_id(const std::string& id) {
    bool plain = !id.empty() && id.size() <= 64;
    for (char c : id) plain = plain && c > ' ' && c != '"' && c != '\\' && c != 0x7F;
    return plain && is_valid_utf8(id) ? id : quote(id);
}

std::string cycle_message(const std::vector<std::string>& stack, size_t from, const std::string& id) {
    std::string chain;
    for (size_t k = from; k < stack.size(); k++) chain += show_id(stack[k]) + " \xE2\x86\x92 "; // →
    return "audience cycle: " + chain + show_id(id);
}

std::string unknown_name(const char* what, const std::string& name, const std::vector<Column>& known) {
    std::string message = std::string("unknown ") + what + " " + quote(name);
    if (known.empty()) return message + " (the data has none)";
    message += " (known: ";
    constexpr size_t kShown = 12;
    for (size_t i = 0; i < known.size() && i < kShown; i++) {
        if (i > 0) message += ", ";
        message += quote(known[i].name, 40);
    }
    if (known.size() > kShown) message += ", and " + std::to_string(known.size() - kShown) + " more";
    return message + ")";
}

std::string unknown_event(const std::string& name, const StringDictionary& events) {
    std::string message = "unknown event " + quote(name);
    if (events.empty()) return message + " (the data has no events)";
    message += " (known: ";
    constexpr uint32_t kShown = 12;
    for (uint32_t c = 0; c < events.size() && c < kShown; c++)
        message += (c > 0 ? ", " : "") + quote(events.at(c), 40);
    if (events.size() > kShown) message += ", and " + std::to_string(events.size() - kShown) + " more";
    return message + ")";
}

const Column* find_column(const std::vector<Column>& columns, const std::string& name) {
    for (const Column& c : columns)
        if (c.name == name) return &c;
    return nullptr;
}

} // namespace segx
