// Template segment names are shown in the active language (the stored name is kept), with the
// other language's beside; names people typed are shown as typed.
#include "app/rfm/segment_names.h"

#include "core/rfm/definition.h"

#include <doctest/doctest.h>

#include <set>

namespace app_rfm_segment_names_test {

using namespace segx;

TEST_CASE("every segment of both default templates has a name in each language") {
    std::set<std::string> zh_names;
    for (RfmMethod method : {RfmMethod::Quantile, RfmMethod::Mean})
        for (const RfmSegment& s : default_rfm_segments(method)) {
            CAPTURE(s.name);
            REQUIRE(rfm_template_segment(s.name).has_value());
            std::string en = rfm_segment_display_name(s.name, Language::En);
            std::string zh = rfm_segment_display_name(s.name, Language::Zh);
            CHECK(en != zh);
            CHECK(zh_names.insert(zh).second); // no two segments share a Chinese name
            CHECK(rfm_segment_other_name(s.name, Language::En) == zh);
            CHECK(rfm_segment_other_name(s.name, Language::Zh) == en);
        }
    CHECK(zh_names.size() == 18);
}

TEST_CASE("the 10-segment grid's English names read in Chinese, the 8-class model's Chinese in English") {
    CHECK(rfm_segment_display_name("Champions", Language::Zh) == "冠军客户");
    CHECK(rfm_segment_display_name("Champions", Language::En) == "Champions");
    CHECK(rfm_segment_display_name("At Risk", Language::Zh) == "流失风险客户");
    CHECK(rfm_segment_display_name("重要价值客户", Language::Zh) == "重要价值客户");
    CHECK(rfm_segment_display_name("重要价值客户", Language::En) == "Important Value");
    CHECK(rfm_segment_display_name("一般挽留客户", Language::En) == "General Win-back");
}

TEST_CASE("a renamed segment is shown as typed, with nothing beside it") {
    CHECK(rfm_segment_display_name("VIP 会员", Language::En) == "VIP 会员");
    CHECK(rfm_segment_display_name("Champions!", Language::Zh) == "Champions!");
    CHECK(rfm_segment_other_name("Segment 11", Language::Zh) == "");
    CHECK(!rfm_template_segment("champions").has_value()); // exact names only
}

} // namespace app_rfm_segment_names_test
