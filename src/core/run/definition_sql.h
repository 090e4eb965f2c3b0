#pragma once
// "Compile a definition to SQL": the one entry that reads any definition's JSON, dispatches on
// its kind as run_definition does, and compiles it to one DuckDB statement over the tables of
// src/core/sql/audience_sql.h (audiences: the members; funnels: the per-step users,
// funnel_sql.h; RFM: every customer's scores and segment, rfm_sql.h; retention: the triangle's
// cells, retention_sql.h; lifecycle and the board: lifecycle_sql.h). For "Copy SQL", the
// bridge's segx_audience_sql (JS bridge.sql) and the tests.
//
// Answers {"ok": true, "kind", "sql"} or {"ok": false, "errors": [{"path", "message"}, ...]}.

#include "core/run/run.h"

#include <nlohmann/json.hpp>

#include <string_view>

namespace segx {

nlohmann::json definition_sql(const RunContext& ctx, const nlohmann::json& document);
// Parses `text` (lang/json_text.h: untrusted, depth-limited) first.
nlohmann::json definition_sql(const RunContext& ctx, std::string_view text);

} // namespace segx
