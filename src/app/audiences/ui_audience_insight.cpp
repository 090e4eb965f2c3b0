// The insight panel (what sets the members apart: attribute values with lift, purchase
// intervals, active hours) and the overlap matrix of saved audiences.
#include "app/audiences/ui_audience.h"
#include "app/charts.h"
#include "app/i18n/i18n.h"
#include "app/theme.h"

#include "imgui.h"

#include <algorithm>
#include <cstdio>

namespace segx {

// Monday first, as the heat map's rows; in the active language ("Mon" / "周一").
static const S kWeekdays[7] = {S::weekday_mon, S::weekday_tue, S::weekday_wed, S::weekday_thu,
                               S::weekday_fri, S::weekday_sat, S::weekday_sun};

static void draw_heatmap(const ActivityHeatmap& h, float scale) {
    float label_w = 34 * scale, cell_w = std::max(8.0f, (ImGui::GetContentRegionAvail().x - label_w) / 24),
          cell_h = 14 * scale;
    ImVec2 origin = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImVec2 mouse = ImGui::GetIO().MousePos;
    int hover_d = -1, hover_h = -1;
    for (int d = 0; d < 7; ++d) {
        float y = origin.y + d * cell_h;
        dl->AddText(ImVec2(origin.x, y), ImGui::GetColorU32(ImGuiCol_TextDisabled), tr(kWeekdays[d]));
        for (int hour = 0; hour < 24; ++hour) {
            ImVec2 a(origin.x + label_w + hour * cell_w, y), b(a.x + cell_w - 1, y + cell_h - 1);
            double t = h.max_cell ? double(h.events[size_t(d)][size_t(hour)]) / double(h.max_cell) : 0.0;
            dl->AddRectFilled(a, b, heat_color(t));
            if (mouse.x >= a.x && mouse.x < b.x + 1 && mouse.y >= a.y && mouse.y < b.y + 1)
                hover_d = d, hover_h = hour;
        }
    }
    for (int hour = 0; hour < 24; hour += 6) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "%02d", hour);
        dl->AddText(ImVec2(origin.x + label_w + hour * cell_w, origin.y + 7 * cell_h + 2),
                    ImGui::GetColorU32(ImGuiCol_TextDisabled), buf);
    }
    ImGui::Dummy(ImVec2(label_w + 24 * cell_w, 7 * cell_h + ImGui::GetTextLineHeight() + 4));
    if (hover_d >= 0 && ImGui::IsWindowHovered()) {
        char hours[32];
        std::snprintf(hours, sizeof hours, "%02d:00-%02d:59", hover_h, hover_h);
        ImGui::SetTooltip(
            "%s", trf(S::heatmap_tip, {tr(kWeekdays[hover_d]), hours,
                                       format_count(double(h.events[size_t(hover_d)][size_t(hover_h)]))})
                      .c_str());
    }
}

static void draw_attribute(const AttributeInsight& a) {
    if (!ImGui::TreeNodeEx(a.attribute.c_str(), ImGuiTreeNodeFlags_DefaultOpen)) return;
    ImGuiTableFlags flags =
        ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchProp;
    if (ImGui::BeginTable("##values", 4, flags)) {
        ImGui::TableSetupColumn(
            a.ranges ? label(S::col_range, "Range").c_str() : label(S::col_value, "Value").c_str(),
            ImGuiTableColumnFlags_WidthStretch, 3);
        ImGui::TableSetupColumn(label(S::col_members, "Members").c_str(), ImGuiTableColumnFlags_WidthStretch,
                                1.3f);
        ImGui::TableSetupColumn(label(S::col_all_users, "All users").c_str(),
                                ImGuiTableColumnFlags_WidthStretch, 1.3f);
        ImGui::TableSetupColumn(label(S::col_lift, "Lift").c_str(), ImGuiTableColumnFlags_WidthStretch, 1);
        ImGui::TableHeadersRow();
        auto row = [](const std::string& value, uint64_t members, double member_share, double all_share,
                      double lift, bool show_lift) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(value.empty() ? tr(S::empty_text) : value.c_str());
            ImGui::TableNextColumn();
            ImGui::Text("%.1f%%", member_share * 100);
            if (ImGui::IsItemHovered())
                ImGui::SetTooltip("%s members", format_count(double(members)).c_str());
            ImGui::TableNextColumn();
            ImGui::Text("%.1f%%", all_share * 100);
            ImGui::TableNextColumn();
            if (!show_lift) return;
            ImVec4 c = lift >= 1.2   ? kHighLiftText
                       : lift <= 0.8 ? kLowLiftText
                                     : ImGui::GetStyleColorVec4(ImGuiCol_Text);
            ImGui::TextColored(c, "%.2fx", lift);
        };
        for (const ValueLift& v : a.values)
            row(v.value, v.members, v.member_share, v.all_share, v.lift, true);
        if (a.members_not_set || a.users_not_set) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextDisabled("%s", tr(S::not_set));
            ImGui::TableNextColumn();
            ImGui::TextDisabled("%s", format_count(double(a.members_not_set)).c_str());
            ImGui::TableNextColumn();
            ImGui::TextDisabled("%s", format_count(double(a.users_not_set)).c_str());
        }
        ImGui::EndTable();
    }
    ImGui::TreePop();
}

