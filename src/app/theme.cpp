#include "app/theme.h"

#include "imgui.h"

#include <algorithm>

namespace segx {

const ImVec4 kErrorText(0.75f, 0.10f, 0.10f, 1.0f);
const ImVec4 kAttentionText(0.70f, 0.35f, 0.00f, 1.0f);
const ImVec4 kRejectReasonText(0.70f, 0.20f, 0.10f, 1.0f);
const ImVec4 kMutedText(0.40f, 0.42f, 0.48f, 1.0f);
const ImVec4 kStatusInfoText(0.25f, 0.27f, 0.32f, 1.0f);
const ImVec4 kStatusWarningText(0.70f, 0.45f, 0.00f, 1.0f);
const ImVec4 kStatusErrorText = kErrorText;
const ImVec4 kHighLiftText(0.10f, 0.50f, 0.20f, 1.0f);
const ImVec4 kLowLiftText = kRejectReasonText;
const ImVec4 kDemoNoticeBg(1.00f, 0.95f, 0.78f, 1.0f);
const ImU32 kDropOverlayFill = IM_COL32(30, 90, 200, 60);
const ImU32 kDropOverlayFrame = IM_COL32(30, 90, 200, 220);
const ImU32 kDropOverlayText = IM_COL32(20, 50, 120, 255);
const ImU32 kGroupBar = IM_COL32(90, 120, 200, 120);
const ImU32 kNegatedGroupBar = IM_COL32(200, 80, 60, 160);
const ImU32 kChartLine = IM_COL32(40, 100, 210, 255);
const ImU32 kChartFill = IM_COL32(40, 100, 210, 40);
const ImU32 kChartBar = IM_COL32(40, 100, 210, 160);
const ImU32 kChartGrid = IM_COL32(0, 0, 0, 25);
const ImU32 kChartCursor = IM_COL32(0, 0, 0, 80);
const ImU32 kChartAxisText = IM_COL32(90, 95, 110, 255);
const ImU32 kChartDropOff = IM_COL32(220, 90, 70, 70);
const ImU32 kChartDropOffHover = IM_COL32(220, 90, 70, 170);
const ImU32 kChartMarker = IM_COL32(220, 90, 70, 220);

const ImU32 kIncompleteHatch = IM_COL32(120, 125, 140, 110);
const ImVec4 kDeltaUpText = kHighLiftText;
const ImVec4 kDeltaDownText = kRejectReasonText;

ImU32 heat_text_color(double t) {
    // Relative luminance (sRGB weights, no gamma: enough to pick the side) of the cell colour.
    ImU32 c = heat_color(t);
    double r = (c >> IM_COL32_R_SHIFT) & 0xFF, g = (c >> IM_COL32_G_SHIFT) & 0xFF,
           b = (c >> IM_COL32_B_SHIFT) & 0xFF;
    double lum = (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255.0;
    return lum < 0.6 ? IM_COL32(250, 250, 252, 255) : IM_COL32(30, 35, 45, 255);
}

ImU32 lifecycle_stage_color(int stage, bool complete) {
    static const ImU32 kStages[4] = {IM_COL32(60, 140, 90, 255), IM_COL32(40, 100, 210, 255),
                                     IM_COL32(150, 90, 200, 255), IM_COL32(220, 90, 70, 255)};
    ImU32 c = kStages[std::clamp(stage, 0, 3)];
    return complete ? c : (c & ~IM_COL32_A_MASK) | (ImU32(110) << IM_COL32_A_SHIFT);
}

ImU32 heat_color(double t) {
    t = std::clamp(t, 0.0, 1.0);
    int r = int(245 - t * (245 - 30)), g = int(247 - t * (247 - 80)), b = int(250 - t * (250 - 180));
    return IM_COL32(r, g, b, 255);
}

// Latin, punctuation, arrows, CJK punctuation, all unified ideographs and full-width forms.
// Only glyphs that the font really holds get rasterised, so the wide ranges cost nothing extra.
static const ImWchar kGlyphRanges[] = {
    0x0020, 0x017F, 0x2000, 0x206F, 0x2190, 0x21FF, 0x2200, 0x22FF, 0x25A0,
    0x25FF, 0x3000, 0x30FF, 0x4E00, 0x9FAF, 0xFF00, 0xFFEF, 0,
};

// U+25A1 WHITE SQUARE: drawn for any character the UI font does not hold. .ci/setup keeps it in
// the font subset.
static const ImWchar kMissingGlyph = 0x25A1;

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
        ImFont* font = io.Fonts->AddFontFromMemoryTTF(theme.font_ttf.data(), int(theme.font_ttf.size()), px,
                                                      &cfg, kGlyphRanges);
        // Text the font lacks (rare hanzi, characters past U+FFFF, which ImGui reads as U+FFFD)
        // shows as a white square, never as nothing (tests/web/node/font_glyphs.test.mjs).
        if (font) font->FallbackChar = kMissingGlyph;
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
