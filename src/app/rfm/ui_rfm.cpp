// The RFM tab: the settings at the top (every widget labelled with its JSON path, so browser
// tests can click it), then the heat map beside the segment table, then the histograms.
#include "app/rfm/ui_rfm.h"
#include "core/lang/messages.h"

#include "app/audiences/audience_state.h" // file_name_for
#include "app/charts.h"
#include "app/i18n/i18n.h"
#include "app/rfm/segment_names.h"
#include "app/theme.h"
#include "app/widget_registry.h"
#include "imgui.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

namespace segx {

using json = nlohmann::json;

namespace {

std::string num(double v) {
    char buf[48];
    std::snprintf(buf, sizeof buf, std::fabs(v) >= 1e6 || v == std::floor(v) ? "%.0f" : "%.2f", v);
    return std::fabs(v) >= 1000 && v == std::floor(v) ? format_count(v) : std::string(buf);
}

std::string number_or_dash(const json& j, const char* key) {
    auto it = j.find(key);
    return it != j.end() && it->is_number() ? num(it->get<double>()) : std::string("-");
}

// Combo items are drawn as label(key, id): the English word stays the id tests click.
const S kMethodLabels[] = {S::rfm_method_quantile, S::rfm_method_thresholds, S::rfm_method_mean};
const char* const kMethodIds[] = {"quantile", "thresholds", "mean"};
const S kMethodHelp[] = {S::rfm_method_quantile_help, S::rfm_method_thresholds_help, S::rfm_method_mean_help};
const S kMonetaryLabels[] = {S::rfm_monetary_total, S::rfm_monetary_mean_order};
const char* const kMonetaryIds[] = {"total", "mean_order"};
const S kMonetaryHelp[] = {S::rfm_monetary_total_help, S::rfm_monetary_mean_order_help};
const S kColorByLabels[] = {S::rfm_color_customers, S::rfm_color_mean_m, S::rfm_color_revenue_share};
const char* const kColorByIds[] = {"customers", "mean M", "revenue share"};
const S kTemplateLabels[] = {S::rfm_template_grid, S::rfm_template_eight};
const char* const kTemplateIds[] = {"10-segment R×F grid", "8-class R/F/M (mean)"};

// A stored segment name as the page shows it (template names in the active language).
std::string shown_name(const std::string& stored) { return rfm_segment_display_name(stored, language()); }

// A segment's colour: its own "#rrggbb", else the palette's by position.
ImU32 segment_color(const RfmSegment& s, size_t i) {
    static const ImU32 kPalette[] = {IM_COL32(31, 119, 180, 255),  IM_COL32(255, 127, 14, 255),
                                     IM_COL32(44, 160, 44, 255),   IM_COL32(214, 39, 40, 255),
                                     IM_COL32(148, 103, 189, 255), IM_COL32(140, 86, 75, 255),
                                     IM_COL32(227, 119, 194, 255), IM_COL32(127, 127, 127, 255),
                                     IM_COL32(188, 189, 34, 255),  IM_COL32(23, 190, 207, 255)};
    unsigned v = 0;
    if (s.color.size() == 7 && std::sscanf(s.color.c_str() + 1, "%6x", &v) == 1)
        return IM_COL32((v >> 16) & 0xFF, (v >> 8) & 0xFF, v & 0xFF, 255);
    return kPalette[i % (sizeof kPalette / sizeof kPalette[0])];
}

std::string hex_color(const float rgb[3]) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "#%02x%02x%02x", int(rgb[0] * 255 + 0.5f), int(rgb[1] * 255 + 0.5f),
                  int(rgb[2] * 255 + 0.5f));
    return buf;
}

