#include "app/sql/sql_state.h"

#include "app/i18n/i18n.h"
#include "app/workspace.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <numeric>

namespace segx {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// Skips white space and comments from `i`; returns the next position.
size_t skip_blank(std::string_view s, size_t i) {
    for (;;) {
        while (i < s.size() && is_space(s[i])) ++i;
        if (s.substr(i, 2) == "--") {
            size_t nl = s.find('\n', i);
            i = nl == std::string_view::npos ? s.size() : nl + 1;
        } else if (s.substr(i, 2) == "/*") {
            size_t end = s.find("*/", i + 2);
            i = end == std::string_view::npos ? s.size() : end + 2;
        } else {
            return i;
        }
    }
}

// Positions of the ";" that end statements, outside quotes and comments.
std::vector<size_t> statement_ends(std::string_view s) {
    std::vector<size_t> ends;
    for (size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (c == '\'' || c == '"') {
            size_t j = i + 1;
            while (j < s.size() && !(s[j] == c && (j + 1 >= s.size() || s[j + 1] != c)))
                j += s[j] == c ? 2 : 1;
            i = j;
        } else if (s.substr(i, 2) == "--" || s.substr(i, 2) == "/*") {
            i = skip_blank(s, i) - 1;
        } else if (c == ';') {
            ends.push_back(i);
        }
    }
    return ends;
}

std::string upper_word(std::string_view s, size_t i) {
    std::string w;
    while (i < s.size() && (std::isalpha(static_cast<unsigned char>(s[i])) || s[i] == '_'))
        w += char(std::toupper(static_cast<unsigned char>(s[i++])));
    return w;
}

// The keywords a reading statement starts with; "(" starts a parenthesised query.
const char* const kReadingKeywords[] = {"SELECT",    "WITH", "FROM",  "VALUES",  "TABLE",  "DESCRIBE",
                                        "SUMMARIZE", "SHOW", "PIVOT", "UNPIVOT", "EXPLAIN"};

} // namespace

std::string sql_trimmed(std::string_view sql) {
    size_t begin = skip_blank(sql, 0);
    std::string_view rest = sql.substr(begin);
    // Drop what follows the last statement: blanks, comments and a final ";".
    std::vector<size_t> ends = statement_ends(rest);
    size_t end = rest.size();
    if (!ends.empty() && skip_blank(rest, ends.back() + 1) == rest.size()) end = ends.back();
    while (end > 0 && is_space(rest[end - 1])) --end;
    return std::string(rest.substr(0, end));
}

std::string sql_read_only_problem(std::string_view sql) {
    std::string q = sql_trimmed(sql);
    if (q.empty()) return tr(S::sql_problem_empty);
    if (!statement_ends(q).empty()) return tr(S::sql_problem_one_statement);
    if (q[0] == '(') return "";
    std::string word = upper_word(q, 0);
    if (word == "EXPLAIN") return trf(S::sql_problem_explain, {"EXPLAIN"});
    for (const char* k : kReadingKeywords)
        if (word == k) return "";
    return trf(S::sql_problem_read_only, {word.empty() ? q.substr(0, 1) : word,
                                          "SELECT, WITH, FROM, VALUES, DESCRIBE, SHOW", "SUMMARIZE"});
}

bool sql_submit(SqlState& st, Workspace& w, double now_ms) {
    std::string problem = sql_read_only_problem(st.text);
    st.run_id += 1; // an answer to any earlier run is dropped from now on
    st.ran_text = sql_trimmed(st.text);
    st.receiving_handle = 0;
    st.receiving = {};
    if (!problem.empty()) {
        st.status = SqlStatus::Failed;
        st.error = problem;
        st.error_place = {};
        return false;
    }
    st.status = SqlStatus::Running;
    st.started_ms = now_ms;
    st.error.clear();
    st.error_place = {};
    auto& h = w.sql_history;
    h.erase(std::remove(h.begin(), h.end(), st.ran_text), h.end());
    h.insert(h.begin(), st.ran_text);
    if (h.size() > kMaxSqlHistory) h.resize(kMaxSqlHistory);
    ++w.revision;
    return true;
}

void sql_cancel(SqlState& st) {
    if (st.status != SqlStatus::Running) return;
    st.run_id += 1;
    st.status = SqlStatus::Cancelled;
    st.receiving_handle = 0;
    st.receiving = {};
}

int sql_begin_result(SqlState& st, uint64_t id, int handle) {
    if (id != st.run_id || st.status != SqlStatus::Running) return 0;
    st.receiving_handle = handle;
    st.receiving = {};
    st.receiving.name = "SQL result";
    return handle;
}

bool sql_finish_result(SqlState& st, int handle, size_t total_rows, double elapsed_ms) {
    if (handle == 0 || handle != st.receiving_handle) return false;
    check_consistent(st.receiving); // throws naming the column; the earlier result stays
    st.result = std::move(st.receiving);
    st.receiving = {};
    st.receiving_handle = 0;
    st.total_rows = total_rows;
    st.elapsed_ms = elapsed_ms;
    st.status = SqlStatus::Done;
    st.order.resize(st.result.rows);
    std::iota(st.order.begin(), st.order.end(), 0u);
    st.sort_column = -1;
    st.sort_descending = false;
    return true;
}

bool sql_fail(SqlState& st, uint64_t id, std::string message, int line_offset) {
    if (id != st.run_id || st.status != SqlStatus::Running) return false;
    st.status = SqlStatus::Failed;
    st.error_place = sql_error_place(message, st.ran_text, line_offset);
    st.error = std::move(message);
    st.receiving_handle = 0;
    st.receiving = {};
    return true;
}

