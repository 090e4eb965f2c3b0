// The Funnels tab: the builder on the left (every widget labelled with its JSON path, as in the
// audience builder, so browser tests can click it), the answer on the right: the step chart,
// the breakdown table and the time-to-convert histogram.
#include "app/funnels/ui_funnels.h"
#include "core/lang/messages.h"

#include "app/audiences/ui_audience.h" // pickers and event filters, shared with the audience builder
#include "app/charts.h"
#include "app/i18n/i18n.h"
#include "app/saved_rail.h"
#include "app/theme.h"
#include "app/widget_registry.h"
#include "imgui.h"
#include "misc/cpp/imgui_stdlib.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace segx {

using json = nlohmann::json;

std::string format_seconds(double s) {
    char buf[32];
    if (s < 60) {
        std::snprintf(buf, sizeof buf, "%.0f", s);
        return trf(S::fn_seconds, {buf});
    }
    if (s < 3600) {
        std::snprintf(buf, sizeof buf, "%.1f", s / 60);
        return trf(S::fn_minutes, {buf});
    }
    if (s < 86400) {
        std::snprintf(buf, sizeof buf, "%.1f", s / 3600);
        return trf(S::fn_hours, {buf});
    }
    std::snprintf(buf, sizeof buf, "%.1f", s / 86400);
    return trf(S::fn_days, {buf});
}

namespace {

// Move up, move down, remove, at the start of a row; `*action` is -1 / +1 / 2 when pressed.
void row_buttons(size_t i, size_t n, bool removable, const std::string& path, int* action) {
    std::string up = "##" + path + ".up", down = "##" + path + ".down";
    ImGui::BeginDisabled(i == 0);
    if (ImGui::ArrowButton(up.c_str(), ImGuiDir_Up)) *action = -1;
    widget_registry_note_last_item(up.c_str()); // arrow buttons report no label to the hooks
    ImGui::EndDisabled();
    ImGui::SameLine(0, 2);
    ImGui::BeginDisabled(i + 1 == n);
    if (ImGui::ArrowButton(down.c_str(), ImGuiDir_Down)) *action = 1;
    widget_registry_note_last_item(down.c_str());
    ImGui::EndDisabled();
    ImGui::SameLine(0, 2);
    ImGui::BeginDisabled(!removable);
    if (ImGui::SmallButton(("x##" + path).c_str())) *action = 2;
    ImGui::EndDisabled();
    ImGui::SameLine();
}

// A step's or an exclusion's `where` list.
bool where_list(Session& session, const std::string& event, std::vector<EventFilter>& where,
                const std::string& path) {
    bool changed = false;
    int remove = -1;
    ImGui::Indent(24 * ui_unit());
    for (size_t j = 0; j < where.size(); ++j) {
        ImGui::PushID(int(j));
        std::string where_path = path + ".where[" + std::to_string(j) + "]";
        changed |= draw_event_filter(session, event, where[j], where_path);
        ImGui::SameLine();
        if (ImGui::SmallButton(("x##" + where_path).c_str())) remove = int(j);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(S::fn_remove_filter));
        ImGui::PopID();
    }
    if (remove >= 0) where.erase(where.begin() + remove), changed = true;
    if (ImGui::SmallButton(label(S::fn_add_where, ("+ where##" + path).c_str()).c_str()))
        where.push_back(EventFilter{}), changed = true;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(S::fn_add_where_tip));
    ImGui::Unindent(24 * ui_unit());
    return changed;
}

