#pragma once
// Charts drawn with ImDrawList (no plotting library is packaged for Dear ImGui 1.86). Each chart
// is one function over plain arrays; hovering shows the exact value.
#include "imgui.h"

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace segx {

// A line over n values, x evenly spaced. `label(i)` names point i (e.g. its date) for the
// tooltip and the first/last axis labels. The chart registers as an item with `id`.
// `value_text` formats the values (axis and tooltip; default: whole counts).
void line_chart(const char* id, const double* values, size_t n,
                const std::function<std::string(size_t)>& label, ImVec2 size,
                const std::function<std::string(double)>& value_text = nullptr);

// Several lines over the same x points (0 .. n - 1), each with a name and a colour, for curves
// compared (retention by audience, by an attribute's values). A NaN value leaves the point out.
// The tooltip lists every series' value at the hovered point (or its `tips` line when given); a
// legend of the names is drawn above. Each point drawn is recorded for window.segx.widgetRect as
// `id` + "." + series + "." + point, so tests can hover and click one. Returns the point under
// the mouse and the series nearest to it (-1: none), and whether it was clicked.
struct ChartSeries {
    std::string name;
    std::vector<double> values;
    ImU32 color = 0;
    std::vector<std::string> tips; // per point, the tooltip's line (empty: "name: value")
};
struct LinesChartHit {
    int point = -1, series = -1;
    bool clicked = false;
    std::string tip; // the tooltip shown ("": none)
};
LinesChartHit lines_chart(const char* id, const ChartSeries* series, size_t count, size_t n,
                          const std::function<std::string(size_t)>& label, ImVec2 size,
                          const std::function<std::string(double)>& value_text);

// Horizontal bars, one row per value, with the label at the left and the value at the right.
void bar_list(const char* id, const std::string* labels, const double* values, size_t n, float width);

// One bar of a funnel chart: a step's users, with the users lost since the previous step drawn
// above it (up to the previous bar's height).
struct StepBar {
    std::string label;   // under the bar ("2. add_to_cart")
    std::string caption; // above it ("42.1%")
    double users = 0;
    double dropped = 0; // the previous step's users - users (0 for step 1)
};
// What the mouse did over a step chart this frame.
struct StepBarHit {
    int bar = -1;      // the bar hovered or clicked (-1: none)
    bool drop = false; // ... its drop-off part
    bool clicked = false;
};
// Vertical bars, one per step. Each bar is an item labelled `id` + ".steps[i]" and its drop-off
// part `id` + ".steps[i].drop" (i from 0, as in the definition's JSON), so tests can click them.
// The caller shows the hovered bar's tooltip and acts on a click.
StepBarHit step_bars(const char* id, const StepBar* bars, size_t n, ImVec2 size);

// A vertical line at `position` (in buckets: 2.5 is the middle of bucket 2) with its label.
struct ChartMarker {
    double position = 0;
    std::string label;
};
// A histogram: one bar per bucket, its label under it (every few when crowded), the exact
// count on hover, and markers drawn over the bars.
void histogram_chart(const char* id, const double* counts, const std::string* labels, size_t n,
                     const std::vector<ChartMarker>& markers, ImVec2 size);

// One period of a lifecycle chart: new, returning and resurrecting users stacked above the
// axis, dormant users below it (counts, all positive).
struct LifecycleBar {
    std::string label;               // under the bar (the period's start)
    double stages[4] = {0, 0, 0, 0}; // new, returning, resurrecting, dormant
    bool complete = true;            // false: drawn paler (the period holding as-of)
};
// What the mouse did over a lifecycle chart this frame.
struct LifecycleBarHit {
    int bar = -1;   // the period hovered or clicked (-1: none)
    int stage = -1; // the stage under the mouse (0..3 as in LifecycleBar::stages; -1: none)
    bool clicked = false;
};
// Stacked bars, one per period. Each period's column is an item labelled `id` + "." + i, and
// each of its segments is recorded as `id` + "." + i + "." + stage name ("new", "returning",
// "resurrecting", "dormant") for window.segx.widgetRect, so tests can point at one. The caller
// shows the hovered period's tooltip and acts on a click.
LifecycleBarHit lifecycle_bars(const char* id, const LifecycleBar* bars, size_t n, ImVec2 size);
// A heat map of rows × cols cells (RFM's R × F grid). values[row * cols + col] is coloured
// from 0 to `top` with heat_color; texts[] is written inside each cell (may be empty). Each
// cell is an item labelled cell_id(row, col) (a hidden "##..." label, so tests can click it).
// row 0 is drawn at the top. A legend of the colour scale goes under the grid, ending at
// `legend_label`. The caller shows the hovered cell's tooltip and acts on a click.
struct HeatGridHit {
    int row = -1, col = -1; // the cell hovered or clicked (-1: none)
    bool clicked = false;
};
HeatGridHit heat_grid(const double* values, const std::string* texts, int rows, int cols,
                      const std::function<std::string(int, int)>& cell_id, const std::string* row_labels,
                      const std::string* col_labels, const char* row_title, const char* col_title, double top,
                      const std::string& legend_label, ImVec2 size);

} // namespace segx

namespace segx {

// Grouped vertical bars: `groups` slots along x (e.g. a funnel's steps), each with one bar per
// series (e.g. breakdown values, or two audiences), `values[s * groups + g]` in [0, top]. The
// y axis is labelled as percentages when `percent` (top = 100). Each bar is an item labelled
// `id` + "[g][s]" so tests can hover it; the legend lists the series under the chart. Returns
// the hovered bar's group and series (-1: none); the caller shows its tooltip.
struct GroupedBarHit {
    int group = -1, series = -1;
};
GroupedBarHit grouped_bars(const char* id, const std::string* group_labels, size_t groups,
                           const std::string* series_labels, size_t series, const double* values,
                           bool percent, ImVec2 size);

} // namespace segx
