#pragma once
// The loaded state of one page (or one Node test): the core dataset plus what the interface
// needs to know about each dropped file. No ImGui here, so the Node build can share it.
#include "app/mapping.h"
#include "app/workspace.h"
#include "core/audience/audience_cache.h"
#include "core/dataset/dataset.h"
#include "core/model/model.h"
#include "core/model/overview.h"
#include "core/rfm/cache.h"
#include "core/text/language.h"

#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace segx {

enum class LoadState : uint8_t { Loading, Ready, Failed };
enum class Level : uint8_t { Info, Warning, Error };

// Per-column figures of a whole file, computed by DuckDB (web/source_loader.js columnStats)
// when the Data panel first shows the file's columns (not during the load), so no frame scans a
// column.
struct ColumnStats {
    size_t nulls = 0;
    size_t distinct = 0; // distinct non-null values
};

// One dropped (or bundled demo) file. The table itself lives in Session::data under `name`.
struct SourceFile {
    std::string name;
    double bytes = 0;
    bool demo = false;
    LoadState state = LoadState::Loading;
    float progress = 0.0f;          // 0..1 while loading
    std::string stage;              // "reading", "parsing", "transferring" — shown beside the bar
    double rows_per_second = 0;     // the stage's pace while rows stream (0: not known)
    std::string error;              // set when state == Failed
    std::vector<ColumnStats> stats; // per column of the file (from DuckDB), once asked for
    bool stats_requested = false;   // the Data panel asked the page for them since the load
    bool stats_exact = true;        // false: distinct counts are estimates (large files)
    std::string format;             // csv, tsv, parquet, json, jsonl
    std::string encoding;           // as read: detected, or chosen by the user
    std::string encoding_note;      // why that encoding, when it is not plain UTF-8
    double total_rows = 0;          // rows in the file; the preview table holds the first ones

    Mapping mapping;                           // as being edited in the mapping panel
    Mapping applied;                           // what the model was last built with
    std::vector<std::string> mapping_problems; // from validation, with JSON paths
    Table mapped_preview;                      // the first rows of the mapping's projection
    bool preview_requested = false;            // asked JS for mapped_preview since the last load
    // What re-streams the file's mapped rows from DuckDB once its source was released (JSON
    // {mapping, columns}, as applyMapping last applied them: web/source_loader.js fillModel).
    std::string restream_json;
};

struct StatusMessage {
    Level level = Level::Info;
    std::string text;
};

// Where a pending table goes when its load finishes.
enum class TableTarget : uint8_t { Raw, MappedPreview };

struct PendingTable {
    Table table;
    TableTarget target = TableTarget::Raw;
};

// A mapped source being received, by load handle.
struct PendingModelSource {
    std::string name;
    std::unique_ptr<EventSourceBuilder> events; // one of the two
    std::unique_ptr<UserSourceBuilder> users;
    bool restream = false; // a released source's rows again (fillModel): it keeps its place
};

// What this browser keeps of the loaded files (web/kept_data.js tells the session).
struct KeptData {
    bool kept = false;     // the loaded files are stored in this browser
    bool restored = false; // they came back from there when the page opened
    double bytes = 0;
    int files = 0;
};

struct Session {
    Dataset data; // per file: the first rows, for the Data panel
    std::vector<SourceFile> sources;
    std::vector<StatusMessage> log;      // newest last; the status bar shows the last one
    std::map<int, PendingTable> pending; // tables being received, by load handle
    std::map<int, PendingModelSource> pending_model;

    // The model (DESIGN §2) is rebuilt from these whenever one changes. With release_sources
    // (the page and the Node build: src/web/bridge.cpp), a source's rows are dropped once the
    // model is built, leaving a shell (name, spec, rejects, detected time format); a rebuild
    // then waits until the page has streamed every shell's rows again from DuckDB
    // (missing_sources(); web/source_loader.js fillModel). The native tests keep them.
    std::vector<UserSource> user_sources;
    std::vector<EventSource> event_sources;
    bool release_sources = false;
    std::set<std::string> released; // names of sources that are shells now
    // While > 0 (a load job of web/loads.js in progress), the model is not rebuilt: a job that
    // loads several files, or removes one, rebuilds once at its end, streaming shells once.
    int model_hold = 0;
    Model model;
    // True from drop_model_for_rebuild to the rebuild: the model is empty while the page streams
    // the other files' rows again, so that the heap never holds the old model beside the rows
    // the new one is built from. The overview keeps the old figures, and the tabs their last
    // answers, without evaluating (update_app).
    bool rebuilding = false;
    Overview overview;
    std::set<std::string> reported_duplicates; // "file\nsame as": files loaded twice, said once
    bool model_dirty = false;
    // The attributes from events the model was derived with (workspace settings): another list
    // re-derives them at the next rebuild_model_if_dirty, without rebuilding the rest.
    std::vector<DerivedSpec> derived_applied;
    bool auto_derived_applied = true;
    std::set<std::string> reported_derived; // problems with them, said once
    uint64_t model_generation = 0;          // bumped on every rebuild: cached audience results expire
    AudienceCache audience_cache;
    Workspace workspace;                   // saved definitions, mappings, settings (the one owner)
    std::optional<int64_t> as_of_override; // set in the interface; default: the latest event
    KeptData kept;
    std::string browser_language; // navigator.language, given by the page at start ("zh-CN", "en-GB", ...)
    int next_handle = 1;
    int selected_source = -1; // index into sources, for the Data panel

