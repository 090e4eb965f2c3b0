#include "app/rfm/segment_names.h"

#include "app/i18n/i18n.h"

namespace segx {

namespace {

// Both templates of core/rfm/definition.cpp (default_rfm_segments), in its order.
const S kTemplateSegments[] = {S::rfm_seg_champions,           S::rfm_seg_loyal,
                               S::rfm_seg_potential_loyalists, S::rfm_seg_new_customers,
                               S::rfm_seg_promising,           S::rfm_seg_need_attention,
                               S::rfm_seg_about_to_sleep,      S::rfm_seg_at_risk,
                               S::rfm_seg_cant_lose,           S::rfm_seg_hibernating,
                               S::rfm_seg_important_value,     S::rfm_seg_important_develop,
                               S::rfm_seg_important_keep,      S::rfm_seg_important_winback,
                               S::rfm_seg_general_value,       S::rfm_seg_general_develop,
                               S::rfm_seg_general_keep,        S::rfm_seg_general_winback};

} // namespace

std::optional<S> rfm_template_segment(std::string_view stored) {
    for (S key : kTemplateSegments)
        if (stored == tr(key, Language::En) || stored == tr(key, Language::Zh)) return key;
    return std::nullopt;
}

std::string rfm_segment_display_name(std::string_view stored, Language lang) {
    std::optional<S> key = rfm_template_segment(stored);
    return key ? std::string(tr(*key, lang)) : std::string(stored);
}

std::string rfm_segment_other_name(std::string_view stored, Language lang) {
    std::optional<S> key = rfm_template_segment(stored);
    if (!key) return "";
    return tr(*key, lang == Language::Zh ? Language::En : Language::Zh);
}

} // namespace segx
