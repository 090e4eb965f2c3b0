#include "app/charts.h"

#include "app/theme.h"
#include "app/ui.h"
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

void line_chart(const char* id, const double* values, size_t n,
                const std::function<std::string(size_t)>& label, ImVec2 size) {
    ImDrawList* dl = ImGui::GetWindowDrawList();
    ImVec2 p0 = ImGui::GetCursorScreenPos();
    if (size.x <= 0) size.x = ImGui::GetContentRegionAvail().x;
    ImGui::InvisibleButton(id, size);
    bool hovered = ImGui::IsItemHovered();
    float axis_w = ImGui::CalcTextSize("00000000").x, axis_h = ImGui::GetTextLineHeightWithSpacing();
    ImVec2 a(p0.x + axis_w, p0.y + 4), b(p0.x + size.x - 8, p0.y + size.y - axis_h);
    if (n == 0 || b.x <= a.x || b.y <= a.y) return;
    double top = nice_max(*std::max_element(values, values + n));
    for (int k = 0; k <= 4; ++k) {
        float y = b.y - (b.y - a.y) * float(k) / 4;
        dl->AddLine(ImVec2(a.x, y), ImVec2(b.x, y), kChartGrid);
        std::string t = format_count(top * k / 4);
        dl->AddText(ImVec2(a.x - ImGui::CalcTextSize(t.c_str()).x - 6, y - ImGui::GetTextLineHeight() / 2),
                    kChartAxisText, t.c_str());
    }
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
        ImGui::SetTooltip("%s\n%s", label(i).c_str(), format_count(values[i]).c_str());
    }
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

} // namespace segx