// The grid editor beside the heat map: the segments (pick the one to paint, rename, recolour),
// "Add a segment", and why the last edit was refused.
void draw_grid_editor(RfmState& st) {
    ImGui::TextDisabled("%s", trf(S::rfm_editor_help, {"shift"}).c_str());
    // Two segments a row, in a strip of fixed height above the charts (so it never pushes them
    // off screen); it scrolls when there are many segments.
    const float row_h = ImGui::GetFrameHeightWithSpacing();
    ImGui::BeginChild("##rfm_editor", ImVec2(0, row_h * 5.4f), false);
    if (ImGui::BeginTable("##rfm.editor", 2, ImGuiTableFlags_SizingStretchSame)) {
        for (size_t i = 0; i < st.draft.segments.size(); ++i) {
            ImGui::TableNextColumn();
            RfmSegment& seg = st.draft.segments[i];
            ImGui::PushID(int(i));
            ImVec4 c = ImGui::ColorConvertU32ToFloat4(segment_color(seg, i));
            float rgb[3] = {c.x, c.y, c.z};
            std::string color_id = "##rfm.segments[" + std::to_string(i) + "].color";
            if (ImGui::ColorEdit3(color_id.c_str(), rgb, ImGuiColorEditFlags_NoInputs))
                recolor_rfm_segment(st, i, hex_color(rgb));
            ImGui::SameLine();
            std::string pick = "##rfm.paint." + std::to_string(i);
            if (ImGui::RadioButton(pick.c_str(), st.paint_segment == i)) st.paint_segment = i;
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(S::rfm_paint_tip));
            ImGui::SameLine();
            char name[256];
            std::snprintf(name, sizeof name, "%s", seg.name.c_str());
            ImGui::SetNextItemWidth(170 * ui_unit());
            std::string name_id = "##rfm.segments[" + std::to_string(i) + "].name";
            if (ImGui::InputText(name_id.c_str(), name, sizeof name)) {
                seg.name = name;
                rfm_changed(st);
            }
            ImGui::SameLine();
            // A template's name in the other language, beside the stored one being edited.
            std::string other = rfm_segment_display_name(seg.name, language());
            if (other != seg.name) ImGui::TextDisabled("%s", other.c_str()), ImGui::SameLine();
            auto n = [](int v) { return std::to_string(v); };
            ImGui::TextDisabled(
                "%s", seg.m ? trf(S::rfm_segment_range_m, {n(seg.r.lo), n(seg.r.hi), n(seg.f.lo), n(seg.f.hi),
                                                           n(seg.m->lo), n(seg.m->hi)})
                                  .c_str()
                            : trf(S::rfm_segment_range, {n(seg.r.lo), n(seg.r.hi), n(seg.f.lo), n(seg.f.hi)})
                                  .c_str());
            ImGui::PopID();
        }
        ImGui::EndTable();
    }
    ImGui::EndChild();
    if (ImGui::Button(label(S::rfm_add_segment, "Add a segment##rfm").c_str())) {
        int S = rfm_max_score(st.draft.method);
        int r = st.anchor_r ? st.anchor_r : 1, f = st.anchor_f ? st.anchor_f : 1;
        if (add_rfm_segment(st, std::min(r, S), std::min(f, S), &st.edit_problem)) {
            st.edit_problem.clear();
            st.paint_segment = st.draft.segments.size() - 1;
        }
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(S::rfm_add_segment_tip));
    if (!st.edit_problem.empty()) ImGui::TextColored(kErrorText, "%s", st.edit_problem.c_str());
}

bool draw_thresholds(RfmState& st) {
    bool changed = false;
    struct Row {
        const char* key;
        S caption;
        std::array<double, 4>* values;
    } rows[] = {{"r", S::rfm_threshold_r, &st.draft.thresholds.r},
                {"f", S::rfm_threshold_f, &st.draft.thresholds.f},
                {"m", S::rfm_threshold_m, &st.draft.thresholds.m}};
    for (Row& row : rows) {
        ImGui::PushID(row.key);
        for (int k = 0; k < 4; ++k) {
            std::string label = std::string("##thresholds.") + row.key + "[" + std::to_string(k) + "]";
            ImGui::SetNextItemWidth(80 * ui_unit());
            double v = (*row.values)[size_t(k)];
            if (ImGui::InputDouble(label.c_str(), &v, 0, 0, "%g"))
                (*row.values)[size_t(k)] = v, changed = true;
            ImGui::SameLine();
        }
        ImGui::TextDisabled("%s", tr(row.caption));
        draw_problems(st.errors, std::string("thresholds.") + row.key);
        ImGui::PopID();
    }
    return changed;
}

