#include "core/text/pattern.h"

#include <optional>

namespace segx {
namespace {

// A placeholder "{n}" (one or more digits) opening at pattern[open]: its number and the
// position of its "}". False for anything else ("{", "{x}", "{}").
bool placeholder_at(std::string_view pattern, size_t open, size_t* n, size_t* close) {
    size_t end = pattern.find('}', open);
    if (end == std::string_view::npos || end == open + 1) return false;
    size_t v = 0;
    for (size_t j = open + 1; j < end; ++j) {
        if (pattern[j] < '0' || pattern[j] > '9') return false;
        v = v * 10 + size_t(pattern[j] - '0');
    }
    *n = v;
    *close = end;
    return true;
}

template <class Arg>
std::string format_with(std::string_view pattern, size_t count, Arg arg) {
    std::string out;
    out.reserve(pattern.size() + 16);
    for (size_t i = 0; i < pattern.size(); ++i) {
        char c = pattern[i];
        if ((c == '{' || c == '}') && i + 1 < pattern.size() && pattern[i + 1] == c) {
            out += c, ++i; // "{{" and "}}" are literal braces
            continue;
        }
        size_t n = 0, close = 0;
        if (c == '{' && placeholder_at(pattern, i, &n, &close)) {
            if (n < count) out += arg(n);
            i = close;
            continue;
        }
        out += c;
    }
    return out;
}

// A pattern as pieces: literal text, or a placeholder's number.
struct Piece {
    std::string literal;
    std::optional<size_t> slot;
};

std::vector<Piece> pieces_of(std::string_view pattern) {
    std::vector<Piece> out;
    std::string lit;
    for (size_t i = 0; i < pattern.size(); ++i) {
        char c = pattern[i];
        if ((c == '{' || c == '}') && i + 1 < pattern.size() && pattern[i + 1] == c) {
            lit += c, ++i;
            continue;
        }
        size_t n = 0, close = 0;
        if (c == '{' && placeholder_at(pattern, i, &n, &close)) {
            if (!lit.empty()) out.push_back({std::move(lit), std::nullopt});
            lit.clear();
            out.push_back({"", n});
            i = close;
            continue;
        }
        lit += c;
    }
    if (!lit.empty()) out.push_back({std::move(lit), std::nullopt});
    return out;
}

bool match_from(const std::vector<Piece>& ps, size_t k, std::string_view text, size_t at,
                std::vector<std::string>* args) {
    if (k == ps.size()) return at == text.size();
    const Piece& p = ps[k];
    if (!p.slot) {
        if (text.compare(at, p.literal.size(), p.literal) != 0) return false;
        return match_from(ps, k + 1, text, at + p.literal.size(), args);
    }
    if (*p.slot >= args->size()) args->resize(*p.slot + 1);
    if (k + 1 == ps.size()) { // the last piece takes the rest
        (*args)[*p.slot] = std::string(text.substr(at));
        return true;
    }
    const std::string& next = ps[k + 1].literal; // placeholders never touch
    for (size_t end = text.find(next, at); end != std::string_view::npos; end = text.find(next, end + 1)) {
        (*args)[*p.slot] = std::string(text.substr(at, end - at));
        if (match_from(ps, k + 1, text, end, args)) return true;
    }
    return false;
}

} // namespace

std::string format_text(std::string_view pattern, const std::vector<std::string>& args) {
    auto arg = [&](size_t n) { return n < args.size() ? std::string_view(args[n]) : std::string_view(); };
    return format_with(pattern, args.size(), arg);
}

std::string format_text(std::string_view pattern, std::initializer_list<std::string_view> args) {
    auto arg = [&](size_t n) { return *(args.begin() + n); };
    return format_with(pattern, args.size(), arg);
}

bool match_text(std::string_view pattern, std::string_view text, std::vector<std::string>* args) {
    std::vector<Piece> ps = pieces_of(pattern);
    for (size_t k = 0; k + 1 < ps.size(); ++k)
        if (ps[k].slot && ps[k + 1].slot) return false; // ambiguous: refused
    args->clear();
    return match_from(ps, 0, text, 0, args);
}

} // namespace segx
