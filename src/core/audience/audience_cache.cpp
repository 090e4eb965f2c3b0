#include "core/audience/audience_cache.h"

#include "core/audience/json.h"

#include <nlohmann/json.hpp>

namespace segx {

std::string leaf_cache_key(const Rule& rule, int64_t as_of_us, const std::string& depends) {
    nlohmann::json j;
    to_json(j, rule);
    const bool property = std::holds_alternative<PropertyRule>(rule.node);
    std::string key = (property ? std::string("-") : std::to_string(as_of_us)) + '\n' + j.dump();
    if (std::holds_alternative<FunnelRule>(rule.node) || std::holds_alternative<RfmRule>(rule.node))
        key += '\n' + depends;
    return key;
}

const Bitmap* AudienceCache::peek(const std::string& key, uint64_t generation) const {
    if (generation != generation_) return nullptr;
    auto it = entries_.find(key);
    return it == entries_.end() ? nullptr : &it->second.users;
}

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
    if (max_entries_ == 0) return;
    while (entries_.size() >= max_entries_ && entries_.find(key) == entries_.end()) {
        auto oldest = entries_.begin();
        for (auto it = entries_.begin(); it != entries_.end(); ++it)
            if (it->second.last_used < oldest->second.last_used) oldest = it;
        entries_.erase(oldest);
    }
    Entry& e = entries_[key];
    e.users = users;
    e.last_used = ++tick_;
}

} // namespace segx
