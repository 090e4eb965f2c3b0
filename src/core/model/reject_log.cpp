#include "core/model/reject_log.h"

#include <cstdio>

namespace segx {

void RejectLog::reject(std::string_view reason, std::string example) {
    RejectReason* r = nullptr;
    for (RejectReason& existing : reasons)
        if (existing.reason == reason) r = &existing;
    if (r == nullptr) {
        reasons.push_back(RejectReason{std::string(reason), 0, {}});
        r = &reasons.back();
    }
    r->count++;
    if (!example.empty() && r->examples.size() < kMaxExamples) r->examples.push_back(std::move(example));
}

bool RejectLog::wants_example(std::string_view reason) const {
    const RejectReason* r = find(reason);
    return r == nullptr || r->examples.size() < kMaxExamples;
}

uint64_t RejectLog::rejected() const {
    uint64_t total = 0;
    for (const RejectReason& r : reasons) total += r.count;
    return total;
}

const RejectReason* RejectLog::find(std::string_view reason) const {
    for (const RejectReason& r : reasons)
        if (r.reason == reason) return &r;
    return nullptr;
}

std::string quote_example(std::string_view text) {
    constexpr size_t kMaxBytes = 60;
    bool cut = text.size() > kMaxBytes;
    if (cut) {
        size_t end = kMaxBytes;
        while (end > 0 && (uint8_t(text[end]) & 0xC0) == 0x80) // not inside a UTF-8 sequence
            end--;
        text = text.substr(0, end);
    }
    std::string out = "\"";
    for (char ch : text) {
        switch (ch) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\t':
                out += "\\t";
                break;
            case '\r':
                out += "\\r";
                break;
            default:
                if (uint8_t(ch) < 0x20 || ch == 0x7F) {
                    char buf[8];
                    std::snprintf(buf, sizeof(buf), "\\x%02X", unsigned(uint8_t(ch)));
                    out += buf;
                } else {
                    out += ch;
                }
        }
    }
    out += cut ? "...\"" : "\"";
    return out;
}

} // namespace segx