bool draw_steps(Session& session, FunnelState& st) {
    Funnel& f = st.draft;
    bool changed = false;
    ImGui::TextDisabled("%s", tr(S::fn_steps));
    int action = 0;
    size_t action_at = 0;
    for (size_t i = 0; i < f.steps.size(); ++i) {
        ImGui::PushID(int(i));
        std::string path = "steps[" + std::to_string(i) + "]";
        int a = 0;
        row_buttons(i, f.steps.size(), f.steps.size() > kMinFunnelSteps, path, &a);
        if (a) action = a, action_at = i;
        ImGui::Text("%zu.", i + 1);
        ImGui::SameLine();
        changed |= pick_combo(("##" + path + ".event").c_str(), f.steps[i].event, event_names(session),
                              180 * ui_unit(), tr(S::fn_pick_event));
        changed |= where_list(session, f.steps[i].event, f.steps[i].where, path);
        draw_problems(st.errors, path);
        ImGui::Spacing();
        ImGui::PopID();
    }
    if (action == 2) f.steps.erase(f.steps.begin() + long(action_at)), changed = true;
    if (action == -1) std::swap(f.steps[action_at], f.steps[action_at - 1]), changed = true;
    if (action == 1) std::swap(f.steps[action_at], f.steps[action_at + 1]), changed = true;
    ImGui::BeginDisabled(f.steps.size() >= kMaxFunnelSteps);
    if (ImGui::SmallButton(label(S::fn_add_step, "+ Add step##steps").c_str()))
        f.steps.push_back(FunnelStep{}), changed = true;
    ImGui::EndDisabled();
    return changed;
}

const S kOrderLabels[] = {S::fn_order_ordered, S::fn_order_strict, S::fn_order_unordered};
const S kOrderHelp[] = {S::fn_order_ordered_help, S::fn_order_strict_help, S::fn_order_unordered_help};
const S kUnitLabels[] = {S::fn_unit_seconds, S::fn_unit_minutes, S::fn_unit_hours, S::fn_unit_days};
// The combos' items keep their English words as ids ("有序###ordered"), as tests find them.
const char* const kOrderIds[] = {"ordered", "strict", "unordered"};
const char* const kUnitIds[] = {"seconds", "minutes", "hours", "days"};

