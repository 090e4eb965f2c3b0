#include "core/funnel/definition.h"

namespace segx {

namespace {

constexpr const char* kOrders[] = {"ordered", "strict", "unordered"};
constexpr const char* kUnits[] = {"seconds", "minutes", "hours", "days"};
constexpr int64_t kUnitSeconds[] = {1, 60, 3600, 86400};

} // namespace

const char* funnel_order_name(FunnelOrder order) { return kOrders[size_t(order)]; }

std::optional<FunnelOrder> funnel_order_from_name(std::string_view name) {
    for (size_t i = 0; i < 3; i++)
        if (name == kOrders[i]) return FunnelOrder(i);
    return std::nullopt;
}

const char* window_unit_name(WindowUnit unit) { return kUnits[size_t(unit)]; }

std::optional<WindowUnit> window_unit_from_name(std::string_view name) {
    for (size_t i = 0; i < 4; i++)
        if (name == kUnits[i]) return WindowUnit(i);
    return std::nullopt;
}

int64_t FunnelWindow::micros() const { return amount * kUnitSeconds[size_t(unit)] * 1000000; }

int64_t max_window_amount(WindowUnit unit) {
    return kMaxFunnelWindowDays * 86400 / kUnitSeconds[size_t(unit)];
}

bool operator==(const FunnelStep& a, const FunnelStep& b) { return a.event == b.event && a.where == b.where; }
bool operator==(const FunnelWindow& a, const FunnelWindow& b) {
    return a.unit == b.unit && a.amount == b.amount;
}
bool operator==(const FunnelEntry& a, const FunnelEntry& b) { return a.from == b.from && a.to == b.to; }
bool operator==(const FunnelExclusion& a, const FunnelExclusion& b) {
    return a.event == b.event && a.where == b.where && a.from == b.from && a.to == b.to;
}
bool operator==(const FunnelBreakdown& a, const FunnelBreakdown& b) {
    return a.property == b.property && a.name == b.name && a.top == b.top;
}
bool operator==(const Funnel& a, const Funnel& b) {
    return a.segx == b.segx && a.id == b.id && a.name == b.name && a.steps == b.steps && a.order == b.order &&
           a.window == b.window && a.entry == b.entry && a.exclusions == b.exclusions &&
           a.breakdown == b.breakdown && a.audience == b.audience;
}

} // namespace segx
