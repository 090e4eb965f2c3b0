#include "core/dataset/column.h"

#include "core/dataset/slack.h"
#include "core/time/civil.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <stdexcept>

namespace segx {

const char* type_name(ColumnType type) {
    switch (type) {
        case ColumnType::Bool:
            return "BOOLEAN";
        case ColumnType::Int64:
            return "BIGINT";
        case ColumnType::Double:
            return "DOUBLE";
        case ColumnType::Date:
            return "DATE";
        case ColumnType::Timestamp:
            return "TIMESTAMP";
        case ColumnType::String:
            return "VARCHAR";
    }
    return "UNKNOWN";
}

std::string format_double(double value) {
    if (std::isnan(value)) return "NaN";
    if (std::isinf(value)) return value < 0 ? "-Infinity" : "Infinity";
    // Shortest round trip: the fewest significant digits (1..17) that strtod reads back exactly.
    char buf[40];
    for (int precision = 1; precision <= 17; precision++) {
        std::snprintf(buf, sizeof(buf), "%.*e", precision - 1, value);
        if (std::strtod(buf, nullptr) == value) break;
    }
    // buf is "[-]d[.ddd]e[+-]xx": split into sign, digits and decimal exponent.
    const char* p = buf;
    bool negative = *p == '-';
    if (negative) p++;
    std::string digits;
    for (; *p != 'e' && *p != 'E'; p++)
        if (*p >= '0' && *p <= '9') digits += *p;
    int exponent = std::atoi(p + 1);
    while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
    // Layout as ECMAScript Number::toString: value = 0.digits * 10^n.
    int k = int(digits.size());
    int n = exponent + 1;
    std::string out = negative ? "-" : "";
    if (digits == "0") {
        out += "0";
    } else if (k <= n && n <= 21) {
        out += digits;
        out.append(size_t(n - k), '0');
    } else if (0 < n && n <= 21) {
        out += digits.substr(0, size_t(n));
        out += '.';
        out += digits.substr(size_t(n));
    } else if (-6 < n && n <= 0) {
        out += "0.";
        out.append(size_t(-n), '0');
        out += digits;
    } else {
        out += digits[0];
        if (k > 1) {
            out += '.';
            out += digits.substr(1);
        }
        out += n - 1 >= 0 ? "e+" : "e-";
        out += std::to_string(std::abs(n - 1));
    }
    return out;
}

std::string Column::format(size_t row) const {
    if (is_null(row)) return std::string();
    switch (type) {
        case ColumnType::Bool:
            return ints[row] ? "true" : "false";
        case ColumnType::Int64:
            return std::to_string(ints[row]);
        case ColumnType::Double:
            return format_double(doubles[row]);
        case ColumnType::Date:
            return format_date_us(ints[row]);
        case ColumnType::Timestamp:
            return format_timestamp_us(ints[row]);
        case ColumnType::String:
            return std::string(dict.at(codes[row]));
    }
    return std::string();
}

namespace {

[[noreturn]] void throw_mismatch(const Column& c, const char* function, const char* expected) {
    throw std::invalid_argument("column '" + c.name + "' is " + type_name(c.type) + ", but " + function +
                                " appends " + expected + " values");
}

} // namespace

void Column::append_int64(const int64_t* values, const uint8_t* validity, size_t bit_offset, size_t n) {
    if (type != ColumnType::Bool && type != ColumnType::Int64 && type != ColumnType::Date &&
        type != ColumnType::Timestamp)
        throw_mismatch(*this, "append_int64", "BOOLEAN/BIGINT/DATE/TIMESTAMP");
    size_t first = ints.size();
    valid.append_arrow(validity, bit_offset, n);
    ints.reserve(first + n);
    const bool as_bool = type == ColumnType::Bool;
    for (size_t i = 0; i < n; i++) {
        // Arrow leaves null slots undefined: they hold a fixed 0.
        const int64_t v = validity == nullptr || valid.get(first + i) ? values[i] : 0;
        ints.push_back(as_bool ? int64_t(v != 0) : v);
    }
}

void Column::append_double(const double* values, const uint8_t* validity, size_t bit_offset, size_t n) {
    if (type != ColumnType::Double) throw_mismatch(*this, "append_double", "DOUBLE");
    size_t first = doubles.size();
    doubles.insert(doubles.end(), values, values + n);
    valid.append_arrow(validity, bit_offset, n);
    if (validity != nullptr)
        for (size_t i = first; i < first + n; i++)
            if (!valid.get(i)) doubles[i] = std::numeric_limits<double>::quiet_NaN();
}

void Column::append_utf8(const int32_t* offsets, const char* bytes, const uint8_t* validity,
                         size_t bit_offset, size_t n) {
    if (type != ColumnType::String) throw_mismatch(*this, "append_utf8", "VARCHAR");
    // Check every offset before changing anything, so a bad chunk leaves the column intact.
    if (n > 0 && offsets[0] < 0)
        throw std::invalid_argument("column '" + name + "': negative utf8 offset " +
                                    std::to_string(offsets[0]) + " at row 0");
    for (size_t i = 0; i < n; i++)
        if (offsets[i + 1] < offsets[i])
            throw std::invalid_argument("column '" + name + "': utf8 offsets decrease at row " +
                                        std::to_string(i) + " (" + std::to_string(offsets[i]) + " then " +
                                        std::to_string(offsets[i + 1]) + ")");
    if (dict.empty()) dict.intern(std::string_view()); // code 0 = "", the filler of null rows
    size_t first = codes.size();
    valid.append_arrow(validity, bit_offset, n);
    codes.reserve(first + n);
    for (size_t i = 0; i < n; i++) {
        if (!valid.get(first + i)) {
            codes.push_back(0);
            continue;
        }
        size_t len = size_t(offsets[i + 1] - offsets[i]);
        std::string_view s = len == 0 ? std::string_view() : std::string_view(bytes + offsets[i], len);
        codes.push_back(dict.intern(s));
    }
}

void Column::reserve(size_t rows) {
    reserve_rows(valid.words, (rows + 63) / 64);
    if (type == ColumnType::Double)
        reserve_rows(doubles, rows);
    else if (type == ColumnType::String)
        reserve_rows(codes, rows);
    else
        reserve_rows(ints, rows);
}

void Column::trim_slack() {
    segx::trim_slack(valid.words);
    segx::trim_slack(ints);
    segx::trim_slack(doubles);
    segx::trim_slack(codes);
}

size_t Column::memory_bytes() const {
    return name.capacity() + ints.memory_bytes() + doubles.capacity() * sizeof(double) +
           codes.memory_bytes() + dict.memory_bytes() + valid.memory_bytes();
}

} // namespace segx
