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
    const EventStore& s = model.events;
    const size_t users = model.users.size();
    std::vector<int64_t> out(users, kNoActivity);
    if (activity.any) {
        for (size_t u = 0; u < users; u++)
            if (s.offsets[u] < s.offsets[u + 1] && s.time[s.offsets[u]] <= limit)
                out[u] = s.time[s.offsets[u]];
        return out;
    }
    if (model.event_index.fits(s)) {
        // Postings are in CSR order: a user's first posting is their earliest.
        const EventIndex& ix = model.event_index;
        size_t u = 0;
        for (size_t k = ix.first(activity.code), end = k + ix.count(activity.code); k < end; k++) {
            const uint32_t row = ix.rows[k];
            while (s.offsets[u + 1] <= row) u++;
            if (out[u] == kNoActivity && s.time[row] <= limit) out[u] = s.time[row];
        }
        return out;
    }
    for (size_t u = 0; u < users; u++)
        for (uint64_t i = s.offsets[u]; i < s.offsets[u + 1] && s.time[i] <= limit; i++)
            if (s.event[i] == activity.code) {
                out[u] = s.time[i];
                break;
            }
    return out;
}

} // namespace segx
