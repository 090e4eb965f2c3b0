// Mapping panel: what each column of a file means (user id, time, event, revenue, order id),
// edited with pickers; every edit re-runs the mapping on the first rows at once, "Apply" rebuilds
// the model. The JS side validates the mapping and compiles it to SQL (web/mapping.js).
#include "app/i18n/i18n.h"
#include "app/theme.h"
#include "app/ui.h"
#include "core/time/parse.h"

#include "imgui.h"
#include "misc/cpp/imgui_stdlib.h"

#include <algorithm>
#include <cstdio>

namespace segx {

// A combo over the file's columns; returns true when the choice changed.
static bool column_combo(const char* label, std::string& value, const Table& raw, const char* none_label) {
    bool changed = false;
    const char* shown = value.empty() ? none_label : value.c_str();
    if (begin_combo(label, shown)) {
        if (none_label && ImGui::Selectable(none_label, value.empty())) value.clear(), changed = true;
        for (const Column& c : raw.columns) {
            ImGui::PushID(c.name.c_str());
            if (ImGui::Selectable(c.name.c_str(), value == c.name)) value = c.name, changed = true;
            ImGui::SameLine();
            ImGui::TextDisabled("%s", type_name(c.type));
            ImGui::PopID();
        }
        ImGui::EndCombo();
    }
    return changed;
}

static std::string offset_label(int minutes) {
    if (minutes == 0) return "UTC";
    char buf[32];
    int a = minutes < 0 ? -minutes : minutes;
    std::snprintf(buf, sizeof buf, "UTC%c%02d:%02d", minutes < 0 ? '-' : '+', a / 60, a % 60);
    return buf;
}

static bool timezone_combo(int& minutes) {
    bool changed = false;
    if (begin_combo(label(S::time_zone, "Time zone").c_str(), offset_label(minutes).c_str())) {
        for (int m = -12 * 60; m <= 14 * 60; m += 30) {
            if (ImGui::Selectable(offset_label(m).c_str(), m == minutes)) minutes = m, changed = true;
            if (m == minutes) ImGui::SetItemDefaultFocus();
        }
        ImGui::EndCombo();
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(S::time_zone_tip));
    return changed;
}

void draw_mapping_panel(Session& session, SourceFile& s, const Table& raw, UiState& ui) {
    Mapping& m = s.mapping;
    bool changed = false;
    float w = 260 * ui.scale;

    const char* kNone = tr(S::mapping_none);
    ImGui::TextUnformatted(tr(S::this_file_holds));
    for (const char* kind : kMappingKinds) {
        ImGui::SameLine();
        std::string radio = std::string(kind_word(kind)) + "###" + kind; // found as "orders" in any language
        if (ImGui::RadioButton(radio.c_str(), m.kind == kind)) m.kind = kind, changed = true;
    }
    ImGui::PushItemWidth(w);
    changed |= column_combo(label(S::map_user_id, "User id").c_str(), m.user_id, raw, kNone);
    if (m.kind != "users") {
        changed |= column_combo(label(S::map_time, "Time").c_str(), m.time, raw, kNone);
        ImGui::SameLine();
        ImGui::SetNextItemWidth(140 * ui.scale);
        if (begin_combo(label(S::map_time_format, "Format").c_str(), m.time_format.c_str())) {
            for (const TimeFormatName& f : kTimeFormatNames)
                if (ImGui::Selectable(f.name, m.time_format == f.name))
                    m.time_format = f.name, changed = true;
            ImGui::EndCombo();
        }
        ImGui::SameLine();
        ImGui::SetNextItemWidth(130 * ui.scale);
        changed |= timezone_combo(m.tz_offset_minutes);
        if (m.kind == "orders") {
            ImGui::TextDisabled("%s", trf(S::orders_every_row, {"\"purchase\"", "\"refund\""}).c_str());
        } else {
            changed |=
                column_combo(label(S::map_event, "Event").c_str(), m.event, raw, tr(S::mapping_constant));
        }
        if (m.kind == "events" && m.event.empty()) {
            ImGui::SameLine();
            ImGui::SetNextItemWidth(160 * ui.scale);
            changed |= ImGui::InputTextWithHint(
                "##event_constant", trf(S::event_constant_hint, {"purchase"}).c_str(), &m.event_constant);
        }
        changed |= column_combo(label(S::map_revenue, "Revenue").c_str(), m.revenue, raw,
                                m.revenue_expr.empty() ? kNone : tr(S::mapping_expression));
        ImGui::SameLine();
        ImGui::SetNextItemWidth(w);
        changed |= ImGui::InputTextWithHint(
            "##revenue_expr", trf(S::revenue_expr_hint, {"\"Quantity\" * \"UnitPrice\""}).c_str(),
            &m.revenue_expr);
        changed |= column_combo(label(S::map_order_id, "Order id").c_str(), m.order_id, raw, kNone);
        if (m.kind == "orders") {
            // A status column can mark refunds too: its listed values make the row a refund.
            changed |= column_combo(label(S::map_refund_status, "Refund status").c_str(), m.refund_status,
                                    raw, kNone);
            if (!m.refund_status.empty()) {
                ImGui::SameLine();
                ImGui::SetNextItemWidth(w);
                std::string joined;
                for (const std::string& v : m.refund_values) joined += (joined.empty() ? "" : ", ") + v;
                if (ImGui::InputTextWithHint("##refund_values",
                                             trf(S::refund_values_hint, {"已退款, refunded"}).c_str(),
                                             &joined)) {
                    m.refund_values.clear();
                    size_t start = 0;
                    while (start <= joined.size()) {
                        size_t comma = joined.find(',', start);
                        if (comma == std::string::npos) comma = joined.size();
                        std::string v = joined.substr(start, comma - start);
                        // Leading spaces only, and empty values kept: the text re-joins as typed
                        // ("a, " stays); the SQL skips empty values (web/mapping.js).
                        v.erase(0, std::min(v.size(), v.find_first_not_of(' ')));
                        m.refund_values.push_back(v);
                        start = comma + 1;
                    }
                    changed = true;
                }
            }
        }
    }
    ImGui::SetNextItemWidth(w * 2);
    changed |= ImGui::InputTextWithHint(
        label(S::row_filter, "Row filter").c_str(),
        trf(S::row_filter_hint, {"NOT starts_with(\"InvoiceNo\", 'C')"}).c_str(), &m.filter);
    ImGui::PopItemWidth();

    if (ImGui::TreeNode(m.kind == "users" ? label(S::map_attributes, "Attributes").c_str()
                                          : label(S::map_event_properties, "Event properties").c_str())) {
        for (const Column& c : raw.columns) {
            if (c.name == m.user_id || c.name == m.time || c.name == m.event || c.name == m.order_id ||
                c.name == m.revenue)
                continue;
            bool on = std::find(m.columns.begin(), m.columns.end(), c.name) != m.columns.end();
            if (ImGui::Checkbox(c.name.c_str(), &on)) {
                if (on)
                    m.columns.push_back(c.name);
                else
                    m.columns.erase(std::remove(m.columns.begin(), m.columns.end(), c.name), m.columns.end());
                changed = true;
            }
        }
        ImGui::TreePop();
    }

    for (const std::string& p : s.mapping_problems) ImGui::TextColored(kErrorText, "%s", shown(p).c_str());
    bool dirty = m != s.applied;
    ImGui::BeginDisabled(!dirty || !s.mapping_problems.empty() || s.state == LoadState::Loading);
    if (ImGui::Button(label(S::apply_mapping, "Apply mapping").c_str()))
        ui.mapping_request = {s.name, m, true};
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::BeginDisabled(!dirty);
    if (ImGui::Button(label(S::revert, "Revert").c_str())) m = s.applied, changed = true;
    ImGui::EndDisabled();
    if (dirty) {
        ImGui::SameLine();
        ImGui::TextDisabled("%s", tr(S::mapping_edited));
    }
    // The preview of the current mapping is fetched when the panel first shows it.
    if (changed || (!s.preview_requested && s.state == LoadState::Ready)) {
        ui.mapping_request = {s.name, m, false};
        s.preview_requested = true;
    }
    (void)session;

    ImGui::Spacing();
    ImGui::TextUnformatted(tr(S::mapped_rows_first));
    draw_table_rows("##mapped_preview", s.mapped_preview, false);
}

} // namespace segx
