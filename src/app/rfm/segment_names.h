#pragma once
// The RFM templates' segment names in both languages. A definition stores one name per segment
// (the 10-segment grid's in English, the 8-class model's in Chinese, DESIGN §5) and keeps it:
// translation is display only. A stored name that is a template's is shown in the active
// language, with the other language's name beside it; a name a person typed is shown as typed.
#include "app/i18n/i18n.h"

#include <optional>
#include <string>
#include <string_view>

namespace segx {

// The string key of a template segment whose English or Chinese name is `stored`, if any.
std::optional<S> rfm_template_segment(std::string_view stored);
// `stored` in `lang`: the template's name in that language, else `stored` unchanged.
std::string rfm_segment_display_name(std::string_view stored, Language lang);
// The template's name in the language other than `lang`, or "" for a name no template has.
std::string rfm_segment_other_name(std::string_view stored, Language lang);

} // namespace segx
