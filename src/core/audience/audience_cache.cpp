#include "core/audience/audience_cache.h"

namespace segx {

EvalResult AudienceCache::evaluate(const Audience& audience, const EvalContext& ctx) {
    return detail::evaluate_with_cache(audience, ctx, this);
}

AudienceCache::Stats AudienceCache::stats() const { return Stats{hits_, misses_, entries_.size()}; }

void AudienceCache::clear() {
    entries_.clear();
    hits_ = misses_ = 0;
    tick_ = 0;
}

void AudienceCache::switch_generation(uint64_t generation) {
    if (generation != generation_) { // the old model's bitsets can never match again
        entries_.clear();
        generation_ = generation;
    }
}

const Bitmap* AudienceCache::lookup(const std::string& key, uint64_t generation) {
    switch_generation(generation);
    auto it = entries_.find(key);
    if (it == entries_.end()) {
        misses_++;
        return nullptr;
    }
    hits_++;
    it->second.last_used = ++tick_;
    return &it->second.users;
}

void AudienceCache::store(const std::string& key, const Bitmap& users, uint64_t generation) {
    switch_generation(generation);
    if (max_entries_ == 0)
        return;
    while (entries_.size() >= max_entries_ && entries_.find(key) == entries_.end()) {
        auto oldest = entries_.begin();
        for (auto it = entries_.begin(); it != entries_.end(); ++it)
            if (it->second.last_used < oldest->second.last_used)
                oldest = it;
        entries_.erase(oldest);
    }
    Entry& e = entries_[key];
    e.users = users;
    e.last_used = ++tick_;
}

} // namespace segx
