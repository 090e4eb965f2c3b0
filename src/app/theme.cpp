#include "app/theme.h"

#include "imgui.h"

namespace segx {

// Latin, punctuation, arrows, CJK punctuation, all unified ideographs and full-width forms.
// Only glyphs that the font really holds get rasterised, so the wide ranges cost nothing extra.
static const ImWchar kGlyphRanges[] = {
    0x0020, 0x017F, 0x2000, 0x206F, 0x2190, 0x21FF, 0x2200, 0x22FF, 0x25A0,
    0x25FF, 0x3000, 0x30FF, 0x4E00, 0x9FAF, 0xFF00, 0xFFEF, 0,
};

void apply_theme(Theme& theme, float scale) {
    theme.scale = scale;
    ImGuiIO& io = ImGui::GetIO();
    io.Fonts->Clear();
    float px = float(int(kBaseFontSize * scale + 0.5f));
    if (!theme.font_ttf.empty()) {
        ImFontConfig cfg;
        cfg.FontDataOwnedByAtlas = false; // the bytes live in Theme
        cfg.OversampleH = 1;              // drawn at device pixels: oversampling only bloats the atlas
        cfg.OversampleV = 1;
        cfg.PixelSnapH = true;
        io.Fonts->AddFontFromMemoryTTF(theme.font_ttf.data(), int(theme.font_ttf.size()), px, &cfg,
                                       kGlyphRanges);
    } else {
        ImFontConfig cfg;
        cfg.SizePixels = float(int(13.0f * scale + 0.5f));
        io.Fonts->AddFontDefault(&cfg);
    }
    io.Fonts->Build();

    ImGuiStyle style;
    ImGui::StyleColorsLight(&style);
    style.WindowRounding = 0;
    style.FrameRounding = 3;
    style.GrabRounding = 3;
    style.TabRounding = 3;
    style.FramePadding = ImVec2(7, 4);
    style.ItemSpacing = ImVec2(8, 6);
    style.CellPadding = ImVec2(6, 3);
    style.ScrollbarSize = 13;
    style.WindowBorderSize = 0;
    style.Colors[ImGuiCol_WindowBg] = ImVec4(0.97f, 0.97f, 0.98f, 1.0f);
    style.Colors[ImGuiCol_ChildBg] = ImVec4(1, 1, 1, 1);
    style.Colors[ImGuiCol_Header] = ImVec4(0.26f, 0.52f, 0.96f, 0.22f);
    style.ScaleAllSizes(scale);
    ImGui::GetStyle() = style;
}

} // namespace segx
