#pragma once
// The Funnels tab (ImGui): the builder of the draft funnel, its step chart (a click on a bar
// opens the step's audience in the Audiences tab), the breakdown table, the time-to-convert
// histogram, and the saved funnels in the left rail. State and actions: funnel_state.h.
#include "app/ui.h"

namespace segx {

void draw_funnels(App& app, UiState& ui);
void draw_funnel_rail(Session& session, FunnelState& st, UiState& ui);

// "45 s", "12.5 min", "3.2 h", "1.5 d": a duration in seconds, short.
std::string format_seconds(double seconds);

} // namespace segx
