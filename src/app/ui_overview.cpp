// Overview tab: the headline figures of everything loaded, events per day, the top events, and
// the as-of time every analysis is relative to.
#include "app/charts.h"
#include "app/i18n/i18n.h"
#include "app/theme.h"
#include "app/ui.h"
#include "app/widget_registry.h"

#include "core/time/civil.h"
#include "core/time/parse.h"
#include "imgui.h"
#include "misc/cpp/imgui_stdlib.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <vector>

namespace segx {

// One headline figure, at least `min_w` wide; figures wrap to the next line when the window
// is narrow (flow_same_line), never overlapping.
static void kpi(const char* label, const std::string& value, const char* tip, float min_w,
                bool first = false) {
    float w =
        std::max(min_w, std::max(ImGui::CalcTextSize(label).x, ImGui::CalcTextSize(value.c_str()).x * 1.5f));
    if (!first) flow_same_line(w);
    ImGui::BeginGroup();
    ImGui::TextDisabled("%s", label);
    ImGui::SetWindowFontScale(1.5f);
    ImGui::TextUnformatted(value.c_str());
    ImGui::SetWindowFontScale(1.0f);
    ImGui::Dummy(ImVec2(w, 0));
    ImGui::EndGroup();
    widget_registry_note_last_item((std::string("##kpi ") + label).c_str()); // where tests find it
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tip);
}

static std::string money(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.2f", v);
    std::string s(buf);
    size_t dot = s.find('.');
    std::string whole = format_count(std::trunc(v));
    return whole + s.substr(dot);
}

// The field shows the model's as-of whenever it is not being edited: after every load, reload
// or removal it follows the data (re-formatted only when the value changes). Enter applies what
// was typed; Enter on the unchanged text applies nothing, so it never pins a stale time.
static void draw_as_of(Session& session, UiState& ui) {
    auto as_of = session.as_of_us();
    ImGui::TextDisabled("As of");
    ImGui::SameLine();
    if (!ui.as_of_editing && (ui.as_of_stale || ui.as_of_shown != as_of)) {
        ui.as_of_text = as_of ? format_timestamp_us(*as_of) : std::string();
        ui.as_of_shown = as_of;
        ui.as_of_stale = false;
    }
    ImGui::SetNextItemWidth(220 * ui.scale);
    bool entered = ImGui::InputText("##as_of", &ui.as_of_text, ImGuiInputTextFlags_EnterReturnsTrue);
    ui.as_of_editing = ImGui::IsItemActive();
    if (ImGui::IsItemDeactivated()) ui.as_of_stale = true; // typed but not applied: show the model's again
    if (entered && ui.as_of_text != (as_of ? format_timestamp_us(*as_of) : std::string())) {
        int64_t us = 0;
        if (parse_time_text(ui.as_of_text, TimeFormat::Auto, 0, &us)) {
            session.as_of_override = us;
            session.post(Level::Info, "As-of time set to " + format_timestamp_us(us));
        } else {
            session.post(Level::Error, "As-of time: cannot read \"" + ui.as_of_text +
                                           "\" as a date or time (try 2026-10-31 23:59:59)");
        }
        ui.as_of_stale = true;
    }
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Every analysis is relative to this time (UTC). Press Enter to apply.");
    ImGui::SameLine();
    ImGui::BeginDisabled(!session.as_of_override);
    if (ImGui::SmallButton("Latest event")) session.as_of_override.reset(), ui.as_of_stale = true;
    ImGui::EndDisabled();
}

// Refunds beside revenue, and what the model merged or noticed across files (DESIGN §2).
static void draw_merge_notes(const Model& model, const Overview& o) {
    if (o.refunds > 0) {
        ImGui::Text("Refunds: %s (%s) · net revenue %s", format_count(double(o.refunds)).c_str(),
                    money(o.refund_amount).c_str(), money(o.net_revenue).c_str());
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip(
                "Orders-file rows with a negative amount (returns, cancellations, discounts) and "
                "'refund' events. Revenue counts purchases only; net revenue subtracts the refunds.");
    }
    if (o.merged_purchases > 0) {
        ImGui::Text("%s duplicate purchases merged", format_count(double(o.merged_purchases)).c_str());
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip(
                "Purchases with the same user and order id in several files count once: the file "
                "that gives the order its amount keeps it, the others fill in its missing details.");
    }
    for (const auto& d : model.duplicate_sources)
        ImGui::TextColored(kAttentionText, "%s holds the same rows as %s: loaded twice?", d.first.c_str(),
                           d.second.c_str());
}

void draw_overview(Session& session, UiState& ui) {
    session.rebuild_model_if_dirty();
    const Overview& o = session.overview;
    if (o.users == 0) {
        ImGui::Spacing();
        ImGui::TextDisabled(
            "No mapped data yet. Load users, events or orders files, and check their mapping in the Data "
            "tab.");
        return;
    }
    draw_as_of(session, ui);
    ImGui::Spacing();
    float col = 135 * ui.scale;
    kpi("Users", format_count(double(o.users)), "Every user id in any mapped file", col, true);
    kpi("Customers", format_count(double(o.customers)), "Users with at least one purchase", col);
    kpi("Events", format_count(double(o.events)), "Events and orders, after rejected rows", col);
    kpi("Orders", format_count(double(o.orders)),
        "Distinct order ids among purchases (purchases without an id count once each)", col);
    kpi("Revenue", money(o.revenue), "Sum of the amounts of all purchases", col);
    if (o.first_us != INT64_MIN) {
        std::string span = format_date_us(o.first_us) + " – " + format_date_us(o.last_us);
        kpi("Date span", span, "First and last event (UTC)", col);
    }
    draw_merge_notes(session.model, o);
    ImGui::Spacing();
    ImGui::Separator();
    ImGui::TextUnformatted("Events per day");
    std::vector<double> per_day(o.per_day.size());
    for (size_t i = 0; i < per_day.size(); ++i) per_day[i] = double(o.per_day[i].events);
    float chart_h = std::max(160 * ui.scale, ImGui::GetContentRegionAvail().y * 0.45f);
    line_chart(
        "##events_per_day", per_day.data(), per_day.size(),
        [&](size_t i) { return format_date_us(o.per_day[i].day * kMicrosPerDay); }, ImVec2(0, chart_h));
    if (o.per_day_outside > 0 && !o.per_day.empty())
        ImGui::TextDisabled(
            "%s", trf(S::overview_chart_outside, {format_count(double(o.per_day_outside)),
                                                  format_date_us(o.per_day.front().day * kMicrosPerDay),
                                                  format_date_us(o.per_day.back().day * kMicrosPerDay)})
                      .c_str());
    ImGui::Spacing();
    ImGui::TextUnformatted("Top events");
    std::vector<std::string> names;
    std::vector<double> counts;
    for (const EventCount& e : o.top_events) names.push_back(e.name), counts.push_back(double(e.events));
    bar_list("##top_events", names.data(), counts.data(), names.size(),
             std::min(700 * ui.scale, ImGui::GetContentRegionAvail().x));
}

} // namespace segx
