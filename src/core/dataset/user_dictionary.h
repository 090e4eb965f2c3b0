#pragma once
// UserDictionary: the one map from user id to dense user index, shared by every source
// (events, orders, users) so that all tables agree on who user 17 is.
//
// Ids are compared as text after trimming leading/trailing ASCII whitespace (space, \t, \n,
// \v, \f, \r): exports often pad ids, and " 42" is the same customer as "42". Integer ids are
// interned as their canonical decimal text, so intern_int(123) and intern("123") are the same
// user; "0123" and "123.0" stay distinct users (no numeric parsing of strings).
//
// An empty id (after trimming) is not a user: intern() returns kNone and adds nothing. Callers
// count such rows as "no user id" rather than inventing a user for them.

#include "core/dataset/string_dictionary.h"

#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>

namespace segx {

class UserDictionary {
public:
    static constexpr uint32_t kNone = UINT32_MAX;

    // Trims, then returns the user index of `id`, adding it if new; kNone for an empty id.
    uint32_t intern(std::string_view id);
    uint32_t intern_int(int64_t id);
    // Trims, then looks up; nullopt for an unknown or empty id.
    std::optional<uint32_t> find(std::string_view id) const;
    std::optional<uint32_t> find_int(int64_t id) const;
    // The (trimmed) id text of a user index. Throws std::out_of_range for a bad index.
    std::string_view id(uint32_t index) const { return dict_.at(index); }

    // A source's ids as they are: true when this dictionary is empty and every id in `ids` is
    // trimmed and not empty, so that interning them in code order would give index = code.
    bool can_adopt(const StringDictionary& ids) const;
    // Becomes `ids` (index = code) without hashing an id again. Only when can_adopt(ids).
    void adopt(StringDictionary ids) { dict_ = std::move(ids); }

    size_t size() const { return dict_.size(); }
    size_t memory_bytes() const { return dict_.memory_bytes(); }
    void shrink_to_fit() { dict_.shrink_to_fit(); } // StringDictionary::shrink_to_fit
    void clear() { dict_.clear(); }

    // Trims leading and trailing ASCII whitespace; exposed so loaders report ids the same way.
    static std::string_view trim(std::string_view id);

private:
    StringDictionary dict_;
};

} // namespace segx
