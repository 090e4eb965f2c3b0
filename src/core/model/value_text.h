#pragma once
// Text of chunk values as the loaders need it: canonical ids, and values quoted in reject
// examples. Shared by the event and user source builders.

#include "core/model/chunk.h"

#include <string>
#include <string_view>

namespace segx {

// Canonical id text, so that one customer exported as 17850 (BIGINT), "17850" (VARCHAR) or
// 17850.0 (DOUBLE, as pandas writes an integer column with gaps) is one id:
//   Text    trimmed of ASCII whitespace (UserDictionary::trim), otherwise as is;
//   Int64   decimal;
//   Double  decimal when integral and within int64, else the shortest round-trip text
//           (format_double); NaN and infinities are no id.
// Keeps the buffer numbers are formatted into, so a loop over rows allocates nothing.
class IdText {
public:
    // Row i's canonical id; empty when the row is null or blank. Valid until the next call.
    std::string_view of(const ValueChunk& chunk, size_t i);

private:
    char digits_[24];
    std::string scratch_; // non-integral doubles only
};

// Appends `name=value` for row i: text quoted with quote_example, numbers as numbers, null as
// null (None chunks included).
void append_field(std::string& out, std::string_view name, const ValueChunk& chunk, size_t i);

// Throws std::invalid_argument naming the source and column when a chunk of n rows cannot be
// read: a missing buffer for its kind, or Text offsets that are negative or decrease.
void check_chunk(const ValueChunk& chunk, size_t n, std::string_view source, std::string_view column);

} // namespace segx
