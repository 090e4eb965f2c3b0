#include "core/model/user_events.h"

namespace segx {

UserEvents::UserEvents(const Model& model, uint32_t code, bool starts)
    : any_(code == kAny),
      offsets_(model.events.offsets.data()),
      time_(model.events.time.data()),
      store_(&model.events) {
    if (any_) return;
    const EventStore& s = model.events;
    if (model.event_index.fits(s)) {
        index_ = &model.event_index;
        rows_ = index_->rows.data() + index_->first(code);
        day_ = index_->day.data() + index_->first(code);
        count_ = index_->count(code);
        if (starts) index_->user_starts(s, &code, 1, &starts_, starts_scratch_), has_starts_ = true;
        return;
    }
    for (size_t i = 0; i < s.size(); i++)
        if (s.event[i] == code) own_rows_.push_back(uint32_t(i));
    rows_ = own_rows_.data();
    count_ = own_rows_.size();
}

int64_t UserEvents::day_key(int64_t t) const {
    if (index_ == nullptr) return -1;
    const int64_t d = index_->day_of(t);
    return d > EventIndex::kLastDay ? -1 : d; // stored days stop at kLastDay: no test past it
}

} // namespace segx