void draw_settings(RfmState& st) {
    bool changed = false;
    ImGui::TextUnformatted(tr(S::rfm_method));
    ImGui::SameLine();
    ImGui::SetNextItemWidth(130 * ui_unit());
    if (begin_combo("##rfm.method", tr(kMethodLabels[int(st.draft.method)]))) {
        for (int i = 0; i < 3; ++i) {
            if (ImGui::Selectable(label(kMethodLabels[i], kMethodIds[i]).c_str(), int(st.draft.method) == i))
                set_rfm_method(st, RfmMethod(i));
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(kMethodHelp[i]));
        }
        ImGui::EndCombo();
    }
    ImGui::SameLine(0, 16 * ui_unit());
    ImGui::TextUnformatted(tr(S::rfm_monetary));
    ImGui::SameLine();
    ImGui::SetNextItemWidth(130 * ui_unit());
    if (begin_combo("##rfm.monetary", tr(kMonetaryLabels[int(st.draft.monetary)]))) {
        for (int i = 0; i < 2; ++i) {
            if (ImGui::Selectable(label(kMonetaryLabels[i], kMonetaryIds[i]).c_str(),
                                  int(st.draft.monetary) == i))
                st.draft.monetary = RfmMonetary(i), changed = true;
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(kMonetaryHelp[i]));
        }
        ImGui::EndCombo();
    }
    ImGui::SameLine(0, 16 * ui_unit());
    ImGui::TextUnformatted(tr(S::rfm_template));
    ImGui::SameLine();
    ImGui::SetNextItemWidth(190 * ui_unit());
    const bool eight = st.draft.method == RfmMethod::Mean;
    if (begin_combo("##rfm.template", tr(kTemplateLabels[eight ? 1 : 0]))) {
        for (int i = 0; i < 2; ++i)
            if (ImGui::Selectable(label(kTemplateLabels[i], kTemplateIds[i]).c_str(), eight == (i == 1)))
                set_rfm_template(st, RfmTemplate(i));
        ImGui::EndCombo();
    }
    ImGui::SameLine(0, 16 * ui_unit());
    if (ImGui::Button(label(S::rfm_reset_grid, "Reset to the default grid##rfm").c_str())) reset_rfm_grid(st);
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("%s", tr(st.draft.method == RfmMethod::Mean ? S::rfm_reset_grid_tip_eight
                                                                      : S::rfm_reset_grid_tip_grid));
    ImGui::SameLine(0, 16 * ui_unit());
    ImGui::TextUnformatted(tr(S::rfm_color_by));
    ImGui::SameLine();
    ImGui::SetNextItemWidth(130 * ui_unit());
    if (begin_combo("##rfm.color_by", tr(kColorByLabels[int(st.color_by)]))) {
        for (int i = 0; i < 3; ++i)
            if (ImGui::Selectable(label(kColorByLabels[i], kColorByIds[i]).c_str(), int(st.color_by) == i))
                st.color_by = RfmColorBy(i);
        ImGui::EndCombo();
    }
    ImGui::TextDisabled("%s", tr(kMethodHelp[int(st.draft.method)]));
    if (st.draft.method == RfmMethod::Thresholds) changed |= draw_thresholds(st);
    if (changed) rfm_changed(st);
    // Problems no widget shows beside it (the thresholds' are shown beside them).
    for (const DefinitionError& e : st.errors)
        if (st.draft.method != RfmMethod::Thresholds || e.path.rfind("thresholds", 0) != 0)
            ImGui::TextColored(kErrorText, "%s", error_line(e, language()).c_str());
}

const json* find_cell(const json& cells, int r, int f) {
    for (const json& c : cells)
        if (c.value("r", 0) == r && c.value("f", 0) == f) return &c;
    return nullptr;
}

