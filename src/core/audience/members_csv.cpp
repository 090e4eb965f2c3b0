#include "core/audience/members_csv.h"

#include "core/lang/text.h"

#include <algorithm>
#include <stdexcept>
#include <string_view>

namespace segx {

namespace {

bool needs_quotes(std::string_view s) { return s.find_first_of(",\"\r\n") != std::string_view::npos; }

bool starts_formula(std::string_view s) {
    if (s.empty()) return false;
    const char c = s.front();
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

// Appends one field; `text` says the cell is text and so may need the apostrophe.
void append_field(std::string& out, std::string_view s, bool text) {
    const bool guard = text && starts_formula(s);
    if (!needs_quotes(s)) {
        if (guard) out += '\'';
        out.append(s.data(), s.size());
        return;
    }
    out += '"';
    if (guard) out += '\'';
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
}

} // namespace

std::string members_csv(const Model& model, const Bitmap& members,
                        const std::vector<std::string>& attributes) {
    std::vector<const Column*> columns;
    for (const std::string& name : attributes) {
        auto it = std::find_if(model.attributes.begin(), model.attributes.end(),
                               [&](const Column& c) { return c.name == name; });
        if (it == model.attributes.end())
            throw std::invalid_argument("members CSV: unknown attribute " + quote(name));
        columns.push_back(&*it);
    }

    std::string out;
    append_field(out, "user_id", true);
    for (const std::string& name : attributes) {
        out += ',';
        append_field(out, name, true);
    }
    out += '\n';

    const size_t users = std::min(members.size, model.users.size());
    std::string cell;
    for (size_t w = 0; w * 64 < users; w++) {
        uint64_t bits = members.words[w];
        while (bits != 0) {
            const size_t u = w * 64 + size_t(__builtin_ctzll(bits));
            bits &= bits - 1;
            if (u >= users) break;
            append_field(out, model.users.id(uint32_t(u)), true);
            for (const Column* c : columns) {
                out += ',';
                if (u >= c->size() || c->is_null(u)) continue;
                if (c->type == ColumnType::String) {
                    append_field(out, c->dict.at(c->codes[u]), true);
                } else {
                    cell = c->format(u);
                    append_field(out, cell, false);
                }
            }
            out += '\n';
        }
    }
    return out;
}

} // namespace segx
