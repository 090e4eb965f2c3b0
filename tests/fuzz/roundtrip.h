#pragma once
// The readers' shared property: text that reads, written back (to_json) and read again, reads
// to the same definition (each json.h promises from_json(to_json(x)) == x).

#include "fuzz/fuzz_check.h"

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace segx::fuzz {

template <class Parse, class Get>
void check_roundtrip(std::string_view text, Parse parse, Get get) {
    auto first = parse(text);
    if (!first.ok()) return;
    nlohmann::json written;
    to_json(written, get(first));
    const std::string once = written.dump(-1, ' ', false, nlohmann::json::error_handler_t::strict);
    auto second = parse(once);
    FUZZ_CHECK(second.ok(), "the written definition does not read back: " + once);
    nlohmann::json rewritten;
    to_json(rewritten, get(second));
    FUZZ_CHECK(rewritten == written, "written twice differently: " + once + " then " + rewritten.dump());
}

} // namespace segx::fuzz
