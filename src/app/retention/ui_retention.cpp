// The Retention tab: the settings on top (every widget labelled with its JSON path, so browser
// tests can click it), then the cohort triangle and the mean curve, beside the curves of up to
// two saved audiences when compared. No audience rule names a
// cohort cell yet, so a cell shows its numbers on hover and opens nothing.
#include "app/retention/ui_retention.h"

#include "app/audiences/ui_audience.h" // the event picker, shared with the audience builder
#include "app/charts.h"
#include "app/theme.h"
#include "app/widget_registry.h"
#include "core/model/top_values.h"
#include "imgui.h"
#include "imgui_internal.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace segx {

using json = nlohmann::json;

namespace {

const char* const kPeriodLabels[] = {"day", "week", "month"};
const char* const kModeLabels[] = {"exact", "on or after"};
const char* const kModeHelp[] = {"A return counts in the period it happens in",
                                 "A return counts in its period and every period before it"};

std::string pct(double share) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f%%", share * 100);
    return buf;
}

void draw_problems(const std::vector<DefinitionError>& errors) {
    for (const DefinitionError& e : errors) ImGui::TextColored(kErrorText, "%s", e.to_string().c_str());
}

// A period combo whose items are labelled "<unit>##<id>" (so tests click them).
bool period_combo(const char* id, PeriodUnit& unit, float width) {
    bool changed = false;
    ImGui::SetNextItemWidth(width);
    if (begin_combo(id, kPeriodLabels[int(unit)])) {
        for (int i = 0; i < 3; ++i)
            if (ImGui::Selectable((std::string(kPeriodLabels[i]) + id).c_str(), int(unit) == i) &&
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

bool draw_settings(Session& session, RetentionState& st, float u) {
    Retention& r = st.draft;
    bool changed = false;
    ImGui::TextUnformatted("Cohorts by");
    ImGui::SameLine();
    changed |= period_combo("##retention.period", r.period, 90 * u);
    ImGui::SameLine();
    // A cohort is the period of a user's first start event, or of a date attribute (a signup date).
    ImGui::SetNextItemWidth(120 * u);
    if (begin_combo("##retention.start.kind", r.start.attribute ? "of the date" : "of the first")) {
        for (int i = 0; i < 2; ++i) {
            const char* label =
                i ? "of the date##retention.start.kind" : "of the first##retention.start.kind";
            if (ImGui::Selectable(label, int(r.start.attribute) == i) && int(r.start.attribute) != i)
                r.start = RetentionStart{i == 1, ""}, changed = true;
        }
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    if (r.start.attribute)
        changed |= pick_combo("##retention.start.attribute", r.start.name, date_attribute_names(session),
                              160 * u, "date attribute");
    else
        changed |=
            pick_combo("##retention.start.event", r.start.name, event_names(session), 160 * u, "start event");
    ImGui::SameLine();
    ImGui::TextUnformatted("returning with");
    ImGui::SameLine();
    std::string ret = r.returns.any ? "" : r.returns.event;
    if (pick_combo("##retention.return.event", ret, event_names(session), 160 * u, "any event")) {
        r.returns = RetentionReturn{ret.empty(), ret};
        changed = true;
    }
    if (!r.returns.any) {
        ImGui::SameLine(0, 2);
        if (ImGui::SmallButton("any##retention.return.any")) r.returns = RetentionReturn{}, changed = true;
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("Count any event as a return");
    }

    ImGui::TextUnformatted("Counting");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(110 * u);
    if (begin_combo("##retention.mode", kModeLabels[int(r.mode)])) {
        for (int i = 0; i < 2; ++i) {
            if (ImGui::Selectable((std::string(kModeLabels[i]) + "##retention.mode").c_str(),
                                  int(r.mode) == i) &&
                int(r.mode) != i)
                r.mode = RetentionMode(i), changed = true;
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", kModeHelp[i]);
        }
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    ImGui::TextUnformatted("over");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(90 * u);
    int periods = int(r.periods);
    if (ImGui::InputInt("##retention.periods", &periods)) {
        r.periods = std::clamp<int64_t>(periods, 1, kMaxRetentionPeriods);
        changed = true;
    }
    ImGui::SameLine();
    ImGui::TextDisabled("periods (1 to %d)", int(kMaxRetentionPeriods));
    ImGui::SameLine();
    copy_sql_button(session, "Copy SQL##retention.sql", retention_json(r), "retention");
    return changed;
}

double number(const json& j, size_t i) { return i < j.size() && j[i].is_number() ? j[i].get<double>() : 0.0; }

// The triangle: cohort start, size, then one cell per period k = 0 .. periods. A cell is
// coloured by its share of the cohort; an incomplete one is hatched; a left-out one (its
// period has not begun) is empty.
void draw_triangle(const json& answer, float u) {
    const json& cohorts = answer.at("cohorts");
    const json& mean = answer.at("mean");
    size_t cells = mean.size();
    if (cohorts.empty() || cells == 0) {
        ImGui::TextDisabled("No cohorts: the model has no events yet.");
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
    ImGui::TableSetupColumn("cohort");
    ImGui::TableSetupColumn("users");
    float cell_w = ImGui::CalcTextSize("100.0%").x + 8 * u;
    for (size_t k = 0; k < cells; ++k)
        ImGui::TableSetupColumn((unit + " " + std::to_string(k)).c_str(), ImGuiTableColumnFlags_WidthFixed,
                                cell_w);
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
            dl->AddText(p, text, size > 0 ? pct(share).c_str() : "-");
            dl->AddText(ImVec2(p.x, p.y + ImGui::GetTextLineHeight()), text, format_count(n).c_str());
            if (ImGui::IsItemHovered())
                ImGui::SetTooltip("Cohort of %s (%s users), %s %zu\n%s users returned: %s of the cohort%s%s",
                                  c.value("start", "").c_str(), format_count(size).c_str(), unit.c_str(), k,
                                  format_count(n).c_str(), pct(share).c_str(),
                                  done ? "" : "\nIncomplete: the period is not over at as-of",
                                  k == 0 ? "\n(period 0 is the cohort itself)" : "");
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
    ImGui::TextUnformatted("Compare with");
    for (size_t i = 0; i < kRetentionCompares; ++i) {
        ImGui::SameLine();
        std::string id = st.compare[i].audience;
        const std::string label = "##retention.compare." + std::to_string(i);
        if (pick_combo(label.c_str(), id, saved_audience_ids(session), 150 * u, "a saved audience"))
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
    ImGui::TextDisabled("MEAN RETENTION");
    ImGui::SameLine();
    ImGui::TextDisabled("weighted by cohort size, over the complete cells of each period");
    if (values.empty()) {
        ImGui::TextDisabled("No complete cohort yet.");
        return;
    }
    std::string unit = answer.value("period", "week");
    std::vector<ChartSeries> series;
    for (const RetentionCompare& c : st.compare)
        if (!c.audience.empty() && c.run.answer.is_object())
            series.push_back({c.audience, mean_curve(c.run.answer), 0});
    if (!series.empty()) {
        // Curves compared: the draft's, then each audience's, over the longest of them.
        series.insert(series.begin(), {st.draft.audience.is_null() ? "all users" : "this filter", values, 0});
        const ImU32 colors[] = {kChartLine, IM_COL32(230, 120, 40, 255), IM_COL32(60, 170, 90, 255)};
        size_t n = 0;
        for (size_t s = 0; s < series.size(); ++s) {
            series[s].color = colors[s % 3];
            n = std::max(n, series[s].values.size());
        }
        for (ChartSeries& s : series) s.values.resize(n, std::nan(""));
        lines_chart(
            "##retention.mean", series.data(), series.size(), n,
            [&](size_t k) { return unit + " " + std::to_string(k); }, ImVec2(0, 200 * u),
            [](double v) {
                char buf[32];
                std::snprintf(buf, sizeof buf, "%.1f%%", v);
                return std::string(buf);
            });
        return;
    }
    line_chart(
        "##retention.mean", values.data(), values.size(),
        [&](size_t k) { return unit + " " + std::to_string(k); }, ImVec2(0, 200 * u),
        [](double v) {
            char buf[32];
            std::snprintf(buf, sizeof buf, "%.1f%%", v);
            return std::string(buf);
        });
}

} // namespace

void draw_retention(App& app, UiState& ui) {
    Session& session = app.session;
    RetentionState& st = app.retention;
    float u = ui.scale;
    if (draw_settings(session, st, u)) retention_changed(st);
    draw_compare_settings(session, st, u);
    if (retention_pending(session, st)) {
        ImGui::TextDisabled("Counting...");
        ImGui::SameLine();
        ImGui::ProgressBar(st.run.job.progress(), ImVec2(120 * u, ImGui::GetTextLineHeight()), "");
    }
    ImGui::Separator();
    if (st.draft.start.name.empty()) {
        ImGui::TextDisabled(st.draft.start.attribute
                                ? "Choose the date attribute that puts a user in a cohort."
                                : "Choose the start event that puts a user in a cohort.");
        return;
    }
    draw_problems(st.run.errors);
    const json& answer = st.run.answer;
    if (!answer.is_object()) return;
    ImGui::TextDisabled(
        "%s users · %.1f ms · hover a cell for its numbers; hatched cells are not over yet. "
        "(No audience rule names a cohort cell yet: a click opens nothing.)",
        format_count(answer.value("population", 0.0)).c_str(), st.run.eval_ms);
    ImGui::BeginChild("##retention_results", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
    draw_triangle(answer, u);
    draw_mean(st, answer, u);
    ImGui::EndChild();
}

} // namespace segx
