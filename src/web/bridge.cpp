// Data half of the bridge, shared by the page and the Node build (segx_core.js).
//
// JS hands over Arrow column buffers already copied into the WASM heap: one call per column per
// record batch, never one per row. Every entry point catches exceptions, so bad input becomes a
// message (segx_last_error) instead of a trapped module.
#include "web/bridge.h"

#include "app/i18n/i18n.h"
#include "core/audience/describe.h"
#include "core/audience/json.h"
#include "core/lang/text.h"
#include "core/model/model_io.h"
#include "core/model/overview.h"
#include "core/sql/contract_tables.h"
#include "core/time/civil.h"
#include "core/time/parse.h"

#include <emscripten/emscripten.h>
#include <nlohmann/json.hpp>

#include <malloc.h>
#include <unistd.h>
#include <cmath>
#include <cstdlib>
#include <exception>
#include <stdexcept>
#include <string>
#include <string_view>

namespace segx {

Session& session() {
    // Sources' rows are dropped once the model is built (DuckDB still has them: session.h).
    static Session s;
    static const bool releasing = s.release_sources = true;
    (void)releasing;
    return s;
}

App& app() {
    static App a{session()};
    return a;
}

static bool g_work_in_frames = false;
void set_work_in_frames(bool in_frames) { g_work_in_frames = in_frames; }

// state() has no side effects, so a call that changes something brings what depends on it up
// to date before it returns: the model (a load's last step, a removal), and in Node the tabs'
// evaluations too.
static void after_change() {
    session().rebuild_model_if_dirty();
    if (!g_work_in_frames) update_app(app(), kNoBudget);
}

static bool g_redraw = true;
void request_redraw() { g_redraw = true; }
bool take_redraw_request() {
    bool r = g_redraw;
    g_redraw = false;
    return r;
}

static std::string g_last_error;
static std::string g_json;

static Table* pending_table(int handle) {
    // The SQL tab's result arrives through the same column calls as a file's first rows.
    if (handle != 0 && handle == app().sql.receiving_handle) return &app().sql.receiving;
    auto it = session().pending.find(handle);
    if (it == session().pending.end())
        throw std::runtime_error("no load in progress with handle " + std::to_string(handle));
    return &it->second.table;
}

// One column of a batch as JS describes it: 5 uint32 per column (see segx_model_append).
// Unsigned: past 2 GiB a pointer does not fit an int32.
static ValueChunk chunk_from(const uint32_t* d) {
    ValueChunk c;
    switch (d[0]) {
        case 0:
            return ValueChunk::none();
        case 1:
            c = ValueChunk::of_ints(reinterpret_cast<const int64_t*>(uintptr_t(d[1])));
            break;
        case 2:
            c = ValueChunk::of_doubles(reinterpret_cast<const double*>(uintptr_t(d[1])));
            break;
        case 3:
            c = ValueChunk::of_text(reinterpret_cast<const int32_t*>(uintptr_t(d[2])),
                                    reinterpret_cast<const char*>(uintptr_t(d[1])));
            break;
        default:
            throw std::invalid_argument("unknown column layout " + std::to_string(d[0]));
    }
    c.validity = reinterpret_cast<const uint8_t*>(uintptr_t(d[3]));
    if (d[4] > uint32_t(ColumnType::String))
        throw std::invalid_argument("unknown column type " + std::to_string(d[4]));
    c.int_type = ColumnType(d[4]);
    return c;
}

static Column* pending_column(int handle, int col) {
    Table* t = pending_table(handle);
    if (col < 0 || size_t(col) >= t->columns.size())
        throw std::runtime_error(t->name + ": no column number " + std::to_string(col));
    return &t->columns[size_t(col)];
}

// Runs f; on an exception stores its message and returns -1. Calls that change what the page
// shows wake it (redraw); the per-batch calls of a load do not, or a load would draw every frame
// (a load in progress draws a few frames a second on its own).
template <class F>
static int guarded(F&& f, bool redraw = true) {
    try {
        g_last_error.clear();
        if (redraw) request_redraw();
        int r = f();
        if (redraw) after_change();
        return r;
    } catch (const std::exception& e) {
        g_last_error = e.what();
    } catch (...) {
        g_last_error = "unknown error";
    }
    return -1;
}

} // namespace segx

