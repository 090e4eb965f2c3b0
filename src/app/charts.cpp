#include "app/charts.h"

#include "app/i18n/i18n.h"
#include "app/theme.h"
#include "app/ui.h"
#include "app/widget_registry.h"
#include "imgui_internal.h"

#include <algorithm>
#include <cmath>

namespace segx {

// A "nice" upper bound for the y axis: 1, 2 or 5 times a power of ten.
static double nice_max(double v) {
    if (v <= 0) return 1;
    double p = std::pow(10.0, std::floor(std::log10(v)));
    for (double m : {1.0, 2.0, 5.0, 10.0})
        if (m * p >= v) return m * p;
    return 10 * p;
}

// The y axis of a chart: grid lines and their values (format_count unless `text` is given) at
// the left of [a, b].
static void y_axis(ImDrawList* dl, ImVec2 a, ImVec2 b, double top,
                   const std::function<std::string(double)>& text = nullptr) {
    for (int k = 0; k <= 4; ++k) {
        float y = b.y - (b.y - a.y) * float(k) / 4;
        dl->AddLine(ImVec2(a.x, y), ImVec2(b.x, y), kChartGrid);
        std::string t = text ? text(top * k / 4) : format_count(top * k / 4);
        dl->AddText(ImVec2(a.x - ImGui::CalcTextSize(t.c_str()).x - 6, y - ImGui::GetTextLineHeight() / 2),
                    kChartAxisText, t.c_str());
    }
}

void line_chart(const char* id, const double* values, size_t n,
                const std::function<std::string(size_t)>& label, ImVec2 size,
                const std::function<std::string(double)>& value_text) {
    auto text_of = [&](double v) { return value_text ? value_text(v) : format_count(v); };
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImVec2 p0 = ImGui::GetCursorScreenPos();
    if (size.x <= 0) size.x = ImGui::GetContentRegionAvail().x;
    ImGui::InvisibleButton(id, size);
    bool hovered = ImGui::IsItemHovered();
    float axis_w = ImGui::CalcTextSize("00000000").x, axis_h = ImGui::GetTextLineHeightWithSpacing();
    ImVec2 a(p0.x + axis_w, p0.y + 4), b(p0.x + size.x - 8, p0.y + size.y - axis_h);
    if (n == 0 || b.x <= a.x || b.y <= a.y) return;
    double top = nice_max(*std::max_element(values, values + n));
    y_axis(dl, a, b, top, text_of);
    auto px = [&](size_t i) {
        return n == 1 ? (a.x + b.x) / 2 : a.x + (b.x - a.x) * float(i) / float(n - 1);
    };
    auto py = [&](double v) { return b.y - (b.y - a.y) * float(v / top); };
    dl->PathClear();
    for (size_t i = 0; i < n; ++i) dl->PathLineTo(ImVec2(px(i), py(values[i])));
    dl->PathStroke(kChartLine, 0, std::max(1.0f, ImGui::GetFontSize() / 10));
    for (size_t i = 0; i + 1 < n; ++i)
        dl->AddQuadFilled(ImVec2(px(i), py(values[i])), ImVec2(px(i + 1), py(values[i + 1])),
                          ImVec2(px(i + 1), b.y), ImVec2(px(i), b.y), kChartFill);
    std::string first = label(0), last = label(n - 1);
    dl->AddText(ImVec2(a.x, b.y + 3), kChartAxisText, first.c_str());
    dl->AddText(ImVec2(b.x - ImGui::CalcTextSize(last.c_str()).x, b.y + 3), kChartAxisText, last.c_str());
    if (hovered) {
        float mx = ImGui::GetIO().MousePos.x;
        size_t i =
            n == 1
                ? 0
                : size_t(std::clamp(std::lround((mx - a.x) / (b.x - a.x) * float(n - 1)), 0L, long(n - 1)));
        dl->AddLine(ImVec2(px(i), a.y), ImVec2(px(i), b.y), kChartCursor);
        dl->AddCircleFilled(ImVec2(px(i), py(values[i])), ImGui::GetFontSize() / 4, kChartLine);
        ImGui::SetTooltip("%s\n%s", label(i).c_str(), text_of(values[i]).c_str());
    }
}

LinesChartHit lines_chart(const char* id, const ChartSeries* series, size_t count, size_t n,
                          const std::function<std::string(size_t)>& label, ImVec2 size,
                          const std::function<std::string(double)>& value_text) {
    LinesChartHit hit;
    // The legend: a coloured dash and the name of each series.
    for (size_t s = 0; s < count; ++s) {
        if (s) ImGui::SameLine(0, 16);
        ImVec2 p = ImGui::GetCursorScreenPos();
        const float h = ImGui::GetTextLineHeight();
        ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(p.x, p.y + h / 2 - 2),
                                                  ImVec2(p.x + 14, p.y + h / 2 + 2), series[s].color);
        ImGui::Dummy(ImVec2(18, h));
        ImGui::SameLine(0, 0);
        ImGui::TextUnformatted(series[s].name.c_str());
    }
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImVec2 p0 = ImGui::GetCursorScreenPos();
    if (size.x <= 0) size.x = ImGui::GetContentRegionAvail().x;
    ImGui::InvisibleButton(id, size);
    const bool hovered = ImGui::IsItemHovered();
    const bool clicked = ImGui::IsItemClicked();
    float axis_w = ImGui::CalcTextSize("00000000").x, axis_h = ImGui::GetTextLineHeightWithSpacing();
    ImVec2 a(p0.x + axis_w, p0.y + 4), b(p0.x + size.x - 8, p0.y + size.y - axis_h);
    if (n == 0 || b.x <= a.x || b.y <= a.y) return hit;
    double high = 0;
    for (size_t s = 0; s < count; ++s)
        for (size_t i = 0; i < n && i < series[s].values.size(); ++i)
            if (std::isfinite(series[s].values[i])) high = std::max(high, series[s].values[i]);
    const double top = nice_max(high);
    y_axis(dl, a, b, top, value_text);
    auto px = [&](size_t i) {
        return n == 1 ? (a.x + b.x) / 2 : a.x + (b.x - a.x) * float(i) / float(n - 1);
    };
    auto py = [&](double v) { return b.y - (b.y - a.y) * float(v / top); };
    const float thickness = std::max(1.0f, ImGui::GetFontSize() / 10);
    const float dot = ImGui::GetFontSize() / 4;
    ImGuiContext& g = *ImGui::GetCurrentContext();
    for (size_t s = 0; s < count; ++s) {
        const std::vector<double>& v = series[s].values;
        dl->PathClear();
        for (size_t i = 0; i < n && i < v.size(); ++i) {
            if (!std::isfinite(v[i])) {
                dl->PathStroke(series[s].color, 0, thickness);
                continue;
            }
            dl->PathLineTo(ImVec2(px(i), py(v[i])));
            // Recorded for tests (no item of its own): a small square around the point.
            g.LastItemData.Rect = ImRect(px(i) - dot, py(v[i]) - dot, px(i) + dot, py(v[i]) + dot);
            widget_registry_note_last_item(
                (std::string(id) + "." + std::to_string(s) + "." + std::to_string(i)).c_str());
        }
        dl->PathStroke(series[s].color, 0, thickness);
    }
    std::string first = label(0), last = label(n - 1);
    dl->AddText(ImVec2(a.x, b.y + 3), kChartAxisText, first.c_str());
    dl->AddText(ImVec2(b.x - ImGui::CalcTextSize(last.c_str()).x, b.y + 3), kChartAxisText, last.c_str());
    if (!hovered) return hit;
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    size_t i =
        n == 1
            ? 0
            : size_t(std::clamp(std::lround((mouse.x - a.x) / (b.x - a.x) * float(n - 1)), 0L, long(n - 1)));
    dl->AddLine(ImVec2(px(i), a.y), ImVec2(px(i), b.y), kChartCursor);
    // The series nearest the mouse at that point (the one a click opens).
    float nearest = 0;
    for (size_t s = 0; s < count; ++s) {
        const std::vector<double>& v = series[s].values;
        if (i >= v.size() || !std::isfinite(v[i])) continue;
        const float d = std::fabs(py(v[i]) - mouse.y);
        if (hit.series < 0 || d < nearest) hit.series = int(s), nearest = d;
    }
    std::string tip = label(i);
    for (size_t s = 0; s < count; ++s) {
        const std::vector<double>& v = series[s].values;
        const bool has = i < v.size() && std::isfinite(v[i]);
        if (has)
            dl->AddCircleFilled(ImVec2(px(i), py(v[i])), int(s) == hit.series ? dot * 1.6f : dot,
                                series[s].color);
        std::string line = i < series[s].tips.size()
                               ? series[s].tips[i]
                               : series[s].name + ": " + (has ? value_text(v[i]) : std::string("-"));
        tip += std::string("\n") + (int(s) == hit.series && count > 1 ? "> " : "") + line;
    }
    ImGui::SetTooltip("%s", tip.c_str());
    hit.point = int(i), hit.tip = std::move(tip), hit.clicked = clicked;
    return hit;
}

