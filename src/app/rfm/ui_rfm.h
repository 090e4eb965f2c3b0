#pragma once
// The RFM tab (ImGui): the settings (method, monetary, thresholds, reset of the grid), the R×F
// heat map (a click on a cell opens its audience in the Audiences tab), the segment table (a
// click on a row opens the segment's audience), and the R, F and M histograms. State and
// actions: rfm_state.h.
#include "app/ui.h"

namespace segx {

void draw_rfm(App& app, UiState& ui);

} // namespace segx
