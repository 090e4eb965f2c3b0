// The Retention tab: the settings on top (every widget labelled with its JSON path, so browser
// tests can click it), then the cohort triangle and the mean curve, beside the curves of up to
// two saved audiences when compared. A cell shows its numbers on hover; a click opens its users
// in the Audiences builder (a `retention` rule carrying the draft, the cohort and k).
#include "app/retention/ui_retention.h"
#include "core/lang/messages.h"

#include "app/audiences/ui_audience.h" // the event picker, shared with the audience builder
#include "app/charts.h"
#include "app/i18n/i18n.h"
#include "app/saved_rail.h"
#include "app/theme.h"
#include "app/widget_registry.h"
#include "core/model/top_values.h"
#include "imgui.h"
#include "imgui_internal.h"
#include "misc/cpp/imgui_stdlib.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace segx {

using json = nlohmann::json;

namespace {

// Combo items are drawn as label(key, "<English>##<combo id>"), so tests click "month##retention.period".
const S kPeriodLabels[] = {S::ret_period_day, S::ret_period_week, S::ret_period_month};
const char* const kPeriodIds[] = {"day", "week", "month"};
const S kModeLabels[] = {S::ret_mode_exact, S::ret_mode_on_or_after};
const char* const kModeIds[] = {"exact", "on or after"};
const S kModeHelp[] = {S::ret_mode_exact_help, S::ret_mode_on_or_after_help};

// "week 3" / "第 3 周": period k of an answer's unit ("day", "week" or "month").
std::string period_index(const std::string& unit, size_t k) {
    const S kIndex[] = {S::ret_index_day, S::ret_index_week, S::ret_index_month};
    for (int i = 0; i < 3; ++i)
        if (unit == kPeriodIds[i]) return trf(kIndex[i], {std::to_string(k)});
    return unit + " " + std::to_string(k);
}

// A period combo whose items are labelled "<unit>##<id>" (so tests click them).
bool period_combo(const char* id, PeriodUnit& unit, float width) {
    bool changed = false;
    ImGui::SetNextItemWidth(width);
    if (begin_combo(id, tr(kPeriodLabels[int(unit)]))) {
        for (int i = 0; i < 3; ++i)
            if (ImGui::Selectable(label(kPeriodLabels[i], (std::string(kPeriodIds[i]) + id).c_str()).c_str(),
                                  int(unit) == i) &&
                int(unit) != i)
                unit = PeriodUnit(i), changed = true;
        ImGui::EndCombo();
    }
    return changed;
}

// The Date and Timestamp attributes: what a cohort can start on.
PickSource date_attribute_names(const Session& session) {
    return [&session](std::string_view filter) {
        std::vector<PickItem> out;
        for (const PickItem& item : attribute_names(session)(filter)) {
            const ColumnType t = attribute_type(session, item.text);
            if (t == ColumnType::Date || t == ColumnType::Timestamp) out.push_back(item);
        }
        return out;
    };
}

// "Copy SQL": the definition compiled to one DuckDB statement over "users" and "events".
void copy_sql_button(Session& session, const char* id, const json& definition) {
    if (ImGui::SmallButton(label(S::ret_copy_sql, id).c_str())) {
        std::string sql, problem;
        if (definition_sql_text(session, definition, &sql, &problem)) {
            ImGui::SetClipboardText(sql.c_str());
            session.post(Level::Info, tr(S::ret_copied_sql));
        } else {
            session.post(Level::Error, trf(S::ret_no_sql, {problem}));
        }
    }
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("%s", trf(S::ret_copy_sql_tip, {"\"users\"", "\"events\""}).c_str());
}

bool draw_settings(Session& session, RetentionState& st, float u) {
    Retention& r = st.draft;
    bool changed = false;
    ImGui::TextUnformatted(tr(S::ret_cohorts_by));
    ImGui::SameLine();
    changed |= period_combo("##retention.period", r.period, 90 * u);
    ImGui::SameLine();
    // A cohort is the period of a user's first start event, or of a date attribute (a signup date).
    ImGui::SetNextItemWidth(120 * u);
    if (begin_combo("##retention.start.kind",
                    tr(r.start.attribute ? S::ret_start_date : S::ret_start_first))) {
        for (int i = 0; i < 2; ++i) {
            std::string item = i ? label(S::ret_start_date, "of the date##retention.start.kind")
                                 : label(S::ret_start_first, "of the first##retention.start.kind");
            if (ImGui::Selectable(item.c_str(), int(r.start.attribute) == i) && int(r.start.attribute) != i)
                r.start = RetentionStart{i == 1, ""}, changed = true;
        }
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    if (r.start.attribute)
        changed |= pick_combo("##retention.start.attribute", r.start.name, date_attribute_names(session),
                              160 * u, tr(S::ret_pick_date_attribute));
    else
        changed |= pick_combo("##retention.start.event", r.start.name, event_names(session), 160 * u,
                              tr(S::ret_pick_start_event));
    ImGui::SameLine();
    ImGui::TextUnformatted(tr(S::ret_returning_with));
    ImGui::SameLine();
    std::string ret = r.returns.any ? "" : r.returns.event;
    if (pick_combo("##retention.return.event", ret, event_names(session), 160 * u,
                   tr(S::ret_pick_any_event))) {
        r.returns = RetentionReturn{ret.empty(), ret};
        changed = true;
    }
    if (!r.returns.any) {
        ImGui::SameLine(0, 2);
        if (ImGui::SmallButton(label(S::ret_any, "any##retention.return.any").c_str()))
            r.returns = RetentionReturn{}, changed = true;
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(S::ret_any_tip));
    }

    ImGui::TextUnformatted(tr(S::ret_counting_mode));
    ImGui::SameLine();
    ImGui::SetNextItemWidth(110 * u);
    if (begin_combo("##retention.mode", tr(kModeLabels[int(r.mode)]))) {
        for (int i = 0; i < 2; ++i) {
            if (ImGui::Selectable(
                    label(kModeLabels[i], (std::string(kModeIds[i]) + "##retention.mode").c_str()).c_str(),
                    int(r.mode) == i) &&
                int(r.mode) != i)
                r.mode = RetentionMode(i), changed = true;
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(kModeHelp[i]));
        }
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    ImGui::TextUnformatted(tr(S::ret_over));
    ImGui::SameLine();
    ImGui::SetNextItemWidth(90 * u);
    int periods = int(r.periods);
    if (ImGui::InputInt("##retention.periods", &periods)) {
        r.periods = std::clamp<int64_t>(periods, 1, kMaxRetentionPeriods);
        changed = true;
    }
    ImGui::SameLine();
    ImGui::TextDisabled("%s", trf(S::ret_periods_range, {std::to_string(kMaxRetentionPeriods)}).c_str());
    ImGui::SameLine();
    copy_sql_button(session, "Copy SQL##retention.sql", retention_json(r));
    return changed;
}

double number(const json& j, size_t i) { return i < j.size() && j[i].is_number() ? j[i].get<double>() : 0.0; }

// The triangle: cohort start, size, then one cell per period k = 0 .. periods. A cell is
// coloured by its share of the cohort; an incomplete one is hatched; a left-out one (its
// period has not begun) is empty. A clicked cell comes back in *clicked_cohort / *clicked_k.
void draw_triangle(const json& answer, float u, std::string* clicked_cohort, int* clicked_k) {
    const json& cohorts = answer.at("cohorts");
    const json& mean = answer.at("mean");
    size_t cells = mean.size();
    if (cohorts.empty() || cells == 0) {
        ImGui::TextDisabled("%s", tr(S::ret_no_cohorts));
        return;
    }
    std::string unit = answer.value("period", "week");
    ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_ScrollX | ImGuiTableFlags_ScrollY |
                            ImGuiTableFlags_SizingFixedFit;
    float cell_h = ImGui::GetTextLineHeight() * 2 + 4 * u;
    float height =
        std::min(14.0f, float(cohorts.size()) + 1.5f) * (cell_h + 2 * ImGui::GetStyle().CellPadding.y);
    if (!ImGui::BeginTable("##retention.triangle", int(cells) + 2, flags, ImVec2(0, height))) return;
    ImGui::TableSetupScrollFreeze(2, 1);
    ImGui::TableSetupColumn(label(S::ret_column_cohort, "cohort").c_str());
    ImGui::TableSetupColumn(label(S::ret_column_users, "users").c_str());
    float cell_w = ImGui::CalcTextSize("100.0%").x + 8 * u;
    for (size_t k = 0; k < cells; ++k)
        ImGui::TableSetupColumn((period_index(unit, k) + "###" + unit + " " + std::to_string(k)).c_str(),
                                ImGuiTableColumnFlags_WidthFixed, cell_w);
    ImGui::TableHeadersRow();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    for (size_t row = 0; row < cohorts.size(); ++row) {
        const json& c = cohorts[row];
        const json& counts = c.at("counts");
        const json& complete = c.at("complete");
        double size = c.value("size", 0.0);
        ImGui::TableNextRow(0, cell_h);
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(c.value("start", "").c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(format_count(size).c_str());
        for (size_t k = 0; k < cells; ++k) {
            ImGui::TableNextColumn();
            if (k >= counts.size()) continue; // the period has not begun at as-of
            double n = number(counts, k), share = size > 0 ? n / size : 0;
            bool done = k < complete.size() && complete[k].is_boolean() && complete[k].get<bool>();
            ImGui::TableSetBgColor(ImGuiTableBgTarget_CellBg, heat_color(share));
            ImVec2 p = ImGui::GetCursorScreenPos();
            std::string label = "##retention.cell." + std::to_string(row) + "." + std::to_string(k);
            ImGui::InvisibleButton(label.c_str(), ImVec2(cell_w, cell_h));
            widget_registry_note_last_item(label.c_str()); // invisible buttons report no label
            if (!done) {
                // Hatched: the period is not over, so the figure can still grow.
                ImRect r(ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
                dl->PushClipRect(r.Min, r.Max, true);
                for (float x = r.Min.x - r.GetHeight(); x < r.Max.x; x += 6 * u)
                    dl->AddLine(ImVec2(x, r.Max.y), ImVec2(x + r.GetHeight(), r.Min.y), kIncompleteHatch);
                dl->PopClipRect();
            }
            ImU32 text = heat_text_color(share);
            dl->AddText(p, text, size > 0 ? format_percent(share, 1).c_str() : "-");
            dl->AddText(ImVec2(p.x, p.y + ImGui::GetTextLineHeight()), text, format_count(n).c_str());
            if (ImGui::IsItemHovered())
                ImGui::SetTooltip(
                    "%s%s%s%s",
                    trf(S::ret_cell_tip, {c.value("start", ""), format_count(size), period_index(unit, k),
                                          format_count(n), format_percent(share, 1)})
                        .c_str(),
                    done ? "" : tr(S::ret_cell_incomplete), k == 0 ? tr(S::ret_cell_period_zero) : "",
                    tr(S::ret_cell_click));
            if (ImGui::IsItemClicked()) {
                *clicked_cohort = c.value("start", "");
                *clicked_k = int(k);
            }
        }
    }
    ImGui::EndTable();
}

// The saved audiences, by id, named: what a curve can be compared with.
PickSource saved_audience_ids(const Session& session) {
    return [&session](std::string_view filter) {
        std::vector<PickItem> out;
        for (const Audience& a : session.workspace.saved.audiences)
            if (contains_ascii_ci(a.id, filter) || contains_ascii_ci(a.name, filter))
                out.push_back({a.id, a.name});
        return out;
    };
}

void draw_compare_settings(Session& session, RetentionState& st, float u) {
    ImGui::TextUnformatted(tr(S::ret_compare_with));
    for (size_t i = 0; i < kRetentionCompares; ++i) {
        ImGui::SameLine();
        std::string id = st.compare[i].audience;
        const std::string label = "##retention.compare." + std::to_string(i);
        if (pick_combo(label.c_str(), id, saved_audience_ids(session), 150 * u,
                       tr(S::ret_pick_saved_audience)))
            set_compare_audience(st, i, id);
        if (!st.compare[i].audience.empty()) {
            ImGui::SameLine(0, 2);
            if (ImGui::SmallButton(("x" + label + ".clear").c_str())) set_compare_audience(st, i, "");
        }
    }
}

// The mean curve of an answer, in percent, up to the last period with a figure (later ones have
// no complete cohort); NaN-free.
std::vector<double> mean_curve(const json& answer) {
    std::vector<double> values;
    if (!answer.is_object() || !answer.contains("mean")) return values;
    for (const json& m : answer.at("mean")) {
        if (!m.is_number()) break;
        values.push_back(m.get<double>() * 100);
    }
    return values;
}

void draw_mean(const RetentionState& st, const json& answer, float u) {
    std::vector<double> values = mean_curve(answer);
    ImGui::Spacing();
    ImGui::TextDisabled("%s", tr(S::ret_mean));
    ImGui::SameLine();
    ImGui::TextDisabled("%s", tr(S::ret_mean_help));
    if (values.empty()) {
        ImGui::TextDisabled("%s", tr(S::ret_no_complete_cohort));
        return;
    }
    std::string unit = answer.value("period", "week");
    std::vector<ChartSeries> series;
    for (const RetentionCompare& c : st.compare)
        if (!c.audience.empty() && c.run.answer.is_object())
            series.push_back({c.audience, mean_curve(c.run.answer), 0});
    if (!series.empty()) {
        // Curves compared: the draft's, then each audience's, over the longest of them.
        series.insert(
            series.begin(),
            {tr(st.draft.audience.is_null() ? S::ret_series_all : S::ret_series_filter), values, 0});
        const ImU32 colors[] = {kChartLine, IM_COL32(230, 120, 40, 255), IM_COL32(60, 170, 90, 255)};
        size_t n = 0;
        for (size_t s = 0; s < series.size(); ++s) {
            series[s].color = colors[s % 3];
            n = std::max(n, series[s].values.size());
        }
        for (ChartSeries& s : series) s.values.resize(n, std::nan(""));
        lines_chart(
            "##retention.mean", series.data(), series.size(), n,
            [&](size_t k) { return period_index(unit, k); }, ImVec2(0, 200 * u),
            [](double v) {
                char buf[32];
                std::snprintf(buf, sizeof buf, "%.1f%%", v);
                return std::string(buf);
            });
        return;
    }
    line_chart(
        "##retention.mean", values.data(), values.size(), [&](size_t k) { return period_index(unit, k); },
        ImVec2(0, 200 * u),
        [](double v) {
            char buf[32];
            std::snprintf(buf, sizeof buf, "%.1f%%", v);
            return std::string(buf);
        });
    widget_registry_note_last_item("##retention.mean"); // invisible buttons report no label
}

// The name, whether the draft is kept in the workspace as it is, and "New".
void draw_header(Session& session, RetentionState& st, float u) {
    ImGui::SetNextItemWidth(220 * u);
    if (ImGui::InputTextWithHint("##retention.name", tr(S::ret_name_hint), &st.draft.name))
        retention_changed(st);
    ImGui::SameLine();
    const std::vector<Retention>& saved = session.workspace.saved.retentions;
    const bool kept = !saved.empty() && saved.front() == st.draft;
    ImGui::TextDisabled("%s", tr(kept ? S::ret_kept : S::ret_not_kept));
    ImGui::SameLine();
    if (ImGui::SmallButton(label(S::ret_new, "New##retention").c_str())) new_retention_draft(st);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(S::ret_new_tip));
}

void draw_breakdown_settings(Session& session, RetentionState& st, float u) {
    RetentionBreakdownState& b = st.breakdown;
    ImGui::TextUnformatted(tr(S::ret_breakdown));
    ImGui::SameLine();
    std::string attribute = b.attribute;
    if (pick_combo("##retention.breakdown.attribute", attribute, attribute_names(session), 160 * u,
                   tr(S::ret_pick_attribute)))
        set_retention_breakdown(st, attribute, b.top);
    if (b.attribute.empty()) return;
    ImGui::SameLine(0, 2);
    if (ImGui::SmallButton("x##retention.breakdown.clear")) set_retention_breakdown(st, "", b.top);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(S::ret_breakdown_clear_tip));
    ImGui::SameLine();
    ImGui::TextUnformatted(tr(S::ret_breakdown_top));
    ImGui::SameLine();
    ImGui::SetNextItemWidth(80 * u);
    int top = int(b.top);
    if (ImGui::InputInt("##retention.breakdown.top", &top))
        set_retention_breakdown(st, b.attribute,
                                size_t(std::clamp<int>(top, 1, int(kMaxRetentionBreakdownTop))));
}

// One curve per group of the breakdown: each point is the group's mean retention at k, with
// its exact numerator and denominator on hover; a click opens the users behind it.
void draw_breakdown(App& app, UiState& ui, float u) {
    RetentionState& st = app.retention;
    RetentionBreakdownState& b = st.breakdown;
    b.hover.clear();
    if (b.attribute.empty()) return;
    ImGui::Spacing();
    ImGui::TextDisabled("%s", trf(S::ret_breakdown_heading, {b.attribute}).c_str());
    for (const DefinitionError& e : b.groups.errors)
        ImGui::TextColored(kErrorText, "%s", e.to_string().c_str());
    if (!b.found) {
        ImGui::TextDisabled("%s", tr(S::ret_breakdown_counting));
        return;
    }
    const ImU32 colors[] = {kChartLine,
                            IM_COL32(230, 120, 40, 255),
                            IM_COL32(60, 170, 90, 255),
                            IM_COL32(200, 70, 160, 255),
                            IM_COL32(150, 110, 60, 255),
                            IM_COL32(40, 170, 190, 255),
                            IM_COL32(120, 120, 220, 255),
                            IM_COL32(150, 150, 150, 255)};
    std::vector<ChartSeries> series;
    std::string unit = "week";
    size_t n = 0;
    for (size_t g = 0; g < b.runs.size() && g < b.groups.groups.size(); ++g) {
        const json& answer = b.runs[g].run.answer;
        for (const DefinitionError& e : b.runs[g].run.errors)
            ImGui::TextColored(kErrorText, "%s", e.to_string().c_str());
        ChartSeries cs;
        cs.name = breakdown_group_label(b.groups.groups[g]) + " (" +
                  format_count(double(b.groups.groups[g].users)) + ")";
        cs.color = colors[g % (sizeof colors / sizeof colors[0])];
        if (answer.is_object()) {
            unit = answer.value("period", unit);
            cs.values = mean_curve(answer);
            // The exact numbers behind each point: returned / users over the complete cohorts.
            for (size_t k = 0; k < cs.values.size(); ++k) {
                double returned = 0, users = 0;
                for (const json& c : answer.at("cohorts")) {
                    const json& complete = c.at("complete");
                    if (k < complete.size() && complete[k].get<bool>())
                        returned += number(c.at("counts"), k), users += c.value("size", 0.0);
                }
                cs.tips.push_back(trf(S::ret_breakdown_point, {cs.name, format_percent(cs.values[k] / 100, 1),
                                                               format_count(returned), format_count(users)}));
            }
        }
        n = std::max(n, cs.values.size());
        series.push_back(std::move(cs));
    }
    if (series.empty() || n == 0) return;
    for (ChartSeries& cs : series) cs.values.resize(n, std::nan(""));
    ImGui::PushTextWrapPos(0);
    ImGui::TextDisabled("%s",
                        trf(S::ret_breakdown_summary, {format_count(double(b.groups.total)),
                                                       std::to_string(series.size()), std::to_string(b.top)})
                            .c_str());
    ImGui::PopTextWrapPos();
    LinesChartHit hit = lines_chart(
        "##retention.breakdown", series.data(), series.size(), n,
        [&](size_t k) { return period_index(unit, k); }, ImVec2(0, 220 * u),
        [](double v) {
            char buf[32];
            std::snprintf(buf, sizeof buf, "%.1f%%", v);
            return std::string(buf);
        });
    b.hover = hit.tip;
    if (hit.clicked && hit.series >= 0 && hit.point >= 0 &&
        open_breakdown_point_audience(app.session, app.audiences, st, size_t(hit.series), size_t(hit.point)))
        ui.select_tab = "Audiences";
}

} // namespace

