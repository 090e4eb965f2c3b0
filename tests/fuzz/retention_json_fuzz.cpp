// Retention definition JSON (core/retention/json.h): never throws or crashes, and what reads
// round-trips.
#include "core/retention/json.h"
#include "core/run/run.h"
#include "fuzz/roundtrip.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    segx::fuzz::check_roundtrip(
        text, [](std::string_view t) { return segx::parse_retention(t, segx::check_audience_group); },
        [](const segx::RetentionValidation& r) { return r.retention; });
    return 0;
}
