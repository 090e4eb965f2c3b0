#pragma once
// Owning test chunks: build a column from literals (std::nullopt = null), then view it as a
// ValueChunk. `bit_offset` puts that many junk bits (the opposite of row 0's bit) before row 0
// of the validity bitmap, as a sliced Arrow array has. Offsets start at 3 (a sliced buffer).

#include "core/model/chunk.h"

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <vector>

namespace segx::test {

struct OwnedChunk {
    ValueChunk::Kind kind = ValueChunk::None;
    ColumnType int_type = ColumnType::Int64;
    std::vector<int64_t> ints;
    std::vector<double> doubles;
    std::vector<int32_t> offsets;
    std::string bytes;
    std::vector<uint8_t> validity; // empty: no bitmap
    size_t bit_offset = 0;

    size_t size() const {
        return kind == ValueChunk::Int64    ? ints.size()
               : kind == ValueChunk::Double ? doubles.size()
                                            : offsets.size() - 1;
    }
    // A view; rebuilt on each call so that moving the OwnedChunk cannot leave it dangling.
    ValueChunk chunk() const {
        ValueChunk c;
        c.kind = kind;
        c.int_type = int_type;
        c.ints = ints.data();
        c.doubles = doubles.data();
        c.text = TextChunk{offsets.data(), bytes.data()};
        c.validity = validity.empty() ? nullptr : validity.data();
        c.bit_offset = bit_offset;
        return c;
    }
};

namespace detail {

inline void set_validity(OwnedChunk& c, const std::vector<bool>& valid, size_t bit_offset) {
    bool any_null = false;
    for (bool v : valid) any_null |= !v;
    if (!any_null && bit_offset == 0) return;
    c.bit_offset = bit_offset;
    size_t bits = bit_offset + valid.size();
    c.validity.assign((bits + 7) / 8 + 1, 0);
    bool junk = valid.empty() ? true : !valid[0];
    for (size_t i = 0; i < bits; i++) {
        bool v = i < bit_offset ? junk : valid[i - bit_offset];
        if (v) c.validity[i / 8] |= uint8_t(1u << (i % 8));
    }
}

} // namespace detail

inline OwnedChunk texts(const std::vector<std::optional<std::string>>& values, size_t bit_offset = 0) {
    OwnedChunk c;
    c.kind = ValueChunk::Text;
    c.bytes = "xyz"; // offsets start above 0, as in a sliced Arrow array
    c.offsets.push_back(3);
    std::vector<bool> valid;
    for (const auto& v : values) {
        valid.push_back(v.has_value());
        if (v)
            c.bytes += *v;
        else
            c.bytes += "junk"; // Arrow may leave bytes under a null slot
        c.offsets.push_back(int32_t(c.bytes.size()));
    }
    detail::set_validity(c, valid, bit_offset);
    return c;
}

inline OwnedChunk ints(const std::vector<std::optional<int64_t>>& values, size_t bit_offset = 0,
                       ColumnType type = ColumnType::Int64) {
    OwnedChunk c;
    c.kind = ValueChunk::Int64;
    c.int_type = type;
    std::vector<bool> valid;
    for (const auto& v : values) {
        valid.push_back(v.has_value());
        c.ints.push_back(v ? *v : 987654321); // junk under nulls
    }
    detail::set_validity(c, valid, bit_offset);
    return c;
}

inline OwnedChunk doubles(const std::vector<std::optional<double>>& values, size_t bit_offset = 0) {
    OwnedChunk c;
    c.kind = ValueChunk::Double;
    std::vector<bool> valid;
    for (const auto& v : values) {
        valid.push_back(v.has_value());
        c.doubles.push_back(v ? *v : -4242.0);
    }
    detail::set_validity(c, valid, bit_offset);
    return c;
}

inline OwnedChunk none() { return OwnedChunk(); }

} // namespace segx::test
