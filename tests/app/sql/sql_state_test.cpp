// The SQL tab's state: which queries it runs, DuckDB's error place mapped onto the query, the
// answers of replaced or cancelled runs dropped, sorting, the clipboard text, and the history
// kept in the workspace.
#include "app/sql/sql_state.h"
#include "app/workspace.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace app_sql_sql_state_test {

using namespace segx;

namespace {

// A two-column result as the bridge fills it: name (text), n (int, one null).
void fill_result(SqlState& st, int handle) {
    Table& t = st.receiving;
    t.columns.resize(2);
    t.columns[0].name = "name";
    t.columns[0].type = ColumnType::String;
    t.columns[1].name = "n";
    t.columns[1].type = ColumnType::Int64;
    const char bytes[] = "bananaapplecherry";
    const int32_t offsets[] = {0, 6, 11, 17};
    t.columns[0].append_utf8(offsets, bytes, nullptr, 0, 3);
    const int64_t ns[] = {2, 0, 1};
    const uint8_t valid = 0b101; // the second row's n is null
    t.columns[1].append_int64(ns, &valid, 0, 3);
    t.rows = 3;
    CHECK(sql_finish_result(st, handle, 3, 12.5));
}

} // namespace

TEST_CASE("the SQL tab runs one reading statement and refuses the rest, saying why") {
    CHECK(sql_read_only_problem("SELECT 1") == "");
    CHECK(sql_read_only_problem("  -- count\n  select count(*) from events;  ") == "");
    CHECK(sql_read_only_problem("WITH a AS (SELECT 1) SELECT * FROM a") == "");
    CHECK(sql_read_only_problem("FROM events LIMIT 5") == "");
    CHECK(sql_read_only_problem("(SELECT 1) UNION (SELECT 2)") == "");
    CHECK(sql_read_only_problem("describe users") == "");
    CHECK(sql_read_only_problem("SELECT ';' AS semicolon, \"a;b\" FROM t") == "");
    CHECK(sql_read_only_problem("") == "write a query first");
    CHECK(sql_read_only_problem("  /* nothing */ ") == "write a query first");
    CHECK(sql_read_only_problem("SELECT 1; SELECT 2").find("one statement at a time") == 0);
    std::string drop = sql_read_only_problem("DROP TABLE \"events.csv\"");
    CHECK(drop.find("only reads: \"DROP\" would change the database") != std::string::npos);
    CHECK(sql_read_only_problem("insert into t values (1)").find("\"INSERT\"") != std::string::npos);
    CHECK(sql_read_only_problem("EXPLAIN SELECT 1").find("EXPLAIN is not shown here") == 0);
    CHECK(sql_trimmed("\n -- a comment\nSELECT 1;\n-- trailing\n") == "SELECT 1");
}

TEST_CASE("DuckDB's LINE and caret are mapped onto the query the user wrote") {
    std::string query = "SELECT event,\n  count(*) AS n\nFROM events GROUP BY evnt";
    // The page wraps the query one line down: DuckDB's LINE 4 is the query's line 3.
    std::string message =
        "Binder Error: Referenced column \"evnt\" not found in FROM clause!\n"
        "Candidate bindings: \"event\"\n\nLINE 4: FROM events GROUP BY evnt\n"
        "                             ^";
    SqlErrorPlace p = sql_error_place(message, query, 1);
    CHECK(p.line == 3);
    CHECK(p.column == 22); // 1-based: "evnt" starts at the 22nd character of "FROM events GROUP BY evnt"
    CHECK(query.substr(query.rfind('\n') + 1 + 21) == "evnt");

    // A long line is shown cut, with "..." before the window DuckDB shows.
    std::string long_line = "SELECT " + std::string(200, 'a') + " + nope FROM t";
    std::string shown = "..." + long_line.substr(150, 70) + "...";
    size_t caret = std::string("LINE 2: ").size() + 3 + (long_line.find("nope") - 150);
    std::string cut = "Binder Error: x\n\nLINE 2: " + shown + "\n" + std::string(caret, ' ') + "^";
    SqlErrorPlace q = sql_error_place(cut, long_line, 1);
    CHECK(q.line == 1);
    CHECK(q.column == int(long_line.find("nope")) + 1);

    CHECK(sql_error_place("Catalog Error: Table with name nope does not exist!", query, 1).line == 0);
}

