// lang/window: every window is (start, end] and never reaches past as-of (DESIGN §1).
#include "core/lang/window.h"
#include "core/time/civil.h"

#include <doctest/doctest.h>

namespace core_lang_window_test {

using namespace segx;

namespace {
const int64_t kAsOf = days_from_civil(2024, 3, 31) * kMicrosPerDay;
} // namespace

TEST_CASE("all time ends at as-of; last N days starts N whole days before it, exclusive") {
    std::vector<DefinitionError> errors;
    TimeSpan span;
    CHECK(resolve_window(WindowAllTime{}, kAsOf, "w", errors, &span));
    CHECK(span.lo == INT64_MIN);
    CHECK(span.hi == kAsOf);
    CHECK(resolve_window(WindowLastDays{30}, kAsOf, "w", errors, &span));
    CHECK(span.lo == kAsOf - 30 * kMicrosPerDay);
    CHECK(span.hi == kAsOf);
    CHECK(errors.empty());
}

TEST_CASE("a range is (from, to] cut at as-of; zone-less text is UTC") {
    std::vector<DefinitionError> errors;
    TimeSpan span;
    CHECK(resolve_window(WindowRange{"2024-03-01", "2024-12-31"}, kAsOf, "w", errors, &span));
    CHECK(span.lo == days_from_civil(2024, 3, 1) * kMicrosPerDay);
    CHECK(span.hi == kAsOf); // never past as-of
    CHECK(resolve_window(WindowRange{"", "2024-03-02T12:00:00Z"}, kAsOf, "w", errors, &span));
    CHECK(span.lo == INT64_MIN);
    CHECK(span.hi == days_from_civil(2024, 3, 2) * kMicrosPerDay + 12 * 3600 * int64_t(1000000));
    CHECK(errors.empty());
}

TEST_CASE("malformed windows are errors at their field's path") {
    std::vector<DefinitionError> errors;
    TimeSpan span;
    CHECK_FALSE(resolve_window(WindowLastDays{0}, kAsOf, "root.rules[0].window", errors, &span));
    CHECK_FALSE(resolve_window(WindowRange{"yesterday", ""}, kAsOf, "w", errors, &span));
    CHECK_FALSE(resolve_window(WindowRange{"", ""}, kAsOf, "v", errors, &span));
    REQUIRE(errors.size() == 3);
    CHECK(errors[0].path == "root.rules[0].window.last_days");
    CHECK(errors[1].path == "w.from");
    CHECK(errors[1].message.find("\"yesterday\"") != std::string::npos);
    CHECK(errors[2].path == "v");
}

} // namespace core_lang_window_test
