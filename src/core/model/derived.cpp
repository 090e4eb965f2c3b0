#include "core/model/derived.h"

#include <algorithm>
#include <optional>

namespace segx {

const char* pick_name(DerivedPick pick) {
    switch (pick) {
        case DerivedPick::First:
            return "first";
        case DerivedPick::MostFrequent:
            return "most_frequent";
        default:
            return "latest";
    }
}

bool parse_pick(std::string_view text, DerivedPick* out) {
    for (DerivedPick p : {DerivedPick::Latest, DerivedPick::First, DerivedPick::MostFrequent})
        if (text == pick_name(p)) {
            *out = p;
            return true;
        }
    return false;
}

namespace {

// model/ sits below lang/: its own small copies of fold_ascii and quote.
std::string fold(const std::string& s) {
    std::string out = s;
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = char(c - 'A' + 'a');
    return out;
}
std::string quote(const std::string& s) { return "'" + s + "'"; }

const Column* property_column(const Model& m, const std::string& name) {
    for (const Column& c : m.events.properties)
        if (c.name == name) return &c;
    return nullptr;
}

// a < b for two valid rows of one column: strings by bytes (char_traits compares unsigned), the
// rest by value; the order DuckDB's ORDER BY gives the same values.
bool value_less(const Column& c, size_t a, size_t b) {
    switch (c.type) {
        case ColumnType::String:
            return c.dict.at(c.codes[a]) < c.dict.at(c.codes[b]);
        case ColumnType::Double:
            return c.doubles[a] < c.doubles[b];
        default:
            return c.ints[a] < c.ints[b];
    }
}

bool value_equal(const Column& c, size_t a, size_t b) { return !value_less(c, a, b) && !value_less(c, b, a); }

void set_value(Column& out, size_t u, const Column& from, size_t row) {
    out.valid.set(u, true);
    if (from.type == ColumnType::String)
        out.codes.set(u, out.dict.intern(from.dict.at(from.codes[row])));
    else if (from.type == ColumnType::Double)
        out.doubles[u] = from.doubles[row];
    else
        out.ints.set(u, from.ints[row]);
}

bool name_taken(const Model& m, const std::string& name) {
    const std::string folded = fold(name);
    if (folded == "user_id") return true;
    for (const Column& c : m.attributes)
        if (fold(c.name) == folded) return true;
    return false;
}

// Whether a String property looks like a user attribute (derived.h's automatic rule).
bool looks_like_attribute(const Model& m, const Column& p) {
    if (p.type != ColumnType::String) return false;
    size_t multi = 0, constant = 0;
    std::optional<uint32_t> any_value;
    bool several_values = false;
    const EventStore& e = m.events;
    for (size_t u = 0; u < e.user_count(); u++) {
        size_t seen = 0;
        uint32_t first = 0;
        bool same = true;
        for (uint64_t r = e.offsets[u]; r < e.offsets[u + 1]; r++) {
            if (p.is_null(r)) continue;
            const uint32_t code = p.codes[r];
            if (seen++ == 0)
                first = code;
            else if (code != first)
                same = false;
            if (!any_value) any_value = code;
            several_values = several_values || code != *any_value;
        }
        if (seen < 2) continue;
        multi++;
        constant += same ? 1 : 0;
    }
    return several_values && multi >= kAutoMinUsers && double(constant) >= kAutoConstantShare * double(multi);
}

} // namespace

Column derived_column(const Model& m, const DerivedSpec& spec) {
    Column out;
    out.name = spec.name;
    const Column* p = property_column(m, spec.property);
    std::optional<uint32_t> event;
    if (!spec.event.empty()) event = m.event_names.find(spec.event);
    out.type = p != nullptr ? p->type : ColumnType::String;
    append_nulls(out, m.users.size());
    if (p == nullptr || (!spec.event.empty() && !event)) return out;
    const EventStore& e = m.events;
    const auto counts = [&](uint64_t r) { return !p->is_null(r) && (!event || e.event[r] == *event); };
    std::vector<uint64_t> rows;
    for (size_t u = 0; u < e.user_count() && u < m.users.size(); u++) {
        const uint64_t begin = e.offsets[u], end = e.offsets[u + 1];
        if (spec.pick == DerivedPick::Latest) {
            for (uint64_t r = end; r-- > begin;)
                if (counts(r)) {
                    set_value(out, u, *p, r);
                    break;
                }
        } else if (spec.pick == DerivedPick::First) {
            for (uint64_t r = begin; r < end; r++)
                if (counts(r)) {
                    set_value(out, u, *p, r);
                    break;
                }
        } else {
            rows.clear();
            for (uint64_t r = begin; r < end; r++)
                if (counts(r)) rows.push_back(r);
            if (rows.empty()) continue;
            std::stable_sort(rows.begin(), rows.end(),
                             [&](uint64_t a, uint64_t b) { return value_less(*p, a, b); });
            // Runs of equal values in ascending order: the first longest run is the smallest of
            // the most frequent values.
            size_t best = 0, best_n = 0;
            for (size_t i = 0; i < rows.size();) {
                size_t j = i + 1;
                while (j < rows.size() && value_equal(*p, rows[i], rows[j])) j++;
                if (j - i > best_n) best = i, best_n = j - i;
                i = j;
            }
            set_value(out, u, *p, rows[best]);
        }
    }
    return out;
}

std::vector<std::string> derive_attributes(Model& m, const std::vector<DerivedSpec>& specs, bool automatic) {
    m.attributes.resize(base_attribute_count(m));
    m.attribute_sources.resize(m.attributes.size());
    m.derived.clear();
    std::vector<std::string> problems;
    const auto add = [&m](const DerivedSpec& s) {
        m.attributes.push_back(derived_column(m, s));
        m.attribute_sources.push_back(s.event.empty() ? "events" : s.event + " events");
        m.derived.push_back(s);
    };
    for (const DerivedSpec& s : specs) {
        const std::string what = "the attribute from events " + quote(s.name);
        if (s.name.empty())
            problems.push_back("an attribute from events has no name");
        else if (name_taken(m, s.name))
            problems.push_back(what + " is left out: another attribute has that name");
        else if (property_column(m, s.property) == nullptr)
            problems.push_back(what + " is left out: no loaded events file has the property " +
                               quote(s.property));
        else if (!s.event.empty() && !m.event_names.find(s.event))
            problems.push_back(what + " is left out: no loaded file has the event " + quote(s.event));
        else
            add(DerivedSpec{s.name, s.event, s.property, s.pick, false});
    }
    if (automatic)
        for (const Column& p : m.events.properties)
            if (!name_taken(m, p.name) && looks_like_attribute(m, p))
                add(DerivedSpec{p.name, "", p.name, DerivedPick::Latest, true});
    return problems;
}

const DerivedSpec* find_derived(const Model& m, std::string_view name) {
    const size_t base = base_attribute_count(m);
    for (size_t i = 0; i < m.derived.size(); i++)
        if (m.attributes[base + i].name == name) return &m.derived[i];
    return nullptr;
}

} // namespace segx
