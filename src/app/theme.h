#pragma once
// Fonts and style, sized in framebuffer pixels: the page draws at device-pixel resolution and
// scales sizes by the device pixel ratio, so text stays crisp on HiDPI screens.
#include "imgui.h"

#include <cstddef>
#include <vector>

namespace segx {

struct Theme {
    std::vector<unsigned char> font_ttf; // the CJK-capable UI font (fetched by JS); empty = built-in
    float scale = 0;                     // device pixel ratio the atlas and style were built for
};

// Rebuilds the font atlas and style for `scale`. The caller re-uploads the font texture.
void apply_theme(Theme& theme, float scale);

constexpr float kBaseFontSize = 15.0f;

// Every colour the panels and charts draw with, named by what it shows. Panels use these names
// and never spell a colour themselves (apply_theme sets Dear ImGui's own style colours).
// Text:
extern const ImVec4 kErrorText;         // a failed load, a mapping or definition problem
extern const ImVec4 kAttentionText;     // rejected rows, a mapping that needs attention
extern const ImVec4 kRejectReasonText;  // a reason rows were rejected (Data panel)
extern const ImVec4 kMutedText;         // captions and figures in the rail
extern const ImVec4 kStatusInfoText;    // the status bar and message log: information
extern const ImVec4 kStatusWarningText; // ... warnings
extern const ImVec4 kStatusErrorText;   // ... errors
extern const ImVec4 kHighLiftText;      // insight: a value over-represented among members
extern const ImVec4 kLowLiftText;       // insight: a value under-represented among members
// Backgrounds and lines:
extern const ImVec4 kDemoNoticeBg;     // the demo notice at the top of the rail
extern const ImU32 kDropOverlayFill;   // the whole window while files are dragged over it
extern const ImU32 kDropOverlayFrame;  // ... its frame
extern const ImU32 kDropOverlayText;   // ... its text
extern const ImU32 kGroupBar;          // the bar beside a group's rules
extern const ImU32 kNegatedGroupBar;   // the same for an excluded (negated) group
extern const ImU32 kChartLine;         // chart series, and a hovered bar
extern const ImU32 kChartFill;         // the area under a line chart
extern const ImU32 kChartBar;          // bars of a bar list
extern const ImU32 kChartGrid;         // grid lines
extern const ImU32 kChartCursor;       // the vertical line at the hovered point
extern const ImU32 kChartAxisText;     // axis labels and bar values
extern const ImU32 kChartDropOff;      // funnel chart: the users lost since the previous step
extern const ImU32 kChartDropOffHover; // ... hovered
extern const ImU32 kChartMarker;       // a percentile marker (median, p90) on a histogram
// Heat maps: t in [0, 1] from white to deep blue (readable on the light theme, and monotone
// for colour-blind eyes); t is clamped.
ImU32 heat_color(double t);
// Text drawn over heat_color(t): dark on light cells, white on deep ones, chosen by the cell's
// luminance so that every cell colour reads (the one helper for text on heat maps).
ImU32 heat_text_color(double t);
extern const ImU32 kIncompleteHatch; // retention: the hatching over an incomplete cell
// Lifecycle stages (0 new, 1 returning, 2 resurrecting, 3 dormant); paler for an incomplete period.
ImU32 lifecycle_stage_color(int stage, bool complete);
extern const ImVec4 kDeltaUpText;   // the board: a number above the previous period's
extern const ImVec4 kDeltaDownText; // ... below it

} // namespace segx
