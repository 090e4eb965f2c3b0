#include "core/model/model_io.h"

#include <cstring>
#include <stdexcept>
#include <string>

namespace segx {

namespace {

constexpr char kMagic[8] = {'S', 'E', 'G', 'X', 'M', 'D', 'L', '\0'};
constexpr uint32_t kVersion = 2; // 2: the attributes from events (Model::derived)

class Writer {
public:
    void bytes(const void* p, size_t n) { out.append(static_cast<const char*>(p), n); }
    void u8(uint8_t v) { out.push_back(char(v)); }
    void u32(uint32_t v) {
        for (int i = 0; i < 4; i++) out.push_back(char((v >> (8 * i)) & 0xFF));
    }
    void u64(uint64_t v) {
        for (int i = 0; i < 8; i++) out.push_back(char((v >> (8 * i)) & 0xFF));
    }
    void i64(int64_t v) { u64(uint64_t(v)); }
    void f64(double v) {
        uint64_t b;
        std::memcpy(&b, &v, 8);
        u64(b);
    }
    void str(std::string_view s) {
        u64(s.size());
        bytes(s.data(), s.size());
    }
    void vec(const std::vector<uint64_t>& v) {
        u64(v.size());
        for (uint64_t x : v) u64(x);
    }
    void vec(const std::vector<int64_t>& v) {
        u64(v.size());
        for (int64_t x : v) i64(x);
    }
    void vec(const std::vector<uint32_t>& v) {
        u64(v.size());
        for (uint32_t x : v) u32(x);
    }
    void vec(const std::vector<double>& v) {
        u64(v.size());
        for (double x : v) f64(x);
    }
    void vec(const std::vector<uint8_t>& v) {
        u64(v.size());
        for (uint8_t x : v) u8(x);
    }

    std::string out;
};

class ModelReader {
public:
    explicit ModelReader(std::string_view in) : in_(in) {}

