// The Lifecycle tab: settings on top (widgets labelled with their JSON paths, so browser tests
// can click them), the stage chart, then the 9-metric board: 新客 / 老客 / 休眠用户 (new /
// returning / dormant) × 流量 / 转化率 / 客单价 (traffic / conversion / average order value),
// each beside the previous period's.
#include "app/lifecycle/ui_lifecycle.h"

#include "app/audiences/ui_audience.h" // the event picker, shared with the audience builder
#include "app/charts.h"
#include "app/theme.h"
#include "imgui.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>

namespace segx {

using json = nlohmann::json;

namespace {

const char* const kPeriodLabels[] = {"day", "week", "month"};
const char* const kStageTitles[] = {"New", "Returning", "Resurrecting", "Dormant"};

void draw_problems(const std::vector<DefinitionError>& errors) {
    for (const DefinitionError& e : errors) ImGui::TextColored(kErrorText, "%s", e.to_string().c_str());
}

// "Copy SQL": the definition compiled to one DuckDB statement over "users" and "events".
void copy_sql_button(Session& session, const char* label, const json& definition, const char* what) {
    if (ImGui::SmallButton(label)) {
        std::string sql, problem;
        if (definition_sql_text(session, definition, &sql, &problem)) {
            ImGui::SetClipboardText(sql.c_str());
            session.post(Level::Info, std::string("Copied the ") + what + " as DuckDB SQL");
        } else {
            session.post(Level::Error, "No SQL: " + problem);
        }
    }
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("DuckDB SQL that computes the same numbers over tables \"users\" and \"events\"");
}

bool draw_settings(Session& session, LifecycleState& st, float u) {
    Lifecycle& l = st.draft;
    bool changed = false;
    ImGui::TextUnformatted("Active users per");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(90 * u);
    if (begin_combo("##lifecycle.period", kPeriodLabels[int(l.period)])) {
        for (int i = 0; i < 3; ++i)
            if (ImGui::Selectable((std::string(kPeriodLabels[i]) + "##lifecycle.period").c_str(),
                                  int(l.period) == i) &&
                int(l.period) != i)
                l.period = PeriodUnit(i), changed = true;
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    ImGui::TextUnformatted("over the last");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(90 * u);
    int periods = int(l.periods);
    if (ImGui::InputInt("##lifecycle.periods", &periods))
        l.periods = std::clamp<int64_t>(periods, 1, kMaxLifecyclePeriods), changed = true;
    ImGui::SameLine();
    ImGui::TextUnformatted("periods; active means");
    ImGui::SameLine();
    std::string event = l.event;
    if (pick_combo("##lifecycle.event", event, event_names(session), 160 * u, "any event"))
        set_activity_event(st, event);
    if (!l.event.empty()) {
        ImGui::SameLine(0, 2);
        if (ImGui::SmallButton("any##lifecycle.event.any")) set_activity_event(st, "");
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("Any event counts as activity");
    }
    ImGui::SameLine();
    copy_sql_button(session, "Copy SQL##lifecycle.sql", lifecycle_json(st.draft), "lifecycle");
    return changed;
}

double num(const json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_number() ? it->get<double>() : 0.0;
}

void draw_chart(App& app, UiState& ui) {
    LifecycleState& st = app.lifecycle;
    const json& periods = st.run.answer.at("periods");
    if (periods.empty()) {
        ImGui::TextDisabled("No periods: the model has no events yet.");
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
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(lifecycle_stage_color(k, true)), "■ %s%s",
                           kStageTitles[k], k == 3 ? " (below the axis)" : "");
    }
    LifecycleBarHit hit =
        lifecycle_bars("##lifecycle.bar", bars.data(), bars.size(), ImVec2(0, 240 * ui.scale));
    if (hit.bar < 0) return;
    const json& p = periods[size_t(hit.bar)];
    if (!hit.clicked) {
        std::string tip = std::string(p.value("complete", true) ? "" : "(not over yet) ") + "Period of " +
                          p.value("start", "") + "\n";
        for (int k = 0; k < 4; ++k)
            tip += std::string(k == hit.stage ? "> " : "  ") + kStageTitles[k] + ": " +
                   format_count(num(p, kLifecycleStages[size_t(k)].c_str())) + "\n";
        tip += hit.stage >= 0 ? "Click: open the users " + kLifecycleStages[size_t(hit.stage)] +
                                    " now (in the period holding as-of) as an audience"
                              : "Point at a segment to open its stage as an audience";
        ImGui::SetTooltip("%s", tip.c_str());
        return;
    }
    if (hit.stage < 0) return;
    const std::string& stage = kLifecycleStages[size_t(hit.stage)];
    if (open_stage_audience(app.session, app.audiences, app.lifecycle.draft, stage,
                            std::string("Lifecycle: ") + kStageTitles[hit.stage] + " users"))
        ui.select_tab = "Audiences";
}

// ---- the 9-metric board ----------------------------------------------------------------------

struct Group {
    const char* key;
    const char* title; // English and Chinese
};
const Group kGroups[] = {
    {"new", "New 新客"}, {"returning", "Returning 老客"}, {"dormant", "Dormant 休眠用户"}};
struct Metric {
    const char* key;
    const char* title;
};
const Metric kMetrics[] = {
    {"traffic", "Traffic 流量"}, {"conversion", "Conversion 转化率"}, {"aov", "Average order value 客单价"}};

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

// "+12 (+5.0%)" beside the previous value; conversion's delta in percentage points.
void delta_text(const char* metric, std::optional<double> now, std::optional<double> before) {
    if (!now || !before) {
        ImGui::TextDisabled("no previous figure");
        return;
    }
    double d = *now - *before;
    char change[48], rel[32] = "";
    if (std::string(metric) == "conversion")
        std::snprintf(change, sizeof change, "%+.2f pt", d * 100);
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
    std::string tip = std::string(g.title) + ": this period / the previous one\n";
    for (const char* k : {"pool", "active", "buyers", "orders", "revenue"}) {
        auto a = value_at(now, g.key, k), b = value_at(before, g.key, k);
        char line[128];
        std::snprintf(line, sizeof line, "%s: %s / %s\n", k, a ? format_count(*a).c_str() : "-",
                      b ? format_count(*b).c_str() : "-");
        tip += line;
    }
    tip += "Click: open the users ";
    tip += g.key;
    tip += " now as an audience (the lifecycle rule's stage in the period holding as-of)";
    ImGui::SetTooltip("%s", tip.c_str());
}

bool draw_board_settings(Session& session, LifecycleState& st, float u) {
    bool changed = false;
    ImGui::TextDisabled("9-METRIC BOARD");
    ImGui::SameLine();
    ImGui::TextUnformatted("the last");
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
    ImGui::TextUnformatted("days, dormant after");
    ImGui::SameLine();
    int64_t dormant = st.board.dormant_days;
    ImGui::SetNextItemWidth(100 * u);
    if (ImGui::InputScalar("##board.dormant_days", ImGuiDataType_S64, &dormant)) {
        st.board.dormant_days = std::clamp<int64_t>(dormant, 1, kMaxWindowDays);
        changed = true;
    }
    ImGui::SameLine();
    ImGui::TextUnformatted("days without activity");
    ImGui::SameLine();
    copy_sql_button(session, "Copy SQL##board.sql", board_json(st.board), "board");
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
    if (period.is_object())
        ImGui::TextDisabled("%s to %s, beside %s to %s · %.1f ms", period.value("from", "").c_str(),
                            period.value("to", "").c_str(), previous.at("period").value("from", "").c_str(),
                            previous.at("period").value("to", "").c_str(), st.board_run.eval_ms);
    ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_SizingStretchSame;
    if (!ImGui::BeginTable("##board", 4, flags)) return;
    ImGui::TableSetupColumn("", ImGuiTableColumnFlags_WidthFixed, 150 * ui.scale);
    for (const Metric& m : kMetrics) ImGui::TableSetupColumn(m.title);
    ImGui::TableHeadersRow();
    const json& now = answer.at("groups");
    const json& before = previous.at("groups");
    for (const Group& g : kGroups) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        std::string label = std::string(g.title) + "##board.group." + g.key;
        if (ImGui::Selectable(label.c_str(), false, 0, ImVec2(0, ImGui::GetTextLineHeight() * 2))) {
            if (open_group_audience(app.session, app.audiences, st.board, g.key,
                                    std::string("Board: ") + g.title + " users"))
                ui.select_tab = "Audiences";
        } else if (ImGui::IsItemHovered()) {
            group_tooltip(answer, g);
        }
        for (const Metric& m : kMetrics) {
            ImGui::TableNextColumn();
            auto a = value_at(now, g.key, m.key), b = value_at(before, g.key, m.key);
            ImGui::Text("%s", metric_text(m.key, a).c_str());
            ImGui::SameLine();
            ImGui::TextDisabled("prev %s", metric_text(m.key, b).c_str());
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
        ImGui::TextDisabled("Counting...");
    }
    ImGui::Separator();
    ImGui::BeginChild("##lifecycle_results", ImVec2(0, 0), false);
    draw_problems(st.run.errors);
    if (st.run.answer.is_object()) {
        ImGui::TextDisabled(
            "%s users · %.1f ms · hover a bar for its numbers; click a segment to open that "
            "stage as an audience",
            format_count(num(st.run.answer, "population")).c_str(), st.run.eval_ms);
        draw_chart(app, ui);
    }
    ImGui::Spacing();
    ImGui::Separator();
    draw_board(app, ui);
    ImGui::EndChild();
}

} // namespace segx