void bar_list(const char* id, const std::string* labels, const double* values, size_t n, float width) {
    ImGui::PushID(id);
    double top = 0;
    for (size_t i = 0; i < n; ++i) top = std::max(top, values[i]);
    float label_w = 0;
    for (size_t i = 0; i < n; ++i) label_w = std::max(label_w, ImGui::CalcTextSize(labels[i].c_str()).x);
    float h = ImGui::GetTextLineHeightWithSpacing();
    for (size_t i = 0; i < n; ++i) {
        ImGui::PushID(int(i));
        ImVec2 p = ImGui::GetCursorScreenPos();
        ImGui::InvisibleButton("##bar", ImVec2(width, h));
        ImDrawList* dl = ImGui::GetWindowDrawList();
        std::string v = format_count(values[i]);
        float value_w = ImGui::CalcTextSize("0,000,000,000").x;
        float bar_x0 = p.x + label_w + 8, bar_x1 = p.x + width - value_w - 8;
        float w = top > 0 ? float(values[i] / top) * (bar_x1 - bar_x0) : 0;
        dl->AddText(p, ImGui::GetColorU32(ImGuiCol_Text), labels[i].c_str());
        dl->AddRectFilled(ImVec2(bar_x0, p.y + 2), ImVec2(bar_x0 + w, p.y + h - 3),
                          ImGui::IsItemHovered() ? kChartLine : kChartBar);
        dl->AddText(ImVec2(p.x + width - ImGui::CalcTextSize(v.c_str()).x, p.y), kChartAxisText, v.c_str());
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s: %s", labels[i].c_str(), v.c_str());
        ImGui::PopID();
    }
    ImGui::PopID();
}