void draw_heat_map(App& app, UiState& ui) {
    RfmState& st = app.rfm;
    const json& cells = st.answer.at("cells");
    int S = st.answer.value("method", "") == "mean" ? 2 : 5;
    double customers = json_number(st.answer, "customers"), revenue = json_number(st.answer, "revenue");
    const size_t side_n = static_cast<size_t>(S);
    std::vector<double> values(side_n * side_n);
    std::vector<std::string> texts(side_n * side_n), rows(side_n), cols(side_n);
    // Row 0 at the top is R = S (the most recent); columns run F = 1 .. S.
    auto r_of = [S](int row) { return S - row; };
    for (int row = 0; row < S; ++row) {
        rows[size_t(row)] = std::to_string(r_of(row));
        cols[size_t(row)] = std::to_string(row + 1);
        for (int col = 0; col < S; ++col) {
            const json* c = find_cell(cells, r_of(row), col + 1);
            if (!c) continue;
            double v = 0;
            std::string text;
            switch (st.color_by) {
                case RfmColorBy::Customers:
                    v = json_number(*c, "customers"), text = format_count(v);
                    break;
                case RfmColorBy::MeanM:
                    v = json_number(*c, "mean_m"), text = number_or_dash(*c, "mean_m");
                    break;
                case RfmColorBy::RevenueShare:
                    v = revenue > 0 ? json_number(*c, "revenue") / revenue : 0, text = format_percent(v, 1);
                    break;
            }
            if (st.editing && c->contains("segment")) text = shown_name(c->at("segment").get<std::string>());
            values[size_t(row * S + col)] = v;
            texts[size_t(row * S + col)] = text;
        }
    }
    double top = values.empty() ? 0 : *std::max_element(values.begin(), values.end());
    std::string legend = st.color_by == RfmColorBy::RevenueShare ? format_percent(top, 1)
                         : st.color_by == RfmColorBy::MeanM
                             ? trf(segx::S::rfm_legend_mean_m, {num(top)})
                             : trf(segx::S::rfm_legend_customers, {format_count(top)});
    auto cell_id = [&](int row, int col) {
        return "##rfm.cell.r" + std::to_string(r_of(row)) + ".f" + std::to_string(col + 1);
    };
    float side = std::min(ImGui::GetContentRegionAvail().x, 420 * ui_unit());
    HeatGridHit hit = heat_grid(values.data(), texts.data(), S, S, cell_id, rows.data(), cols.data(), "R",
                                "F", top, legend, ImVec2(side, side * 0.9f));
    if (hit.row < 0) return;
    int r = r_of(hit.row), f = hit.col + 1;
    if (hit.clicked && st.editing) {
        const bool rect = ImGui::GetIO().KeyShift && st.anchor_r > 0;
        if (paint_rfm_cells(st, st.paint_segment, rect ? st.anchor_r : r, rect ? st.anchor_f : f, r, f,
                            &st.edit_problem))
            st.edit_problem.clear();
        st.anchor_r = r, st.anchor_f = f;
        return;
    }
    if (hit.clicked) {
        if (open_rfm_cell_audience(app.session, st, app.audiences, r, f)) ui.select_tab = "Audiences";
        return;
    }
    const json* c = find_cell(cells, r, f);
    if (!c) return;
    double n = json_number(*c, "customers"), rev = json_number(*c, "revenue");
    std::string segment =
        c->contains("segment") ? " · " + shown_name(c->at("segment").get<std::string>()) : "";
    st.hover = trf(segx::S::rfm_cell_tip,
                   {std::to_string(r), std::to_string(f), segment, format_count(n),
                    format_percent(customers > 0 ? n / customers : 0, 1), num(rev),
                    format_percent(revenue > 0 ? rev / revenue : 0, 1), number_or_dash(*c, "mean_m")});
    ImGui::SetTooltip("%s\n%s", st.hover.c_str(),
                      tr(st.editing ? segx::S::rfm_cell_click_paint : segx::S::rfm_cell_click_open));
}

// The segment table's columns, in order; each sorts by its JSON field (name: as text).
const struct {
    S title;
    const char* key;
} kSegmentColumns[] = {{S::rfm_column_segment, "name"},
                       {S::rfm_column_customers, "customers"},
                       {S::rfm_column_share, "share"},
                       {S::rfm_column_revenue, "revenue"},
                       {S::rfm_column_revenue_share, "revenue_share"},
                       {S::rfm_column_mean_r, "mean_r"},
                       {S::rfm_column_mean_f, "mean_f"},
                       {S::rfm_column_mean_m, "mean_m"}};