    void need(size_t n, const std::string& what) {
        if (in_.size() - pos_ < n)
            fail(what + ": truncated (needs " + std::to_string(n) + " bytes, " +
                 std::to_string(in_.size() - pos_) + " left)");
    }
    [[noreturn]] void fail(const std::string& what) const {
        throw std::invalid_argument("model blob at byte " + std::to_string(pos_) + ": " + what);
    }
    uint8_t u8(const std::string& what) {
        need(1, what);
        return uint8_t(in_[pos_++]);
    }
    uint32_t u32(const std::string& what) {
        need(4, what);
        uint32_t v = 0;
        for (int i = 0; i < 4; i++) v |= uint32_t(uint8_t(in_[pos_ + size_t(i)])) << (8 * i);
        pos_ += 4;
        return v;
    }
    uint64_t u64(const std::string& what) {
        need(8, what);
        uint64_t v = 0;
        for (int i = 0; i < 8; i++) v |= uint64_t(uint8_t(in_[pos_ + size_t(i)])) << (8 * i);
        pos_ += 8;
        return v;
    }
    int64_t i64(const std::string& what) { return int64_t(u64(what)); }
    double f64(const std::string& what) {
        uint64_t b = u64(what);
        double v;
        std::memcpy(&v, &b, 8);
        return v;
    }
    // A count of items of `item_bytes` each that must fit in what is left.
    size_t count(const std::string& what, size_t item_bytes) {
        uint64_t n = u64(what + " count");
        if (n > (in_.size() - pos_) / (item_bytes ? item_bytes : 1))
            fail(what + ": count " + std::to_string(n) + " runs past the end of the blob");
        return size_t(n);
    }
    std::string_view str(const std::string& what) {
        size_t n = count(what, 1);
        std::string_view s = in_.substr(pos_, n);
        pos_ += n;
        return s;
    }
    void vec(std::vector<uint64_t>& v, const std::string& what) {
        v.resize(count(what, 8));
        for (uint64_t& x : v) x = u64(what);
    }
    void vec(std::vector<int64_t>& v, const std::string& what) {
        v.resize(count(what, 8));
        for (int64_t& x : v) x = i64(what);
    }
    void vec(std::vector<uint32_t>& v, const std::string& what) {
        v.resize(count(what, 4));
        for (uint32_t& x : v) x = u32(what);
    }
    void vec(std::vector<uint8_t>& v, const std::string& what) {
        v.resize(count(what, 1));
        for (uint8_t& x : v) x = u8(what);
    }
    void vec(std::vector<double>& v, const std::string& what) {
        v.resize(count(what, 8));
        for (double& x : v) x = f64(what);
    }
    bool at_end() const { return pos_ == in_.size(); }
    size_t left() const { return in_.size() - pos_; }

private:
    std::string_view in_;
    size_t pos_ = 0;
};

void write_dict(Writer& w, const StringDictionary& d) {
    w.u64(d.size());
    for (uint32_t c = 0; c < d.size(); c++) w.str(d.at(c));
}

void read_dict(ModelReader& r, StringDictionary& d, const std::string& what) {
    size_t n = r.count(what, 8);
    for (size_t c = 0; c < n; c++) {
        std::string_view s = r.str(what + " entry " + std::to_string(c));
        if (d.intern(s) != c) r.fail(what + ": entry " + std::to_string(c) + " repeats an earlier one");
    }
}

void write_users(Writer& w, const UserDictionary& u) {
    w.u64(u.size());
    for (uint32_t c = 0; c < u.size(); c++) w.str(u.id(c));
}

void read_users(ModelReader& r, UserDictionary& u) {
    size_t n = r.count("users", 8);
    for (size_t c = 0; c < n; c++) {
        std::string_view s = r.str("user " + std::to_string(c));
        if (u.intern(s) != c || u.id(uint32_t(c)) != s)
            r.fail("user " + std::to_string(c) + " is empty, padded or repeats an earlier id");
    }
}

void write_bitmap(Writer& w, const Bitmap& b) {
    w.u64(b.size);
    w.vec(b.words);
}

void read_bitmap(ModelReader& r, Bitmap& b, const std::string& what) {
    b.size = size_t(r.u64(what + " size"));
    r.vec(b.words, what + " words");
    if (b.words.size() != (uint64_t(b.size) + 63) / 64)
        r.fail(what + ": " + std::to_string(b.words.size()) + " words for " + std::to_string(b.size) +
               " bits");
    if (b.size % 64 && (b.words.back() >> (b.size % 64))) r.fail(what + ": bits set past the end");
}

// Codes go as 32-bit values whatever their width in memory (the format predates narrow codes).
void write_codes(Writer& w, const CodeVector& codes) { w.vec(codes.to_vector()); }

void read_codes(ModelReader& r, CodeVector& codes, const std::string& what) {
    std::vector<uint32_t> wide;
    r.vec(wide, what);
    codes = CodeVector(wide);
}

void write_column(Writer& w, const Column& c) {
    w.str(c.name);
    w.u8(uint8_t(c.type));
    w.vec(c.ints.to_vector()); // 64-bit values whatever their width in memory
    w.vec(c.doubles);
    write_codes(w, c.codes);
    write_dict(w, c.dict);
    write_bitmap(w, c.valid);
}

void read_column(ModelReader& r, Column& c, const std::string& where, size_t rows) {
    c.name = std::string(r.str(where + " name"));
    std::string what = where + " '" + c.name + "'";
    uint8_t type = r.u8(what + " type");
    if (type > uint8_t(ColumnType::String)) r.fail(what + ": unknown column type " + std::to_string(type));
    c.type = ColumnType(type);
    {
        std::vector<int64_t> wide;
        r.vec(wide, what + " ints");
        c.ints = IntVector(wide);
    }
    r.vec(c.doubles, what + " doubles");
    read_codes(r, c.codes, what + " codes");
    read_dict(r, c.dict, what + " dictionary");
    read_bitmap(r, c.valid, what + " validity");
    if (c.valid.size != rows)
        r.fail(what + ": " + std::to_string(c.valid.size) + " rows, expected " + std::to_string(rows));
    size_t ints = 0, doubles = 0, codes = 0;
    if (c.type == ColumnType::Double)
        doubles = rows;
    else if (c.type == ColumnType::String)
        codes = rows;
    else
        ints = rows;
    if (c.ints.size() != ints || c.doubles.size() != doubles || c.codes.size() != codes)
        r.fail(what + ": values do not match its type and " + std::to_string(rows) + " rows");
    for (uint32_t code : c.codes)
        if (code >= c.dict.size()) r.fail(what + ": code " + std::to_string(code) + " past its dictionary");
}

void write_columns(Writer& w, const std::vector<Column>& cols) {
    w.u64(cols.size());
    for (const Column& c : cols) write_column(w, c);
}

void read_columns(ModelReader& r, std::vector<Column>& cols, const std::string& what, size_t rows) {
    size_t n = r.count(what, 8);
    cols.resize(n);
    for (size_t i = 0; i < n; i++) read_column(r, cols[i], what + " " + std::to_string(i), rows);
}

} // namespace

std::string serialize_model(const Model& m) {
    Writer w;
    w.bytes(kMagic, sizeof kMagic);
    w.u32(kVersion);
    write_users(w, m.users);
    write_dict(w, m.event_names);
    write_dict(w, m.order_ids);

    const EventStore& e = m.events;
    w.vec(e.offsets);
    w.vec(e.time);
    write_codes(w, e.event);
    // One revenue and one order per event, as before EventValues held them sparsely: the
    // format (and blobs exported earlier) stays as it was.
    const EventValues& v = e.values;
    w.u64(v.size());
    for (size_t i = 0; i < v.size(); i++) w.f64(v.revenue(i));
    w.u64(v.size());
    for (size_t i = 0; i < v.size(); i++) w.u32(v.order(i));
    write_columns(w, e.properties);

    write_columns(w, m.attributes);
    w.u64(m.attribute_sources.size());
    for (const std::string& s : m.attribute_sources) w.str(s);
    w.str(m.purchase_event);

    const UserAggregates& a = m.aggregates;
    w.vec(a.first_seen_us);
    w.vec(a.last_seen_us);
    w.vec(a.first_purchase_us);
    w.vec(a.last_purchase_us);
    w.vec(a.orders);
    w.vec(a.revenue);
    w.vec(a.has_revenue);
    w.i64(m.min_time_us);
    w.i64(m.max_time_us);
    w.u64(m.derived.size());
    for (const DerivedSpec& d : m.derived) {
        w.str(d.name);
        w.str(d.event);
        w.str(d.property);
        w.u32(uint32_t(d.pick) | (d.automatic ? 0x100u : 0u));
    }
    return std::move(w.out);
}

Model deserialize_model(std::string_view bytes) {
    ModelReader r(bytes);
    r.need(sizeof kMagic, "header");
    if (bytes.substr(0, sizeof kMagic) != std::string_view(kMagic, sizeof kMagic))
        r.fail("not a segx model (bad magic)");
    for (size_t i = 0; i < sizeof kMagic; i++) r.u8("header");
    uint32_t version = r.u32("version");
    if (version != kVersion)
        r.fail("format version " + std::to_string(version) + ", this build reads " +
               std::to_string(kVersion));

    Model m;
    read_users(r, m.users);
    read_dict(r, m.event_names, "event names");
    read_dict(r, m.order_ids, "order ids");
    const size_t users = m.users.size();

    EventStore& e = m.events;
    r.vec(e.offsets, "event offsets");
    r.vec(e.time, "event times");
    read_codes(r, e.event, "event names column");
    std::vector<double> revenue;
    std::vector<uint32_t> order;
    r.vec(revenue, "event revenue");
    r.vec(order, "event orders");
    const size_t n = e.time.size();
    const bool never_built = e.offsets.empty() && users == 0 && n == 0; // a default Model
    if (!never_built && (e.offsets.size() != users + 1 || e.offsets.front() != 0 || e.offsets.back() != n))
        r.fail("event offsets do not cover " + std::to_string(users) + " users and " + std::to_string(n) +
               " events");
    for (size_t u = 0; u < users; u++)
        if (e.offsets[u] > e.offsets[u + 1]) r.fail("event offsets decrease at user " + std::to_string(u));
    if (e.event.size() != n || revenue.size() != n || order.size() != n)
        r.fail("event columns differ in length");
    for (uint32_t c : e.event)
        if (c >= m.event_names.size())
            r.fail("event name code " + std::to_string(c) + " past the event names");
    for (uint32_t c : order)
        if (c != EventStore::kNoOrder && c >= m.order_ids.size())
            r.fail("order code " + std::to_string(c) + " past the order ids");
    e.values = EventValues::from_dense(revenue, order);
    std::vector<double>().swap(revenue);
    std::vector<uint32_t>().swap(order);
    read_columns(r, e.properties, "event property", n);

    read_columns(r, m.attributes, "attribute", users);
    size_t sources = r.count("attribute sources", 8);
    if (sources != m.attributes.size()) r.fail("attribute sources count differs from the attributes");
    for (size_t i = 0; i < sources; i++)
        m.attribute_sources.emplace_back(r.str("attribute source " + std::to_string(i)));
    m.purchase_event = std::string(r.str("purchase event"));

    UserAggregates& a = m.aggregates;
    r.vec(a.first_seen_us, "first_seen_us");
    r.vec(a.last_seen_us, "last_seen_us");
    r.vec(a.first_purchase_us, "first_purchase_us");
    r.vec(a.last_purchase_us, "last_purchase_us");
    r.vec(a.orders, "orders");
    r.vec(a.revenue, "revenue");
    r.vec(a.has_revenue, "has_revenue");
    for (size_t s : {a.first_seen_us.size(), a.last_seen_us.size(), a.first_purchase_us.size(),
                     a.last_purchase_us.size(), a.orders.size(), a.revenue.size(), a.has_revenue.size()})
        if (s != users) r.fail("user aggregates do not have one entry per user");
    m.min_time_us = r.i64("min time");
    m.max_time_us = r.i64("max time");
    const size_t derived = r.count("derived attributes", 8);
    if (derived > m.attributes.size()) r.fail("more derived attributes than attributes");
    for (size_t i = 0; i < derived; i++) {
        DerivedSpec d;
        d.name = std::string(r.str("derived attribute name"));
        d.event = std::string(r.str("derived attribute event"));
        d.property = std::string(r.str("derived attribute property"));
        const uint32_t bits = r.u32("derived attribute pick");
        if ((bits & 0xffu) > uint32_t(DerivedPick::MostFrequent) || bits > 0x1ffu)
            r.fail("bad derived attribute pick");
        d.pick = DerivedPick(bits & 0xffu);
        d.automatic = (bits & 0x100u) != 0;
        m.derived.push_back(std::move(d));
    }
    if (!r.at_end()) r.fail(std::to_string(r.left()) + " trailing bytes");

    m.users.shrink_to_fit(); // as build_model leaves them
    m.event_names.shrink_to_fit();
    m.order_ids.shrink_to_fit();
    m.event_index = build_event_index(m.events);
    return m;
}

} // namespace segx