// Text centred on x, cut to `width`.
static void centred_text(ImDrawList* dl, float x, float y, float width, ImU32 color,
                         const std::string& text) {
    float w = ImGui::CalcTextSize(text.c_str()).x;
    ImVec4 clip(x - width / 2, y, x + width / 2, y + ImGui::GetTextLineHeight() * 2);
    dl->AddText(nullptr, 0, ImVec2(std::max(x - w / 2, clip.x), y), color, text.c_str(), nullptr, 0, &clip);
}

StepBarHit step_bars(const char* id, const StepBar* bars, size_t n, ImVec2 size) {
    StepBarHit hit;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImVec2 p0 = ImGui::GetCursorScreenPos();
    if (size.x <= 0) size.x = ImGui::GetContentRegionAvail().x;
    float line = ImGui::GetTextLineHeightWithSpacing();
    float axis_w = ImGui::CalcTextSize("00000000").x;
    ImVec2 a(p0.x + axis_w, p0.y + line + 4), b(p0.x + size.x - 8, p0.y + size.y - line);
    ImGui::Dummy(size); // the chart's place in the layout; each bar is its own item below
    if (n == 0 || b.x <= a.x + 4 || b.y <= a.y + 4) return hit;
    double top = 0;
    for (size_t i = 0; i < n; ++i) top = std::max(top, bars[i].users + bars[i].dropped);
    top = nice_max(top);
    y_axis(dl, a, b, top);
    float slot = (b.x - a.x) / float(n), bar_w = std::max(4.0f, slot * 0.62f);
    auto py = [&](double v) { return b.y - (b.y - a.y) * float(v / top); };
    ImVec2 after = ImGui::GetCursorScreenPos();
    for (size_t i = 0; i < n; ++i) {
        const StepBar& bar = bars[i];
        float cx = a.x + slot * (float(i) + 0.5f), x0 = cx - bar_w / 2, x1 = cx + bar_w / 2;
        float y_users = py(bar.users), y_drop = py(bar.users + bar.dropped);
        std::string label = std::string(id) + ".steps[" + std::to_string(i) + "]";
        // The bar: from its top (at least a few pixels, so an empty step can still be pointed at).
        float y_bar = std::min(y_users, b.y - 3);
        ImGui::SetCursorScreenPos(ImVec2(x0, y_bar));
        if (ImGui::InvisibleButton(label.c_str(), ImVec2(bar_w, b.y - y_bar))) hit = {int(i), false, true};
        widget_registry_note_last_item(label.c_str()); // invisible buttons report no label to the hooks
        bool bar_hovered = ImGui::IsItemHovered();
        if (bar_hovered && !hit.clicked) hit = {int(i), false, false};
        dl->AddRectFilled(ImVec2(x0, y_users), ImVec2(x1, b.y), bar_hovered ? kChartLine : kChartBar);
        bool drop_hovered = false;
        if (bar.dropped > 0 && y_bar - y_drop >= 1) {
            ImGui::SetCursorScreenPos(ImVec2(x0, y_drop));
            if (ImGui::InvisibleButton((label + ".drop").c_str(), ImVec2(bar_w, y_bar - y_drop)))
                hit = {int(i), true, true};
            widget_registry_note_last_item((label + ".drop").c_str());
            drop_hovered = ImGui::IsItemHovered();
            if (drop_hovered && !hit.clicked) hit = {int(i), true, false};
        }
        if (bar.dropped > 0)
            dl->AddRectFilled(ImVec2(x0, y_drop), ImVec2(x1, y_users),
                              drop_hovered ? kChartDropOffHover : kChartDropOff);
        centred_text(dl, cx, y_drop - line, slot, ImGui::GetColorU32(ImGuiCol_Text), bar.caption);
        centred_text(dl, cx, b.y + 3, slot, kChartAxisText, bar.label);
    }
    ImGui::SetCursorScreenPos(after);
    return hit;
}

