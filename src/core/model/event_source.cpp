#include "core/model/event_source.h"

#include "core/dataset/slack.h"
#include "core/model/amount.h"
#include "core/time/civil.h"

#include <cmath>
#include <limits>
#include <stdexcept>

namespace segx {

namespace {

constexpr size_t kDetectSamples = 1000;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Integral and within int64 (2^63 is exact as a double): the doubles IdText writes as integers.
bool is_int64(double v) {
    return v == std::floor(v) && v >= -9223372036854775808.0 && v < 9223372036854775808.0;
}

} // namespace

const char* source_kind_name(SourceKind kind) {
    switch (kind) {
        case SourceKind::Users:
            return "users";
        case SourceKind::Events:
            return "events";
        case SourceKind::Orders:
            return "orders";
    }
    return "unknown";
}

std::optional<SourceKind> source_kind_from_name(std::string_view name) {
    for (SourceKind k : {SourceKind::Users, SourceKind::Events, SourceKind::Orders})
        if (name == source_kind_name(k)) return k;
    return std::nullopt;
}

size_t EventSource::memory_bytes() const {
    size_t total = user_ids.memory_bytes() + event_names.memory_bytes() + order_ids.memory_bytes() +
                   user.capacity() * sizeof(uint32_t) + event.memory_bytes() +
                   time.capacity() * sizeof(int64_t) + values.memory_bytes();
    for (const Column& c : properties) total += c.memory_bytes();
    return total;
}

EventSourceBuilder::EventSourceBuilder(EventSourceSpec spec) {
    if (spec.constant_event.empty() && spec.kind == SourceKind::Orders) spec.constant_event = "purchase";
    out_.spec = std::move(spec);
    if (out_.spec.time_format != TimeFormat::Auto) {
        out_.detected_format = out_.spec.time_format;
        format_fixed_ = true;
    }
    for (const std::string& name : out_.spec.property_names) properties_.emplace_back(name);
}

// Fixed by the first chunk that holds any time value: chunks cannot be kept for later, their
// buffers belong to the caller.
void EventSourceBuilder::detect_time_format(size_t n, const ValueChunk& time) {
    if (format_fixed_ || time.kind == ValueChunk::None) return;
    if (out_.spec.time_is_epoch_us && time.kind != ValueChunk::Text) {
        format_fixed_ = true; // nothing to detect: detected_format stays Auto
        return;
    }
    std::vector<std::string_view> texts;
    std::vector<double> numbers;
    for (size_t i = 0; i < n && texts.size() + numbers.size() < kDetectSamples; i++) {
        if (!time.is_valid(i)) continue;
        if (time.kind == ValueChunk::Text)
            texts.push_back(time.text_at(i));
        else
            numbers.push_back(time.kind == ValueChunk::Int64 ? double(time.ints[i]) : time.doubles[i]);
    }
    if (texts.empty() && numbers.empty()) return;
    out_.detected_format =
        time.kind == ValueChunk::Text ? detect_text_format(texts) : detect_number_format(numbers);
    format_fixed_ = true;
}

const char* EventSourceBuilder::read_time(const ValueChunk& time, size_t i, int64_t* us) const {
    if (!time.is_valid(i)) return kRejectBadTime;
    const EventSourceSpec& spec = out_.spec;
    TimeFormat format = out_.detected_format;
    // A number in a Unix format only fails by landing outside years 1..9999 (a millisecond
    // value among seconds lands in year 55,000): say so rather than "unparseable".
    const bool unix_number = format == TimeFormat::UnixSeconds || format == TimeFormat::UnixMillis;
    switch (time.kind) {
        case ValueChunk::Text:
            return parse_time_text(time.text_at(i), format, spec.tz_offset_minutes, us) ? nullptr
                                                                                        : kRejectBadTime;
        case ValueChunk::Int64:
            if (spec.time_is_epoch_us) {
                if (!time_in_range(time.ints[i])) return kRejectTimeOutOfRange;
                *us = time.ints[i];
                return nullptr;
            }
            if (convert_time_number(double(time.ints[i]), format, spec.tz_offset_minutes, us)) return nullptr;
            return unix_number ? kRejectTimeOutOfRange : kRejectBadTime;
        case ValueChunk::Double: {
            double v = time.doubles[i];
            if (spec.time_is_epoch_us) {
                if (std::isnan(v)) return kRejectBadTime;
                if (!(v >= double(kMinTimeUs) && v <= double(kMaxTimeUs))) return kRejectTimeOutOfRange;
                *us = std::llround(v);
                return nullptr;
            }
            if (convert_time_number(v, format, spec.tz_offset_minutes, us)) return nullptr;
            return unix_number && std::isfinite(v) ? kRejectTimeOutOfRange : kRejectBadTime;
        }
        case ValueChunk::None:
            break;
    }
    return kRejectBadTime;
}

const char* EventSourceBuilder::read_revenue(const ValueChunk& revenue, size_t i, double* value) const {
    *value = kNaN;
    bool required = out_.spec.revenue_required;
    if (revenue.is_valid(i)) {
        switch (revenue.kind) {
            case ValueChunk::Int64:
                *value = double(revenue.ints[i]);
                break;
            case ValueChunk::Double:
                if (std::isinf(revenue.doubles[i])) return kRejectBadAmount;
                *value = revenue.doubles[i]; // NaN stays "none"
                break;
            case ValueChunk::Text:
                if (parse_amount(revenue.text_at(i), value) == AmountText::Invalid) {
                    *value = kNaN;
                    return kRejectBadAmount;
                }
                break;
            case ValueChunk::None:
                break;
        }
    }
    if (required && std::isnan(*value)) return kRejectBadAmount;
    if (std::fabs(*value) > kMaxAmount) { // finite, but sums of such could overflow to infinity
        *value = kNaN;
        return kRejectHugeAmount;
    }
    return nullptr;
}

uint32_t EventSourceBuilder::intern_user(const ValueChunk& user_id, size_t i, std::string_view id) {
    int64_t key = 0;
    if (user_id.kind == ValueChunk::Int64) {
        key = user_id.ints[i];
    } else if (user_id.kind == ValueChunk::Double && is_int64(user_id.doubles[i])) {
        key = int64_t(user_id.doubles[i]); // IdText wrote it as that integer
    } else {
        return out_.user_ids.intern(id);
    }
    uint32_t code = int_users_.find(key);
    if (code == IntCodeMap::kMissing) {
        code = out_.user_ids.intern(id);
        int_users_.insert(key, code);
    }
    return code;
}

std::string EventSourceBuilder::example(size_t i, const ValueChunk& user_id, const ValueChunk& time,
                                        const char* extra_name, const ValueChunk* extra) const {
    std::string s = "row " + std::to_string(out_.rejects.read + i + 1) + ": ";
    append_field(s, "user_id", user_id, i);
    s += ", ";
    // A typed time column arrives as epoch microseconds: show the time, not the number.
    if (out_.spec.time_is_epoch_us && time.is_valid(i) &&
        (time.kind == ValueChunk::Int64 ||
         (time.kind == ValueChunk::Double && std::fabs(time.doubles[i]) < 9.2e18)))
        s += "time=" + format_timestamp_us(time.kind == ValueChunk::Int64 ? time.ints[i]
                                                                          : std::llround(time.doubles[i]));
    else
        append_field(s, "time", time, i);
    if (extra != nullptr) {
        s += ", ";
        append_field(s, extra_name, *extra, i);
    }
    return s;
}

void EventSourceBuilder::append(size_t n, const ValueChunk& user_id, const ValueChunk& time,
                                const ValueChunk& event, const ValueChunk& revenue,
                                const ValueChunk& order_id, const std::vector<ValueChunk>& properties) {
    const EventSourceSpec& spec = out_.spec;
    if (properties.size() != properties_.size())
        throw std::invalid_argument("source '" + spec.name + "': " + std::to_string(properties.size()) +
                                    " property chunks for " + std::to_string(properties_.size()) +
                                    " property names");
    bool has_event_column = event.kind != ValueChunk::None;
    if (!has_event_column && spec.constant_event.empty())
        throw std::invalid_argument("source '" + spec.name + "': no event column and no constant event name");
    check_chunk(user_id, n, spec.name, "user_id");
    check_chunk(time, n, spec.name, "time");
    check_chunk(event, n, spec.name, "event");
    check_chunk(revenue, n, spec.name, "amount");
    check_chunk(order_id, n, spec.name, "order_id");
    for (size_t p = 0; p < properties.size(); p++) {
        check_chunk(properties[p], n, spec.name, spec.property_names[p]);
        properties_[p].check(properties[p]); // before any row is taken: a throw changes nothing
    }

    detect_time_format(n, time);
    RejectLog& log = out_.rejects;
    // Counts row i; formats its example only while the reason still collects them.
    auto reject = [&](const char* reason, size_t i, const char* extra_name, const ValueChunk* extra) {
        log.reject(reason,
                   log.wants_example(reason) ? example(i, user_id, time, extra_name, extra) : std::string());
    };
    kept_rows_.clear();
    for (size_t i = 0; i < n; i++) {
        std::string_view uid = user_text_.of(user_id, i);
        if (uid.empty()) {
            reject(kRejectNoUserId, i, nullptr, nullptr);
            continue;
        }
        int64_t us = 0;
        if (const char* reason = read_time(time, i, &us)) {
            reject(reason, i, nullptr, nullptr);
            continue;
        }
        std::string_view event_name;
        if (has_event_column) {
            event_name = event_text_.of(event, i);
            if (event_name.empty()) {
                reject(kRejectNoEventName, i, "event", &event);
                continue;
            }
        }
        double amount = kNaN;
        if (const char* reason = read_revenue(revenue, i, &amount)) {
            reject(reason, i, "amount", &revenue);
            continue;
        }
        uint32_t event_code = 0;
        if (has_event_column) {
            event_code = out_.event_names.intern(event_name);
        } else if (spec.kind == SourceKind::Orders && amount < 0) {
            // A return, a cancellation or a discount line (DESIGN §2): a refund, not revenue.
            if (refund_event_code_ == UINT32_MAX) refund_event_code_ = out_.event_names.intern(kRefundEvent);
            event_code = refund_event_code_;
            out_.refunds++;
        } else {
            if (constant_event_code_ == UINT32_MAX)
                constant_event_code_ = out_.event_names.intern(spec.constant_event);
            event_code = constant_event_code_;
        }
        out_.user.push_back(intern_user(user_id, i, uid));
        out_.time.push_back(us);
        out_.event.push_back(event_code);
        std::string_view oid = order_text_.of(order_id, i);
        out_.values.push_back(amount, oid.empty() ? EventSource::kNoOrder : out_.order_ids.intern(oid));
        kept_rows_.push_back(uint32_t(i));
    }
    for (size_t p = 0; p < properties_.size(); p++)
        properties_[p].append_rows(properties[p], kept_rows_.data(), kept_rows_.size());
    log.read += n;
    log.kept += kept_rows_.size();
}

void EventSourceBuilder::expect(size_t rows) {
    rows += rows / 32;
    reserve_rows(out_.user, rows);
    reserve_rows(out_.event, rows);
    reserve_rows(out_.time, rows);
    out_.values.reserve(rows, 0);
    for (ColumnBuilder& b : properties_) b.expect(rows);
}

EventSource EventSourceBuilder::finish() {
    out_.properties.clear();
    for (ColumnBuilder& b : properties_) out_.properties.push_back(b.finish());
    properties_.clear();
    trim_slack(out_.user);
    trim_slack(out_.event);
    trim_slack(out_.time);
    out_.values.trim_slack();
    int_users_ = IntCodeMap();
    return std::move(out_);
}

} // namespace segx
