#include "app/session.h"

#include "app/i18n/i18n.h"
#include "core/model/derived.h"

#include "core/audience/json.h"
#include "core/funnel/engine.h"
#include "core/rfm/engine.h"
#include "core/sql/audience_sql.h"
#include "core/time/civil.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iterator>
#include <new>
#include <stdexcept>

namespace segx {

const char* load_state_name(LoadState s) {
    switch (s) {
        case LoadState::Loading:
            return "loading";
        case LoadState::Ready:
            return "ready";
        case LoadState::Failed:
            return "failed";
    }
    return "?";
}

const char* level_name(Level l) {
    switch (l) {
        case Level::Info:
            return "info";
        case Level::Warning:
            return "warning";
        case Level::Error:
            return "error";
    }
    return "?";
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
    pending[handle].table.name = name;
    return handle;
}

int Session::begin_mapped_preview(const std::string& name) {
    int handle = next_handle++;
    PendingTable& p = pending[handle];
    p.table.name = name;
    p.target = TableTarget::MappedPreview;
    return handle;
}

void Session::finish_load(int handle) {
    auto it = pending.find(handle);
    if (it == pending.end())
        throw std::runtime_error("no load in progress with handle " + std::to_string(handle));
    Table table = std::move(it->second.table);
    TableTarget target = it->second.target;
    pending.erase(it);
    check_consistent(table); // throws naming the column; the old table stays
    std::string name = table.name;
    if (target == TableTarget::MappedPreview) {
        if (SourceFile* s = find_source(name)) s->mapped_preview = std::move(table);
        return;
    }
    data.put(std::move(table));
    if (SourceFile* s = find_source(name)) {
        // Still loading: its mapping runs next; mark_ready ends the load.
        s->stage = "mapping";
        s->error.clear();
        s->stats.clear(); // the file's figures arrive with source_info, once DuckDB counted them
        s->stats_requested = false;
        s->mapped_preview = Table{};
        s->preview_requested = false;
        selected_source = int(s - sources.data());
    }
}

void Session::mark_ready(const std::string& name, const std::string& message) {
    if (SourceFile* s = find_source(name)) {
        s->state = LoadState::Ready;
        s->progress = 1.0f;
        s->stage.clear();
    }
    if (!message.empty()) post(Level::Info, message);
}

void Session::abandon_load(const std::string& name) {
    for (auto it = pending.begin(); it != pending.end();) {
        if (it->second.table.name == name)
            it = pending.erase(it);
        else
            ++it;
    }
}

void Session::fail_load(const std::string& name, const std::string& message) {
    abandon_load(name);
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

void Session::remove_source(const std::string& name) {
    for (size_t i = 0; i < sources.size(); ++i) {
        if (sources[i].name != name) continue;
        data.remove(name);
        remove_model_source(name);
        sources.erase(sources.begin() + long(i));
        if (selected_source >= int(sources.size())) selected_source = int(sources.size()) - 1;
        post(Level::Info, trf(S::removed_file, {name}));
        return;
    }
}

void Session::remove_demo() {
    for (size_t i = 0; i < sources.size();) {
        if (sources[i].demo && sources[i].state != LoadState::Loading) {
            data.remove(sources[i].name);
            remove_model_source(sources[i].name);
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
    return std::any_of(sources.begin(), sources.end(),
                       [](const SourceFile& s) { return s.state == LoadState::Loading; });
}

// --- mapped sources and the model -------------------------------------------------------

int Session::begin_model_source(const std::string& spec_json) {
    nlohmann::json j = nlohmann::json::parse(spec_json); // throws on malformed JSON
    std::string name = j.at("name").get<std::string>();
    std::string kind_name = j.value("kind", "events");
    auto kind = source_kind_from_name(kind_name);
    if (!kind) throw std::invalid_argument(name + ": unknown source kind \"" + kind_name + "\"");
    std::vector<std::string> columns = j.value("columns", std::vector<std::string>{});
    PendingModelSource p;
    p.name = name;
    p.restream = j.value("restream", false);
    if (*kind == SourceKind::Users) {
        p.users = std::make_unique<UserSourceBuilder>(name, columns);
    } else {
        EventSourceSpec spec;
        spec.name = name;
        spec.kind = *kind;
        std::string fmt = j.value("time_format", "auto");
        auto tf = time_format_from_name(fmt);
        if (!tf) throw std::invalid_argument(name + ": unknown time format \"" + fmt + "\"");
        spec.time_format = *tf;
        spec.time_is_epoch_us = j.value("time_is_epoch_us", false);
        spec.tz_offset_minutes = j.value("tz_offset_minutes", 0);
        spec.constant_event = j.value("constant_event", std::string());
        spec.revenue_required = j.value("revenue_required", false);
        spec.property_names = columns;
        p.events = std::make_unique<EventSourceBuilder>(std::move(spec));
    }
    // The rows the page expects (a count, or an estimate from the file's first lines): reserved
    // up front, so that the source's columns are not left with a doubling's spare room.
    if (size_t expected = j.value("expected_rows", size_t(0))) {
        if (p.users)
            p.users->expect(expected);
        else
            p.events->expect(expected);
    }
    int handle = next_handle++;
    pending_model[handle] = std::move(p);
    return handle;
}

void Session::finish_model_source(int handle) {
    auto it = pending_model.find(handle);
    if (it == pending_model.end())
        throw std::runtime_error("no mapped load in progress with handle " + std::to_string(handle));
    PendingModelSource p = std::move(it->second);
    pending_model.erase(it);
    // A shell streamed again takes its own place back: load order decides the model's order
    // (users, event seq), so a rebuild must not move it.
    if (released.erase(p.name) && p.restream) {
        if (p.users) {
            for (UserSource& u : user_sources)
                if (u.name == p.name) {
                    u = p.users->finish();
                    model_dirty = true;
                    return;
                }
        } else {
            for (EventSource& e : event_sources)
                if (e.spec.name == p.name) {
                    e = p.events->finish();
                    model_dirty = true;
                    return;
                }
        }
    }
    remove_model_source(p.name); // a file is one source, whatever its kind was before
    if (p.users)
        user_sources.push_back(p.users->finish());
    else
        event_sources.push_back(p.events->finish());
    model_dirty = true;
}

void Session::abort_model_source(int handle) { pending_model.erase(handle); }

void Session::remove_model_source(const std::string& name) {
    size_t before = user_sources.size() + event_sources.size();
    user_sources.erase(std::remove_if(user_sources.begin(), user_sources.end(),
                                      [&](const UserSource& u) { return u.name == name; }),
                       user_sources.end());
    event_sources.erase(std::remove_if(event_sources.begin(), event_sources.end(),
                                       [&](const EventSource& e) { return e.spec.name == name; }),
                        event_sources.end());
    if (user_sources.size() + event_sources.size() != before) model_dirty = true;
    released.erase(name);
}

std::vector<std::string> Session::missing_sources() const {
    std::vector<std::string> out;
    if (!model_dirty) return out;
    for (const UserSource& u : user_sources)
        if (released.count(u.name)) out.push_back(u.name);
    for (const EventSource& e : event_sources)
        if (released.count(e.spec.name)) out.push_back(e.spec.name);
    return out;
}

void Session::release_source_rows() {
    for (UserSource& u : user_sources) {
        UserSource shell;
        shell.name = std::move(u.name);
        shell.rejects = std::move(u.rejects);
        u = std::move(shell);
        released.insert(u.name);
    }
    for (EventSource& e : event_sources) {
        EventSource shell;
        shell.spec = std::move(e.spec);
        shell.detected_format = e.detected_format;
        shell.rejects = std::move(e.rejects);
        shell.refunds = e.refunds;
        e = std::move(shell);
        released.insert(e.spec.name);
    }
}

bool Session::drop_model_for_rebuild() {
    if (!release_sources || missing_sources().empty()) return false;
    model = Model{};
    users_by_id_cache = {};
    ++model_generation;
    rebuilding = true;
    return true;
}

void Session::rebuild_model_if_dirty() {
    const WorkspaceSettings& ws = workspace.settings;
    const bool derived_changed =
        ws.derived_attributes != derived_applied || ws.auto_derived_attributes != auto_derived_applied;
    if (!model_dirty && !derived_changed) return;
    if (!model_dirty) { // only the attributes from events changed
        derive_model_attributes();
        ++model_generation;
        return;
    }
    // Held (a load job in progress), or a source that is a shell: its rows come again first.
    if (model_hold > 0 || !missing_sources().empty()) return;
    std::vector<UserSource*> users;
    std::vector<EventSource*> events;
    for (UserSource& u : user_sources) users.push_back(&u);
    for (EventSource& e : event_sources) events.push_back(&e);
    // The old model goes first, so that the heap holds one model at a time, never two.
    model = Model{};
    users_by_id_cache = {};
    // Released sources go as soon as the build no longer reads them, before the event index
    // is built: the load's peak is then the model and the index's temporaries, not those and
    // every file's mapped rows as well.
    bool released_now = false;
    const auto sources_read = [&] {
        if (release_sources) release_source_rows(), released_now = true;
    };
    // Released sources give up each event column as soon as the store holds it
    // (build_event_store_releasing): the store grows as they shrink.
    if (release_sources)
        model = build_model_releasing(users, events, "purchase", sources_read);
    else
        model = build_model({users.begin(), users.end()}, {events.begin(), events.end()}, "purchase",
                            sources_read);
    derive_model_attributes();
    overview = compute_overview(model);
    // Say each file loaded twice once, when it is first noticed (again if it goes and comes back).
    std::set<std::string> now;
    for (const auto& d : model.duplicate_sources) now.insert(d.first + '\n' + d.second);
    for (auto it = reported_duplicates.begin(); it != reported_duplicates.end();)
        it = now.count(*it) ? std::next(it) : reported_duplicates.erase(it);
    for (const auto& d : model.duplicate_sources)
        if (reported_duplicates.insert(d.first + '\n' + d.second).second)
            post(Level::Warning, trf(S::duplicate_file_warning, {d.first, d.second}));
    ++model_generation;
    model_dirty = false;
    rebuilding = false;
    if (release_sources && !released_now) release_source_rows();
}

void Session::derive_model_attributes() {
    derived_applied = workspace.settings.derived_attributes;
    auto_derived_applied = workspace.settings.auto_derived_attributes;
    std::vector<std::string> problems = derive_attributes(model, derived_applied, auto_derived_applied);
    std::set<std::string> now(problems.begin(), problems.end());
    for (auto it = reported_derived.begin(); it != reported_derived.end();)
        it = now.count(*it) ? std::next(it) : reported_derived.erase(it);
    for (const std::string& p : problems)
        if (model.users.size() > 0 && reported_derived.insert(p).second) post(Level::Warning, p + ".");
}

const RejectLog* Session::rejects_of(const std::string& name) const {
    for (const UserSource& u : user_sources)
        if (u.name == name) return &u.rejects;
    for (const EventSource& e : event_sources)
        if (e.spec.name == name) return &e.rejects;
    return nullptr;
}

bool Session::warm_index_pending() const {
    if (model_dirty || model_hold > 0 || any_loading()) return false; // a rebuild comes first
    return warmed_generation != model_generation || !warm_order.empty() || warm_engine_runs < kWarmEngineRuns;
}

bool Session::warm_index_step() {
    if (!warm_index_pending()) return false;
    const EventIndex& index = model.event_index;
    // Starts most events first; times fewest first, so that they cover the most names (the
    // heaviest name's funnels read the most postings and gain the least from its times).
    const auto by_count = [&] {
        warm_order = index.codes_by_count();
        if (!warm_times) std::reverse(warm_order.begin(), warm_order.end()); // next at the back
    };
    if (warmed_generation != model_generation) {
        warmed_generation = model_generation;
        warm_times = false;
        warm_engine_runs = 0;
        by_count();
    }
    while (!warm_order.empty()) {
        const uint32_t code = warm_order.back();
        warm_order.pop_back();
        bool kept = false;
        try {
            kept = warm_times ? index.warm_posting_times(model.events, code)
                              : index.warm_user_starts(model.events, code);
        } catch (const std::bad_alloc&) {
            // A tab near its memory's end: no error to show, the rest is built on first use.
            warm_order.clear();
            return false;
        }
        if (kept) break;
        if (!warm_times) warm_order.clear(); // the budget is full: the rest is built on first use
        // (times: a smaller name's may still fit)
    }
    if (warm_order.empty() && !warm_times) warm_times = true, by_count();
    if (!warm_order.empty()) return true;
    if (warm_engine_runs < kWarmEngineRuns) {
        try {
            warm_engine_run(warm_engine_runs);
        } catch (const std::bad_alloc&) {
            warm_engine_runs = kWarmEngineRuns;
            return false;
        }
        warm_engine_runs++;
    }
    return warm_engine_runs < kWarmEngineRuns;
}

void Session::warm_engine_run(int run) {
    // Up to three names whose times are kept (a funnel's usual case; a run then evicts or
    // builds nothing), fewest events first, and every 16th user: a few ms of the engine's
    // every hot loop. Its answer is dropped.
    const EventIndex& index = model.event_index;
    const int mode = run % 3; // the modes in turn
    std::vector<uint32_t> codes = index.codes_by_count();
    std::reverse(codes.begin(), codes.end());
    Funnel f;
    for (uint32_t c : codes)
        if (f.steps.size() < 3 && index.starts_cache.has_times(c))
            f.steps.push_back({std::string(model.event_names.at(c)), {}});
    if (f.steps.size() < kMinFunnelSteps || !as_of_us()) return;
    f.order = mode == 0 ? FunnelOrder::Ordered : mode == 1 ? FunnelOrder::Strict : FunnelOrder::Unordered;
    f.audience = nlohmann::json::object();
    FunnelContext ctx{
        model, *as_of_us(),
        [this](const nlohmann::json&, const std::string&, Bitmap* users, std::vector<DefinitionError>&) {
            const size_t n = model.users.size(); // every 16th user: bits 0, 16, 32, 48 of each word
            users->words.assign((n + 63) / 64, 0x0001000100010001ull);
            users->size = n;
            if (n % 64 != 0) users->words.back() &= (uint64_t(1) << (n % 64)) - 1;
            return true;
        }};
    run_funnel_engine(f, ctx);
}

std::optional<int64_t> Session::as_of_us() const {
    if (as_of_override) return as_of_override;
    if (model.events.size() == 0) return std::nullopt;
    return model.max_time_us;
}

const std::vector<uint32_t>* Session::users_by_id() const {
    if (users_by_id_generation != model_generation || users_by_id_cache.size() != model.users.size()) {
        users_by_id_cache = users_by_id_text(model);
        users_by_id_generation = model_generation;
    }
    return &users_by_id_cache;
}

EvalContext Session::eval_context() const {
    return audience_eval_context(RunContext{model, as_of_us(), model_generation, &workspace.saved, nullptr,
                                            users_by_id(), &rfm_cache});
}

std::string Session::run_json(std::string_view definition, bool with_members) {
    rebuild_model_if_dirty();
    RunOptions options;
    options.members = with_members;
    return answer_text(run_definition(RunContext{model, as_of_us(), model_generation, &workspace.saved,
                                                 &audience_cache, users_by_id(), &rfm_cache},
                                      definition, options));
}

// state()'s "saved": every saved definition, with `errors` when it does not read (kept as
// stored) or, once data is loaded, names what the data does not have. The names are checked by
// compiling to SQL, which reports evaluate's errors without evaluating anything.
static nlohmann::json saved_state_json(const Session& session) {
    using nlohmann::json;
    json audiences = json::array();
    bool has_data = session.model.users.size() > 0;
    EvalContext ctx = session.eval_context();
    for (const Audience& a : session.workspace.saved.audiences) {
        json item = {{"id", a.id}, {"name", a.name}};
        if (has_data) {
            SqlResult r = audience_to_sql(a, ctx);
            if (!r.ok()) item["errors"] = errors_json(r.errors);
        }
        audiences.push_back(std::move(item));
    }
    for (const UnreadDefinition& u : session.workspace.unread)
        if (u.kind == "audience")
            audiences.push_back(
                {{"id", u.id}, {"name", u.name}, {"unread", true}, {"errors", errors_json(u.errors)}});
    json funnels = json::array();
    for (const Funnel& f : session.workspace.saved.funnels)
        funnels.push_back({{"id", f.id}, {"name", f.name}});
    for (const UnreadDefinition& u : session.workspace.unread)
        if (u.kind == "funnel")
            funnels.push_back(
                {{"id", u.id}, {"name", u.name}, {"unread", true}, {"errors", errors_json(u.errors)}});
    json rfms = json::array();
    for (const Rfm& r : session.workspace.saved.rfms) rfms.push_back({{"id", r.id}, {"name", r.name}});
    for (const UnreadDefinition& u : session.workspace.unread)
        if (u.kind == "rfm")
            rfms.push_back(
                {{"id", u.id}, {"name", u.name}, {"unread", true}, {"errors", errors_json(u.errors)}});
    json retentions = json::array(); // in rail order: the most recently edited first
    for (const Retention& r : session.workspace.saved.retentions)
        retentions.push_back({{"id", r.id}, {"name", r.name}});
    for (const UnreadDefinition& u : session.workspace.unread)
        if (u.kind == "retention")
            retentions.push_back(
                {{"id", u.id}, {"name", u.name}, {"unread", true}, {"errors", errors_json(u.errors)}});
    return {{"audiences", std::move(audiences)},
            {"funnels", std::move(funnels)},
            {"rfms", std::move(rfms)},
            {"retentions", std::move(retentions)}};
}

static nlohmann::json rejects_json(const RejectLog* log) {
    nlohmann::json j = {{"read", 0}, {"kept", 0}, {"total", 0}, {"reasons", nlohmann::json::array()}};
    if (!log) return j;
    j["read"] = log->read;
    j["kept"] = log->kept;
    j["total"] = log->rejected();
    for (const RejectReason& r : log->reasons)
        j["reasons"].push_back({{"reason", r.reason}, {"count", r.count}, {"examples", r.examples}});
    return j;
}

nlohmann::json Session::state(std::string_view section) const {
    using nlohmann::json;
    // Only what is asked for is built: a test that reads the overview does not pay for the
    // sources' columns.
    const auto want = [&](std::string_view name) { return section.empty() || section == name; };
    json out = json::object();
    if (want("sources")) {
        json srcs = json::array();
        for (const SourceFile& s : sources) {
            json j = {{"name", s.name},
                      {"bytes", s.bytes},
                      {"demo", s.demo},
                      {"state", load_state_name(s.state)},
                      {"progress", s.progress}};
            if (s.state == LoadState::Loading && s.rows_per_second > 0)
                j["rows_per_second"] = s.rows_per_second;
            if (!s.error.empty()) j["error"] = s.error;
            if (!s.format.empty()) j["format"] = s.format;
            if (!s.encoding.empty()) j["encoding"] = s.encoding;
            if (!s.encoding_note.empty()) j["encoding_note"] = s.encoding_note;
            if (const Table* t = data.find(s.name)) {
                j["rows"] = s.total_rows > 0 || t->rows == 0 ? s.total_rows : double(t->rows);
                j["preview_rows"] = t->rows;
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
            j["mapping"] = s.applied;
            if (s.mapping != s.applied) j["mapping_edited"] = s.mapping;
            if (!s.mapping_problems.empty()) j["mapping_problems"] = s.mapping_problems;
            j["rejects"] = rejects_json(rejects_of(s.name));
            for (const EventSource& e : event_sources)
                if (e.spec.name == s.name) j["time_format"] = time_format_name(e.detected_format);
            srcs.push_back(std::move(j));
        }
        out["sources"] = std::move(srcs);
    }
    if (section == "model_missing") { // asked by name only (web/source_loader.js fillModel)
        json missing = json::array();
        for (const std::string& name : missing_sources()) {
            json item = {{"name", name}};
            for (const SourceFile& s : sources) {
                if (s.name != name) continue;
                item["total_rows"] = s.total_rows;
                if (!s.restream_json.empty()) item.update(json::parse(s.restream_json, nullptr, false));
            }
            missing.push_back(std::move(item));
        }
        out["model_missing"] = std::move(missing);
    }
    if (want("demo")) out["demo"] = has_demo();
    if (want("selected")) {
        if (selected_source >= 0 && selected_source < int(sources.size()))
            out["selected"] = sources[size_t(selected_source)].name;
        else
            out["selected"] = nullptr;
    }
    if (want("loading")) out["loading"] = any_loading();
    if (want("rebuilding")) out["rebuilding"] = rebuilding;
    if (want("overview")) {
        const Overview& o = overview;
        json ov = {{"users", o.users},
                   {"customers", o.customers},
                   {"events", o.events},
                   {"orders", o.orders},
                   {"revenue", o.revenue}};
        // Beside revenue, only when there is something to say (tests compare the five above).
        if (o.refunds > 0) {
            ov["refunds"] = o.refunds;
            ov["refund_amount"] = o.refund_amount;
            ov["net_revenue"] = o.net_revenue;
        }
        if (o.merged_purchases > 0) ov["merged_purchases"] = o.merged_purchases;
        if (!model.duplicate_sources.empty()) {
            json dups = json::array();
            for (const auto& d : model.duplicate_sources)
                dups.push_back({{"file", d.first}, {"same_as", d.second}});
            ov["duplicate_sources"] = std::move(dups);
        }
        ov["first"] = o.first_us == INT64_MIN ? json(nullptr) : json(format_timestamp_us(o.first_us));
        ov["last"] = o.last_us == INT64_MIN ? json(nullptr) : json(format_timestamp_us(o.last_us));
        ov["days"] = o.per_day.size();
        ov["days_outside_events"] = o.per_day_outside; // events off the per-day chart (overview.h)
        json top = json::array();
        for (const EventCount& e : o.top_events)
            top.push_back({{"event", e.name}, {"events", e.events}, {"users", e.users}});
        ov["top_events"] = std::move(top);
        ov["attributes"] = json::array();
        for (size_t a = 0; a < model.attributes.size(); a++) {
            const Column& c = model.attributes[a];
            json item = {{"name", c.name}, {"type", type_name(c.type)}};
            if (a >= base_attribute_count(model)) { // from events: which property, how picked
                const DerivedSpec& d = model.derived[a - base_attribute_count(model)];
                item["from_events"] = {{"property", d.property},
                                       {"event", d.event},
                                       {"pick", pick_name(d.pick)},
                                       {"automatic", d.automatic}};
            }
            ov["attributes"].push_back(std::move(item));
        }
        ov["memory_bytes"] = model.memory_bytes();
        ov["event_bytes"] = model.events.memory_bytes();
        json parts = json::object();
        for (const auto& [name, bytes] : model.memory_parts()) parts[name] = bytes;
        ov["memory_parts"] = std::move(parts);
        size_t source_bytes = 0; // the sources' rows still held (none once released: session.h)
        for (const UserSource& u : user_sources) source_bytes += u.memory_bytes();
        for (const EventSource& e : event_sources) source_bytes += e.memory_bytes();
        ov["source_bytes"] = source_bytes;
        out["overview"] = std::move(ov);
    }
    auto t = as_of_us();
    if (want("as_of")) out["as_of"] = t ? json(format_timestamp_us(*t)) : json(nullptr);
    if (want("as_of_us")) out["as_of_us"] = t ? json(*t) : json(nullptr);
    if (want("as_of_is_default")) out["as_of_is_default"] = !as_of_override.has_value();
    if (want("saved")) out["saved"] = saved_state_json(*this);
    if (want("memory_budget_mb")) out["memory_budget_mb"] = workspace.settings.memory_budget_mb;
    if (want("keep_data_mb")) out["keep_data_mb"] = workspace.settings.keep_data_mb;
    if (want("language")) out["language"] = language_code(effective_language(*this));
    if (want("kept"))
        out["kept"] = {
            {"kept", kept.kept}, {"restored", kept.restored}, {"bytes", kept.bytes}, {"files", kept.files}};
    if (want("workspace_revision")) out["workspace_revision"] = workspace.revision;
    if (want("messages")) {
        json log_json = json::array();
        size_t first = log.size() > 20 ? log.size() - 20 : 0;
        for (size_t i = first; i < log.size(); ++i)
            log_json.push_back({{"level", level_name(log[i].level)}, {"text", log[i].text}});
        out["messages"] = std::move(log_json);
    }
    return out;
}

Language effective_language(const Session& session) {
    if (auto l = language_from_code(session.workspace.settings.language)) return *l;
    if (auto l = language_from_code(session.browser_language)) return *l;
    return Language::En;
}

void apply_language(const Session& session) { set_language(effective_language(session)); }

} // namespace segx
