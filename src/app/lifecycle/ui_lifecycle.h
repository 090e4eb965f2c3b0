#pragma once
// The Lifecycle tab (ImGui): the settings, the stacked stage bars per period (a click on a
// segment opens that stage as an audience) and the 9-metric board below (a click on a group
// opens it). State: lifecycle_state.h.
#include "app/ui.h"

namespace segx {

void draw_lifecycle(App& app, UiState& ui);

} // namespace segx
