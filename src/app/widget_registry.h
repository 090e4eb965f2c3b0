#pragma once
// Where each labelled ImGui item was drawn in the last frame, so browser tests can click real
// widgets. Filled by Dear ImGui's test-engine hooks (IMGUI_ENABLE_TEST_ENGINE), so every widget
// that reports a label is recorded without any call at the widget's site.
#include <string>

namespace segx {

struct WidgetRect {
    float x = 0, y = 0, w = 0, h = 0; // framebuffer pixels
    bool visible = false;             // false when scrolled out or clipped away
};

void widget_registry_begin_frame();
void widget_registry_end_frame();
// Records the last item drawn under `label`, for widgets that report no label to the hooks
// (combos in Dear ImGui 1.86). Call right after the widget.
void widget_registry_note_last_item(const char* label);

// The text input Dear ImGui is editing at the end of the frame (its frame rectangle), if any and
// not read-only: the page keeps a DOM text field over it for input methods (web/ime.js).
bool widget_registry_active_text_input(WidgetRect* out);

// Finds an item by its full label ("Open files", "Delete##3") or its visible part ("Delete").
bool widget_registry_find(const std::string& label, WidgetRect* out);

} // namespace segx