    SourceFile* find_source(const std::string& name);
    void post(Level level, std::string text);

    // A load replaces any earlier source of the same name only when it succeeds, so a failed
    // reload keeps what was there.
    int begin_load(const std::string& name, double bytes, bool demo);
    int begin_mapped_preview(const std::string& name);
    void finish_load(int handle); // throws on an inconsistent table; keeps old data
    void mark_ready(const std::string& name, const std::string& message);
    void fail_load(const std::string& name, const std::string& message);
    // Drops a load's pending tables without a word: the load starts again (a big CSV whose
    // bytes past its head were not what the head promised: web/csv_head.js).
    void abandon_load(const std::string& name);
    void remove_source(const std::string& name);
    void remove_demo(); // the demo leaves when the user brings own files
    bool has_demo() const;
    bool any_loading() const;

    // Mapped sources: a finished one replaces any earlier source of the same file name.
    int begin_model_source(const std::string& spec_json);
    void finish_model_source(int handle);
    void abort_model_source(int handle);
    void remove_model_source(const std::string& name);
    void rebuild_model_if_dirty();
    // Frees the model when its rebuild must stream released sources again (missing_sources
    // not empty), before they stream; the model's generation moves on, so that no cache or
    // job keeps reading the old one. Returns whether it did.
    bool drop_model_for_rebuild();
    // Sources whose rows a rebuild needs and that are shells: empty unless the model is dirty.
    std::vector<std::string> missing_sources() const;
    void release_source_rows(); // every source becomes a shell (after a build)
    // Appends the workspace's attributes from events to the model (core/model/derived.h) and
    // says, once each, the ones left out.
    void derive_model_attributes();
    const RejectLog* rejects_of(const std::string& name) const;

    // The model's user indices ordered by id text (core/rfm/engine.h users_by_id_text), kept per
    // model generation: RFM's quantile scores sort ids once per model, not on every run. Filled
    // on first use (a cache, hence mutable).
    const std::vector<uint32_t>* users_by_id() const;
    mutable std::vector<uint32_t> users_by_id_cache;
    mutable uint64_t users_by_id_generation = UINT64_MAX;
    // RFM's customers, M and scorings kept between runs (core/rfm/cache.h), keyed by the model
    // and its generation: a settings edit in the RFM tab redoes only what it changes.
    mutable RfmCache rfm_cache;

    // Idle work after a rebuild, for the page's frames (the Node build and the tests never call
    // it): one more event name's part of the event index's funnel data, within the index's
    // budget and evicting nothing: every name's per-user starts (most events first), then their
    // times beside the postings (fewest events first, to cover the most names)
    // (EventIndex::warm_user_starts, warm_posting_times), so that a
    // funnel's first use of a name builds neither (~15-20 ms and ~5-10 ms a name at 1M users).
    // Then the funnel engine's code, one mode a step over a sample of the users, each mode
    // three times (a browser compiles a WebAssembly function on its first call and optimises
    // it only after it has run a while, in the background, for its next call: at 1M users a
    // mode's first sample run took 5-9 ms, its second at times as long, its third 2.5-4 ms, as
    // fast as later ones; so one run per mode left the first funnel asked for unoptimised).
    // False when none is left to do.
    bool warm_index_step();
    bool warm_index_pending() const;          // a step would build something (or find out there is nothing)
    uint64_t warmed_generation = UINT64_MAX;  // the model generation warm_order is for
    std::vector<uint32_t> warm_order;         // codes still to warm, the next one last
    bool warm_times = false;                  // warm_order is for times (the starts are done)
    static constexpr int kWarmEngineRuns = 9; // the three modes in turn, three times each
    int warm_engine_runs = 0;                 // warm runs so far
    void warm_engine_run(int run);

    // The as-of time of every analysis: the override, else the latest event (DESIGN.md §1).
    std::optional<int64_t> as_of_us() const;

    // Evaluates a definition given as JSON text (window.segx.run); returns the result as JSON.
    std::string run_json(std::string_view definition, bool with_members);
    std::string audience_sql_json(
        std::string_view definition); // {ok, sql} or {ok:false, errors} (session_sql.cpp)
    // The context every audience evaluation of this session uses (as-of, the workspace's audiences).
    EvalContext eval_context() const;
    // What window.segx.state() reports of the session: every section, or only `section`
    // ("sources", "overview", "as_of", "saved", "messages", ...). Reads only: the model is
    // rebuilt where a source changes (the bridge calls), never here. The tabs add theirs
    // (app_state.h).
    nlohmann::json state(std::string_view section = {}) const;
};

// The interface language: the workspace's choice, else the browser's when it is one we have,
// else English. apply_language() makes it the active one (i18n set_language).
Language effective_language(const Session& session);
void apply_language(const Session& session);

const char* load_state_name(LoadState s);
const char* level_name(Level l);

} // namespace segx
