#include "core/model/top_values.h"

#include "core/model/int_code_map.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace segx {

namespace {

const Column* find_column(const std::vector<Column>& columns, std::string_view name) {
    for (const Column& c : columns)
        if (c.name == name) return &c;
    return nullptr;
}

// A distinct value and how often it occurs; `code` is a dictionary code (strings, event
// names) or the value's index in top_of_column's `keys` (numbers).
struct Candidate {
    uint64_t count;
    uint32_t code;
};

// The first k candidates by count descending, then less_value, that `keep` accepts. Without a
// filter a partial sort is enough. With one, a heap is popped until k values passed it, so the
// filter (which may format a number) runs only as far as needed and nothing sorts the rest.
template <typename LessValue, typename Keep, typename Text>
std::vector<ValueCount> rank(std::vector<Candidate>& cands, size_t k, bool filtered, LessValue less_value,
                             Keep keep, Text text) {
    auto before = [&](const Candidate& a, const Candidate& b) {
        return a.count != b.count ? a.count > b.count : less_value(a.code, b.code);
    };
    std::vector<ValueCount> out;
    if (k == 0) return out;
    if (!filtered) {
        const size_t n = std::min(k, cands.size());
        std::partial_sort(cands.begin(), cands.begin() + ptrdiff_t(n), cands.end(), before);
        for (size_t i = 0; i < n; i++) out.push_back(ValueCount{text(cands[i].code), cands[i].count});
        return out;
    }
    auto after = [&](const Candidate& a, const Candidate& b) { return before(b, a); };
    std::make_heap(cands.begin(), cands.end(), after); // the best candidate on top
    for (auto end = cands.end(); end != cands.begin() && out.size() < k; --end) {
        std::pop_heap(cands.begin(), end, after);
        const Candidate& c = *(end - 1);
        std::string value = text(c.code);
        if (keep(value)) out.push_back(ValueCount{std::move(value), c.count});
    }
    return out;
}

// Calls f(row) for each non-null row below `rows` that `want` accepts, a word of the validity
// bitmap at a time so that runs of nulls cost nothing.
template <typename Want, typename F>
void for_valid_rows(const Column& column, size_t rows, Want want, F f) {
    rows = std::min(rows, column.size());
    const std::vector<uint64_t>& words = column.valid.words;
    for (size_t w = 0; w * 64 < rows; w++) {
        uint64_t bits = words[w];
        if (rows - w * 64 < 64) bits &= (1ull << (rows - w * 64)) - 1;
        while (bits != 0) {
            const size_t row = w * 64 + size_t(__builtin_ctzll(bits));
            bits &= bits - 1;
            if (want(row)) f(row);
        }
    }
}

bool is_number_type(ColumnType t) { return t != ColumnType::String; }

// The value of a number-typed row as an int64 key: the int itself, or a double's bits with -0
// folded into 0 (they are one value in a rule).
int64_t double_key(double v) {
    if (v == 0) v = 0;
    int64_t key;
    std::memcpy(&key, &v, sizeof key);
    return key;
}

double key_double(int64_t key) {
    double v;
    std::memcpy(&v, &key, sizeof v);
    return v;
}

template <typename Want>
std::vector<ValueCount> top_of_column(const Column& column, size_t rows, Want want, size_t k,
                                      std::string_view contains) {
    std::vector<Candidate> cands;
    if (!is_number_type(column.type)) {
        std::vector<uint64_t> counts(column.dict.size(), 0);
        column.codes.visit([&](const auto* codes) {
            for_valid_rows(column, rows, want, [&](size_t row) { counts[codes[row]]++; });
        });
        // The filter is cheap on a dictionary entry: apply it before sorting.
        for (uint32_t code = 0; code < counts.size(); code++)
            if (counts[code] != 0 && contains_ascii_ci(column.dict.at(code), contains))
                cands.push_back(Candidate{counts[code], code});
        auto less = [&](uint32_t a, uint32_t b) { return column.dict.at(a) < column.dict.at(b); };
        auto text = [&](uint32_t code) { return std::string(column.dict.at(code)); };
        return rank(
            cands, k, false, less, [](const std::string&) { return true; }, text);
    }
    IntCodeMap codes;
    std::vector<int64_t> keys;
    std::vector<uint64_t> counts;
    std::vector<size_t> first_row; // per value: a row holding it, for Column::format
    const bool is_double = column.type == ColumnType::Double;
    for_valid_rows(column, rows, want, [&](size_t row) {
        int64_t key;
        if (is_double) {
            const double v = column.doubles[row];
            if (!std::isfinite(v)) // not writable in JSON
                return;
            key = double_key(v);
        } else {
            key = column.ints[row];
        }
        uint32_t code = codes.find(key);
        if (code == IntCodeMap::kMissing) {
            code = uint32_t(keys.size());
            codes.insert(key, code);
            keys.push_back(key);
            counts.push_back(0);
            first_row.push_back(row);
        }
        counts[code]++;
    });
    for (uint32_t code = 0; code < counts.size(); code++) cands.push_back(Candidate{counts[code], code});
    auto less = [&](uint32_t a, uint32_t b) {
        return is_double ? key_double(keys[a]) < key_double(keys[b]) : keys[a] < keys[b];
    };
    auto text = [&](uint32_t code) { return column.format(first_row[code]); };
    auto keep = [&](const std::string& value) { return contains_ascii_ci(value, contains); };
    return rank(cands, k, !contains.empty(), less, keep, text);
}

char fold(char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; }

} // namespace

