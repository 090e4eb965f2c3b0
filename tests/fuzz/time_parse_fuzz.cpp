// The time parser (core/time/parse.h): every format on any text, with any zone offset. A time
// that parses is a real calendar time: formatted back and read as ISO at UTC it is the same
// microsecond (years 1..9999), and a date-only text reads to a midnight at the offset.
#include "core/time/civil.h"
#include "core/time/parse.h"
#include "fuzz/fuzz_check.h"

#include <cstring>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace segx;
    if (size < 2) return 0;
    // First byte: the zone offset (-14h..+14h in quarter hours); the rest: the text.
    const int offset = (int(data[0]) % 113 - 56) * 15;
    std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);

    for (const TimeFormatName& f : kTimeFormatNames) {
        int64_t us = 0;
        if (!parse_time_text(text, f.format, offset, &us)) continue;
        int y;
        unsigned m, d;
        civil_from_days(floor_div(us, kMicrosPerDay), y, m, d);
        FUZZ_CHECK(m >= 1 && m <= 12 && d >= 1 && d <= 31, "not a calendar date");
        if (y >= 1 && y <= 9999) {
            int64_t back = 0;
            const std::string iso = format_timestamp_us(us) + "Z";
            FUZZ_CHECK(parse_time_text(iso, TimeFormat::Iso, 0, &back),
                       "formatted time does not read: " + iso);
            FUZZ_CHECK(back == us, "formatted time reads differently: " + iso);
        }
    }

    // Numbers: the text's bytes as a double, in every numeric format.
    if (size >= 9) {
        double v;
        std::memcpy(&v, data + 1, sizeof v);
        for (TimeFormat f : {TimeFormat::UnixSeconds, TimeFormat::UnixMillis, TimeFormat::ExcelSerial,
                             TimeFormat::YmdCompact}) {
            int64_t us = 0;
            (void)convert_time_number(v, f, offset, &us);
        }
        std::vector<double> samples;
        for (size_t i = 1; i + 8 <= size; i += 8) {
            std::memcpy(&v, data + i, sizeof v);
            samples.push_back(v);
        }
        (void)detect_number_format(samples);
    }

    // Detection over the text split at newlines.
    std::vector<std::string_view> samples;
    size_t start = 0;
    for (size_t i = 0; i <= text.size(); i++)
        if (i == text.size() || text[i] == '\n') {
            samples.push_back(text.substr(start, i - start));
            start = i + 1;
        }
    (void)detect_text_format(samples);
    return 0;
}
