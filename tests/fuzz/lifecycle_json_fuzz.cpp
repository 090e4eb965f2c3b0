// Lifecycle and board definition JSON (core/lifecycle/json.h): both readers take every input
// (one reads what the other refuses); never throw or crash, and what reads round-trips.
#include "core/lifecycle/json.h"
#include "core/run/run.h"
#include "fuzz/roundtrip.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    segx::fuzz::check_roundtrip(
        text, [](std::string_view t) { return segx::parse_lifecycle(t, segx::check_audience_group); },
        [](const segx::LifecycleValidation& r) { return r.lifecycle; });
    segx::fuzz::check_roundtrip(
        text, [](std::string_view t) { return segx::parse_board(t, segx::check_audience_group); },
        [](const segx::BoardValidation& r) { return r.board; });
    return 0;
}
