#pragma once
// What lifecycle and the board call "active": doing the activity event (any event when none is
// named). Internal to src/core/lifecycle.

#include "core/lang/error.h"
#include "core/model/model.h"
#include "core/model/user_events.h"

#include <cstdint>
#include <string>
#include <vector>

namespace segx {

struct Activity {
    bool any = true;
    uint32_t code = 0; // the event code when !any

    bool matches(uint32_t event) const { return any || event == code; }
};

constexpr int64_t kNoActivity = INT64_MIN;

// The activity of `event` ("" = any); an unknown name is an error at "event".
bool resolve_activity(const Model& model, const std::string& event, std::vector<DefinitionError>& errors,
                      Activity* out);

// Per user, the time of their first activity at or before `limit` (kNoActivity: none). With the
// per-event-name index, a named event's first times come from its postings.
std::vector<int64_t> first_activity_times(const Model& model, const Activity& activity, int64_t limit);

// A cursor over each user's activity events (user_events.h).
inline UserEvents activity_events(const Model& model, const Activity& activity) {
    return UserEvents(model, activity.any ? UserEvents::kAny : activity.code);
}

} // namespace segx