void histogram_chart(const char* id, const double* counts, const std::string* labels, size_t n,
                     const std::vector<ChartMarker>& markers, ImVec2 size) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImVec2 p0 = ImGui::GetCursorScreenPos();
    if (size.x <= 0) size.x = ImGui::GetContentRegionAvail().x;
    ImGui::InvisibleButton(id, size);
    bool hovered = ImGui::IsItemHovered();
    float line = ImGui::GetTextLineHeightWithSpacing();
    float axis_w = ImGui::CalcTextSize("00000000").x;
    ImVec2 a(p0.x + axis_w, p0.y + line + 4), b(p0.x + size.x - 8, p0.y + size.y - line);
    if (n == 0 || b.x <= a.x + 4 || b.y <= a.y + 4) return;
    double top = nice_max(*std::max_element(counts, counts + n));
    y_axis(dl, a, b, top);
    float slot = (b.x - a.x) / float(n);
    // Labels every `every` buckets, so that they do not overlap.
    float label_w = 0;
    for (size_t i = 0; i < n; ++i) label_w = std::max(label_w, ImGui::CalcTextSize(labels[i].c_str()).x);
    size_t every = std::max<size_t>(1, size_t(std::ceil((label_w + 8) / slot)));
    int hovered_i = -1;
    if (hovered) hovered_i = int(std::clamp((ImGui::GetIO().MousePos.x - a.x) / slot, 0.0f, float(n - 1)));
    for (size_t i = 0; i < n; ++i) {
        float x0 = a.x + slot * float(i) + 1, x1 = a.x + slot * float(i + 1) - 1;
        float y = b.y - (b.y - a.y) * float(counts[i] / top);
        dl->AddRectFilled(ImVec2(x0, y), ImVec2(std::max(x0 + 1, x1), b.y),
                          int(i) == hovered_i ? kChartLine : kChartBar);
        if (i % every == 0) dl->AddText(ImVec2(x0, b.y + 3), kChartAxisText, labels[i].c_str());
    }
    for (const ChartMarker& m : markers) {
        float x = a.x + slot * float(std::clamp(m.position, 0.0, double(n)));
        dl->AddLine(ImVec2(x, a.y - 2), ImVec2(x, b.y), kChartMarker,
                    std::max(1.0f, ImGui::GetFontSize() / 8));
        dl->AddText(ImVec2(x + 3, a.y - line), kChartMarker, m.label.c_str());
    }
    if (hovered_i >= 0)
        ImGui::SetTooltip("%s\n%s", labels[hovered_i].c_str(),
                          trf(S::n_users, {format_count(counts[hovered_i])}).c_str());
}

static const char* const kLifecycleStageNames[4] = {"new", "returning", "resurrecting", "dormant"};

