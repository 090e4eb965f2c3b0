#include "app/app_state.h"

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace segx {

void update_app(App& app, double budget_ms) {
    app.session.rebuild_model_if_dirty();
    // While the other files stream again after a change the model is empty: the tabs keep their
    // last answers until it is rebuilt, rather than answering for no data.
    if (app.session.rebuilding) return;
    update_audience(app.session, app.audiences, budget_ms);
    update_funnel(app.session, app.funnels, budget_ms);
    update_retention(app.session, app.retention, budget_ms);
    update_lifecycle(app.session, app.lifecycle, budget_ms);
    update_rfm(app.session, app.rfm, budget_ms);
}

bool app_busy(const App& app) {
    if (app.session.rebuilding)
        return app.sql.status == SqlStatus::Running; // nothing to do until the rebuild
    return evaluation_pending(app.session, app.audiences) || funnel_pending(app.session, app.funnels) ||
           retention_pending(app.session, app.retention) || lifecycle_pending(app.session, app.lifecycle) ||
           rfm_pending(app.session, app.rfm) ||
           app.sql.status == SqlStatus::Running; // its clock ticks while DuckDB works
}

std::string app_state_json(const App& app, std::string_view section) {
    using nlohmann::json;
    json out = app.session.state(section);
    if (section.empty() || section == "audience")
        out["audience"] = audience_state_json(app.session, app.audiences);
    if (section.empty() || section == "funnel") out["funnel"] = funnel_state_json(app.session, app.funnels);
    if (section.empty() || section == "retention")
        out["retention"] = retention_state_json(app.session, app.retention);
    if (section.empty() || section == "lifecycle")
        out["lifecycle"] = lifecycle_state_json(app.session, app.lifecycle);
    if (section.empty() || section == "rfm") out["rfm"] = rfm_state_json(app.session, app.rfm);
    if (section.empty() || section == "sql") out["sql"] = sql_state_json(app.sql, app.session.workspace);
    if (!section.empty()) {
        auto it = out.find(std::string(section));
        if (it == out.end())
            throw std::invalid_argument("no state section named \"" + std::string(section) + "\"");
        out = std::move(*it);
    }
    // Invalid UTF-8 in a file name must not make the whole state unreadable.
    return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

} // namespace segx