void draw_segment_table(App& app, UiState& ui) {
    RfmState& st = app.rfm;
    const json& segments = st.answer.at("segments");
    ImGuiTableFlags flags = ImGuiTableFlags_Borders | ImGuiTableFlags_RowBg | ImGuiTableFlags_Sortable |
                            ImGuiTableFlags_SortTristate | ImGuiTableFlags_ScrollY |
                            ImGuiTableFlags_SizingStretchProp;
    float height = std::min(14.0f, float(segments.size()) + 1.5f) * ImGui::GetFrameHeightWithSpacing();
    if (!ImGui::BeginTable("##rfm.segments", 8, flags, ImVec2(0, height))) return;
    ImGui::TableSetupScrollFreeze(1, 1);
    for (auto& c : kSegmentColumns) ImGui::TableSetupColumn(label(c.title, c.key).c_str());
    ImGui::TableHeadersRow();
    // The rows in the order of the sort specs (the definition's order when unsorted).
    std::vector<size_t> order(segments.size());
    std::iota(order.begin(), order.end(), 0);
    if (const ImGuiTableSortSpecs* specs = ImGui::TableGetSortSpecs(); specs && specs->SpecsCount > 0) {
        const ImGuiTableColumnSortSpecs& s = specs->Specs[0];
        const char* key = kSegmentColumns[s.ColumnIndex].key;
        bool ascending = s.SortDirection == ImGuiSortDirection_Ascending;
        auto less = [&](size_t a, size_t b) {
            const json &x = segments[a].at(key), &y = segments[b].at(key);
            if (x.is_string()) return x.get_ref<const std::string&>() < y.get_ref<const std::string&>();
            // Empty segments (null means) sort after every number.
            double vx = x.is_number() ? x.get<double>() : HUGE_VAL,
                   vy = y.is_number() ? y.get<double>() : HUGE_VAL;
            return vx < vy;
        };
        std::stable_sort(order.begin(), order.end(),
                         [&](size_t a, size_t b) { return ascending ? less(a, b) : less(b, a); });
    }
    int clicked = -1;
    for (size_t i : order) {
        const json& s = segments[i];
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        std::string label = "##rfm.segment." + std::to_string(i);
        if (ImGui::Selectable(label.c_str(), false, ImGuiSelectableFlags_SpanAllColumns)) clicked = int(i);
        const std::string stored = s.value("name", "");
        std::string other = rfm_segment_other_name(stored, language());
        // Both names in the tooltip too: the column may be too narrow for the second.
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("%s%s%s\n%s", shown_name(stored).c_str(), other.empty() ? "" : " · ",
                              other.c_str(), tr(S::rfm_segment_row_tip));
        ImGui::SameLine(0, 0);
        ImGui::TextUnformatted(shown_name(stored).c_str());
        if (!other.empty()) ImGui::SameLine(), ImGui::TextDisabled("%s", other.c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(format_count(json_number(s, "customers")).c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(format_percent(json_number(s, "share"), 1).c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(num(json_number(s, "revenue")).c_str());
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(format_percent(json_number(s, "revenue_share"), 1).c_str());
        for (const char* key : {"mean_r", "mean_f", "mean_m"}) {
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(number_or_dash(s, key).c_str());
        }
    }
    ImGui::EndTable();
    if (clicked >= 0 && open_rfm_segment_audience(app.session, st, app.audiences, size_t(clicked)))
        ui.select_tab = "Audiences";
}

// A bin [from, to) as a label: "7-13" for whole days and orders, "[1, 2)" for M.
std::string bin_label(const json& bin, bool whole) {
    const json &from = bin.at("from"), &to = bin.at("to");
    if (from.is_null()) return "< " + num(to.get<double>());
    if (to.is_null()) return ">= " + num(from.get<double>());
    double a = from.get<double>(), b = to.get<double>();
    if (whole) return b - a == 1 ? num(a) : num(a) + "-" + num(b - 1);
    return "[" + num(a) + ", " + num(b) + ")";
}

void draw_histograms(const RfmState& st) {
    const json& histograms = st.answer.at("histograms");
    struct Metric {
        const char* key;
        S title;
        bool whole;
    } metrics[] = {
        {"r", S::rfm_histogram_r, true}, {"f", S::rfm_histogram_f, true}, {"m", S::rfm_histogram_m, false}};
    float w = (ImGui::GetContentRegionAvail().x - 2 * ImGui::GetStyle().ItemSpacing.x) / 3;
    for (int k = 0; k < 3; ++k) {
        const Metric& m = metrics[k];
        if (k) ImGui::SameLine();
        ImGui::BeginGroup();
        ImGui::TextDisabled("%s", tr(m.title));
        std::vector<double> counts;
        std::vector<std::string> labels;
        for (const json& bin : histograms.at(m.key)) {
            counts.push_back(json_number(bin, "customers"));
            labels.push_back(bin_label(bin, m.whole));
        }
        histogram_chart((std::string("##rfm.histogram.") + m.key).c_str(), counts.data(), labels.data(),
                        counts.size(), {}, ImVec2(w, 170 * ui_unit()));
        ImGui::EndGroup();
    }
}

// Copy SQL and the two CSV exports.
void draw_actions(Session& session, RfmState& st, UiState& ui) {
    ImGui::Checkbox(label(S::rfm_edit_grid, "Edit the grid##rfm.edit").c_str(), &st.editing);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(S::rfm_edit_grid_tip));
    ImGui::SameLine(0, 16 * ui_unit());
    if (ImGui::Button(label(S::rfm_copy_sql, "Copy SQL##rfm").c_str())) {
        std::string sql, problem;
        if (rfm_sql_text(session, st, &sql, &problem)) {
            ImGui::SetClipboardText(sql.c_str());
            session.post(Level::Info, tr(S::rfm_copied_sql));
        } else {
            session.post(Level::Error, trf(S::rfm_no_sql, {problem}));
        }
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", trf(S::rfm_copy_sql_tip, {"\"events\""}).c_str());
    const std::string base = st.draft.name.empty() ? "RFM" : st.draft.name;
    for (bool customers : {false, true}) {
        ImGui::SameLine();
        if (ImGui::Button(customers ? label(S::rfm_customers_csv, "Customers CSV##rfm").c_str()
                                    : label(S::rfm_segments_csv, "Segments CSV##rfm").c_str())) {
            std::string csv, problem;
            if (rfm_csv_text(session, st, customers, &csv, &problem)) {
                ui.download = {file_name_for(base, customers ? "-customers.csv" : "-segments.csv"),
                               "text/csv;charset=utf-8", std::move(csv)};
                session.post(Level::Info,
                             tr(customers ? S::rfm_exported_customers : S::rfm_exported_segments));
            } else {
                session.post(Level::Error, trf(S::rfm_no_csv, {problem}));
            }
        }
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("%s", tr(customers ? S::rfm_customers_csv_tip : S::rfm_segments_csv_tip));
    }
}

} // namespace