TEST_CASE("a run's answer lands only while it is the run asked for last") {
    SqlState st;
    Workspace w;
    st.text = "SELECT name, n FROM t";
    REQUIRE(sql_submit(st, w, 0));
    uint64_t first = st.run_id;
    CHECK(st.status == SqlStatus::Running);
    // A second Run replaces the first: its answer is dropped.
    st.text = "SELECT name, n FROM t ORDER BY name";
    REQUIRE(sql_submit(st, w, 1));
    CHECK(sql_begin_result(st, first, 7) == 0);
    CHECK_FALSE(sql_fail(st, first, "late", 1));
    int h = sql_begin_result(st, st.run_id, 8);
    REQUIRE(h == 8);
    fill_result(st, h);
    CHECK(st.status == SqlStatus::Done);
    CHECK(st.total_rows == 3);
    CHECK(st.result.rows == 3);

    // Cancel: the run's late rows are dropped and the earlier result stays.
    REQUIRE(sql_submit(st, w, 2));
    uint64_t cancelled = st.run_id;
    sql_cancel(st);
    CHECK(st.status == SqlStatus::Cancelled);
    CHECK(sql_begin_result(st, cancelled, 9) == 0);
    CHECK(st.result.rows == 3);

    // A refused query never reaches DuckDB, and is not in the history.
    st.text = "DELETE FROM t";
    CHECK_FALSE(sql_submit(st, w, 3));
    CHECK(st.status == SqlStatus::Failed);
    CHECK(st.error.find("\"DELETE\"") != std::string::npos);
    CHECK(w.sql_history ==
          std::vector<std::string>{"SELECT name, n FROM t ORDER BY name", "SELECT name, n FROM t"});
}

TEST_CASE("sorting orders rows by a column, nulls last, and back to DuckDB's order") {
    SqlState st;
    Workspace w;
    st.text = "SELECT 1";
    REQUIRE(sql_submit(st, w, 0));
    fill_result(st, sql_begin_result(st, st.run_id, 5));
    CHECK(sql_result_tsv(st) == "name\tn\nbanana\t2\napple\t\ncherry\t1\n");
    sql_sort(st, 0, false);
    CHECK(st.order == std::vector<uint32_t>{1, 0, 2});
    sql_sort(st, 1, false);
    CHECK(st.order == std::vector<uint32_t>{2, 0, 1});
    sql_sort(st, 1, true);
    CHECK(st.order == std::vector<uint32_t>{0, 2, 1});
    CHECK(sql_result_tsv(st) == "name\tn\nbanana\t2\ncherry\t1\napple\t\n");
    sql_sort(st, -1, false);
    CHECK(st.order == std::vector<uint32_t>{0, 1, 2});
}

TEST_CASE("the history lives in the workspace: newest first, once each, stored but not exported") {
    Workspace w;
    SqlState st;
    for (int i = 0; i < 60; ++i) {
        st.text = "SELECT " + std::to_string(i % 55);
        sql_submit(st, w, 0);
    }
    CHECK(w.sql_history.size() == kMaxSqlHistory);
    CHECK(w.sql_history.front() == "SELECT 4");
    std::string stored = workspace_json(w);
    Workspace back;
    std::string problem;
    REQUIRE(read_workspace(stored, &back, &problem));
    CHECK(back.sql_history == w.sql_history);
    CHECK(workspace_json(w, true).find("sql_history") == std::string::npos);
}

} // namespace app_sql_sql_state_test