void draw_audience_insight(Session& session, AudienceState& st, UiState& ui) {
    if (!st.errors.empty()) {
        ImGui::TextDisabled("%s", tr(S::insight_fix_first));
        return;
    }
    refresh_insight(session, st);
    const AudienceInsight& in = st.insight;
    ImGui::TextUnformatted(
        trf(S::members_of_users, {format_count(double(in.members)), format_count(double(in.users))}).c_str());
    if (in.members == 0) {
        ImGui::TextDisabled("%s", tr(S::insight_nobody));
        return;
    }
    ImGui::Spacing();
    ImGui::TextUnformatted(tr(S::insight_purchases));
    const PurchaseIntervals& p = in.purchases;
    ImGui::TextDisabled("%s", trf(S::purchases_none_one_repeat, {format_count(double(p.members_no_purchase)),
                                                                 format_count(double(p.members_one_purchase)),
                                                                 format_count(double(p.members_repeat))})
                                  .c_str());
    if (p.intervals) {
        char median[32], mean[32];
        std::snprintf(median, sizeof median, "%.1f", p.median_days);
        std::snprintf(mean, sizeof mean, "%.1f", p.mean_days);
        ImGui::TextDisabled(
            "%s", trf(S::days_between_purchases, {median, mean, format_count(double(p.intervals))}).c_str());
        std::vector<std::string> labels;
        std::vector<double> counts;
        for (size_t b = 0; b < kIntervalBuckets; ++b)
            labels.push_back(trf(S::n_days, {interval_bucket_label(b)})),
                counts.push_back(double(p.histogram[b]));
        bar_list("##purchase_interval", labels.data(), counts.data(), labels.size(),
                 ImGui::GetContentRegionAvail().x);
    }
    ImGui::Spacing();
    ImGui::TextUnformatted(tr(S::active_hours));
    draw_heatmap(in.activity, ui.scale);
    ImGui::Spacing();
    ImGui::TextUnformatted(tr(S::attributes_vs_all));
    for (const AttributeInsight& a : in.attributes) {
        ImGui::PushID(a.attribute.c_str());
        draw_attribute(a);
        ImGui::PopID();
    }
}

void draw_audience_overlap(Session& session, AudienceState& st, UiState& ui) {
    refresh_overlap(session, st);
    const AudienceState::Overlap& o = st.overlap;
    for (const std::string& p : o.problems) ImGui::TextColored(kAttentionText, "%s", p.c_str());
    size_t n = o.names.size();
    if (n < 2) {
        ImGui::TextDisabled("%s", tr(S::overlap_need_two));
        return;
    }
    ImGui::TextDisabled("%s", tr(S::overlap_caption));
    ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_ScrollX | ImGuiTableFlags_ScrollY |
                            ImGuiTableFlags_SizingFixedFit;
    if (!ImGui::BeginTable(
            "##overlap", int(n) + 1, flags,
            ImVec2(0, std::max(4 * ImGui::GetFrameHeightWithSpacing(),
                               std::min(ImGui::GetContentRegionAvail().y,
                                        (n + 2) * ImGui::GetFrameHeightWithSpacing() * 1.6f)))))
        return;
    ImGui::TableSetupScrollFreeze(1, 1);
    // Names take at most 160 px (cut, the whole name on hover), so the counts stay in view.
    ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, 160 * ui.scale);
    for (size_t j = 0; j < n; ++j)
        ImGui::TableSetupColumn(o.names[j].c_str(), ImGuiTableColumnFlags_WidthFixed, 110 * ui.scale);
    ImGui::TableHeadersRow();
    for (size_t i = 0; i < n; ++i) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(o.names[i].c_str());
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", o.names[i].c_str());
        size_t size_i = o.counts[i * n + i];
        for (size_t j = 0; j < n; ++j) {
            ImGui::TableNextColumn();
            size_t c = o.counts[i * n + j];
            double share = size_i ? double(c) / double(size_i) : 0.0;
            ImGui::TableSetBgColor(ImGuiTableBgTarget_CellBg, heat_color(share * 0.8));
            // The count and share in the one colour that reads on this cell's colour.
            ImGui::PushStyleColor(ImGuiCol_Text, heat_text_color(share * 0.8));
            ImGui::Text("%s  %s", format_count(double(c)).c_str(), format_percent(share, 0).c_str());
            ImGui::PopStyleColor();
            if (ImGui::IsItemHovered())
                ImGui::SetTooltip(
                    "%s", trf(S::overlap_tip,
                              {format_count(double(c)), format_count(double(size_i)), o.names[i], o.names[j]})
                              .c_str());
        }
    }
    ImGui::EndTable();
}

} // namespace segx