LifecycleBarHit lifecycle_bars(const char* id, const LifecycleBar* bars, size_t n, ImVec2 size) {
    LifecycleBarHit hit;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImVec2 p0 = ImGui::GetCursorScreenPos();
    if (size.x <= 0) size.x = ImGui::GetContentRegionAvail().x;
    float line = ImGui::GetTextLineHeightWithSpacing();
    float axis_w = ImGui::CalcTextSize("00000000").x;
    ImVec2 a(p0.x + axis_w, p0.y + 4), b(p0.x + size.x - 8, p0.y + size.y - line);
    ImGui::Dummy(size); // the chart's place in the layout; each period is its own item below
    if (n == 0 || b.x <= a.x + 4 || b.y <= a.y + 4) return hit;
    double up = 0, down = 0;
    for (size_t i = 0; i < n; ++i) {
        up = std::max(up, bars[i].stages[0] + bars[i].stages[1] + bars[i].stages[2]);
        down = std::max(down, bars[i].stages[3]);
    }
    up = nice_max(up);
    down = down > 0 ? nice_max(down) : 0;
    // The axis splits the height in proportion to the two scales' ranges.
    float per = (b.y - a.y) / float(up + down);
    float axis_y = a.y + float(up) * per;
    auto py = [&](double v) { return axis_y - float(v) * per; }; // v < 0: below the axis
    for (double v : {up, up / 2, 0.0, -down / 2, -down}) {
        if (v < 0 && down == 0) continue;
        float y = py(v);
        dl->AddLine(ImVec2(a.x, y), ImVec2(b.x, y), v == 0 ? kChartCursor : kChartGrid);
        std::string t = format_count(std::fabs(v));
        dl->AddText(ImVec2(a.x - ImGui::CalcTextSize(t.c_str()).x - 6, y - ImGui::GetTextLineHeight() / 2),
                    kChartAxisText, t.c_str());
    }
    float slot = (b.x - a.x) / float(n), bar_w = std::max(3.0f, slot * 0.7f);
    // Period labels: as many as fit side by side.
    float label_w = ImGui::CalcTextSize("0000-00-00").x + 8;
    size_t every = std::max<size_t>(1, size_t(std::ceil(label_w / slot)));
    ImVec2 after = ImGui::GetCursorScreenPos();
    ImGuiContext& g = *ImGui::GetCurrentContext();
    for (size_t i = 0; i < n; ++i) {
        const LifecycleBar& bar = bars[i];
        float cx = a.x + slot * (float(i) + 0.5f), x0 = cx - bar_w / 2, x1 = cx + bar_w / 2;
        std::string label = std::string(id) + "." + std::to_string(i);
        ImGui::SetCursorScreenPos(ImVec2(x0, a.y));
        if (ImGui::InvisibleButton(label.c_str(), ImVec2(bar_w, b.y - a.y)))
            hit.clicked = true, hit.bar = int(i);
        widget_registry_note_last_item(label.c_str()); // invisible buttons report no label to the hooks
        bool hovered = ImGui::IsItemHovered();
        if (hovered) hit.bar = int(i);
        float my = ImGui::GetIO().MousePos.y;
        // Segments: new at the axis, then returning, then resurrecting; dormant below.
        double base = 0;
        for (int k = 0; k < 4; ++k) {
            double v = bar.stages[k];
            float y0 = k < 3 ? py(base + v) : axis_y, y1 = k < 3 ? py(base) : py(-v);
            if (k < 3) base += v;
            if (v <= 0 || y1 - y0 < 0.5f) continue;
            bool in = hovered && my >= y0 && my <= y1;
            if (in) hit.stage = k;
            ImU32 col = lifecycle_stage_color(k, bar.complete);
            dl->AddRectFilled(ImVec2(x0, y0), ImVec2(x1, y1), col);
            if (in) dl->AddRect(ImVec2(x0, y0), ImVec2(x1, y1), kChartLine, 0, 0, 2);
            g.LastItemData.Rect = ImRect(x0, y0, x1, y1); // recorded for tests, no item of its own
            widget_registry_note_last_item((label + "." + kLifecycleStageNames[k]).c_str());
        }
        if (i % every == 0) centred_text(dl, cx, b.y + 3, slot * float(every), kChartAxisText, bar.label);
    }
    ImGui::SetCursorScreenPos(after);
    return hit;
}

} // namespace segx

