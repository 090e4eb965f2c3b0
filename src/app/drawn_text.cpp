#include "app/drawn_text.h"

#include "imgui.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <unordered_map>

namespace segx {
namespace {

uint64_t uv_key(float u, float v) {
    uint32_t a, b;
    std::memcpy(&a, &u, 4);
    std::memcpy(&b, &v, 4);
    return (uint64_t(a) << 32) | b;
}

void append_utf8(std::string& out, unsigned c) {
    if (c < 0x80) {
        out += char(c);
    } else if (c < 0x800) {
        out += char(0xC0 | (c >> 6)), out += char(0x80 | (c & 0x3F));
    } else if (c < 0x10000) {
        out += char(0xE0 | (c >> 12)), out += char(0x80 | ((c >> 6) & 0x3F)), out += char(0x80 | (c & 0x3F));
    } else {
        out += char(0xF0 | (c >> 18)), out += char(0x80 | ((c >> 12) & 0x3F));
        out += char(0x80 | ((c >> 6) & 0x3F)), out += char(0x80 | (c & 0x3F));
    }
}

struct Glyph {
    const ImFontGlyph* glyph;
    float font_size;
    float space; // the font's space advance: a gap of about one is a space
};

} // namespace

std::vector<DrawnRun> drawn_text() {
    std::vector<DrawnRun> runs;
    ImDrawData* dd = ImGui::GetDrawData();
    if (dd == nullptr || !dd->Valid) return runs;
    // Every visible glyph of every font by its top-left UV corner.
    std::unordered_multimap<uint64_t, Glyph> by_uv;
    for (ImFont* font : ImGui::GetIO().Fonts->Fonts) {
        const ImFontGlyph* space = font->FindGlyphNoFallback(' ');
        float advance = space ? space->AdvanceX : font->FontSize * 0.25f;
        for (const ImFontGlyph& g : font->Glyphs)
            if (g.Visible) by_uv.emplace(uv_key(g.U0, g.V0), Glyph{&g, font->FontSize, advance});
    }

    for (int l = 0; l < dd->CmdListsCount; ++l) {
        const ImVector<ImDrawVert>& v = dd->CmdLists[l]->VtxBuffer;
        float pen = 0, top = 0, size = 0; // where the current run expects its next glyph
        bool open = false;
        for (int i = 0; i + 3 < v.Size; ++i) {
            auto range = by_uv.equal_range(uv_key(v[i].uv.x, v[i].uv.y));
            const Glyph* hit = nullptr;
            for (auto it = range.first; it != range.second && !hit; ++it) {
                const ImFontGlyph& g = *it->second.glyph;
                if (v[i + 1].uv.x == g.U1 && v[i + 1].uv.y == g.V0 && v[i + 2].uv.x == g.U1 &&
                    v[i + 2].uv.y == g.V1 && v[i + 3].uv.x == g.U0 && v[i + 3].uv.y == g.V1)
                    hit = &it->second;
            }
            if (!hit) continue;
            const ImFontGlyph& g = *hit->glyph;
            // The quad is the glyph's box scaled to the size it was drawn at.
            float scale = g.X1 > g.X0 ? (v[i + 1].pos.x - v[i].pos.x) / (g.X1 - g.X0) : 1.0f;
            float x = v[i].pos.x - g.X0 * scale, y = v[i].pos.y - g.Y0 * scale;
            float drawn = hit->font_size * scale;
            bool same_line = open && std::fabs(y - top) < 0.5f && std::fabs(drawn - size) < 0.5f;
            float gap = x - pen;
            if (same_line && gap > -1.0f && gap < drawn * 2.0f) {
                if (gap > hit->space * scale * 0.5f) runs.back().text += ' ';
            } else {
                runs.push_back({"", x, y});
                open = true;
            }
            append_utf8(runs.back().text, g.Codepoint);
            pen = x + g.AdvanceX * scale, top = y, size = drawn;
            i += 3;
        }
    }
    return runs;
}

} // namespace segx
