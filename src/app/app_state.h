#pragma once
// The app: the session (loads, the model, the workspace) and the state of each tab. A tab is a
// folder of src/app (its state without ImGui beside its panels) and one member here; the
// session knows no tab. No ImGui here either: the Node build and the native tests use it.
#include "app/audiences/audience_state.h"
#include "app/funnels/funnel_state.h"
#include "app/lifecycle/lifecycle_state.h"
#include "app/retention/retention_state.h"
#include "app/rfm/rfm_state.h"
#include "app/session.h"
#include "app/sql/sql_state.h"

#include <string>
#include <string_view>

namespace segx {

struct App {
    // Tabs start in their default state; a constructor (not aggregate initialisation) so that
    // adding a tab changes no caller.
    explicit App(Session& s) : session(s) {}

    Session& session;
    AudienceState audiences; // the Audiences tab (audiences/)
    FunnelState funnels;     // the Funnels tab (funnels/)
    // The Retention tab (retention/), the Lifecycle tab and its 9-metric board (lifecycle/).
    RetentionState retention;
    LifecycleState lifecycle;
    RfmState rfm; // the RFM tab (rfm/)
    SqlState sql; // the SQL tab (sql/)
};

// Brings what the tabs show up to date with the session: the model when a source changed, and
// each tab's evaluation, working for about `budget_ms` (the page: a slice of each frame;
// Node and tests: kNoBudget). Cheap when nothing changed.
void update_app(App& app, double budget_ms);

// True while some tab's work is unfinished: the page keeps drawing frames to finish it.
bool app_busy(const App& app);

// What window.segx.state(section) returns: every section, or only the one named ("audience",
// "funnel", "rfm", "retention", "lifecycle", "sql", "overview", "sources", ...), as JSON text. Reads only
// (no rebuild, no evaluation); throws std::invalid_argument for an unknown section.
std::string app_state_json(const App& app, std::string_view section = {});

} // namespace segx
