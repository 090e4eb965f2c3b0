// RFM settings JSON (core/rfm/json.h): never throws or crashes, and what reads round-trips.
#include "core/rfm/json.h"
#include "fuzz/roundtrip.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    segx::fuzz::check_roundtrip(
        text, [](std::string_view t) { return segx::parse_rfm(t); },
        [](const segx::RfmValidation& r) { return r.rfm; });
    return 0;
}
