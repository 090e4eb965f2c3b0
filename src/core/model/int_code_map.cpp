#include "core/model/int_code_map.h"

#include "core/dataset/mix64.h"

namespace segx {

size_t IntCodeMap::index_of(int64_t key) const { return size_t(mix64(uint64_t(key)) >> shift_); }

uint32_t IntCodeMap::find(int64_t key) const {
    if (slots_.empty()) return kMissing;
    size_t mask = slots_.size() - 1;
    for (size_t i = index_of(key);; i = (i + 1) & mask) {
        const Slot& s = slots_[i];
        if (s.code == kMissing || s.key == key) return s.code;
    }
}

void IntCodeMap::insert(int64_t key, uint32_t code) {
    if ((size_ + 1) * 10 > slots_.size() * 7) // at most 70% full, as StringDictionary
        grow();
    size_t mask = slots_.size() - 1;
    size_t i = index_of(key);
    while (slots_[i].code != kMissing) i = (i + 1) & mask;
    slots_[i] = Slot{key, code};
    size_++;
}

void IntCodeMap::grow() {
    std::vector<Slot> old;
    old.swap(slots_);
    size_t capacity = old.empty() ? 64 : old.size() * 2;
    slots_.assign(capacity, Slot{0, kMissing});
    shift_ = 64;
    for (size_t c = capacity; c > 1; c >>= 1) shift_--;
    size_t mask = capacity - 1;
    for (const Slot& s : old) {
        if (s.code == kMissing) continue;
        size_t i = index_of(s.key);
        while (slots_[i].code != kMissing) i = (i + 1) & mask;
        slots_[i] = s;
    }
}

} // namespace segx
