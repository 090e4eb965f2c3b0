#pragma once
// CodeVector: a sequence of uint32 dictionary codes stored at 1, 2 or 4 bytes each, the
// narrowest width that holds the largest code stored so far (255 fits 1 byte, 65535 fits 2).
// A code that does not fit widens the whole vector once (at most twice in its life), so a
// column of a 200-entry dictionary costs 1 byte per row instead of 4.
//
// Reading: get(i) / operator[] for a single code; for hot loops, visit(f) calls f with a typed
// pointer (const uint8_t*, const uint16_t* or const uint32_t*) to all the codes, so a template
// loop is compiled once per width and reads plain arrays. Codes are values, never references:
// write with set(i, code) or push_back.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace segx {

class CodeVector {
public:
    CodeVector() = default;
    // From wide codes, at the narrowest width holding all of them.
    explicit CodeVector(const std::vector<uint32_t>& codes);

    size_t size() const { return size_; }
    bool empty() const { return size_ == 0; }
    int width() const { return width_; } // bytes per code: 1, 2 or 4

    uint32_t get(size_t i) const { return width_ == 1 ? w1_[i] : width_ == 2 ? uint32_t(w2_[i]) : w4_[i]; }
    uint32_t operator[](size_t i) const { return get(i); }
    uint32_t back() const { return get(size_ - 1); }

    void set(size_t i, uint32_t code) {
        if (code > max_code()) widen_for(code);
        if (width_ == 1)
            w1_[i] = uint8_t(code);
        else if (width_ == 2)
            w2_[i] = uint16_t(code);
        else
            w4_[i] = code;
    }
    void push_back(uint32_t code) {
        if (code > max_code()) widen_for(code);
        if (width_ == 1)
            w1_.push_back(uint8_t(code));
        else if (width_ == 2)
            w2_.push_back(uint16_t(code));
        else
            w4_.push_back(code);
        size_++;
    }
    // Grows (with code 0) or shrinks to n codes.
    void resize(size_t n);
    void append_zeros(size_t n) { resize(size_ + n); }
    void reserve(size_t n);
    void clear();
    void shrink_to_fit();
    // At least `width` bytes per code from now on (1, 2 or 4): a writer that knows its largest
    // code up front widens once, before its writes.
    void widen_to(int width);
    // The width that holds `code`.
    static int width_for(uint32_t code) { return code <= 0xFFu ? 1 : code <= 0xFFFFu ? 2 : 4; }

    size_t memory_bytes() const {
        return w1_.capacity() + w2_.capacity() * sizeof(uint16_t) + w4_.capacity() * sizeof(uint32_t);
    }
    std::vector<uint32_t> to_vector() const;

    // f(const T* codes) with T the stored width's type; returns what f returns.
    template <typename F>
    decltype(auto) visit(F&& f) const {
        if (width_ == 1) return f(static_cast<const uint8_t*>(w1_.data()));
        if (width_ == 2) return f(static_cast<const uint16_t*>(w2_.data()));
        return f(static_cast<const uint32_t*>(w4_.data()));
    }
    // f(T* codes): for writers that keep every code within the current width (a permutation).
    template <typename F>
    decltype(auto) visit_mut(F&& f) {
        if (width_ == 1) return f(w1_.data());
        if (width_ == 2) return f(w2_.data());
        return f(w4_.data());
    }

    class const_iterator {
    public:
        const_iterator(const CodeVector* v, size_t i) : v_(v), i_(i) {}
        uint32_t operator*() const { return v_->get(i_); }
        const_iterator& operator++() {
            i_++;
            return *this;
        }
        bool operator!=(const const_iterator& o) const { return i_ != o.i_; }
        bool operator==(const const_iterator& o) const { return i_ == o.i_; }

    private:
        const CodeVector* v_;
        size_t i_;
    };
    const_iterator begin() const { return const_iterator(this, 0); }
    const_iterator end() const { return const_iterator(this, size_); }

    // Equal codes, whatever the widths.
    bool operator==(const CodeVector& o) const;
    bool operator!=(const CodeVector& o) const { return !(*this == o); }

private:
    uint32_t max_code() const { return width_ == 1 ? 0xFFu : width_ == 2 ? 0xFFFFu : 0xFFFFFFFFu; }
    void widen_for(uint32_t code) { widen_to(width_for(code)); }

    std::vector<uint8_t> w1_; // only the vector of the current width holds codes
    std::vector<uint16_t> w2_;
    std::vector<uint32_t> w4_;
    size_t size_ = 0;
    int width_ = 1;
};

} // namespace segx
