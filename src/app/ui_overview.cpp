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
// `id` is language-free: tests find the figure as "##kpi <id>".
static void kpi(const char* id, const char* label, double exact, const std::string& value, const char* tip,
                float min_w, bool first = false) {
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
    widget_registry_note_last_item((std::string("##kpi ") + id).c_str()); // where tests find it
    if (ImGui::IsItemHovered()) {
        // A figure shortened to 万 / 亿 shows its exact value on hover.
        std::string exact_text = exact == exact ? format_count(exact) : std::string();
        if (!exact_text.empty() && exact_text != value)
            ImGui::SetTooltip("%s\n%s", exact_text.c_str(), tip);
        else
            ImGui::SetTooltip("%s", tip);
    }
}

static std::string money(double v) { return format_money(v); }

// The field shows the model's as-of whenever it is not being edited: after every load, reload
// or removal it follows the data (re-formatted only when the value changes). Enter applies what
// was typed; Enter on the unchanged text applies nothing, so it never pins a stale time.
static void draw_as_of(Session& session, UiState& ui) {
    auto as_of = session.as_of_us();
    ImGui::TextDisabled("%s", tr(S::as_of));
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
            session.post(Level::Info, trf(S::as_of_set, {format_timestamp_us(us)}));
        } else {
            session.post(Level::Error, trf(S::as_of_unreadable, {ui.as_of_text}));
        }
        ui.as_of_stale = true;
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(S::as_of_tip));
    ImGui::SameLine();
    ImGui::BeginDisabled(!session.as_of_override);
    if (ImGui::SmallButton(label(S::latest_event, "Latest event").c_str()))
        session.as_of_override.reset(), ui.as_of_stale = true;
    ImGui::EndDisabled();
}

// Refunds beside revenue, and what the model merged or noticed across files (DESIGN §2).
static void draw_merge_notes(const Model& model, const Overview& o) {
    if (o.refunds > 0) {
        ImGui::TextUnformatted(trf(S::refunds_line, {format_count(double(o.refunds)), money(o.refund_amount),
                                                     money(o.net_revenue)})
                                   .c_str());
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", trf(S::refunds_tip, {"'refund'"}).c_str());
    }
    if (o.merged_purchases > 0) {
        ImGui::TextUnformatted(trf(S::merged_purchases, {format_count(double(o.merged_purchases))}).c_str());
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(S::merged_purchases_tip));
    }
    for (const auto& d : model.duplicate_sources)
        ImGui::TextColored(kAttentionText, "%s", trf(S::duplicate_source, {d.first, d.second}).c_str());
}

void draw_overview(Session& session, UiState& ui) {
    session.rebuild_model_if_dirty();
    const Overview& o = session.overview;
    if (o.users == 0) {
        ImGui::Spacing();
        ImGui::PushTextWrapPos(0);
        ImGui::TextDisabled("%s", tr(S::overview_empty));
        ImGui::PopTextWrapPos();
        if (session.sources.empty()) { // a demo never mixes with the user's own files
            ImGui::Spacing();
            ImGui::TextDisabled("%s", tr(S::demo_offer));
            ImGui::SameLine();
            draw_demo_picker(session, ui);
        }
        return;
    }
    draw_as_of(session, ui);
    ImGui::Spacing();
    float col = 135 * ui.scale;
    auto count_kpi = [&](const char* id, S name, double n, S tip, bool first = false) {
        kpi(id, tr(name), n, format_kpi(n), tr(tip), col, first);
    };
    count_kpi("Users", S::kpi_users, double(o.users), S::kpi_users_tip, true);
    count_kpi("Customers", S::kpi_customers, double(o.customers), S::kpi_customers_tip);
    count_kpi("Events", S::kpi_events, double(o.events), S::kpi_events_tip);
    count_kpi("Orders", S::kpi_orders, double(o.orders), S::kpi_orders_tip);
    // Revenue: 万 / 亿 in Chinese from 100,000 up, else the amount with cents.
    std::string revenue =
        std::fabs(o.revenue) >= 1e5 && language() == Language::Zh ? format_kpi(o.revenue) : money(o.revenue);
    kpi("Revenue", tr(S::kpi_revenue), NAN, revenue, tr(S::kpi_revenue_tip), col);
    if (revenue != money(o.revenue) && ImGui::IsItemHovered())
        ImGui::SetTooltip("%s\n%s", money(o.revenue).c_str(), tr(S::kpi_revenue_tip));
    if (o.first_us != INT64_MIN) {
        std::string span = format_date_us(o.first_us) + " – " + format_date_us(o.last_us);
        kpi("Date span", tr(S::kpi_date_span), NAN, span, tr(S::kpi_date_span_tip), col);
    }
    draw_merge_notes(session.model, o);
    ImGui::Spacing();
    ImGui::Separator();
    ImGui::TextUnformatted(tr(S::events_per_day));
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
    ImGui::TextUnformatted(tr(S::top_events));
    std::vector<std::string> names;
    std::vector<double> counts;
    for (const EventCount& e : o.top_events) names.push_back(e.name), counts.push_back(double(e.events));
    bar_list("##top_events", names.data(), counts.data(), names.size(),
             std::min(700 * ui.scale, ImGui::GetContentRegionAvail().x));
}

} // namespace segx
