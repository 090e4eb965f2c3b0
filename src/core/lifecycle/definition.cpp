#include "core/lifecycle/definition.h"

namespace segx {

bool operator==(const Lifecycle& a, const Lifecycle& b) {
    return a.segx == b.segx && a.id == b.id && a.name == b.name && a.period == b.period &&
           a.event == b.event && a.periods == b.periods && a.audience == b.audience;
}

bool operator==(const Board& a, const Board& b) {
    return a.segx == b.segx && a.id == b.id && a.name == b.name && a.period == b.period &&
           a.dormant_days == b.dormant_days && a.event == b.event && a.audience == b.audience;
}

} // namespace segx