namespace segx {

HeatGridHit heat_grid(const double* values, const std::string* texts, int rows, int cols,
                      const std::function<std::string(int, int)>& cell_id, const std::string* row_labels,
                      const std::string* col_labels, const char* row_title, const char* col_title, double top,
                      const std::string& legend_label, ImVec2 size) {
    HeatGridHit hit;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImVec2 p0 = ImGui::GetCursorScreenPos();
    if (size.x <= 0) size.x = ImGui::GetContentRegionAvail().x;
    float line = ImGui::GetTextLineHeightWithSpacing();
    float axis_w = ImGui::CalcTextSize(row_title).x + ImGui::CalcTextSize("00").x + 8;
    // Grid area: left axis labels, the column labels and title under it, then the legend.
    ImVec2 a(p0.x + axis_w, p0.y), b(p0.x + size.x - 8, p0.y + size.y - 4 * line);
    ImGui::Dummy(size); // the chart's place in the layout; each cell is its own item below
    if (rows <= 0 || cols <= 0 || b.x <= a.x + 4 || b.y <= a.y + 4) return hit;
    ImVec2 after = ImGui::GetCursorScreenPos();
    float cw = (b.x - a.x) / float(cols), ch = (b.y - a.y) / float(rows);
    for (int r = 0; r < rows; ++r) {
        for (int c = 0; c < cols; ++c) {
            ImVec2 c0(a.x + cw * float(c), a.y + ch * float(r)), c1(c0.x + cw - 2, c0.y + ch - 2);
            std::string id = cell_id(r, c);
            ImGui::SetCursorScreenPos(c0);
            if (ImGui::InvisibleButton(id.c_str(), ImVec2(cw - 2, ch - 2))) hit = {r, c, true};
            widget_registry_note_last_item(id.c_str()); // invisible buttons report no label to the hooks
            bool hovered = ImGui::IsItemHovered();
            if (hovered && !hit.clicked) hit = {r, c, false};
            double v = values[r * cols + c];
            double t = top > 0 ? v / top : 0;
            dl->AddRectFilled(c0, c1, heat_color(t));
            if (hovered) dl->AddRect(c0, c1, kChartLine, 0, 0, 2);
            const std::string& text = texts[r * cols + c];
            if (!text.empty()) {
                ImVec2 ts = ImGui::CalcTextSize(text.c_str());
                ImVec2 at((c0.x + c1.x - ts.x) / 2, (c0.y + c1.y - ts.y) / 2);
                dl->AddText(at, heat_text_color(t), text.c_str());
            }
        }
        ImVec2 ts = ImGui::CalcTextSize(row_labels[r].c_str());
        dl->AddText(ImVec2(a.x - ts.x - 4, a.y + ch * (float(r) + 0.5f) - ts.y / 2), kChartAxisText,
                    row_labels[r].c_str());
    }
    dl->AddText(ImVec2(p0.x, a.y + (b.y - a.y) / 2 - line / 2), kChartAxisText, row_title);
    for (int c = 0; c < cols; ++c)
        centred_text(dl, a.x + cw * (float(c) + 0.5f), b.y + 2, cw, kChartAxisText, col_labels[c]);
    centred_text(dl, (a.x + b.x) / 2, b.y + line + 2, b.x - a.x, kChartAxisText, col_title);
    // The legend: the colour scale from 0 to `top`.
    float ly = b.y + 2 * line + 6, lw = std::min(240.0f * ImGui::GetFontSize() / 14, b.x - a.x);
    const int steps = 24;
    for (int i = 0; i < steps; ++i) {
        float x0 = a.x + lw * float(i) / steps, x1 = a.x + lw * float(i + 1) / steps;
        dl->AddRectFilled(ImVec2(x0, ly), ImVec2(x1 + 0.5f, ly + line * 0.6f),
                          heat_color(double(i) / (steps - 1)));
    }
    dl->AddRect(ImVec2(a.x, ly), ImVec2(a.x + lw, ly + line * 0.6f), kChartGrid);
    dl->AddText(ImVec2(a.x - ImGui::CalcTextSize("0").x - 4, ly - 2), kChartAxisText, "0");
    dl->AddText(ImVec2(a.x + lw + 4, ly - 2), kChartAxisText, legend_label.c_str());
    ImGui::SetCursorScreenPos(after);
    return hit;
}

} // namespace segx

