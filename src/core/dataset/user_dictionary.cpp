#include "core/dataset/user_dictionary.h"

#include "core/text/ascii.h"

namespace segx {

namespace {

// Canonical decimal text of an integer into `buf` (at least 20 bytes); returns the text.
// Works on the unsigned magnitude so INT64_MIN does not overflow.
std::string_view int_text(int64_t value, char* buf, size_t buf_size) {
    char* end = buf + buf_size;
    char* p = end;
    uint64_t magnitude = value < 0 ? 0 - uint64_t(value) : uint64_t(value);
    do {
        *--p = char('0' + magnitude % 10);
        magnitude /= 10;
    } while (magnitude != 0);
    if (value < 0) *--p = '-';
    return std::string_view(p, size_t(end - p));
}

} // namespace

std::string_view UserDictionary::trim(std::string_view id) {
    size_t begin = 0;
    size_t end = id.size();
    while (begin < end && is_ascii_space(id[begin])) begin++;
    while (end > begin && is_ascii_space(id[end - 1])) end--;
    return id.substr(begin, end - begin);
}

bool UserDictionary::can_adopt(const StringDictionary& ids) const {
    if (size() != 0) return false;
    for (uint32_t c = 0; c < ids.size(); c++) {
        const std::string_view id = ids.at(c);
        if (id.empty() || trim(id).size() != id.size()) return false;
    }
    return true;
}

uint32_t UserDictionary::intern(std::string_view id) {
    std::string_view t = trim(id);
    if (t.empty()) return kNone;
    return dict_.intern(t);
}

uint32_t UserDictionary::intern_int(int64_t id) {
    char buf[24];
    return dict_.intern(int_text(id, buf, sizeof(buf)));
}

std::optional<uint32_t> UserDictionary::find(std::string_view id) const {
    std::string_view t = trim(id);
    if (t.empty()) return std::nullopt;
    return dict_.find(t);
}

std::optional<uint32_t> UserDictionary::find_int(int64_t id) const {
    char buf[24];
    return dict_.find(int_text(id, buf, sizeof(buf)));
}

} // namespace segx