bool draw_settings(Session& session, FunnelState& st) {
    Funnel& f = st.draft;
    bool changed = false;
    ImGui::TextDisabled("%s", tr(S::fn_mode));
    ImGui::SetNextItemWidth(140 * ui_unit());
    if (begin_combo("##order", tr(kOrderLabels[int(f.order)]))) {
        for (int i = 0; i < 3; ++i) {
            if (ImGui::Selectable(label(kOrderLabels[i], kOrderIds[i]).c_str(), int(f.order) == i))
                f.order = FunnelOrder(i), changed = true;
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(kOrderHelp[i]));
        }
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    ImGui::TextDisabled("%s", tr(kOrderHelp[int(f.order)]));
    draw_problems(st.errors, "order");

    ImGui::TextUnformatted(tr(S::fn_within));
    ImGui::SameLine();
    ImGui::SetNextItemWidth(80 * ui_unit());
    int64_t amount = f.window.amount;
    if (ImGui::InputScalar("##window.amount", ImGuiDataType_S64, &amount)) {
        f.window.amount = std::clamp<int64_t>(amount, 1, max_window_amount(f.window.unit));
        changed = true;
    }
    ImGui::SameLine();
    ImGui::SetNextItemWidth(100 * ui_unit());
    if (begin_combo("##window.unit", tr(kUnitLabels[int(f.window.unit)]))) {
        for (int i = 0; i < 4; ++i)
            if (ImGui::Selectable(label(kUnitLabels[i], kUnitIds[i]).c_str(), int(f.window.unit) == i)) {
                f.window.unit = WindowUnit(i);
                f.window.amount = std::min(f.window.amount, max_window_amount(f.window.unit));
                changed = true;
            }
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    ImGui::TextDisabled("%s", tr(S::fn_of_step_one));
    draw_problems(st.errors, "window");

    ImGui::TextUnformatted(tr(S::fn_entering));
    ImGui::SameLine();
    FunnelEntry entry = f.entry.value_or(FunnelEntry{});
    bool entry_changed = false;
    ImGui::SetNextItemWidth(130 * ui_unit());
    entry_changed |= ImGui::InputTextWithHint("##entry.from", tr(S::fn_entry_from_hint), &entry.from);
    ImGui::SameLine();
    ImGui::TextUnformatted(tr(S::fn_entry_to));
    ImGui::SameLine();
    ImGui::SetNextItemWidth(130 * ui_unit());
    entry_changed |= ImGui::InputTextWithHint("##entry.to", tr(S::fn_entry_to_hint), &entry.to);
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("%s", trf(S::fn_entry_tip, {"2026-02-01", "2026-02-01T12:00:00Z"}).c_str());
    if (entry_changed) {
        f.entry = entry.from.empty() && entry.to.empty() ? std::nullopt : std::optional<FunnelEntry>(entry);
        changed = true;
    }
    draw_problems(st.errors, "entry");

    // Exclusions: an event between two steps voids the attempt (not for unordered funnels).
    ImGui::Spacing();
    ImGui::TextDisabled("%s", tr(S::fn_exclusions));
    int remove = -1;
    for (size_t i = 0; i < f.exclusions.size(); ++i) {
        FunnelExclusion& x = f.exclusions[i];
        std::string path = "exclusions[" + std::to_string(i) + "]";
        ImGui::PushID(int(i));
        if (ImGui::SmallButton(("x##" + path).c_str())) remove = int(i);
        ImGui::SameLine();
        ImGui::TextUnformatted(tr(S::fn_exclusion_no));
        ImGui::SameLine();
        changed |= pick_combo(("##" + path + ".event").c_str(), x.event, event_names(session),
                              150 * ui_unit(), tr(S::fn_pick_event));
        ImGui::SameLine();
        ImGui::TextUnformatted(tr(S::fn_exclusion_between));
        for (int k = 0; k < 2; ++k) {
            ImGui::SameLine();
            if (k) ImGui::TextUnformatted(tr(S::fn_exclusion_and)), ImGui::SameLine();
            int v = k ? x.to : x.from;
            ImGui::SetNextItemWidth(70 * ui_unit());
            if (ImGui::InputInt(("##" + path + ".between[" + std::to_string(k) + "]").c_str(), &v)) {
                v = std::clamp(v, 1, int(kMaxFunnelSteps));
                (k ? x.to : x.from) = v;
                changed = true;
            }
        }
        changed |= where_list(session, x.event, x.where, path);
        draw_problems(st.errors, path);
        ImGui::PopID();
    }
    if (remove >= 0) f.exclusions.erase(f.exclusions.begin() + remove), changed = true;
    ImGui::BeginDisabled(f.order == FunnelOrder::Unordered || f.exclusions.size() >= kMaxFunnelExclusions);
    if (ImGui::SmallButton(label(S::fn_add_exclusion, "+ Add exclusion##exclusions").c_str())) {
        f.exclusions.push_back(FunnelExclusion{"", {}, 1, int(std::max<size_t>(2, f.steps.size()))});
        changed = true;
    }
    ImGui::EndDisabled();
    if (f.order == FunnelOrder::Unordered && ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
        ImGui::SetTooltip("%s", tr(S::fn_unordered_no_between));
    draw_problems(st.errors, "exclusions");

    // Breakdown: none, by a user attribute, or by a property of the step-1 event.
    ImGui::Spacing();
    ImGui::TextDisabled("%s", tr(S::fn_breakdown));
    const S kinds[] = {S::fn_breakdown_none, S::fn_breakdown_attribute, S::fn_breakdown_property};
    const char* kind_ids[] = {"none", "user attribute", "step-1 property"};
    int kind = !f.breakdown ? 0 : f.breakdown->property ? 2 : 1;
    ImGui::SetNextItemWidth(140 * ui_unit());
    if (begin_combo("##breakdown", tr(kinds[kind]))) {
        for (int i = 0; i < 3; ++i)
            if (ImGui::Selectable(label(kinds[i], kind_ids[i]).c_str(), i == kind) && i != kind) {
                if (i == 0)
                    f.breakdown.reset();
                else
                    f.breakdown = FunnelBreakdown{i == 2, "", kDefaultBreakdownTop};
                changed = true;
            }
        ImGui::EndCombo();
    }
    if (f.breakdown) {
        ImGui::SameLine();
        if (f.breakdown->property)
            changed |=
                pick_combo("##breakdown.property", f.breakdown->name, event_property_names(session, false),
                           150 * ui_unit(), tr(S::fn_pick_event_property));
        else
            changed |= pick_combo("##breakdown.attribute", f.breakdown->name, attribute_names(session),
                                  150 * ui_unit(), tr(S::fn_pick_attribute));
        ImGui::SameLine();
        ImGui::TextUnformatted(tr(S::fn_breakdown_top));
        ImGui::SameLine();
        ImGui::SetNextItemWidth(80 * ui_unit());
        int64_t top = f.breakdown->top;
        if (ImGui::InputScalar("##breakdown.top", ImGuiDataType_S64, &top))
            f.breakdown->top = std::clamp<int64_t>(top, 1, kMaxBreakdownTop), changed = true;
    }
    draw_problems(st.errors, "breakdown");

    // The audience filter: everyone, or a saved audience (a group read from JSON is kept).
    ImGui::Spacing();
    ImGui::TextDisabled("%s", tr(S::fn_users));
    std::string preview = tr(S::fn_everyone);
    std::string ref;
    if (f.audience.is_object() && f.audience.contains("audience") && f.audience["audience"].is_string()) {
        ref = f.audience["audience"].get<std::string>();
        preview = trf(S::fn_in_audience_id, {ref});
        if (const Audience* a = session.workspace.saved.audience(ref))
            preview = trf(S::fn_in_audience, {a->name});
    } else if (!f.audience.is_null()) {
        preview = tr(S::fn_rule_group);
    }
    ImGui::SetNextItemWidth(240 * ui_unit());
    if (begin_combo("##audience", preview.c_str())) {
        if (ImGui::Selectable(label(S::fn_everyone, "everyone").c_str(), f.audience.is_null()))
            f.audience = nullptr, changed = true;
        for (const Audience& a : session.workspace.saved.audiences) {
            ImGui::PushID(a.id.c_str());
            if (ImGui::Selectable((trf(S::fn_in_audience, {a.name}) + "###in").c_str(), a.id == ref))
                f.audience = json{{"audience", a.id}}, changed = true;
            ImGui::PopID();
        }
        ImGui::EndCombo();
    }
    draw_problems(st.errors, "audience");
    return changed;
}

// Problems that no widget shows beside it.
void draw_other_problems(const std::vector<DefinitionError>& errors) {
    const char* shown[] = {"steps[", "exclusions", "order", "window", "entry", "breakdown", "audience"};
    for (const DefinitionError& e : errors) {
        bool elsewhere = false;
        for (const char* p : shown) elsewhere = elsewhere || e.path.rfind(p, 0) == 0;
        if (!elsewhere) ImGui::TextColored(kErrorText, "%s", error_line(e, language()).c_str());
    }
}

std::string seconds_or_dash(const json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_number() ? format_seconds(it->get<double>()) : std::string("-");
}

void step_tooltip(const json& steps, int i, bool drop) {
    const json& s = steps[size_t(i)];
    std::string event = s.value("event", "");
    if (drop) {
        const json& prev = steps[size_t(i - 1)];
        double prev_users = json_number(prev, "users"), dropped = json_number(s, "drop_off");
        ImGui::SetTooltip(
            "%s", trf(S::fn_drop_tip, {std::to_string(i), prev.value("event", ""), format_count(dropped),
                                       format_percent(prev_users > 0 ? dropped / prev_users : 0, 1)})
                      .c_str());
        return;
    }
    ImGui::SetTooltip(
        "%s",
        trf(S::fn_step_tip, {std::to_string(i + 1), event, format_count(json_number(s, "users")),
                             format_percent(json_number(s, "conversion"), 1),
                             format_percent(json_number(s, "from_previous"), 1),
                             format_count(json_number(s, "drop_off")), seconds_or_dash(s, "median_seconds")})
            .c_str());
}

void draw_funnel_chart(App& app, UiState& ui) {
    FunnelState& st = app.funnels;
    const json& steps = st.answer.at("steps");
    std::vector<StepBar> bars;
    for (size_t i = 0; i < steps.size(); ++i) {
        const json& s = steps[i];
        double users = json_number(s, "users");
        bars.push_back({std::to_string(i + 1) + ". " + s.value("event", ""),
                        format_count(users) + " · " + format_percent(json_number(s, "conversion"), 1), users,
                        i ? json_number(s, "drop_off") : 0.0});
    }
    StepBarHit hit = step_bars("##chart", bars.data(), bars.size(), ImVec2(0, 260 * ui_unit()));
    if (hit.bar >= 0 && !hit.clicked) step_tooltip(steps, hit.bar, hit.drop);
    if (hit.clicked) {
        // A bar: the users who reached its step; its drop-off part: those who stopped just before.
        int step = hit.drop ? hit.bar : hit.bar + 1;
        if (open_step_audience(app.session, st, app.audiences, step, hit.drop)) ui.select_tab = "Audiences";
    }
}

std::string row_label(const json& row) {
    std::string kind = row.value("row", "");
    if (kind == "value") return row.at("value").is_string() ? row.at("value").get<std::string>() : "";
    return tr(kind == "other" ? S::fn_row_other : S::fn_row_not_set);
}

// Step labels under grouped bars ("1. view_item").
std::vector<std::string> step_labels(const json& steps) {
    std::vector<std::string> out;
    for (size_t k = 0; k < steps.size(); ++k)
        out.push_back(std::to_string(k + 1) + ". " + steps[k].value("event", ""));
    return out;
}

// Per step, each series' users as a share of its own step-1 users, so that rows (or
// audiences) of different sizes compare; the tooltip gives the exact numbers.
void conversion_bars(const char* id, const json& steps, const std::vector<std::string>& names,
                     const std::vector<std::vector<double>>& users, std::string* hover) {
    std::vector<std::string> groups = step_labels(steps);
    std::vector<double> values;
    for (const std::vector<double>& u : users)
        for (size_t k = 0; k < groups.size(); ++k)
            values.push_back(k < u.size() && u[0] > 0 ? 100.0 * u[k] / u[0] : 0.0);
    GroupedBarHit hit = grouped_bars(id, groups.data(), groups.size(), names.data(), names.size(),
                                     values.data(), true, ImVec2(0, 200 * ui_unit()));
    if (hit.group < 0) return;
    const std::vector<double>& u = users[size_t(hit.series)];
    size_t k = size_t(hit.group);
    double first = u.empty() ? 0 : u[0];
    std::string text = trf(S::fn_group_tip, {names[size_t(hit.series)], groups[k], format_count(u[k]),
                                             format_percent(first > 0 ? u[k] / first : 0, 1)});
    if (k > 0) text += trf(S::fn_group_tip_previous, {format_percent(u[k - 1] > 0 ? u[k] / u[k - 1] : 0, 1)});
    ImGui::SetTooltip("%s", text.c_str());
    *hover = std::move(text);
}

void draw_breakdown_bars(const json& rows, const json& steps, std::string* hover) {
    std::vector<std::string> names;
    std::vector<std::vector<double>> users;
    for (const json& row : rows) {
        names.push_back(row_label(row));
        users.emplace_back();
        for (const json& u : row.at("steps")) users.back().push_back(json_number(u, "users"));
    }
    if (names.empty()) return;
    ImGui::TextDisabled("%s", tr(S::fn_breakdown_bars));
    conversion_bars("##breakdown_bars", steps, names, users, hover);
}

void draw_breakdown(FunnelState& st) {
    // (Only an answer to a funnel with a breakdown has rows; const json has no operator[] for a
    // missing key.)
    auto it = st.answer.find("breakdown");
    if (it == st.answer.end() || !it->is_array()) return;
    const json& rows = *it;
    const json& steps = st.answer.at("steps");
    if (steps.empty()) return;
    ImGui::Spacing();
    ImGui::TextDisabled("%s", tr(S::fn_breakdown));
    draw_breakdown_bars(rows, steps, &st.hover);
    int columns = int(steps.size()) + 2;
    ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollX |
                            ImGuiTableFlags_SizingFixedFit;
    float height = std::min(12.0f, float(rows.size()) + 1.5f) * ImGui::GetFrameHeightWithSpacing();
    if (!ImGui::BeginTable("##breakdown_table", columns, flags, ImVec2(0, height))) return;
    ImGui::TableSetupScrollFreeze(1, 1);
    ImGui::TableSetupColumn(label(S::fn_column_value, "value").c_str());
    for (size_t k = 0; k < steps.size(); ++k)
        ImGui::TableSetupColumn((std::to_string(k + 1) + ". " + steps[k].value("event", "")).c_str());
    ImGui::TableSetupColumn(label(S::fn_column_conversion, "conversion").c_str());
    ImGui::TableHeadersRow();
    for (const json& row : rows) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        std::string kind = row.value("row", "");
        if (kind == "value")
            ImGui::TextUnformatted(
                row.at("value").is_string() ? row.at("value").get_ref<const std::string&>().c_str() : "");
        else
            ImGui::TextDisabled("%s", tr(kind == "other" ? S::fn_row_other : S::fn_row_not_set));
        const json& users = row.at("steps");
        for (const json& u : users) {
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(format_count(json_number(u, "users")).c_str());
        }
        ImGui::TableNextColumn();
        double first = users.empty() ? 0 : json_number(users.front(), "users");
        double last = users.empty() ? 0 : json_number(users.back(), "users");
        ImGui::TextUnformatted(format_percent(first > 0 ? last / first : 0, 1).c_str());
    }
    ImGui::EndTable();
}

// Where `seconds` falls on the histogram, in buckets (2.5: the middle of bucket 2).
double bucket_position(const json& histogram, double seconds) {
    for (size_t i = 0; i < histogram.size(); ++i) {
        double from = json_number(histogram[i], "from_seconds"), to = json_number(histogram[i], "to_seconds");
        if (seconds < to || i + 1 == histogram.size())
            return double(i) + (to > from ? std::clamp((seconds - from) / (to - from), 0.0, 1.0) : 0.0);
    }
    return 0;
}

void draw_histogram(const FunnelState& st) {
    auto it = st.answer.find("time_to_convert");
    if (it == st.answer.end() || !it->contains("histogram")) return;
    const json& convert = *it;
    const json& histogram = convert.at("histogram");
    if (!histogram.is_array() || histogram.empty()) return;
    ImGui::Spacing();
    ImGui::TextDisabled("%s", tr(S::fn_time_to_convert));
    ImGui::SameLine();
    ImGui::TextDisabled("%s", trf(S::fn_time_to_convert_summary, {format_count(json_number(convert, "users")),
                                                                  seconds_or_dash(convert, "median_seconds"),
                                                                  seconds_or_dash(convert, "p90_seconds")})
                                  .c_str());
    std::vector<double> counts;
    std::vector<std::string> labels;
    for (const json& h : histogram) {
        counts.push_back(json_number(h, "users"));
        labels.push_back(format_seconds(json_number(h, "from_seconds")));
    }
    std::vector<ChartMarker> markers;
    for (auto [key, name] : {std::pair{"median_seconds", tr(S::fn_median)}, std::pair{"p90_seconds", "p90"}})
        if (convert.contains(key) && convert[key].is_number())
            markers.push_back({bucket_position(histogram, convert[key].get<double>()), name});
    histogram_chart("##time_to_convert", counts.data(), labels.data(), counts.size(), markers,
                    ImVec2(0, 180 * ui_unit()));
}

// Two saved audiences side by side: the draft counted within each (its audience filter
// replaced by the saved audience), as grouped bars.
void draw_compare(Session& session, FunnelState& st) {
    ImGui::Spacing();
    ImGui::TextDisabled("%s", tr(S::fn_compare));
    const std::vector<Audience>& audiences = session.workspace.saved.audiences;
    if (audiences.empty()) {
        ImGui::TextDisabled("%s", tr(S::fn_compare_empty));
        return;
    }
    for (int side = 0; side < 2; ++side) {
        if (side) ImGui::SameLine();
        std::string current = tr(S::fn_none);
        for (const Audience& a : audiences)
            if (a.id == st.compare.ids[side]) current = a.name;
        std::string combo = std::string("##compare[") + char('0' + side) + "]";
        ImGui::SetNextItemWidth(180 * ui_unit());
        if (ImGui::BeginCombo(combo.c_str(), current.c_str())) {
            if (ImGui::Selectable(label(S::fn_none, "(none)").c_str(), st.compare.ids[side].empty()))
                set_compare_audience(st, side, "");
            for (const Audience& a : audiences)
                if (ImGui::Selectable((a.name + "##" + a.id).c_str(), a.id == st.compare.ids[side]))
                    set_compare_audience(st, side, a.id);
            ImGui::EndCombo();
        }
    }
    std::vector<std::string> names;
    std::vector<std::vector<double>> users;
    for (int side = 0; side < 2; ++side) {
        const json& a = st.compare.answers[side];
        if (st.compare.ids[side].empty() || !a.is_object()) continue;
        if (!a.value("ok", false)) {
            std::vector<DefinitionError> errors;
            for (const json& e : a.value("errors", json::array()))
                errors.push_back({e.value("path", ""), e.value("message", "")});
            if (!errors.empty())
                ImGui::TextColored(kErrorText, "%s", error_line(errors.front(), language()).c_str());
            continue;
        }
        std::string name = st.compare.ids[side];
        for (const Audience& au : audiences)
            if (au.id == name) name = au.name;
        names.push_back(trf(S::fn_compare_name, {name, format_count(json_number(a, "population"))}));
        users.emplace_back();
        for (const json& s : a.at("steps")) users.back().push_back(json_number(s, "users"));
    }
    if (!names.empty()) conversion_bars("##compare_bars", st.answer.at("steps"), names, users, &st.hover);
}

void draw_results(App& app, UiState& ui) {
    FunnelState& st = app.funnels;
    if (!st.answer.is_object()) {
        if (!st.errors.empty())
            ImGui::TextColored(kErrorText, "%s",
                               st.errors.size() == 1
                                   ? tr(S::fn_problem_one)
                                   : trf(S::fn_problems, {std::to_string(st.errors.size())}).c_str());
        else
            ImGui::TextDisabled("%s", tr(S::fn_counting));
        return;
    }
    const json& steps = st.answer.at("steps");
    st.hover.clear(); // set again below while the mouse is over a grouped bar
    if (!st.errors.empty()) ImGui::TextColored(kErrorText, "%s", tr(S::fn_stale));
    if (!steps.empty()) {
        double entered = json_number(steps.front(), "users"), converted = json_number(steps.back(), "users");
        ImGui::TextUnformatted(trf(S::fn_summary, {format_count(entered), format_count(converted),
                                                   format_percent(entered > 0 ? converted / entered : 0, 1)})
                                   .c_str());
        ImGui::SameLine();
        char ms[32];
        std::snprintf(ms, sizeof ms, "%.1f", st.eval_ms);
        ImGui::TextDisabled(
            "%s", trf(S::fn_summary_of, {format_count(json_number(st.answer, "population")), ms}).c_str());
    }
    ImGui::TextDisabled("%s", tr(S::fn_hint));
    draw_funnel_chart(app, ui);
    draw_breakdown(st);
    draw_histogram(st);
    draw_compare(app.session, st);
}

void draw_header(Session& session, FunnelState& st, UiState& ui) {
    ImGui::SetNextItemWidth(260 * ui.scale);
    if (ImGui::InputTextWithHint("##funnel_name", tr(S::fn_name_hint), &st.draft.name)) funnel_changed(st);
    ImGui::SameLine();
    ImGui::TextDisabled("%s", tr(st.opened_id.empty()              ? S::fn_not_saved
                                 : funnel_saved_as_is(session, st) ? S::fn_saved
                                                                   : S::fn_changed));
    ImGui::SameLine(0, 24 * ui.scale);
    if (funnel_pending(session, st)) {
        ImGui::TextDisabled("%s", tr(S::fn_counting));
        ImGui::SameLine();
        ImGui::ProgressBar(st.job.progress(), ImVec2(120 * ui.scale, ImGui::GetTextLineHeight()), "");
    }
    if (ImGui::Button(label(S::fn_save, "Save##funnel").c_str())) save_funnel(session, st, false);
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("%s", tr(st.opened_id.empty() ? S::fn_save_tip_new : S::fn_save_tip));
    ImGui::SameLine();
    ImGui::BeginDisabled(st.opened_id.empty());
    if (ImGui::Button(label(S::fn_save_as_new, "Save as new##funnel").c_str()))
        save_funnel(session, st, true);
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (ImGui::Button(label(S::fn_new, "New##funnel").c_str())) new_funnel_draft(st);
    ImGui::SameLine();
    if (ImGui::Button(label(S::fn_copy_json, "Copy JSON##funnel").c_str())) {
        std::string text = funnel_json(st.draft).dump(2, ' ', false, json::error_handler_t::replace);
        ImGui::SetClipboardText(text.c_str());
        session.post(Level::Info, trf(S::fn_copied_json, {"segx.run"}));
    }
    ImGui::SameLine();
    if (ImGui::Button(label(S::fn_download_json, "Download JSON##funnel").c_str())) {
        ui.download = {file_name_for(st.draft.name, ".segx.json"), "application/json",
                       funnel_json(st.draft).dump(2, ' ', false, json::error_handler_t::replace)};
    }
    ImGui::SameLine();
    if (ImGui::Button(label(S::fn_import_json, "Import JSON##funnel").c_str())) ui.import_requested = true;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(S::fn_import_tip));
    ImGui::SameLine();
    if (ImGui::Button(label(S::fn_copy_link, "Copy link##funnel").c_str()))
        ui.share_request = funnel_json(st.draft).dump(-1, ' ', false, json::error_handler_t::replace);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(S::fn_copy_link_tip));
    ImGui::SameLine();
    if (ImGui::Button(label(S::fn_copy_sql, "Copy SQL##funnel").c_str())) {
        std::string sql, problem;
        if (funnel_sql_text(session, st, &sql, &problem)) {
            ImGui::SetClipboardText(sql.c_str());
            session.post(Level::Info, tr(S::fn_copied_sql));
        } else {
            session.post(Level::Error, trf(S::fn_no_sql, {problem}));
        }
    }
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("%s", trf(S::fn_copy_sql_tip, {"\"users\"", "\"events\""}).c_str());
}

} // namespace

