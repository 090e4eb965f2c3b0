#include "app/widget_registry.h"

#include "imgui.h"
#include "imgui_internal.h"

#include <cstdarg>
#include <unordered_map>

namespace segx {

namespace {
struct Registry {
    std::unordered_map<std::string, WidgetRect> building, last;
    ImRect item_bb;
    ImRect item_clip;
    ImGuiID item_id = 0;
    // Tab items report their label before their rectangle: held here until ItemAdd.
    std::unordered_map<ImGuiID, std::string> early_labels;
};
Registry& reg() {
    static Registry r;
    return r;
}

void record(const std::string& key, const WidgetRect& r) {
    // The first item drawn with a label wins, as a person reading top to bottom would find it.
    reg().building.emplace(key, r);
}
}  // namespace

void widget_registry_begin_frame() {
    ImGui::GetCurrentContext()->TestEngineHookItems = true;
    reg().building.clear();
    reg().early_labels.clear();
}

void widget_registry_note_last_item(const char* label) {
    ImGuiContext& g = *ImGui::GetCurrentContext();
    ImRect bb = g.LastItemData.Rect;
    ImRect vis = bb;
    if (g.CurrentWindow) vis.ClipWithFull(g.CurrentWindow->ClipRect);
    WidgetRect r{bb.Min.x, bb.Min.y, bb.GetWidth(), bb.GetHeight(), vis.GetWidth() > 0 && vis.GetHeight() > 0};
    std::string full(label);
    record(full, r);
    size_t hash = full.find("##");
    if (hash != std::string::npos && hash > 0) record(full.substr(0, hash), r);
}

void widget_registry_end_frame() { reg().last.swap(reg().building); }

bool widget_registry_find(const std::string& label, WidgetRect* out) {
    auto it = reg().last.find(label);
    if (it == reg().last.end()) return false;
    *out = it->second;
    return true;
}

}  // namespace segx

// --- Dear ImGui test-engine hooks -----------------------------------------------------------
static void record_item(const char* label) {
    auto& r = segx::reg();
    ImRect vis = r.item_bb;
    vis.ClipWithFull(r.item_clip);
    segx::WidgetRect rect{r.item_bb.Min.x, r.item_bb.Min.y, r.item_bb.GetWidth(), r.item_bb.GetHeight(),
                          vis.GetWidth() > 0 && vis.GetHeight() > 0};
    std::string full(label);
    segx::record(full, rect);
    size_t hash = full.find("##");
    if (hash != std::string::npos && hash > 0) segx::record(full.substr(0, hash), rect);
}

void ImGuiTestEngineHook_ItemAdd(ImGuiContext* ctx, const ImRect& bb, ImGuiID id) {
    auto& r = segx::reg();
    r.item_bb = bb;
    r.item_id = id;
    ImGuiWindow* w = ctx->CurrentWindow;
    r.item_clip = w ? w->ClipRect : bb;
    if (bb.GetWidth() <= 0) return;
    auto it = r.early_labels.find(id);
    if (it != r.early_labels.end()) {
        record_item(it->second.c_str());
        r.early_labels.erase(it);
    }
}

void ImGuiTestEngineHook_ItemInfo(ImGuiContext*, ImGuiID id, const char* label, ImGuiItemStatusFlags) {
    auto& r = segx::reg();
    if (!label) return;
    if (id == r.item_id) record_item(label);
    else r.early_labels[id] = label;
}

void ImGuiTestEngineHook_Log(ImGuiContext*, const char*, ...) {}

const char* ImGuiTestEngine_FindItemDebugLabel(ImGuiContext*, ImGuiID) { return nullptr; }
