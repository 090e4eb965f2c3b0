#include "core/lifecycle/activity.h"

#include "core/lang/names.h"

namespace segx {

bool resolve_activity(const Model& model, const std::string& event, std::vector<DefinitionError>& errors,
                      Activity* out) {
    *out = Activity{};
    if (event.empty()) return true;
    std::optional<uint32_t> code = model.event_names.find(event);
    if (!code) {
        errors.push_back({"event", unknown_event(event, model.event_names)});
        return false;
    }
    out->any = false;
    out->code = *code;
    return true;
}

std::vector<int64_t> first_activity_times(const Model& model, const Activity& activity, int64_t limit) {
    const size_t users = model.users.size();
    std::vector<int64_t> out(users, kNoActivity);
    UserEvents events = activity_events(model, activity);
    for (size_t u = 0; u < users; u++) {
        events.seek(u);
        if (events.count() > 0 && events.time(0) <= limit) out[u] = events.time(0);
    }
    return out;
}

} // namespace segx
