#include "core/audience/user_set.h"

namespace segx {

namespace {

void clear_tail(Bitmap& a) {
    if ((a.size & 63) != 0) a.words.back() &= (1ull << (a.size & 63)) - 1;
}

} // namespace

Bitmap make_user_set(size_t users, bool all) {
    Bitmap b;
    b.append_all(all, users);
    return b;
}

void intersect_with(Bitmap& a, const Bitmap& b) {
    for (size_t w = 0; w < a.words.size(); w++) a.words[w] &= b.words[w];
}

void unite_with(Bitmap& a, const Bitmap& b) {
    for (size_t w = 0; w < a.words.size(); w++) a.words[w] |= b.words[w];
}

void complement(Bitmap& a) {
    for (uint64_t& w : a.words) w = ~w;
    clear_tail(a);
}

} // namespace segx
