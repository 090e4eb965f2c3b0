#pragma once
// The text of the last frame as it was drawn, for browser tests: read back from the draw lists'
// glyph quads (every glyph of the font atlas has a UV rectangle of its own), so a test sees the
// words a person sees, whichever widget or panel drew them. Glyphs on one line that follow each
// other make one run; a gap as wide as a space becomes a space. Glyphs cut by a clip rectangle
// (their UVs are cut too) are not read. Call between frames (after ImGui::Render).
#include <string>
#include <vector>

namespace segx {

struct DrawnRun {
    std::string text;   // UTF-8
    float x = 0, y = 0; // framebuffer pixels: the run's first glyph's pen position and line top
};

std::vector<DrawnRun> drawn_text();

} // namespace segx
