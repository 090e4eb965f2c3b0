#pragma once
// The Retention tab (ImGui): the settings (period, start and return events, mode, periods), the
// cohort triangle as a heat-map table and the mean curve. State: retention_state.h.
#include "app/ui.h"

namespace segx {

void draw_retention(App& app, UiState& ui);
// The saved retentions in the left rail (open, rename, duplicate, delete with undo).
void draw_retention_rail(Session& session, RetentionState& st, UiState& ui);

} // namespace segx
