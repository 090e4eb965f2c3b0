#pragma once
// RejectLog: the rows of one source that were not loaded, counted per reason with a few
// examples, so that nothing is dropped silently (DESIGN §2).
//
// Examples read `row 17: user_id="", time="2024-13-45"`: the 1-based data row of the file
// (header excluded), then the mapped values, text quoted and escaped, null spelled null.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace segx {

// The reasons, exactly as reported (tests and the UI match on them). An event row with several
// problems counts once, under the first of these in this order.
inline constexpr const char* kRejectNoUserId = "no user id";
inline constexpr const char* kRejectBadTime = "unparseable time";
// A time the model cannot hold (civil.h kMinTimeUs..kMaxTimeUs): typed by DuckDB, or a Unix number.
inline constexpr const char* kRejectTimeOutOfRange = "time outside years 1-9999";
inline constexpr const char* kRejectNoEventName = "no event name";
inline constexpr const char* kRejectBadAmount = "non-numeric amount";
// An amount beyond ±kMaxAmount: no shop's order is, and 4 billion of them still sum finitely.
inline constexpr const char* kRejectHugeAmount = "amount beyond 1e15";
inline constexpr double kMaxAmount = 1e15;
// Users files: an earlier row of an id that a later row replaces.
inline constexpr const char* kRejectDuplicateUser = "duplicate user id (last row wins)";

struct RejectReason {
    std::string reason;
    uint64_t count = 0;
    std::vector<std::string> examples; // the first RejectLog::kMaxExamples rows
};

struct RejectLog {
    static constexpr size_t kMaxExamples = 5;

    uint64_t read = 0;                 // rows read
    uint64_t kept = 0;                 // rows loaded; read == kept + rejected()
    std::vector<RejectReason> reasons; // in order of first occurrence

    // Counts one row under `reason`; keeps `example` while the reason has fewer than
    // kMaxExamples (an empty example is not kept).
    void reject(std::string_view reason, std::string example);
    // Whether reject(reason, ...) would keep an example: loaders build the example text only
    // then, so a file with a million bad rows formats five of them.
    bool wants_example(std::string_view reason) const;
    uint64_t rejected() const;
    const RejectReason* find(std::string_view reason) const;
};

// `"text"` with `"` and `\` escaped, control bytes as \n, \t, \r or \xHH, and text longer
// than 60 bytes cut at a UTF-8 character boundary and ended with "...".
std::string quote_example(std::string_view text);

} // namespace segx
