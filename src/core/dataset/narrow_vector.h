#pragma once
// NarrowVector<V>: a sequence of V values stored at 1, 2, 4 (or, for int64, 8) bytes each: the
// narrowest width that holds every value stored so far. A value that does not fit widens the
// whole vector once (at most three times in its life), so a column of a 200-entry dictionary
// costs 1 byte per row instead of 4, and one of small counts 1 byte instead of 8.
//
//   CodeVector = NarrowVector<uint32_t>: dictionary codes; widths 1 (codes <= 255), 2
//                (<= 65535), 4.
//   IntVector  = NarrowVector<int64_t>: integers; widths 1 (-128..127), 2, 4, 8, two's
//                complement.
//
// Reading: get(i) / operator[] for one value; for hot loops, visit(f) calls f with a typed
// pointer to all the values (const uint8_t*, const int16_t*, ...), so a template loop is
// compiled once per width and reads a plain array (convert each element to V before mixing it
// with other arithmetic). Values, never references: write with set(i, v) or push_back.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <type_traits>
#include <vector>

namespace segx {

template <typename V>
class NarrowVector {
    static_assert(std::is_same<V, uint32_t>::value || std::is_same<V, int64_t>::value,
                  "NarrowVector holds uint32 codes or int64 values");
    static constexpr bool kSigned = std::is_signed<V>::value;
    using T1 = std::conditional_t<kSigned, int8_t, uint8_t>;
    using T2 = std::conditional_t<kSigned, int16_t, uint16_t>;
    using T4 = std::conditional_t<kSigned, int32_t, uint32_t>;
    using T8 = V; // used by int64 only (for codes, width 4 is the widest)

public:
    static constexpr int kMaxWidth = int(sizeof(V));

    NarrowVector() = default;
    // From wide values, at the narrowest width holding all of them.
    explicit NarrowVector(const std::vector<V>& values) {
        int w = 1;
        for (V v : values) w = std::max(w, width_for(v));
        widen_to(w);
        reserve(values.size());
        for (V v : values) push_back(v);
    }

    size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    int width() const { return width_; } // bytes per value: 1, 2, 4 or 8

    V get(size_t i) const {
        switch (width_) {
            case 1:
                return V(w1_[i]);
            case 2:
                return V(w2_[i]);
            case 4:
                return V(w4_[i]);
            default:
                return w8_[i];
        }
    }
    V operator[](size_t i) const { return get(i); }
    V back() const { return get(size_ - 1); }

    void set(size_t i, V v) {
        if (width_for(v) > width_) widen_to(width_for(v));
        switch (width_) {
            case 1:
                w1_[i] = T1(v);
                break;
            case 2:
                w2_[i] = T2(v);
                break;
            case 4:
                w4_[i] = T4(v);
                break;
            default:
                w8_[i] = v;
        }
    }
    void push_back(V v) {
        if (width_for(v) > width_) widen_to(width_for(v));
        switch (width_) {
            case 1:
                w1_.push_back(T1(v));
                break;
            case 2:
                w2_.push_back(T2(v));
                break;
            case 4:
                w4_.push_back(T4(v));
                break;
            default:
                w8_.push_back(v);
        }
        size_++;
    }
    // Grows (with zeros) or shrinks to n values.
    void resize(size_t n) {
        on_current([n](auto& w) { w.resize(n, 0); });
        size_ = n;
    }
    void append_zeros(size_t n) { resize(size_ + n); }
    void reserve(size_t n) {
        on_current([n](auto& w) { w.reserve(n); });
    }
    void clear() {
        on_current([](auto& w) { w.clear(); });
        size_ = 0;
    }
    void shrink_to_fit() {
        on_current([](auto& w) { w.shrink_to_fit(); });
    }
    size_t capacity() const {
        return width_ == 1   ? w1_.capacity()
               : width_ == 2 ? w2_.capacity()
               : width_ == 4 ? w4_.capacity()
                             : w8_.capacity();
    }
    void pop_back() {
        on_current([](auto& w) { w.pop_back(); });
        size_--;
    }
    // At least `width` bytes per value from now on: a writer that knows its range up front
    // widens once, before its writes.
    void widen_to(int width) {
        if (width <= width_) return;
        if (width_ == 1)
            move_to(w1_, width);
        else if (width_ == 2)
            move_to(w2_, width);
        else
            move_to(w4_, width);
        width_ = width;
    }
    // The width that holds `v`.
    static int width_for(V v) {
        if (kSigned) {
            const int64_t x = int64_t(v);
            return x >= INT8_MIN && x <= INT8_MAX     ? 1
                   : x >= INT16_MIN && x <= INT16_MAX ? 2
                   : x >= INT32_MIN && x <= INT32_MAX ? 4
                                                      : 8;
        }
        const uint64_t x = uint64_t(v);
        return x <= 0xFFu ? 1 : x <= 0xFFFFu ? 2 : 4;
    }