SqlErrorPlace sql_error_place(std::string_view message, std::string_view query, int line_offset) {
    size_t at = message.rfind("LINE ");
    if (at == std::string_view::npos) return {};
    size_t colon = message.find(':', at);
    size_t eol = message.find('\n', at);
    if (colon == std::string_view::npos || eol == std::string_view::npos || colon > eol) return {};
    int line = std::atoi(std::string(message.substr(at + 5, colon - at - 5)).c_str()) - line_offset;
    size_t caret_line_end = message.find('\n', eol + 1);
    std::string_view caret_line =
        message.substr(eol + 1, caret_line_end == std::string_view::npos ? std::string_view::npos
                                                                         : caret_line_end - eol - 1);
    size_t caret = caret_line.find('^');
    if (line < 1 || caret == std::string_view::npos) return {};
    // The shown line is "LINE n: " + a window of the query line ("..." marks a cut start).
    size_t text_start = colon + 2 - at;
    if (caret < text_start) return {};
    std::string_view shown = message.substr(colon + 2, eol - colon - 2);
    size_t into_shown = caret - text_start;
    // The query's line `line`.
    size_t begin = 0;
    for (int l = 1; l < line; ++l) {
        size_t nl = query.find('\n', begin);
        if (nl == std::string_view::npos) return {};
        begin = nl + 1;
    }
    size_t end = query.find('\n', begin);
    std::string_view text =
        query.substr(begin, end == std::string_view::npos ? std::string_view::npos : end - begin);
    size_t cut = 0;
    if (shown.substr(0, 3) == "...") shown.remove_prefix(3), cut = 3;
    if (shown.size() >= 3 && shown.substr(shown.size() - 3) == "...") shown.remove_suffix(3);
    size_t found = text.find(shown);
    if (found == std::string_view::npos || into_shown < cut) return {line, 0};
    return {line, int(found + into_shown - cut) + 1};
}

void sql_sort(SqlState& st, int column, bool descending) {
    std::iota(st.order.begin(), st.order.end(), 0u);
    st.sort_column = column;
    st.sort_descending = descending;
    if (column < 0 || size_t(column) >= st.result.columns.size()) {
        st.sort_column = -1;
        return;
    }
    const Column& c = st.result.columns[size_t(column)];
    // a < b in the column's own order (numbers as numbers, text as bytes).
    auto below = [&](uint32_t a, uint32_t b) {
        if (c.type == ColumnType::Double) return c.doubles[a] < c.doubles[b];
        if (c.type == ColumnType::String) return c.dict.at(c.codes[a]) < c.dict.at(c.codes[b]);
        return c.ints[a] < c.ints[b];
    };
    auto less = [&](uint32_t a, uint32_t b) {
        bool na = c.is_null(a), nb = c.is_null(b);
        if (na || nb) return !na && nb; // nulls last either way
        return descending ? below(b, a) : below(a, b);
    };
    std::stable_sort(st.order.begin(), st.order.end(), less);
}

std::string sql_result_tsv(const SqlState& st) {
    const Table& t = st.result;
    auto clean = [](std::string s) {
        for (char& ch : s)
            if (ch == '\t' || ch == '\n' || ch == '\r') ch = ' ';
        return s;
    };
    std::string out;
    for (size_t c = 0; c < t.columns.size(); ++c) out += (c ? "\t" : "") + clean(t.columns[c].name);
    out += '\n';
    for (uint32_t r : st.order) {
        for (size_t c = 0; c < t.columns.size(); ++c) {
            if (c) out += '\t';
            if (!t.columns[c].is_null(r)) out += clean(t.columns[c].format(r));
        }
        out += '\n';
    }
    return out;
}

std::string sql_status_name(SqlStatus s) {
    switch (s) {
        case SqlStatus::Idle:
            return "idle";
        case SqlStatus::Running:
            return "running";
        case SqlStatus::Done:
            return "done";
        case SqlStatus::Failed:
            return "failed";
        case SqlStatus::Cancelled:
            return "cancelled";
    }
    return "idle";
}

nlohmann::json sql_state_json(const SqlState& st, const Workspace& w) {
    using nlohmann::json;
    json columns = json::array();
    for (const Column& c : st.result.columns)
        columns.push_back({{"name", c.name}, {"type", type_name(c.type)}});
    // The first rows in display order, as the table shows them (null: null).
    json rows = json::array();
    for (size_t i = 0; i < st.order.size() && i < 20; ++i) {
        json row = json::array();
        for (const Column& c : st.result.columns)
            row.push_back(c.is_null(st.order[i]) ? json(nullptr) : json(c.format(st.order[i])));
        rows.push_back(std::move(row));
    }
    return {{"status", sql_status_name(st.status)},
            {"text", st.text},
            {"ran", st.ran_text},
            {"run_id", st.run_id},
            {"columns", std::move(columns)},
            {"rows", std::move(rows)},
            {"kept_rows", st.result.rows},
            {"total_rows", st.total_rows},
            {"elapsed_ms", st.elapsed_ms},
            {"sort_column", st.sort_column},
            {"sort_descending", st.sort_descending},
            {"error", st.error},
            {"error_line", st.error_place.line},
            {"error_column", st.error_place.column},
            {"history", w.sql_history}};
}

} // namespace segx
