#pragma once
// The SQL tab (ImGui): a query editor over the page's DuckDB (the mapped `users` and `events`
// views and each file's own table), Run (Ctrl+Enter) and Cancel, the history, DuckDB's error
// with the place it points at, and the result as a sortable table with Copy and Download CSV.
// State and actions: sql_state.h; DuckDB runs in the page (web/sql_tab.js).
#include "app/ui.h"

namespace segx {

void draw_sql(App& app, UiState& ui);

// Puts `sql` in the SQL tab's editor and brings the tab to the front ("Open in SQL tab").
void open_in_sql_tab(App& app, UiState& ui, const std::string& sql);

} // namespace segx
