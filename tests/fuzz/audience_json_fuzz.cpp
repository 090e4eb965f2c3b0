// Audience definition JSON (core/audience/json.h): parse_audience never throws or crashes, and
// what reads round-trips.
#include "core/audience/json.h"
#include "fuzz/roundtrip.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    segx::fuzz::check_roundtrip(
        text, [](std::string_view t) { return segx::parse_audience(t); },
        [](const segx::ValidationResult& r) { return r.audience; });
    return 0;
}