void draw_retention_rail(Session& session, RetentionState& st, UiState& ui) {
    std::vector<SavedRailItem> items;
    for (const Retention& r : session.workspace.saved.retentions) items.push_back({r.id, r.name});
    const SavedRailText text{S::ret_saved_heading, S::ret_saved_none, S::ret_rename,
                             S::ret_duplicate,     S::ret_delete,     S::ret_undo_delete};
    SavedRailAction act = draw_saved_rail("retention", items, st.draft.id, text, ui.retention_rename,
                                          st.deleted.empty() ? nullptr : &st.deleted.back().retention.name);
    if (act.open >= 0) open_saved_retention(session, st, size_t(act.open)), ui.select_tab = "Retention";
    if (act.rename >= 0 && rename_saved_retention(session, st, size_t(act.rename), act.rename_to))
        ui.retention_rename.index = -1;
    if (act.duplicate >= 0) duplicate_saved_retention(session, size_t(act.duplicate));
    if (act.remove >= 0) delete_saved_retention(session, st, size_t(act.remove));
    if (act.undo) undo_delete_retention(session, st);
}

void draw_retention(App& app, UiState& ui) {
    Session& session = app.session;
    RetentionState& st = app.retention;
    float u = ui.scale;
    draw_header(session, st, u);
    if (draw_settings(session, st, u)) retention_changed(st);
    draw_compare_settings(session, st, u);
    draw_breakdown_settings(session, st, u);
    if (retention_pending(session, st)) {
        ImGui::TextDisabled("%s", tr(S::ret_counting));
        ImGui::SameLine();
        ImGui::ProgressBar(st.run.job.progress(), ImVec2(120 * u, ImGui::GetTextLineHeight()), "");
    }
    ImGui::Separator();
    if (st.draft.start.name.empty()) {
        ImGui::TextDisabled("%s",
                            tr(st.draft.start.attribute ? S::ret_choose_attribute : S::ret_choose_event));
        return;
    }
    draw_problems(st.run.errors);
    const json& answer = st.run.answer;
    if (!answer.is_object()) return;
    char ms[32];
    std::snprintf(ms, sizeof ms, "%.1f", st.run.eval_ms);
    ImGui::TextDisabled("%s",
                        trf(S::ret_summary, {format_count(answer.value("population", 0.0)), ms}).c_str());
    ImGui::BeginChild("##retention_results", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
    std::string cohort;
    int k = -1;
    draw_triangle(answer, u, &cohort, &k);
    if (k >= 0 && open_cell_audience(session, app.audiences, st.draft, cohort, k))
        ui.select_tab = "Audiences";
    draw_mean(st, answer, u);
    draw_breakdown(app, ui, u);
    ImGui::EndChild();
}

} // namespace segx
