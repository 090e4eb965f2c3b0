#include "core/retention/definition.h"

namespace segx {

namespace {

constexpr const char* kModes[] = {"exact", "on_or_after"};

} // namespace

const char* retention_mode_name(RetentionMode mode) { return kModes[size_t(mode)]; }

std::optional<RetentionMode> retention_mode_from_name(std::string_view name) {
    for (size_t i = 0; i < 2; i++)
        if (name == kModes[i]) return RetentionMode(i);
    return std::nullopt;
}

bool operator==(const RetentionStart& a, const RetentionStart& b) {
    return a.attribute == b.attribute && a.name == b.name;
}
bool operator==(const RetentionReturn& a, const RetentionReturn& b) {
    return a.any == b.any && a.event == b.event;
}
bool operator==(const Retention& a, const Retention& b) {
    return a.segx == b.segx && a.id == b.id && a.name == b.name && a.period == b.period &&
           a.start == b.start && a.returns == b.returns && a.mode == b.mode && a.periods == b.periods &&
           a.cohorts == b.cohorts && a.audience == b.audience;
}

} // namespace segx