void draw_funnels(App& app, UiState& ui) {
    Session& session = app.session;
    FunnelState& st = app.funnels;
    if (session.model.users.size() == 0) ImGui::TextDisabled("%s", tr(S::fn_no_data));
    draw_header(session, st, ui);
    ImGui::Separator();
    float left = std::floor(ImGui::GetContentRegionAvail().x * 0.45f);
    ImGui::BeginChild("##funnel_builder", ImVec2(left, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
    draw_other_problems(st.errors);
    bool changed = draw_steps(session, st);
    ImGui::Separator();
    changed |= draw_settings(session, st);
    if (changed) funnel_changed(st);
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("##funnel_results", ImVec2(0, 0), true);
    draw_results(app, ui);
    ImGui::EndChild();
}

// ---- saved funnels in the rail --------------------------------------------------------------

void draw_funnel_rail(Session& session, FunnelState& st, UiState& ui) {
    std::vector<SavedRailItem> items;
    for (const Funnel& f : session.workspace.saved.funnels) items.push_back({f.id, f.name});
    const SavedRailText text{S::fn_saved_funnels, S::fn_saved_none, S::fn_rename,
                             S::fn_duplicate,     S::fn_delete,     S::fn_undo_delete};
    SavedRailAction act = draw_saved_rail("funnel", items, st.opened_id, text, ui.funnel_rename,
                                          st.deleted.empty() ? nullptr : &st.deleted.back().funnel.name);
    if (act.open >= 0) open_saved_funnel(session, st, size_t(act.open)), ui.select_tab = "Funnels";
    if (act.rename >= 0 && rename_saved_funnel(session, st, size_t(act.rename), act.rename_to))
        ui.funnel_rename.index = -1;
    if (act.duplicate >= 0) duplicate_saved_funnel(session, size_t(act.duplicate));
    if (act.remove >= 0) delete_saved_funnel(session, st, size_t(act.remove));
    if (act.undo) undo_delete_funnel(session, st);
}

} // namespace segx