bool contains_ascii_ci(std::string_view text, std::string_view needle) {
    if (needle.size() > text.size()) return false;
    for (size_t i = 0; i + needle.size() <= text.size(); i++) {
        size_t j = 0;
        while (j < needle.size() && fold(text[i + j]) == fold(needle[j])) j++;
        if (j == needle.size()) return true;
    }
    return false;
}

std::vector<ValueCount> top_attribute_values(const Model& model, std::string_view attribute, size_t k,
                                             std::string_view contains) {
    const Column* column = find_column(model.attributes, attribute);
    if (column == nullptr) return {};
    return top_of_column(
        *column, model.users.size(), [](size_t) { return true; }, k, contains);
}

std::vector<ValueCount> top_attribute_values_among(const Model& model, std::string_view attribute,
                                                   const Bitmap& users, size_t k) {
    const Column* column = find_column(model.attributes, attribute);
    if (column == nullptr) return {};
    return top_of_column(
        *column, std::min(model.users.size(), users.size), [&](size_t row) { return users.get(row); }, k, "");
}

std::vector<ValueCount> top_event_property_values(const Model& model, std::string_view event,
                                                  std::string_view property, size_t k,
                                                  std::string_view contains) {
    const EventStore& ev = model.events;
    const Column* column = find_column(ev.properties, property);
    if (column == nullptr) return {};
    if (event.empty())
        return top_of_column(
            *column, ev.size(), [](size_t) { return true; }, k, contains);
    const std::optional<uint32_t> code = model.event_names.find(event);
    if (!code) return {};
    const uint32_t want = *code;
    return ev.event.visit([&](const auto* names) {
        return top_of_column(
            *column, ev.size(), [=](size_t row) { return names[row] == want; }, k, contains);
    });
}

std::vector<ValueCount> top_event_names(const Model& model, size_t k, std::string_view contains) {
    std::vector<uint64_t> counts(model.event_names.size(), 0);
    model.events.event.visit([&](const auto* event) {
        for (size_t i = 0; i < model.events.size(); i++) counts[event[i]]++;
    });
    std::vector<Candidate> cands;
    for (uint32_t code = 0; code < counts.size(); code++)
        if (counts[code] != 0 && contains_ascii_ci(model.event_names.at(code), contains))
            cands.push_back(Candidate{counts[code], code});
    auto less = [&](uint32_t a, uint32_t b) { return model.event_names.at(a) < model.event_names.at(b); };
    auto text = [&](uint32_t code) { return std::string(model.event_names.at(code)); };
    return rank(
        cands, k, false, less, [](const std::string&) { return true; }, text);
}

} // namespace segx
