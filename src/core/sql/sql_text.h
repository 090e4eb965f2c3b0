#pragma once
// Spelling values and names as DuckDB SQL text. Everything a definition or a data file
// supplies goes through these: a definition is untrusted input (DESIGN §7), so no byte of it
// reaches the SQL unquoted, and nothing in it can end a literal, an identifier or a comment.

#include <cstdint>
#include <string>
#include <string_view>

namespace segx {

// "name" with embedded double quotes doubled. The caller checks sql_text_ok first: DuckDB
// text is UTF-8 and a NUL would cut the statement where C strings carry it.
std::string sql_ident(std::string_view name);

// Valid UTF-8 without NUL bytes: what an identifier or a literal may hold.
bool sql_text_ok(std::string_view s);

// A VARCHAR expression equal to `s`: 'text' with embedded single quotes doubled. Control
// characters (C0, DEL, C1), line and paragraph separators and bidirectional controls are
// spelled chr(n) and concatenated, so the SQL stays one readable line per value and a value
// cannot visually rewrite the statement: 'a' || chr(10) || 'b', in parentheses. Invalid
// UTF-8 bytes become chr(65533) (U+FFFD); callers refuse such values first.
std::string sql_string(std::string_view s);

// A double as a literal that DuckDB reads back as exactly `x`: integers as integers
// (|x| < 2^53), numbers of up to 15 significant digits as decimals ("4.5"), exponent forms as
// DOUBLE literals ("1e+21"), and anything else as CAST('<shortest text>' AS DOUBLE).
std::string sql_double(double x);

// TIMESTAMP '2026-10-31 23:51:45[.ffffff]' for years 0000..9999, else make_timestamp(<µs>).
std::string sql_timestamp(int64_t us);
// DATE '2026-10-31' when `us` is a midnight in years 0000..9999, else sql_timestamp(us).
std::string sql_date_or_timestamp(int64_t us);

// `s` as it may appear inside a `--` comment: in double quotes, escaped as text.h's quote()
// does (so no CR or LF can end the comment early), bidirectional controls and line separators
// escaped too, and cut after max_bytes.
std::string sql_comment_text(std::string_view s, size_t max_bytes = 120);

// `n` spaces (none when n <= 0): the indentation of generated SQL.
std::string sql_pad(int n);

} // namespace segx
