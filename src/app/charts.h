#pragma once
// Charts drawn with ImDrawList (no plotting library is packaged for Dear ImGui 1.86). Each chart
// is one function over plain arrays; hovering shows the exact value.
#include "imgui.h"

#include <cstddef>
#include <functional>
#include <string>

namespace segx {

// A line over n values, x evenly spaced. `label(i)` names point i (e.g. its date) for the
// tooltip and the first/last axis labels. The chart registers as an item with `id`.
void line_chart(const char* id, const double* values, size_t n,
                const std::function<std::string(size_t)>& label, ImVec2 size);

// Horizontal bars, one row per value, with the label at the left and the value at the right.
void bar_list(const char* id, const std::string* labels, const double* values, size_t n, float width);

} // namespace segx
