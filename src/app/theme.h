#pragma once
// Fonts and style, sized in framebuffer pixels: the page draws at device-pixel resolution and
// scales sizes by the device pixel ratio, so text stays crisp on HiDPI screens.
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

} // namespace segx
