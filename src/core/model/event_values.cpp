#include "core/model/event_values.h"

#include "core/dataset/slack.h"

#include <cstring>
#include <stdexcept>
#include <string>

namespace segx {

void EventValues::push_back(double revenue, uint32_t order) {
    if ((size_ & 63) == 0) {
        bits_.push_back(0);
        ranks_.push_back(uint32_t(revenues_.size()));
    }
    if (revenue == revenue || order != kNoOrder) {
        bits_.back() |= uint64_t(1) << (size_ & 63);
        revenues_.push_back(revenue);
        orders_.push_back(order);
    }
    size_++;
}

EventValues EventValues::from_dense(const std::vector<double>& revenue, const std::vector<uint32_t>& order) {
    if (revenue.size() != order.size())
        throw std::invalid_argument("EventValues: " + std::to_string(revenue.size()) + " revenues for " +
                                    std::to_string(order.size()) + " orders");
    EventValues v;
    const size_t n = revenue.size();
    size_t carrying = 0;
    for (size_t i = 0; i < n; i++) carrying += revenue[i] == revenue[i] || order[i] != kNoOrder;
    v.reserve(n, carrying);
    for (size_t i = 0; i < n; i++) v.push_back(revenue[i], order[i]);
    return v;
}

void EventValues::reserve(size_t rows, size_t carrying) {
    bits_.reserve((rows + 63) / 64);
    ranks_.reserve((rows + 63) / 64);
    revenues_.reserve(carrying);
    orders_.reserve(carrying);
}

void EventValues::trim_slack() {
    segx::trim_slack(bits_);
    segx::trim_slack(ranks_);
    segx::trim_slack(revenues_);
    segx::trim_slack(orders_);
}

size_t EventValues::memory_bytes() const {
    return bits_.capacity() * sizeof(uint64_t) + ranks_.capacity() * sizeof(uint32_t) +
           revenues_.capacity() * sizeof(double) + orders_.capacity() * sizeof(uint32_t);
}

bool EventValues::operator==(const EventValues& o) const {
    return size_ == o.size_ && bits_ == o.bits_ && orders_ == o.orders_ &&
           revenues_.size() == o.revenues_.size() &&
           (revenues_.empty() ||
            std::memcmp(revenues_.data(), o.revenues_.data(), revenues_.size() * sizeof(double)) == 0);
}

} // namespace segx