using namespace segx;

// Pointers and sizes: a pointer parameter is unsigned on both sides (JS passes it as `>>> 0`);
// counts and sizes are size_t (unsigned) or double, never int, so that nothing past 2 GiB turns
// negative. Functions that return a pointer are read by JS with `>>> 0` (web/core_bridge.js).
extern "C" {

EMSCRIPTEN_KEEPALIVE void* segx_malloc(size_t n) { return std::malloc(n ? n : 1); }
EMSCRIPTEN_KEEPALIVE void segx_free(void* p) { std::free(p); }
EMSCRIPTEN_KEEPALIVE const char* segx_last_error() { return g_last_error.c_str(); }

EMSCRIPTEN_KEEPALIVE int segx_source_begin(const char* name, double bytes, int demo) {
    return guarded([&] { return session().begin_load(name, bytes, demo != 0); });
}

// rows_per_second: the pace of a stage that streams rows (0 when it does not), shown on the bar.
EMSCRIPTEN_KEEPALIVE int segx_source_progress(const char* name, const char* stage, double fraction,
                                              double rows_per_second) {
    return guarded(
        [&] {
            if (SourceFile* s = session().find_source(name)) {
                if (s->stage != stage) s->rows_per_second = 0;
                s->stage = stage;
                s->progress = float(fraction < 0 ? 0 : fraction > 1 ? 1 : fraction);
                if (rows_per_second > 0 && std::isfinite(rows_per_second))
                    s->rows_per_second = rows_per_second;
            }
            return 0;
        },
        false);
}

// A loaded file whose mapped rows are streamed again for a rebuild (web/source_loader.js
// fillModel) shows as loading, at `stage`, until segx_source_ready.
EMSCRIPTEN_KEEPALIVE int segx_source_busy(const char* name, const char* stage) {
    return guarded(
        [&] {
            if (SourceFile* s = session().find_source(name)) {
                s->state = LoadState::Loading;
                s->stage = stage;
                s->progress = 0.0f;
            }
            return 0;
        },
        false);
}

// type: 0 Bool, 1 Int64, 2 Double, 3 Date, 4 Timestamp, 5 String (ColumnType order).
EMSCRIPTEN_KEEPALIVE int segx_column_add(int handle, const char* name, int type) {
    return guarded(
        [&] {
            if (type < 0 || type > int(ColumnType::String))
                throw std::runtime_error(std::string("column ") + name + ": unknown type code " +
                                         std::to_string(type));
            Table* t = pending_table(handle);
            t->columns.push_back({});
            t->columns.back().name = name;
            t->columns.back().type = ColumnType(type);
            return int(t->columns.size()) - 1;
        },
        false);
}

EMSCRIPTEN_KEEPALIVE int segx_column_append_int64(int handle, int col, const int64_t* values,
                                                  const uint8_t* validity, size_t bit_offset, size_t n) {
    return guarded(
        [&] {
            pending_column(handle, col)->append_int64(values, validity, bit_offset, n);
            return 0;
        },
        false);
}

EMSCRIPTEN_KEEPALIVE int segx_column_append_double(int handle, int col, const double* values,
                                                   const uint8_t* validity, size_t bit_offset, size_t n) {
    return guarded(
        [&] {
            pending_column(handle, col)->append_double(values, validity, bit_offset, n);
            return 0;
        },
        false);
}

EMSCRIPTEN_KEEPALIVE int segx_column_append_utf8(int handle, int col, const int32_t* offsets,
                                                 const char* bytes, const uint8_t* validity,
                                                 size_t bit_offset, size_t n) {
    return guarded(
        [&] {
            pending_column(handle, col)->append_utf8(offsets, bytes, validity, bit_offset, n);
            return 0;
        },
        false);
}

EMSCRIPTEN_KEEPALIVE int segx_source_end(int handle, double rows) {
    return guarded([&] {
        pending_table(handle)->rows = size_t(rows);
        session().finish_load(handle);
        return 0;
    });
}

EMSCRIPTEN_KEEPALIVE int segx_source_fail(const char* name, const char* message) {
    return guarded([&] {
        session().fail_load(name, message);
        return 0;
    });
}

EMSCRIPTEN_KEEPALIVE int segx_source_abandon(const char* name) {
    return guarded([&] {
        session().abandon_load(name);
        return 0;
    });
}

EMSCRIPTEN_KEEPALIVE int segx_source_remove(const char* name) {
    return guarded([&] {
        session().remove_source(name);
        return 0;
    });
}

// What this browser keeps of the loaded files (web/kept_data.js), for the sources rail.
EMSCRIPTEN_KEEPALIVE int segx_set_kept(int kept, int restored, double bytes, int files) {
    return guarded([&] {
        session().kept = KeptData{kept != 0, restored != 0, bytes, files};
        return 0;
    });
}

EMSCRIPTEN_KEEPALIVE int segx_remove_demo() {
    return guarded([&] {
        session().remove_demo();
        return 0;
    });
}

// The browser's language (navigator.language): the interface's when the workspace names none.
EMSCRIPTEN_KEEPALIVE void segx_set_browser_language(const char* tag) {
    session().browser_language = tag ? tag : "";
    apply_language(session());
}

// The page's messages in the interface language, from the same tables (app/i18n): `key` names a
// string, `args` is a JSON list of the values for {0} {1} … An unknown key comes back as is.
EMSCRIPTEN_KEEPALIVE const char* segx_tr(const char* key, const char* args) {
    static std::string out;
    apply_language(session());
    std::optional<S> k = string_key_from_name(key ? key : "");
    if (!k) return out = key ? key : "", out.c_str();
    std::vector<std::string> values;
    nlohmann::json list = nlohmann::json::parse(args ? args : "[]", nullptr, false);
    if (list.is_array())
        for (const nlohmann::json& v : list)
            values.push_back(v.is_string() ? v.get<std::string>() : v.dump());
    out = format_text(tr(*k), values);
    return out.c_str();
}

// A message the page composed in English (its checks: mapping.js, workspace.js, …) or the core's
// (an error's "message"), in the interface language (app/i18n shown()); unknown text as is.
EMSCRIPTEN_KEEPALIVE const char* segx_shown(const char* text) {
    static std::string out;
    apply_language(session());
    out = shown(text ? text : "");
    return out.c_str();
}

// level: 0 info, 1 warning, 2 error.
EMSCRIPTEN_KEEPALIVE int segx_status(int level, const char* text) {
    return guarded([&] {
        session().post(Level(level < 0 || level > 2 ? 2 : level), text);
        return 0;
    });
}

EMSCRIPTEN_KEEPALIVE int segx_source_ready(const char* name, const char* message) {
    return guarded([&] {
        session().mark_ready(name, message);
        return 0;
    });
}

EMSCRIPTEN_KEEPALIVE int segx_mapped_preview_begin(const char* name) {
    return guarded([&] { return session().begin_mapped_preview(name); }, false);
}

// file info JSON: {format, encoding, encoding_note, total_rows, mapping, applied, problems}; any key may be
// missing.
EMSCRIPTEN_KEEPALIVE int segx_source_info(const char* name, const char* info_json) {
    return guarded([&] {
        SourceFile* s = session().find_source(name);
        if (!s) throw std::runtime_error(std::string("no source named ") + name);
        nlohmann::json j = nlohmann::json::parse(info_json);
        if (j.contains("format")) s->format = j["format"].get<std::string>();
        if (j.contains("encoding")) s->encoding = j["encoding"].get<std::string>();
        if (j.contains("encoding_note")) s->encoding_note = j["encoding_note"].get<std::string>();
        if (j.contains("total_rows")) s->total_rows = j["total_rows"].get<double>();
        if (j.contains("mapping")) s->mapping = j["mapping"].get<Mapping>();
        if (j.contains("applied")) {
            s->applied = j["applied"].get<Mapping>();
            s->restream_json = nlohmann::json{{"mapping", j["applied"]},
                                              {"columns", j.value("columns", nlohmann::json::array())}}
                                   .dump();
        }
        if (j.contains("problems")) s->mapping_problems = j["problems"].get<std::vector<std::string>>();
        if (j.contains("stats_exact")) s->stats_exact = j["stats_exact"].get<bool>();
        if (j.contains("stats")) {
            s->stats.clear();
            for (const auto& c : j["stats"])
                s->stats.push_back({c.value("nulls", size_t(0)), c.value("distinct", size_t(0))});
        }
        return 0;
    });
}

// Mapped sources. spec: {name, kind, time_format, time_is_epoch_us, tz_offset_minutes,
// constant_event, revenue_required, columns, restream, expected_rows (0: unknown)}.
EMSCRIPTEN_KEEPALIVE int segx_model_begin(const char* spec_json) {
    return guarded([&] { return session().begin_model_source(spec_json); }, false);
}

// desc: 5 uint32 per column — layout (0 none, 1 int64, 2 double, 3 utf8), values pointer (utf8:
// the bytes), utf8 offsets pointer, validity pointer (0: all valid), column type for int64s.
// Events and orders: user, time, event, revenue, order, then properties. Users: user, then attributes.
EMSCRIPTEN_KEEPALIVE int segx_model_append(int handle, size_t n, const uint32_t* desc, int ncols) {
    return guarded(
        [&] {
            auto it = session().pending_model.find(handle);
            if (it == session().pending_model.end())
                throw std::runtime_error("no mapped load in progress with handle " + std::to_string(handle));
            PendingModelSource& p = it->second;
            size_t fixed = p.users ? 1 : 5;
            if (ncols < int(fixed))
                throw std::invalid_argument(p.name + ": a batch needs at least " + std::to_string(fixed) +
                                            " columns");
            std::vector<ValueChunk> rest;
            for (int c = int(fixed); c < ncols; ++c) rest.push_back(chunk_from(desc + 5 * c));
            if (p.users) {
                p.users->append(n, chunk_from(desc), rest);
            } else {
                p.events->append(n, chunk_from(desc), chunk_from(desc + 5), chunk_from(desc + 10),
                                 chunk_from(desc + 15), chunk_from(desc + 20), rest);
            }
            return 0;
        },
        false);
}

EMSCRIPTEN_KEEPALIVE int segx_model_finish(int handle) {
    return guarded([&] {
        session().finish_model_source(handle);
        return 0;
    });
}

EMSCRIPTEN_KEEPALIVE int segx_model_abort(int handle) {
    return guarded([&] {
        session().abort_model_source(handle);
        return 0;
    });
}

// on != 0: no rebuild until the matching release (a load job of web/loads.js); the release
// rebuilds when it can (every source's rows at hand: Session::missing_sources).
EMSCRIPTEN_KEEPALIVE int segx_model_hold(int on) {
    Session& s = session();
    if (on) {
        ++s.model_hold;
        return 0;
    }
    if (s.model_hold > 0) --s.model_hold;
    // The release rebuilds a dirty model; only then does what the page shows change. A job that
    // changed nothing (segx.run waiting for the loads' queue) must not wake the page: its frames,
    // drawn by SwiftShader on the CPU where there is no GPU, would compete with the work that
    // follows (a board answer took twice as long 20 ms after the previous one).
    const uint64_t generation = s.model_generation;
    return guarded(
        [&] {
            after_change();
            if (s.model_generation != generation) request_redraw();
            return 0;
        },
        false);
}

// Before the page streams released sources again for a rebuild (web/source_loader.js
// fillModel): frees the model first (Session::drop_model_for_rebuild). 1 if it did.
EMSCRIPTEN_KEEPALIVE int segx_model_drop() {
    bool dropped = session().drop_model_for_rebuild();
    if (dropped) request_redraw(); // the tabs say why they keep their last results
    return dropped ? 1 : 0;
}

EMSCRIPTEN_KEEPALIVE int segx_model_remove(const char* name) {
    return guarded([&] {
        session().remove_model_source(name);
        return 0;
    });
}

// The as-of time in µs UTC; NaN goes back to the default (the latest event). A time outside
// years 1..9999 (civil.h) is refused, as the model holds none.
EMSCRIPTEN_KEEPALIVE int segx_set_as_of(double us) {
    return guarded([&] {
        if (us != us) {
            session().as_of_override.reset();
        } else {
            if (!(us >= double(kMinTimeUs) && us <= double(kMaxTimeUs)))
                throw std::invalid_argument("as-of: the time must lie in years 1-9999");
            session().as_of_override = int64_t(us);
        }
        return 0;
    });
}

// The as-of time as typed (segx.setAsOf, the Overview's field): read by the core's time parser
// (parse.h, any text format, UTC without a zone), so "2026-02-30" and "0000-01-01" are errors,
// never another day. Empty text goes back to the default.
EMSCRIPTEN_KEEPALIVE int segx_set_as_of_text(const char* text) {
    return guarded([&] {
        std::string_view t = text ? text : "";
        int64_t us = 0;
        if (t.find_first_not_of(" \t\r\n") == std::string_view::npos) {
            session().as_of_override.reset();
        } else if (parse_time_text(t, TimeFormat::Auto, 0, &us)) {
            session().as_of_override = us;
        } else {
            throw std::invalid_argument("as-of: cannot read " + quote(t) + ": " + time_text_problem(t));
        }
        return 0;
    });
}

// The state as JSON: every section, or only `section` ("" for all; "audience", "overview",
// ...). Reads only. The returned pointer stays valid until the next call.
EMSCRIPTEN_KEEPALIVE const char* segx_state_json(const char* section) {
    if (guarded(
            [&] {
                g_json = app_state_json(app(), section ? section : "");
                return 0;
            },
            false) != 0)
        g_json = nlohmann::json({{"error", "state unavailable: " + g_last_error}}).dump();
    return g_json.c_str();
}

// --- the workspace (app/workspace.h): the session owns it; the page only stores its text ---

// Loads the workspace the page stored, at start: {ok} or {ok: false, problem} when the text is
// not a workspace at all (the session then starts with an empty one). Definitions that do not
// read are kept, with their errors (state().saved). Valid until the next call.
EMSCRIPTEN_KEEPALIVE const char* segx_workspace_load(const char* text) {
    std::string problem;
    bool ok = read_workspace(text ? text : "", &session().workspace, &problem);
    request_redraw();
    after_change();
    g_json = nlohmann::json(ok ? nlohmann::json{{"ok", true}}
                               : nlohmann::json{{"ok", false}, {"problem", problem}})
                 .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return g_json.c_str();
}

// The workspace as JSON text: for storage (every definition, read or not), or for a file
// (for_export: {segx, kind, ...}, without the definitions that do not read). Valid until the
// next call.
EMSCRIPTEN_KEEPALIVE const char* segx_workspace_json(int for_export) {
    g_json = workspace_json(session().workspace, for_export != 0);
    return g_json.c_str();
}

// Bumped on every change: the page stores the workspace when it moves (a double: never wraps).
EMSCRIPTEN_KEEPALIVE double segx_workspace_revision() { return double(session().workspace.revision); }

// Merges {mappings, audiences, settings} (an import, a save, a mapping applied, a setting):
// {ok, ids} or {ok: false, errors: [{path, message}]}, and a refused one changes nothing.
EMSCRIPTEN_KEEPALIVE const char* segx_workspace_merge(const char* json_text) {
    MergeResult r = merge_workspace(&session().workspace, json_text ? json_text : "");
    request_redraw();
    after_change();
    nlohmann::json out = {{"ok", r.ok()}};
    if (r.ok()) out["ids"] = r.ids;
    for (const DefinitionError& e : r.errors)
        out["errors"].push_back({{"path", e.path}, {"message", e.message}});
    g_json = out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return g_json.c_str();
}

// Imports a workspace file: like segx_workspace_merge, but a saved definition is never replaced
// (src/app/workspace.h import_workspace): {ok, ids, renamed: [{kind, from, to, name}], unchanged,
// replaced_mappings, replaced_settings} or {ok: false, errors}.
EMSCRIPTEN_KEEPALIVE const char* segx_workspace_import(const char* json_text) {
    ImportResult r = import_workspace(&session().workspace, json_text ? json_text : "");
    request_redraw();
    after_change();
    nlohmann::json out = {{"ok", r.merge.ok()}};
    if (r.merge.ok()) {
        out["ids"] = r.merge.ids;
        out["renamed"] = nlohmann::json::array();
        for (const auto& n : r.renamed)
            out["renamed"].push_back({{"kind", n.kind}, {"from", n.from}, {"to", n.to}, {"name", n.name}});
        out["unchanged"] = r.unchanged;
        out["replaced_mappings"] = r.replaced_mappings;
        out["replaced_settings"] = r.replaced_settings;
    }
    for (const DefinitionError& e : r.merge.errors)
        out["errors"].push_back({{"path", e.path}, {"message", e.message}});
    g_json = out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return g_json.c_str();
}

// Evaluates a definition (JSON text) over the model; the result JSON stays valid until the next call.
EMSCRIPTEN_KEEPALIVE const char* segx_run(const char* definition, int with_members) {
    if (guarded(
            [&] {
                g_json = session().run_json(definition, with_members != 0);
                return 0;
            },
            false) != 0)
        g_json =
            nlohmann::json({{"ok", false}, {"errors", {{{"path", ""}, {"message", g_last_error}}}}}).dump();
    return g_json.c_str();
}

// What opening a definition answers: {ok} or {ok: false, errors: [{path, message}]}.
static std::string opened_answer(const std::vector<DefinitionError>& errors) {
    nlohmann::json out = {{"ok", errors.empty()}};
    if (!errors.empty()) {
        out["errors"] = nlohmann::json::array();
        for (const DefinitionError& e : errors)
            out["errors"].push_back({{"path", e.path}, {"message", e.message}});
    }
    return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

// Opens a definition (JSON text) in the Audiences tab's builder, as an import or a share link
// does; `opened_id` names the saved audience it was being edited as ("" for none). The result
// JSON is {ok} or {ok: false, errors: [{path, message}]}, and a refused one changes nothing.
EMSCRIPTEN_KEEPALIVE const char* segx_audience_open(const char* definition, const char* opened_id) {
    if (guarded([&] {
            std::vector<DefinitionError> errors =
                open_definition(session(), app().audiences, definition, opened_id ? opened_id : "");
            g_json = opened_answer(errors);
            return 0;
        }) != 0)
        g_json =
            nlohmann::json({{"ok", false}, {"errors", {{{"path", ""}, {"message", g_last_error}}}}}).dump();
    return g_json.c_str();
}

// The SQL tab's answers for run `id` (sql/sql_state.h): begin gives a handle for segx_column_add
// and the append calls (0 when the run is no longer wanted: cancelled or replaced), end hands
// over the rows kept and the total, fail DuckDB's message (the page put `line_offset` lines
// before the query).
EMSCRIPTEN_KEEPALIVE int segx_sql_result_begin(double id) {
    return guarded([&] { return sql_begin_result(app().sql, uint64_t(id), session().next_handle++); });
}

EMSCRIPTEN_KEEPALIVE int segx_sql_result_end(int handle, double total_rows, double elapsed_ms) {
    return guarded([&] {
        Table& t = app().sql.receiving;
        if (handle == app().sql.receiving_handle && !t.columns.empty()) t.rows = t.columns[0].size();
        return sql_finish_result(app().sql, handle, size_t(total_rows), elapsed_ms) ? 1 : 0;
    });
}

EMSCRIPTEN_KEEPALIVE int segx_sql_result_fail(double id, const char* message, int line_offset) {
    return guarded([&] { return sql_fail(app().sql, uint64_t(id), message, line_offset) ? 1 : 0; });
}

// Opens a funnel definition (JSON text) in the Funnels tab, as an import, a share link or a
// restored draft does; `opened_id` as for segx_audience_open. {ok} or {ok: false, errors}; a
// refused one changes nothing.
EMSCRIPTEN_KEEPALIVE const char* segx_funnel_open(const char* definition, const char* opened_id) {
    if (guarded([&] {
            std::vector<DefinitionError> errors = open_funnel_definition(
                app().funnels, session(), definition ? definition : "", opened_id ? opened_id : "");
            g_json = opened_answer(errors);
            return 0;
        }) != 0)
        g_json =
            nlohmann::json({{"ok", false}, {"errors", {{{"path", ""}, {"message", g_last_error}}}}}).dump();
    return g_json.c_str();
}

// Compiles a definition to DuckDB SQL ({ok, sql} or {ok:false, errors}); valid until the next call.
EMSCRIPTEN_KEEPALIVE const char* segx_audience_sql(const char* definition) {
    if (guarded(
            [&] {
                g_json = session().audience_sql_json(definition);
                return 0;
            },
            false) != 0)
        g_json =
            nlohmann::json({{"ok", false}, {"errors", {{{"path", ""}, {"message", g_last_error}}}}}).dump();
    return g_json.c_str();
}

// Problems of an audience definition as sentences that name the rule (core/audience/describe.h):
// `errors` is [{path, message}] as the calls above return; the answer is a JSON array of text.
EMSCRIPTEN_KEEPALIVE const char* segx_audience_error_text(const char* definition, const char* errors) {
    apply_language(session());
    if (guarded(
            [&] {
                ValidationResult r = parse_audience(definition ? definition : "");
                nlohmann::json list = nlohmann::json::parse(errors ? errors : "[]");
                nlohmann::json out = nlohmann::json::array();
                for (const nlohmann::json& e : list) {
                    DefinitionError error{e.value("path", std::string()), e.value("message", std::string())};
                    out.push_back(error_text(r.ok() ? &r.audience : nullptr, error, language()));
                }
                g_json = out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
                return 0;
            },
            false) != 0)
        g_json = "[]";
    return g_json.c_str();
}

// Checks a definition without the data: {ok} or {ok: false, errors: [{path, message}]}.
EMSCRIPTEN_KEEPALIVE const char* segx_audience_check(const char* definition) {
    ValidationResult r = parse_audience(definition ? definition : ""); // never throws
    nlohmann::json out = {{"ok", r.ok()}};
    if (!r.ok()) {
        out["errors"] = nlohmann::json::array();
        for (const DefinitionError& e : r.errors)
            out["errors"].push_back({{"path", e.path}, {"message", e.message}});
    }
    g_json = out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return g_json.c_str();
}

// The model serialized (core/model/model_io.h), for evaluating it elsewhere (the native build in
// tests). Writes the byte count to *size_out; the bytes stay valid until the next call. nullptr
// on error (segx_last_error says why).
EMSCRIPTEN_KEEPALIVE const char* segx_model_export(double* size_out) {
    static std::string blob;
    *size_out = 0;
    if (guarded(
            [&] {
                session().rebuild_model_if_dirty();
                blob = serialize_model(session().model);
                *size_out = double(blob.size());
                return 0;
            },
            false) != 0)
        return nullptr;
    return blob.data();
}

// The top of the allocator's heap (sbrk(0)): what malloc has taken from the WebAssembly memory.
// The memory itself grows in steps of a fifth and never shrinks, so a test of reuse over reload
// cycles reads this figure, which moves only when an allocation finds no free room.
EMSCRIPTEN_KEEPALIVE double segx_heap_top() { return double(uintptr_t(sbrk(0))); }

// The bytes malloc has handed out and not had back (dlmalloc's mallinfo().uordblks): with every
// file removed this returns to the same figure each cycle unless something leaks, whatever the
// free lists' fragmentation does to the heap top.
EMSCRIPTEN_KEEPALIVE double segx_heap_in_use() { return double(mallinfo().uordblks); }

// A serialized model (segx_model_export's bytes) in place of the one the loaded files built:
// for timing the WASM core over a model without loading its files again
// (tests/bench/wasm_analyses.mjs); the page never calls it. 0, or -1 (segx_last_error says why).
EMSCRIPTEN_KEEPALIVE int segx_model_import(const char* bytes, double size) {
    return guarded(
        [&] {
            Session& s = session();
            s.model = Model{}; // one model in the heap at a time
            s.model = deserialize_model(std::string_view(bytes, size_t(size)));
            s.overview = compute_overview(s.model);
            s.model_dirty = false;
            ++s.model_generation;
            return 0;
        },
        false);
}

// The SQL contract's table `which` ("users" or "events") written from the model
// (core/sql/contract_tables.h), for "Copy SQL" to run in the page's DuckDB: the CSV bytes of the
// users [first_user, end_user) (*size_out of them, header line first), valid until the next call;
// segx_contract_columns() gives its columns as JSON [[name, DuckDB type], ...] and
// segx_contract_release() frees the text. The page asks slice by slice: the whole table's text
// (~70 B an event) would not fit beside a large model. nullptr on error (segx_last_error says why).
static ContractTable g_contract;
EMSCRIPTEN_KEEPALIVE const char* segx_contract_table(const char* which, double first_user, double end_user,
                                                     double* size_out) {
    *size_out = 0;
    if (guarded(
            [&] {
                session().rebuild_model_if_dirty();
                std::string w = which ? which : "";
                if (w != "users" && w != "events") throw std::runtime_error("no contract table named " + w);
                if (!(first_user >= 0 && end_user >= first_user))
                    throw std::invalid_argument("contract table: the users range is empty or negative");
                const UserRange users{size_t(first_user), size_t(std::min(end_user, 1e15))};
                g_contract = ContractTable{};
                g_contract = w == "users" ? contract_users(session().model, users)
                                          : contract_events(session().model, users);
                *size_out = double(g_contract.csv.size());
                return 0;
            },
            false) != 0)
        return nullptr;
    return g_contract.csv.data();
}

EMSCRIPTEN_KEEPALIVE const char* segx_contract_columns() {
    g_json =
        nlohmann::json(g_contract.columns).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return g_json.c_str();
}

EMSCRIPTEN_KEEPALIVE void segx_contract_release() { g_contract = ContractTable{}; }

// The number of users in the model: the contract tables' slices go up to it.
EMSCRIPTEN_KEEPALIVE double segx_model_users() {
    session().rebuild_model_if_dirty();
    return double(session().model.users.size());
}

// The model's generation: it changes whenever the model is rebuilt.
EMSCRIPTEN_KEEPALIVE double segx_model_generation() { return double(session().model_generation); }

// A cell as the Data panel shows it; for tests that compare exact values.
EMSCRIPTEN_KEEPALIVE const char* segx_cell_text(const char* table, int col, double row) {
    if (guarded(
            [&] {
                const Table* t = session().data.find(table);
                if (!t) throw std::runtime_error(std::string("no table named ") + table);
                if (col < 0 || size_t(col) >= t->columns.size() || row < 0 || size_t(row) >= t->rows)
                    throw std::runtime_error(std::string(table) + ": no cell at column " +
                                             std::to_string(col) + ", row " + std::to_string(size_t(row)));
                g_json = t->columns[size_t(col)].format(size_t(row));
                return 0;
            },
            false) != 0)
        g_json.clear();
    return g_json.c_str();
}

} // extern "C"
