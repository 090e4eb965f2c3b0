#pragma once
// Whole-word set operations on Bitmaps used as user sets (bit u = user index u). Both operands
// have the same size; bits past `size` stay zero, so count_set() is the audience size.

#include "core/dataset/bitmap.h"

#include <cstddef>

namespace segx {

Bitmap make_user_set(size_t users, bool all);    // every user, or none
void intersect_with(Bitmap& a, const Bitmap& b); // a &= b
void unite_with(Bitmap& a, const Bitmap& b);     // a |= b
void complement(Bitmap& a);                      // a = ~a within size

} // namespace segx