namespace segx {

// A fixed palette for series, distinct in light and dark themes.
static ImU32 series_color(size_t s, bool hovered) {
    static const ImU32 kSeries[] = {IM_COL32(40, 100, 210, 0), IM_COL32(230, 120, 30, 0),
                                    IM_COL32(40, 160, 90, 0),  IM_COL32(200, 60, 80, 0),
                                    IM_COL32(130, 90, 200, 0), IM_COL32(20, 160, 170, 0),
                                    IM_COL32(180, 150, 20, 0), IM_COL32(120, 120, 120, 0)};
    return kSeries[s % (sizeof kSeries / sizeof kSeries[0])] |
           (ImU32(hovered ? 255 : 170) << IM_COL32_A_SHIFT);
}

GroupedBarHit grouped_bars(const char* id, const std::string* group_labels, size_t groups,
                           const std::string* series_labels, size_t series, const double* values,
                           bool percent, ImVec2 size) {
    GroupedBarHit hit;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImVec2 p0 = ImGui::GetCursorScreenPos();
    if (size.x <= 0) size.x = ImGui::GetContentRegionAvail().x;
    float line = ImGui::GetTextLineHeightWithSpacing();
    float axis_w = ImGui::CalcTextSize("00000000").x;
    ImVec2 a(p0.x + axis_w, p0.y + 4), b(p0.x + size.x - 8, p0.y + size.y - line);
    ImGui::Dummy(size);
    if (groups == 0 || series == 0 || b.x <= a.x + 4 || b.y <= a.y + 4) return hit;
    double top = 100;
    if (!percent) {
        top = 0;
        for (size_t i = 0; i < groups * series; ++i) top = std::max(top, values[i]);
        top = nice_max(top);
    }
    for (int k = 0; k <= 4; ++k) {
        float y = b.y - (b.y - a.y) * float(k) / 4;
        dl->AddLine(ImVec2(a.x, y), ImVec2(b.x, y), kChartGrid);
        std::string t = percent ? std::to_string(25 * k) + "%" : format_count(top * k / 4);
        dl->AddText(ImVec2(a.x - ImGui::CalcTextSize(t.c_str()).x - 6, y - ImGui::GetTextLineHeight() / 2),
                    kChartAxisText, t.c_str());
    }
    float slot = (b.x - a.x) / float(groups);
    float bar_w = std::max(2.0f, slot * 0.8f / float(series));
    ImVec2 after = ImGui::GetCursorScreenPos();
    for (size_t g = 0; g < groups; ++g) {
        float x = a.x + slot * (float(g) + 0.1f);
        for (size_t s = 0; s < series; ++s, x += bar_w) {
            double v = std::clamp(values[s * groups + g], 0.0, top);
            float y = std::min(b.y - (b.y - a.y) * float(v / top), b.y - 3);
            std::string label = std::string(id) + "[" + std::to_string(g) + "][" + std::to_string(s) + "]";
            ImGui::SetCursorScreenPos(ImVec2(x, y));
            ImGui::InvisibleButton(label.c_str(), ImVec2(std::max(1.0f, bar_w - 1), b.y - y));
            widget_registry_note_last_item(label.c_str());
            bool hovered = ImGui::IsItemHovered();
            if (hovered) hit = {int(g), int(s)};
            dl->AddRectFilled(ImVec2(x, y), ImVec2(x + std::max(1.0f, bar_w - 1), b.y),
                              series_color(s, hovered));
        }
        centred_text(dl, a.x + slot * (float(g) + 0.5f), b.y + 3, slot, kChartAxisText, group_labels[g]);
    }
    ImGui::SetCursorScreenPos(after);
    // The legend: a swatch and the series' name, wrapping like text.
    for (size_t s = 0; s < series; ++s) {
        if (s > 0) ImGui::SameLine(0, 12);
        if (ImGui::GetContentRegionAvail().x < ImGui::CalcTextSize(series_labels[s].c_str()).x + line)
            ImGui::NewLine();
        ImVec2 q = ImGui::GetCursorScreenPos();
        float h = ImGui::GetTextLineHeight();
        ImGui::GetWindowDrawList()->AddRectFilled(
            ImVec2(q.x, q.y + h * 0.2f), ImVec2(q.x + h * 0.6f, q.y + h * 0.8f), series_color(s, true));
        ImGui::Dummy(ImVec2(h * 0.8f, h));
        ImGui::SameLine(0, 2);
        ImGui::TextUnformatted(series_labels[s].c_str());
    }
    return hit;
}

} // namespace segx
