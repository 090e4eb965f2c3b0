#pragma once
// The SQL tab's state (no ImGui): the query being written, the one running, its result or
// DuckDB's error with the place it points at, the result's sort order, and the history of
// queries (kept in the workspace, its one owner). DuckDB runs in the page's worker
// (web/sql_tab.js): the tab asks for a run through UiState and the bridge hands the rows back
// (segx_sql_result_*), tagged with the run's id so that a late answer to an older run is dropped.
#include "core/dataset/table.h"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace segx {

struct Workspace;

enum class SqlStatus : uint8_t { Idle, Running, Done, Failed, Cancelled };

// Where DuckDB's error points in the query (1-based; 0: nowhere).
struct SqlErrorPlace {
    int line = 0;
    int column = 0;
};

struct SqlState {
    std::string text =
        "SELECT event, count(*) AS events, count(DISTINCT user_id) AS users\n"
        "FROM events\nGROUP BY event\nORDER BY events DESC";
    SqlStatus status = SqlStatus::Idle;
    uint64_t run_id = 0;  // the run asked for last
    std::string ran_text; // the query of that run, as sent
    double started_ms = 0;

    Table result; // about the first kMaxSqlRows rows (whole batches as DuckDB sends them)
    size_t total_rows = 0;
    double elapsed_ms = 0;
    std::string error; // DuckDB's message, as it reports it
    SqlErrorPlace error_place;

    std::vector<uint32_t> order; // result rows in display order
    int sort_column = -1;        // -1: DuckDB's order
    bool sort_descending = false;

    // The result being received: rows arrive in batches after sql_begin_result.
    int receiving_handle = 0;
    Table receiving;
};

// Rows kept for the table (and "Copy"); the row count and the CSV download cover every row.
constexpr size_t kMaxSqlRows = 100000;
constexpr size_t kMaxSqlHistory = 50;

// Why `sql` is not run, or "" when it may be: one statement that reads (SELECT, WITH, FROM,
// VALUES, TABLE, DESCRIBE, SHOW, SUMMARIZE, PIVOT, UNPIVOT); statements that change the
// database would change the loaded files' tables under the page.
std::string sql_read_only_problem(std::string_view sql);

// The query without comments at its ends and without a final ";".
std::string sql_trimmed(std::string_view sql);

// Starts a run of st.text: returns false (and sets the error) when it may not run. The query
// goes first in the workspace's history (once; at most kMaxSqlHistory).
bool sql_submit(SqlState& st, Workspace& w, double now_ms);
void sql_cancel(SqlState& st);

// The page's answers for run `id` (older runs' answers are ignored: false / 0).
int sql_begin_result(SqlState& st, uint64_t id, int handle); // returns handle, or 0
bool sql_finish_result(SqlState& st, int handle, size_t total_rows, double elapsed_ms);
bool sql_fail(SqlState& st, uint64_t id, std::string message, int line_offset);

// Finds "LINE n:" and its caret in a DuckDB error message and maps it onto `query` (the text
// DuckDB was given, less `line_offset` lines that the page put before it).
SqlErrorPlace sql_error_place(std::string_view message, std::string_view query, int line_offset);

// Sorts the result's rows by a column (nulls last), or back to DuckDB's order (column -1).
void sql_sort(SqlState& st, int column, bool descending);

// The rows kept, in display order, as tab-separated text with a header (for the clipboard).
std::string sql_result_tsv(const SqlState& st);

// What window.segx.state("sql") reports: status, query, columns, the first rows, error and place.
std::string sql_status_name(SqlStatus s);
nlohmann::json sql_state_json(const SqlState& st, const Workspace& w);

} // namespace segx
