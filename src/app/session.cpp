#include "app/session.h"

#include "core/time/civil.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <stdexcept>

namespace segx {

const char* load_state_name(LoadState s) {
    switch (s) {
        case LoadState::Loading: return "loading";
        case LoadState::Ready: return "ready";
        case LoadState::Failed: return "failed";
    }
    return "?";
}

const char* level_name(Level l) {
    switch (l) {
        case Level::Info: return "info";
        case Level::Warning: return "warning";
        case Level::Error: return "error";
    }
    return "?";
}

ColumnStats compute_stats(const Column& c) {
    ColumnStats st;
    st.nulls = c.size() - c.valid.count_set();
    if (c.type == ColumnType::String) {
        // Null rows hold a filler code, so count only codes that valid rows use.
        std::vector<uint8_t> seen(c.dict.size(), 0);
        for (size_t r = 0; r < c.codes.size(); ++r)
            if (c.valid.get(r) && !seen[c.codes[r]]) seen[c.codes[r]] = 1, ++st.distinct;
    }
    return st;
}

SourceFile* Session::find_source(const std::string& name) {
    for (SourceFile& s : sources)
        if (s.name == name) return &s;
    return nullptr;
}

void Session::post(Level level, std::string text) {
    // Bounded so a script that fails thousands of loads cannot grow memory without limit.
    if (log.size() >= 200) log.erase(log.begin(), log.begin() + 100);
    log.push_back({level, std::move(text)});
}

int Session::begin_load(const std::string& name, double bytes, bool demo) {
    SourceFile* s = find_source(name);
    if (!s) {
        sources.push_back({});
        s = &sources.back();
        s->name = name;
        if (selected_source < 0) selected_source = int(sources.size()) - 1;
    }
    s->bytes = bytes;
    s->demo = demo;
    s->state = LoadState::Loading;
    s->progress = 0.0f;
    s->stage = "reading";
    s->error.clear();
    int handle = next_handle++;
    Table& t = pending[handle];
    t.name = name;
    return handle;
}

void Session::finish_load(int handle) {
    auto it = pending.find(handle);
    if (it == pending.end()) throw std::runtime_error("no load in progress with handle " + std::to_string(handle));
    Table table = std::move(it->second);
    pending.erase(it);
    check_consistent(table);  // throws naming the column; the old table stays
    std::string name = table.name;
    size_t rows = table.rows, cols = table.columns.size();
    std::vector<ColumnStats> stats;
    for (const Column& c : table.columns) stats.push_back(compute_stats(c));
    data.put(std::move(table));
    if (SourceFile* s = find_source(name)) {
        s->state = LoadState::Ready;
        s->progress = 1.0f;
        s->stage.clear();
        s->error.clear();
        s->stats = std::move(stats);
        selected_source = int(s - sources.data());
    }
    post(Level::Info, "Loaded " + name + ": " + std::to_string(rows) + (rows == 1 ? " row, " : " rows, ") + std::to_string(cols) +
                          (cols == 1 ? " column" : " columns"));
}

void Session::fail_load(const std::string& name, const std::string& message) {
    for (auto it = pending.begin(); it != pending.end();) {
        if (it->second.name == name) it = pending.erase(it);
        else ++it;
    }
    std::string text = name + ": " + message;
    if (SourceFile* s = find_source(name)) {
        if (data.find(name)) {
            // A failed reload keeps the earlier table: say so instead of marking it failed.
            s->state = LoadState::Ready;
            s->progress = 1.0f;
            s->stage.clear();
            text += " (the earlier version is kept)";
        } else {
            s->state = LoadState::Failed;
            s->stage.clear();
            s->error = message;
        }
    }
    post(Level::Error, std::move(text));
}

void Session::remove_demo() {
    for (size_t i = 0; i < sources.size();) {
        if (sources[i].demo && sources[i].state != LoadState::Loading) {
            data.remove(sources[i].name);
            sources.erase(sources.begin() + long(i));
        } else {
            ++i;
        }
    }
    if (selected_source >= int(sources.size())) selected_source = int(sources.size()) - 1;
}

bool Session::has_demo() const {
    return std::any_of(sources.begin(), sources.end(), [](const SourceFile& s) { return s.demo; });
}

bool Session::any_loading() const {
    return std::any_of(sources.begin(), sources.end(), [](const SourceFile& s) { return s.state == LoadState::Loading; });
}

std::optional<int64_t> Session::latest_timestamp_us() const {
    std::optional<int64_t> latest;
    for (const Table& t : data.tables)
        for (const Column& c : t.columns) {
            if (c.type != ColumnType::Timestamp) continue;
            for (size_t r = 0; r < c.ints.size(); ++r)
                if (c.valid.get(r) && (!latest || c.ints[r] > *latest)) latest = c.ints[r];
        }
    return latest;
}

std::string Session::state_json() const {
    using nlohmann::json;
    json out;
    json srcs = json::array();
    for (const SourceFile& s : sources) {
        json j = {{"name", s.name},       {"bytes", s.bytes}, {"demo", s.demo},
                  {"state", load_state_name(s.state)}, {"progress", s.progress}};
        if (!s.error.empty()) j["error"] = s.error;
        if (const Table* t = data.find(s.name)) {
            j["rows"] = t->rows;
            json cols = json::array();
            for (size_t i = 0; i < t->columns.size(); ++i) {
                const Column& c = t->columns[i];
                json col = {{"name", c.name}, {"type", type_name(c.type)}};
                if (i < s.stats.size()) {
                    col["nulls"] = s.stats[i].nulls;
                    if (c.type == ColumnType::String) col["distinct"] = s.stats[i].distinct;
                }
                cols.push_back(std::move(col));
            }
            j["columns"] = std::move(cols);
            j["memory_bytes"] = t->memory_bytes();
        }
        // Row rejection arrives with column-role mapping; until then every row read is kept.
        j["rejects"] = {{"total", 0}, {"reasons", json::array()}};
        srcs.push_back(std::move(j));
    }
    out["sources"] = std::move(srcs);
    out["demo"] = has_demo();
    if (selected_source >= 0 && selected_source < int(sources.size())) out["selected"] = sources[size_t(selected_source)].name;
    else out["selected"] = nullptr;
    out["loading"] = any_loading();
    if (auto t = latest_timestamp_us()) {
        out["as_of"] = format_timestamp_us(*t);
        out["as_of_us"] = *t;
    } else {
        out["as_of"] = nullptr;
        out["as_of_us"] = nullptr;
    }
    out["saved"] = {{"audiences", json::array()}, {"funnels", json::array()}};
    json log_json = json::array();
    size_t first = log.size() > 20 ? log.size() - 20 : 0;
    for (size_t i = first; i < log.size(); ++i)
        log_json.push_back({{"level", level_name(log[i].level)}, {"text", log[i].text}});
    out["messages"] = std::move(log_json);
    // Invalid UTF-8 in a file name must not make the whole state unreadable.
    return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace segx
