#include "core/model/model.h"

#include "core/dataset/mix64.h"
#include "core/model/column_builder.h"
#include "core/model/column_merge.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <numeric>
#include <optional>

namespace segx {

size_t Model::memory_bytes() const {
    size_t total = users.memory_bytes() + event_names.memory_bytes() + order_ids.memory_bytes() +
                   events.memory_bytes() + event_index.memory_bytes() + aggregates.memory_bytes();
    for (const Column& c : attributes) total += c.memory_bytes();
    return total;
}

std::vector<std::pair<std::string, size_t>> Model::memory_parts() const {
    const auto bytes = [](const auto& v) { return v.capacity() * sizeof(v[0]); };
    std::vector<std::pair<std::string, size_t>> parts = {
        {"users", users.memory_bytes()},
        {"event_names", event_names.memory_bytes()},
        {"order_ids", order_ids.memory_bytes()},
        {"events.offsets", bytes(events.offsets)},
        {"events.time", bytes(events.time)},
        {"events.event", events.event.memory_bytes()},
        {"events.revenue+order", events.values.memory_bytes()},
    };
    for (const Column& c : events.properties)
        parts.emplace_back("events.property " + c.name, c.memory_bytes());
    const EventIndex& ix = event_index;
    parts.emplace_back("index.start+min/max", bytes(ix.start) + bytes(ix.min_time) + bytes(ix.max_time));
    parts.emplace_back("index.rows", bytes(ix.rows));
    parts.emplace_back("index.day", bytes(ix.day));
    parts.emplace_back("index.by_day_row", bytes(ix.by_day_row));
    parts.emplace_back("index.by_day_user", bytes(ix.by_day_user));
    parts.emplace_back("index.user_starts", ix.starts_cache.memory_bytes() - ix.starts_cache.times_bytes());
    parts.emplace_back("index.posting_times", ix.starts_cache.times_bytes());
    parts.emplace_back("aggregates", aggregates.memory_bytes());
    size_t attrs = 0;
    for (const Column& c : attributes) attrs += c.memory_bytes();
    parts.emplace_back("attributes", attrs);
    return parts;
}

namespace {

// The model's dictionary becomes the source's whole when interning every entry in code order
// would give code = code: the first file's ids then cost no hashing (a million users, ~0.4 s in
// the page). `take`: the source's dictionary may go (moved, not copied).
bool adopt(StringDictionary& local, StringDictionary& global, bool take) {
    if (!global.empty()) return false;
    if (take)
        global = std::move(local);
    else
        global = local;
    return true;
}
bool adopt(StringDictionary& local, UserDictionary& global, bool take) {
    if (!global.can_adopt(local)) return false;
    if (take)
        global.adopt(std::move(local));
    else
        global.adopt(local);
    return true;
}

// Local code -> model code for every entry of a source dictionary: one hash per distinct value,
// none when the model's dictionary adopts the source's.
template <typename Dict>
std::vector<uint32_t> remap_all(StringDictionary& local, Dict& global, bool take) {
    std::vector<uint32_t> remap(local.size());
    if (adopt(local, global, take)) {
        std::iota(remap.begin(), remap.end(), 0u);
        return remap;
    }
    for (uint32_t c = 0; c < local.size(); c++) remap[c] = global.intern(local.at(c));
    return remap;
}

void build_attributes(Model& m, const std::vector<const UserSource*>& sources,
                      const std::vector<std::vector<uint32_t>>& user_remaps) {
    std::vector<NamedColumns> named;
    for (const UserSource* s : sources) named.push_back(NamedColumns{s->name, &s->attributes});
    ColumnPlan plan = plan_columns(named);
    m.attributes = std::move(plan.columns);
    m.attribute_sources = std::move(plan.sources);
    for (Column& c : m.attributes) append_nulls(c, m.users.size());
    std::vector<uint32_t> remap_scratch;
    for (size_t s = 0; s < sources.size(); s++) {
        const UserSource& src = *sources[s];
        // Row row_of_user[c] goes to model user user_remaps[s][c]; sources in order, so a later
        // file overwrites an earlier one.
        for (size_t a = 0; a < src.attributes.size(); a++)
            scatter_column(src.attributes[a], m.attributes[plan.target[s][a]], src.row_of_user.data(),
                           user_remaps[s].data(), src.row_of_user.size(), remap_scratch);
    }
}

// The rows of an event source as content: its dictionaries' strings and every row's codes,
// time and amount. Equal for the same rows read from two files, whatever their encoding or
// format (sources hold canonical text, and intern codes in first-seen order).
uint64_t content_fingerprint(const EventSource& s) {
    uint64_t h = mix64(s.size() + 1);
    const auto add = [&h](uint64_t x) { h = mix64(h ^ x) + 0x9e3779b97f4a7c15ull; };
    for (const StringDictionary* d : {&s.user_ids, &s.event_names, &s.order_ids}) {
        add(d->size());
        for (uint32_t c = 0; c < d->size(); c++) add(std::hash<std::string_view>()(d->at(c)));
    }
    for (size_t i = 0; i < s.size(); i++) {
        uint64_t bits = 0;
        static_assert(sizeof(bits) == sizeof(double), "double is 64 bits");
        const double revenue = s.values.revenue(i);
        std::memcpy(&bits, &revenue, sizeof(bits));
        add(uint64_t(s.user[i]) << 32 | s.event[i]);
        add(uint64_t(s.time[i]));
        add(bits ^ uint64_t(s.values.order(i)) << 1);
    }
    return h;
}

} // namespace

namespace {

Model build(const std::vector<UserSource*>& users_files, const std::vector<EventSource*>& sources,
            std::string_view purchase_event, const std::function<void()>& sources_read, bool release) {
    const std::vector<const UserSource*> user_sources(users_files.begin(), users_files.end());
    const std::vector<const EventSource*> event_sources(sources.begin(), sources.end());
    Model m;
    m.purchase_event = std::string(purchase_event);

    // The same rows in two files (one export dropped twice): such files have as many rows, so
    // only those are read whole. Before the remaps, which may take the sources' dictionaries.
    std::vector<uint64_t> prints(event_sources.size(), 0);
    for (size_t s = 0; s < event_sources.size(); s++) {
        const size_t rows = event_sources[s]->size();
        for (size_t t = 0; t < event_sources.size() && rows && prints[s] == 0; t++)
            if (t != s && event_sources[t]->size() == rows)
                prints[s] = content_fingerprint(*event_sources[s]);
    }
    for (size_t s = 0; s < event_sources.size(); s++)
        for (size_t t = 0; t < s; t++)
            if (prints[s] != 0 && prints[t] == prints[s]) {
                m.duplicate_sources.emplace_back(event_sources[s]->spec.name, event_sources[t]->spec.name);
                break;
            }

    std::vector<std::vector<uint32_t>> user_remaps;
    for (UserSource* s : users_files) user_remaps.push_back(remap_all(s->user_ids, m.users, release));
    std::vector<SourceRemap> remaps(sources.size());
    for (size_t s = 0; s < sources.size(); s++) {
        EventSource& src = *sources[s];
        remaps[s].user = remap_all(src.user_ids, m.users, release);
        remaps[s].event = remap_all(src.event_names, m.event_names, release);
        remaps[s].order = remap_all(src.order_ids, m.order_ids, release);
    }
    std::optional<uint32_t> purchase = m.event_names.find(purchase_event);
    // The attributes before the events: a users file's rows can then go before the event
    // store's build sets the load's peak (its ids are the model's by now).
    build_attributes(m, user_sources, user_remaps);
    user_remaps = {};
    if (release) {
        for (UserSource* src : users_files)
            src->user_ids = {}, std::vector<uint32_t>().swap(src->row_of_user), src->attributes = {};
        for (EventSource* src : sources) src->user_ids = {}, src->event_names = {}, src->order_ids = {};
        m.events =
            build_event_store_releasing(sources, remaps, m.users.size(), purchase ? *purchase : UINT32_MAX);
    } else {
        m.events =
            build_event_store(event_sources, remaps, m.users.size(), purchase ? *purchase : UINT32_MAX);
    }
    remaps = {};
    if (sources_read) sources_read(); // the sources may go: nothing below reads them
    m.event_index = build_event_index(m.events);
    // Every id is interned by now: the dictionaries' doubling slack goes back.
    m.users.shrink_to_fit();
    m.event_names.shrink_to_fit();
    m.order_ids.shrink_to_fit();

    m.aggregates = compute_user_aggregates(m.events, purchase ? *purchase : UINT32_MAX, m.order_ids.size());
    for (size_t u = 0; u < m.users.size(); u++) {
        if (m.aggregates.first_seen_us[u] == UserAggregates::kNever) continue;
        m.min_time_us = std::min(m.min_time_us, m.aggregates.first_seen_us[u]);
        m.max_time_us = std::max(m.max_time_us, m.aggregates.last_seen_us[u]);
    }
    return m;
}

} // namespace

Model build_model(const std::vector<const UserSource*>& user_sources,
                  const std::vector<const EventSource*>& event_sources, std::string_view purchase_event,
                  const std::function<void()>& sources_read) {
    // Nothing is released: the sources are only read.
    std::vector<UserSource*> users;
    std::vector<EventSource*> readable;
    for (const UserSource* s : user_sources) users.push_back(const_cast<UserSource*>(s));
    for (const EventSource* s : event_sources) readable.push_back(const_cast<EventSource*>(s));
    return build(users, readable, purchase_event, sources_read, false);
}

Model build_model_releasing(const std::vector<UserSource*>& user_sources,
                            const std::vector<EventSource*>& event_sources, std::string_view purchase_event,
                            const std::function<void()>& sources_read) {
    return build(user_sources, event_sources, purchase_event, sources_read, true);
}

} // namespace segx