    size_t memory_bytes() const {
        return w1_.capacity() + w2_.capacity() * 2 + w4_.capacity() * 4 + w8_.capacity() * sizeof(T8);
    }
    std::vector<V> to_vector() const {
        return visit([this](const auto* p) { return std::vector<V>(p, p + size_); });
    }

    // f(const T* values) with T the stored width's type; returns what f returns.
    template <typename F>
    decltype(auto) visit(F&& f) const {
        switch (width_) {
            case 1:
                return f(static_cast<const T1*>(w1_.data()));
            case 2:
                return f(static_cast<const T2*>(w2_.data()));
            case 4:
                return f(static_cast<const T4*>(w4_.data()));
            default:
                return f(static_cast<const T8*>(w8_.data()));
        }
    }
    // f(T* values): for writers that keep every value within the current width (a permutation).
    template <typename F>
    decltype(auto) visit_mut(F&& f) {
        switch (width_) {
            case 1:
                return f(w1_.data());
            case 2:
                return f(w2_.data());
            case 4:
                return f(w4_.data());
            default:
                return f(w8_.data());
        }
    }

    class const_iterator {
    public:
        const_iterator(const NarrowVector* v, size_t i) : v_(v), i_(i) {}
        V operator*() const { return v_->get(i_); }
        const_iterator& operator++() {
            i_++;
            return *this;
        }
        bool operator!=(const const_iterator& o) const { return i_ != o.i_; }
        bool operator==(const const_iterator& o) const { return i_ == o.i_; }

    private:
        const NarrowVector* v_;
        size_t i_;
    };
    const_iterator begin() const { return const_iterator(this, 0); }
    const_iterator end() const { return const_iterator(this, size_); }

    // Equal values, whatever the widths.
    bool operator==(const NarrowVector& o) const {
        if (size_ != o.size_) return false;
        return visit([&](const auto* a) {
            return o.visit([&](const auto* b) {
                for (size_t i = 0; i < size_; i++)
                    if (V(a[i]) != V(b[i])) return false;
                return true;
            });
        });
    }
    bool operator!=(const NarrowVector& o) const { return !(*this == o); }

private:
    template <typename F>
    void on_current(F&& f) {
        switch (width_) {
            case 1:
                f(w1_);
                break;
            case 2:
                f(w2_);
                break;
            case 4:
                f(w4_);
                break;
            default:
                f(w8_);
        }
    }
    // The values of `from` into the vector of `width` (same capacity), `from` freed.
    template <typename From>
    void move_to(std::vector<From>& from, int width) {
        const auto copy = [&from](auto& to) {
            to.reserve(std::max(from.capacity(), from.size()));
            to.assign(from.begin(), from.end());
            std::vector<From>().swap(from);
        };
        if (width == 2)
            copy(w2_);
        else if (width == 4)
            copy(w4_);
        else
            copy(w8_);
    }

    std::vector<T1> w1_; // only the vector of the current width holds values
    std::vector<T2> w2_;
    std::vector<T4> w4_;
    std::vector<T8> w8_;
    size_t size_ = 0;
    int width_ = 1;
};

using CodeVector = NarrowVector<uint32_t>;
using IntVector = NarrowVector<int64_t>;

} // namespace segx