void draw_rfm(App& app, UiState& ui) {
    Session& session = app.session;
    RfmState& st = app.rfm;
    st.hover.clear(); // set again below while the mouse is over a cell
    if (session.model.users.size() == 0) ImGui::TextDisabled("%s", tr(S::rfm_no_data));
    draw_settings(st);
    draw_actions(session, st, ui);
    if (rfm_pending(session, st)) {
        ImGui::TextDisabled("%s", tr(S::rfm_scoring));
        ImGui::SameLine();
        ImGui::ProgressBar(st.job.progress(), ImVec2(120 * ui.scale, ImGui::GetTextLineHeight()), "");
    }
    ImGui::Separator();
    ImGui::BeginChild("##rfm_results", ImVec2(0, 0), false);
    if (!st.answer.is_object()) {
        if (st.errors.empty()) ImGui::TextDisabled("%s", tr(S::rfm_scoring));
        ImGui::EndChild();
        return;
    }
    if (!st.errors.empty()) ImGui::TextColored(kErrorText, "%s", tr(S::rfm_stale));
    ImGui::TextUnformatted(
        trf(S::rfm_summary, {format_count(json_number(st.answer, "customers")),
                             st.answer.value("purchase_event", ""), num(json_number(st.answer, "revenue"))})
            .c_str());
    ImGui::SameLine();
    char ms[32];
    std::snprintf(ms, sizeof ms, "%.1f", st.eval_ms);
    ImGui::TextDisabled("%s", trf(S::rfm_elapsed, {ms}).c_str());
    ImGui::TextDisabled("%s", tr(S::rfm_hint));
    if (st.editing) draw_grid_editor(st);
    float side = std::min(ImGui::GetContentRegionAvail().x * 0.42f, 440 * ui_unit());
    ImGui::BeginGroup();
    ImGui::TextDisabled("%s", tr(S::rfm_heat_title));
    ImGui::PushItemWidth(side);
    ImGui::BeginChild("##rfm_heat", ImVec2(side, side), false, ImGuiWindowFlags_NoScrollbar);
    draw_heat_map(app, ui);
    ImGui::EndChild();
    ImGui::PopItemWidth();
    ImGui::EndGroup();
    ImGui::SameLine();
    ImGui::BeginGroup();
    ImGui::TextDisabled("%s", tr(S::rfm_segments));
    draw_segment_table(app, ui);
    ImGui::EndGroup();
    ImGui::Spacing();
    draw_histograms(st);
    ImGui::EndChild();
}

} // namespace segx
