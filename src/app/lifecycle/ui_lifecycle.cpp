// The Lifecycle tab: settings on top (widgets labelled with their JSON paths, so browser tests
// can click them), the stage chart, then the 9-metric board: 新客 / 老客 / 休眠用户 (new /
// returning / dormant) × 流量 / 转化率 / 客单价 (traffic / conversion / average order value),
// each beside the previous period's.
#include "app/lifecycle/ui_lifecycle.h"
#include "core/lang/messages.h"

#include "app/audiences/ui_audience.h" // the event picker, shared with the audience builder
#include "app/charts.h"
#include "app/i18n/i18n.h"
#include "app/theme.h"
#include "imgui.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>

namespace segx {

using json = nlohmann::json;

namespace {

// Combo items are drawn as label(key, "<English>##lifecycle.period"), the id tests click.
const S kLifecyclePeriodLabels[] = {S::lc_period_day, S::lc_period_week, S::lc_period_month};
const char* const kLifecyclePeriodIds[] = {"day", "week", "month"};
// In kLifecycleStages' order: 新客 new, 老客 returning, 回流 resurrecting, 休眠 dormant.
const S kStageTitles[] = {S::lc_stage_new, S::lc_stage_returning, S::lc_stage_resurrecting,
                          S::lc_stage_dormant};

// "Copy SQL": the definition compiled to one DuckDB statement over "users" and "events".
void copy_sql_button(Session& session, const char* id, const json& definition, S what) {
    if (ImGui::SmallButton(label(S::lc_copy_sql, id).c_str())) {
        std::string sql, problem;
        if (definition_sql_text(session, definition, &sql, &problem)) {
            ImGui::SetClipboardText(sql.c_str());
            session.post(Level::Info, trf(S::lc_copied_sql, {tr(what)}));
        } else {
            session.post(Level::Error, trf(S::lc_no_sql, {problem}));
        }
    }
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("%s", trf(S::lc_copy_sql_tip, {"\"users\"", "\"events\""}).c_str());
}

bool draw_settings(Session& session, LifecycleState& st, float u) {
    Lifecycle& l = st.draft;
    bool changed = false;
    ImGui::TextUnformatted(tr(S::lc_active_per));
    ImGui::SameLine();
    ImGui::SetNextItemWidth(90 * u);
    if (begin_combo("##lifecycle.period", tr(kLifecyclePeriodLabels[int(l.period)]))) {
        for (int i = 0; i < 3; ++i)
            if (ImGui::Selectable(label(kLifecyclePeriodLabels[i],
                                        (std::string(kLifecyclePeriodIds[i]) + "##lifecycle.period").c_str())
                                      .c_str(),
                                  int(l.period) == i) &&
                int(l.period) != i)
                l.period = PeriodUnit(i), changed = true;
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    ImGui::TextUnformatted(tr(S::lc_over_the_last));
    ImGui::SameLine();
    ImGui::SetNextItemWidth(90 * u);
    int periods = int(l.periods);
    if (ImGui::InputInt("##lifecycle.periods", &periods))
        l.periods = std::clamp<int64_t>(periods, 1, kMaxLifecyclePeriods), changed = true;
    ImGui::SameLine();
    ImGui::TextUnformatted(tr(S::lc_periods_active_means));
    ImGui::SameLine();
    std::string event = l.event;
    if (pick_combo("##lifecycle.event", event, event_names(session), 160 * u, tr(S::lc_pick_any_event)))
        set_activity_event(st, event);
    if (!l.event.empty()) {
        ImGui::SameLine(0, 2);
        if (ImGui::SmallButton(label(S::lc_any, "any##lifecycle.event.any").c_str()))
            set_activity_event(st, "");
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(S::lc_any_tip));
    }
    ImGui::SameLine();
    copy_sql_button(session, "Copy SQL##lifecycle.sql", lifecycle_json(st.draft), S::lc_what_lifecycle);
    return changed;
}

double num(const json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_number() ? it->get<double>() : 0.0;
}

void draw_lifecycle_chart(App& app, UiState& ui) {
    LifecycleState& st = app.lifecycle;
    const json& periods = st.run.answer.at("periods");
    if (periods.empty()) {
        ImGui::TextDisabled("%s", tr(S::lc_no_periods));
        return;
    }
    std::vector<LifecycleBar> bars;
    for (const json& p : periods) {
        LifecycleBar b;
        b.label = p.value("start", "");
        for (int k = 0; k < 4; ++k) b.stages[k] = num(p, kLifecycleStages[size_t(k)].c_str());
        b.complete = p.value("complete", true);
        bars.push_back(b);
    }
    // A legend in the stages' colours.
    for (int k = 0; k < 4; ++k) {
        if (k) ImGui::SameLine(0, 16 * ui.scale);
        std::string title = k == 3 ? trf(S::lc_below_axis, {tr(kStageTitles[k])}) : tr(kStageTitles[k]);
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(lifecycle_stage_color(k, true)), "■ %s",
                           title.c_str());
    }
    LifecycleBarHit hit =
        lifecycle_bars("##lifecycle.bar", bars.data(), bars.size(), ImVec2(0, 240 * ui.scale));
    if (hit.bar < 0) return;
    const json& p = periods[size_t(hit.bar)];
    if (!hit.clicked) {
        std::string tip = std::string(p.value("complete", true) ? "" : tr(S::lc_not_over)) +
                          trf(S::lc_period_of, {p.value("start", "")}) + "\n";
        for (int k = 0; k < 4; ++k)
            tip += std::string(k == hit.stage ? "> " : "  ") + tr(kStageTitles[k]) + ": " +
                   format_count(num(p, kLifecycleStages[size_t(k)].c_str())) + "\n";
        tip += hit.stage >= 0 ? trf(S::lc_click_stage, {tr(kStageTitles[hit.stage])})
                              : tr(S::lc_point_at_segment);
        ImGui::SetTooltip("%s", tip.c_str());
        return;
    }
    if (hit.stage < 0) return;
    const std::string& stage = kLifecycleStages[size_t(hit.stage)];
    if (open_stage_audience(app.session, app.audiences, app.lifecycle.draft, stage,
                            trf(S::lc_audience_name, {tr(kStageTitles[hit.stage])})))
        ui.select_tab = "Audiences";
}

// ---- the 9-metric board ----------------------------------------------------------------------

struct Group {
    const char* key;
    S title;
    const char* id; // the row's language-free id (its former bilingual title), as tests click it
};
const Group kGroups[] = {{"new", S::board_group_new, "New 新客"},
                         {"returning", S::board_group_returning, "Returning 老客"},
                         {"dormant", S::board_group_dormant, "Dormant 休眠用户"}};
struct Metric {
    const char* key;
    S title;
};
const Metric kMetrics[] = {{"traffic", S::board_metric_traffic},
                           {"conversion", S::board_metric_conversion},
                           {"aov", S::board_metric_aov}};

std::optional<double> value_at(const json& groups, const char* group, const char* metric) {
    auto g = groups.find(group);
    if (g == groups.end()) return std::nullopt;
    auto m = g->find(metric);
    if (m == g->end() || !m->is_number()) return std::nullopt;
    return m->get<double>();
}

std::string metric_text(const char* metric, std::optional<double> v) {
    if (!v) return "-";
    char buf[48];
    if (std::string(metric) == "conversion")
        std::snprintf(buf, sizeof buf, "%.2f%%", *v * 100);
    else if (std::string(metric) == "aov")
        std::snprintf(buf, sizeof buf, "%.2f", *v);
    else
        return format_count(*v);
    return buf;
}

std::string signed_2(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%+.2f", v);
    return buf;
}

// "+12 (+5.0%)" beside the previous value; conversion's delta in percentage points.
void delta_text(const char* metric, std::optional<double> now, std::optional<double> before) {
    if (!now || !before) {
        ImGui::TextDisabled("%s", tr(S::board_no_previous));
        return;
    }
    double d = *now - *before;
    char change[48], rel[32] = "";
    if (std::string(metric) == "conversion")
        std::snprintf(change, sizeof change, "%s", trf(S::board_points, {signed_2(d * 100)}).c_str());
    else if (std::string(metric) == "aov")
        std::snprintf(change, sizeof change, "%+.2f", d);
    else
        std::snprintf(change, sizeof change, "%s%s", d >= 0 ? "+" : "", format_count(d).c_str());
    if (*before != 0) std::snprintf(rel, sizeof rel, " (%+.1f%%)", d / std::fabs(*before) * 100);
    ImGui::TextColored(d > 0 ? kDeltaUpText : d < 0 ? kDeltaDownText : kMutedText, "%s%s", change, rel);
}

void group_tooltip(const json& answer, const Group& g) {
    const json& now = answer.at("groups");
    const json& before = answer.at("previous").at("groups");
    std::string tip = trf(S::board_tip_title, {tr(g.title)}) + "\n";
    const std::pair<const char*, S> figures[] = {{"pool", S::board_tip_pool},
                                                 {"active", S::board_tip_active},
                                                 {"buyers", S::board_tip_buyers},
                                                 {"orders", S::board_tip_orders},
                                                 {"revenue", S::board_tip_revenue}};
    for (const auto& [k, name] : figures) {
        auto a = value_at(now, g.key, k), b = value_at(before, g.key, k);
        tip += std::string(tr(name)) + ": " + (a ? format_count(*a) : "-") + " / " +
               (b ? format_count(*b) : "-") + "\n";
    }
    tip += trf(S::board_tip_click, {tr(g.title)});
    ImGui::SetTooltip("%s", tip.c_str());
}

bool draw_board_settings(Session& session, LifecycleState& st, float u) {
    bool changed = false;
    ImGui::TextDisabled("%s", tr(S::board_title));
    ImGui::SameLine();
    ImGui::TextUnformatted(tr(S::board_the_last));
    ImGui::SameLine();
    int64_t days = std::holds_alternative<WindowLastDays>(st.board.period)
                       ? std::get<WindowLastDays>(st.board.period).days
                       : kDefaultBoardDays;
    ImGui::SetNextItemWidth(100 * u);
    if (ImGui::InputScalar("##board.period.last_days", ImGuiDataType_S64, &days)) {
        st.board.period = WindowLastDays{std::clamp<int64_t>(days, 1, kMaxWindowDays)};
        changed = true;
    }
    ImGui::SameLine();
    ImGui::TextUnformatted(tr(S::board_days_dormant_after));
    ImGui::SameLine();
    int64_t dormant = st.board.dormant_days;
    ImGui::SetNextItemWidth(100 * u);
    if (ImGui::InputScalar("##board.dormant_days", ImGuiDataType_S64, &dormant)) {
        st.board.dormant_days = std::clamp<int64_t>(dormant, 1, kMaxWindowDays);
        changed = true;
    }
    ImGui::SameLine();
    ImGui::TextUnformatted(tr(S::board_days_without_activity));
    ImGui::SameLine();
    copy_sql_button(session, "Copy SQL##board.sql", board_json(st.board), S::lc_what_board);
    return changed;
}

void draw_board(App& app, UiState& ui) {
    LifecycleState& st = app.lifecycle;
    if (draw_board_settings(app.session, st, ui.scale)) board_changed(st);
    draw_problems(st.board_run.errors);
    const json& answer = st.board_run.answer;
    if (!answer.is_object()) return;
    const json& period = answer.at("period");
    const json& previous = answer.at("previous");
    if (period.is_object()) {
        char ms[32];
        std::snprintf(ms, sizeof ms, "%.1f", st.board_run.eval_ms);
        ImGui::TextDisabled("%s", trf(S::board_period, {period.value("from", ""), period.value("to", ""),
                                                        previous.at("period").value("from", ""),
                                                        previous.at("period").value("to", ""), ms})
                                      .c_str());
    }
    ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_SizingStretchSame;
    if (!ImGui::BeginTable("##board", 4, flags)) return;
    ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, 150 * ui.scale);
    for (const Metric& m : kMetrics) ImGui::TableSetupColumn(label(m.title, m.key).c_str());
    ImGui::TableHeadersRow();
    const json& now = answer.at("groups");
    const json& before = previous.at("groups");
    for (const Group& g : kGroups) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        std::string row = label(g.title, (std::string(g.id) + "##board.group." + g.key).c_str());
        if (ImGui::Selectable(row.c_str(), false, 0, ImVec2(0, ImGui::GetTextLineHeight() * 2))) {
            if (open_group_audience(app.session, app.audiences, st.board, g.key,
                                    trf(S::board_audience_name, {tr(g.title)})))
                ui.select_tab = "Audiences";
        } else if (ImGui::IsItemHovered()) {
            group_tooltip(answer, g);
        }
        for (const Metric& m : kMetrics) {
            ImGui::TableNextColumn();
            auto a = value_at(now, g.key, m.key), b = value_at(before, g.key, m.key);
            ImGui::Text("%s", metric_text(m.key, a).c_str());
            ImGui::SameLine();
            ImGui::TextDisabled("%s", trf(S::board_previous, {metric_text(m.key, b)}).c_str());
            delta_text(m.key, a, b);
        }
    }
    ImGui::EndTable();
}

} // namespace

void draw_lifecycle(App& app, UiState& ui) {
    Session& session = app.session;
    LifecycleState& st = app.lifecycle;
    if (draw_settings(session, st, ui.scale)) lifecycle_changed(st);
    if (lifecycle_pending(session, st)) {
        ImGui::SameLine();
        ImGui::TextDisabled("%s", tr(S::lc_counting));
    }
    ImGui::Separator();
    ImGui::BeginChild("##lifecycle_results", ImVec2(0, 0), false);
    draw_problems(st.run.errors);
    if (st.run.answer.is_object()) {
        char ms[32];
        std::snprintf(ms, sizeof ms, "%.1f", st.run.eval_ms);
        ImGui::TextDisabled("%s",
                            trf(S::lc_summary, {format_count(num(st.run.answer, "population")), ms}).c_str());
        draw_lifecycle_chart(app, ui);
    }
    ImGui::Spacing();
    ImGui::Separator();
    draw_board(app, ui);
    ImGui::EndChild();
}

} // namespace segx
