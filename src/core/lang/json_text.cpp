#include "core/lang/json_text.h"

#include "core/lang/text.h"

#include <cmath>
#include <exception>

namespace segx {

void append_path_key(std::string& path, std::string_view key) {
    bool plain = !key.empty() && key.size() <= 64 && !(key[0] >= '0' && key[0] <= '9');
    for (char c : key)
        plain =
            plain && ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_');
    if (!plain) {
        path += '[';
        path += quote(key);
        path += ']';
        return;
    }
    if (!path.empty()) path += '.';
    path += key;
}

void append_path_index(std::string& path, size_t index) {
    path += '[';
    path += std::to_string(index);
    path += ']';
}

namespace {

using json = nlohmann::json;

constexpr double kTwo53 = 9007199254740992.0;

// A number token for a message: digits, signs and exponents only, but possibly a megabyte.
std::string short_token(const std::string& token) {
    return token.size() > 40 ? sanitize_utf8(token.substr(0, 40)) + "\xE2\x80\xA6" : sanitize_utf8(token);
}

// Builds the DOM like nlohmann's own json_sax_dom_parser (an explicit stack of open
// containers), plus the path of the value being read, for error messages. A parent is never
// changed while a child is open, so the pointers on the stack stay valid.
class DomBuilder {
public:
    DomBuilder(JsonText& out, size_t max_depth) : out_(out), max_depth_(max_depth) {}

    bool null() { return add(json(nullptr)); }
    bool boolean(bool v) { return add(json(v)); }
    bool number_integer(json::number_integer_t v) { return add(json(v)); }
    bool number_unsigned(json::number_unsigned_t v) { return add(json(v)); }
    bool number_float(json::number_float_t v, const std::string& token) {
        // An integer literal past uint64 arrives here as a rounded double. Refuse it like the
        // validator refuses integers past ±2^53 that stayed integers.
        if (token.find_first_of(".eE") == std::string::npos && std::fabs(v) > kTwo53)
            soft_error(path(),
                       "integer " + short_token(token) + " is beyond ±2^53 and cannot be compared exactly");
        return add(json(v));
    }
    bool string(std::string& v) { return add(json(std::move(v))); }
    bool binary(json::binary_t&) { return add(json(nullptr)); } // not produced by JSON text
    bool start_object(std::size_t) { return open(json::object()); }
    bool key(std::string& k) {
        Frame& f = frames_.back();
        f.key = std::move(k);
        f.has_key = true;
        if (f.container->contains(f.key)) soft_error(path(), "duplicate key (the last value is used)");
        return true;
    }
    bool end_object() { return close(); }
    bool start_array(std::size_t) { return open(json::array()); }
    bool end_array() { return close(); }
    bool parse_error(std::size_t, const std::string& token, const nlohmann::detail::exception& ex) {
        std::string message;
        if (ex.id == 406) {
            message = "number out of range (" + short_token(token) + ")";
        } else {
            // "[json.exception.parse_error.101] parse error at line 1, column 7: ..." without
            // the bracketed prefix; the "last read" token is input, so bound and clean it.
            message = ex.what();
            size_t close = message.find("] ");
            if (message.rfind("[json.exception.", 0) == 0 && close != std::string::npos)
                message.erase(0, close + 2);
            if (message.size() > 300) message = message.substr(0, 300) + "\xE2\x80\xA6";
            message = sanitize_utf8(message);
        }
        fatal_error(path(), message);
        return false;
    }

private:
    struct Frame {
        json* container;
        std::string key;      // objects: the key of the value being read
        bool has_key = false; // false between a value and the next key
        size_t index = 0;     // arrays: the index of the value being read
    };

    // The path of the value being read: "root.rules[0].value", "$" at the top.
    std::string path() const {
        std::string p;
        for (const Frame& f : frames_) {
            if (f.container->is_object()) {
                if (f.has_key) append_path_key(p, f.key);
            } else {
                append_path_index(p, f.index);
            }
        }
        if (p.empty() || p[0] == '[') p.insert(0, "$");
        return p;
    }

    json* insert(json&& v) {
        if (frames_.empty()) {
            out_.value = std::move(v);
            return &out_.value;
        }
        Frame& f = frames_.back();
        if (f.container->is_array()) {
            f.container->push_back(std::move(v));
            return &f.container->back();
        }
        json& slot = (*f.container)[f.key];
        slot = std::move(v);
        return &slot;
    }

    bool add(json&& v) {
        insert(std::move(v));
        next_member();
        return true;
    }

    // The value in the top container is complete: move on to the next index or key.
    void next_member() {
        if (frames_.empty()) return;
        Frame& f = frames_.back();
        if (f.container->is_array())
            f.index++;
        else
            f.has_key = false;
    }

    bool open(json&& empty) {
        if (frames_.size() >= max_depth_) {
            fatal_error(path(), "nested deeper than " + std::to_string(max_depth_) + " levels");
            return false;
        }
        json* child = insert(std::move(empty));
        frames_.push_back(Frame{child, std::string(), false, 0});
        return true;
    }

    bool close() {
        frames_.pop_back();
        next_member();
        return true;
    }

    void soft_error(std::string path, std::string message) {
        if (out_.errors.size() < kMaxErrors)
            out_.errors.push_back(DefinitionError{std::move(path), std::move(message)});
    }
    void fatal_error(std::string path, std::string message) {
        out_.fatal = true;
        out_.errors.push_back(DefinitionError{std::move(path), std::move(message)});
    }

    JsonText& out_;
    size_t max_depth_;
    std::vector<Frame> frames_;
};

} // namespace

JsonText parse_json_text(std::string_view text, size_t max_depth) {
    JsonText out;
    if (text.size() > kMaxJsonTextBytes) {
        out.fatal = true;
        out.errors.push_back(DefinitionError{"$", "definition is " + std::to_string(text.size()) +
                                                      " bytes, more than the " +
                                                      std::to_string(kMaxJsonTextBytes) + " allowed"});
        return out;
    }
    DomBuilder builder(out, max_depth);
    try {
        json::sax_parse(text.data(), text.data() + text.size(), &builder);
    } catch (const std::exception& e) {
        // The SAX parser reports through parse_error; this is for allocation failures.
        out.fatal = true;
        out.errors.push_back(DefinitionError{"$", sanitize_utf8(e.what())});
    }
    if (out.fatal) out.value = nullptr;
    return out;
}

} // namespace segx
