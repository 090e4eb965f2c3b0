#pragma once
// The loaded state of one page (or one Node test): the core dataset plus what the interface
// needs to know about each dropped file. No ImGui here, so the Node build can share it.
#include "core/dataset/dataset.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace segx {

enum class LoadState : uint8_t { Loading, Ready, Failed };
enum class Level : uint8_t { Info, Warning, Error };

// Per-column figures computed once per load, so no frame scans a column.
struct ColumnStats {
    size_t nulls = 0;
    size_t distinct = 0;  // distinct non-null values; strings only (0 for other types)
};
ColumnStats compute_stats(const Column& c);

// One dropped (or bundled demo) file. The table itself lives in Session::data under `name`.
struct SourceFile {
    std::string name;
    double bytes = 0;
    bool demo = false;
    LoadState state = LoadState::Loading;
    float progress = 0.0f;  // 0..1 while loading
    std::string stage;      // "reading", "parsing", "transferring" — shown beside the bar
    std::string error;      // set when state == Failed
    std::vector<ColumnStats> stats;  // per column of the loaded table
};

struct StatusMessage {
    Level level = Level::Info;
    std::string text;
};

struct Session {
    Dataset data;
    std::vector<SourceFile> sources;
    std::vector<StatusMessage> log;  // newest last; the status bar shows the last one
    std::map<int, Table> pending;    // tables being received, by load handle
    int next_handle = 1;
    int selected_source = -1;        // index into sources, for the Data panel

    SourceFile* find_source(const std::string& name);
    void post(Level level, std::string text);

    // A load replaces any earlier source of the same name only when it succeeds, so a failed
    // reload keeps what was there.
    int begin_load(const std::string& name, double bytes, bool demo);
    void finish_load(int handle);            // throws on an inconsistent table; keeps old data
    void fail_load(const std::string& name, const std::string& message);
    void remove_demo();                      // the demo leaves when the user brings own files
    bool has_demo() const;
    bool any_loading() const;

    // Latest timestamp in any loaded table: the default as-of time (DESIGN.md §1).
    std::optional<int64_t> latest_timestamp_us() const;

    std::string state_json() const;          // what window.segx.state() returns
};

const char* load_state_name(LoadState s);
const char* level_name(Level l);

}  // namespace segx
