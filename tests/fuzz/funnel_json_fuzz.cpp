// Funnel definition JSON (core/funnel/json.h), its audience filter checked by the audience
// reader as the run entry does: never throws or crashes, and what reads round-trips.
#include "core/funnel/json.h"
#include "core/run/run.h"
#include "fuzz/roundtrip.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    segx::fuzz::check_roundtrip(
        text, [](std::string_view t) { return segx::parse_funnel(t, segx::check_audience_group); },
        [](const segx::FunnelValidation& r) { return r.funnel; });
    return 0;
}
