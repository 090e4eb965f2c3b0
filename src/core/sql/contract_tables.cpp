#include "core/sql/contract_tables.h"

#include "core/model/derived.h"
#include "core/time/civil.h"

#include <algorithm>
#include <cmath>

namespace segx {

namespace {

void put_text(std::string& out, std::string_view s) {
    out += '"';
    for (char c : s) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
}

// One cell: text quoted, everything else as DuckDB reads it back exactly, NULL empty.
void put_cell(std::string& out, const Column& c, size_t row) {
    if (c.is_null(row)) return;
    if (c.type == ColumnType::String)
        put_text(out, c.dict.at(c.codes[row]));
    else if (c.type == ColumnType::Double && !std::isfinite(c.doubles[row]))
        return; // never NaN in the contract
    else
        out += c.format(row);
}

void put_header(ContractTable& t) {
    for (size_t i = 0; i < t.columns.size(); i++) {
        if (i) t.csv += ',';
        put_text(t.csv, t.columns[i].first);
    }
    t.csv += '\n';
}

} // namespace

ContractTable contract_users(const Model& model, UserRange users) {
    ContractTable t;
    // The users files' attributes only: statements compute attributes from events themselves.
    std::vector<const Column*> attributes;
    for (size_t a = 0; a < base_attribute_count(model); a++) attributes.push_back(&model.attributes[a]);
    t.columns.emplace_back("user_id", "VARCHAR");
    for (const Column* c : attributes) t.columns.emplace_back(c->name, type_name(c->type));
    put_header(t);
    for (size_t u = users.first; u < std::min(users.end, model.users.size()); u++) {
        bool any = false;
        for (const Column* c : attributes) any = any || (u < c->size() && !c->is_null(u));
        if (!any) continue;
        put_text(t.csv, model.users.id(uint32_t(u)));
        for (const Column* c : attributes) {
            t.csv += ',';
            if (u < c->size()) put_cell(t.csv, *c, u);
        }
        t.csv += '\n';
    }
    return t;
}

ContractTable contract_events(const Model& model, UserRange users) {
    const EventStore& s = model.events;
    ContractTable t;
    t.columns = {{"user_id", "VARCHAR"}, {"event", "VARCHAR"},    {"time", "TIMESTAMP"},
                 {"revenue", "DOUBLE"},  {"order_id", "VARCHAR"}, {"seq", "BIGINT"}};
    for (const Column& c : s.properties) t.columns.emplace_back(c.name, type_name(c.type));
    put_header(t);
    const size_t user_count = s.offsets.empty() ? 0 : s.offsets.size() - 1;
    for (size_t u = users.first; u < std::min(users.end, user_count); u++) {
        for (uint64_t r = s.offsets[u]; r < s.offsets[u + 1]; r++) {
            put_text(t.csv, model.users.id(uint32_t(u)));
            t.csv += ',';
            put_text(t.csv, model.event_names.at(s.event[r]));
            t.csv += ',' + format_timestamp_us(s.time[r]) + ',';
            const double revenue = s.values.revenue(size_t(r));
            const uint32_t order = s.values.order(size_t(r));
            if (std::isfinite(revenue)) t.csv += format_double(revenue);
            t.csv += ',';
            if (order != EventStore::kNoOrder) put_text(t.csv, model.order_ids.at(order));
            // The stored order: per user by time, equal times as the core keeps them.
            t.csv += ',' + std::to_string(r);
            for (const Column& c : s.properties) {
                t.csv += ',';
                put_cell(t.csv, c, size_t(r));
            }
            t.csv += '\n';
        }
    }
    return t;
}

} // namespace segx
