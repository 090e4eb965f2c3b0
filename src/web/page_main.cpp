// The page: a WebGL2 canvas that follows the window and the device pixel ratio, Dear ImGui fed
// by DOM events that web/input.js forwards, and the frame loop. Input arrives through the
// segx_input_* exports; Dear ImGui 1.86 polls input state once per frame, so events are queued
// and a button or key that goes down and up within one frame is spread over two frames
// (otherwise a fast synthetic click would be lost).
#include "app/drawn_text.h"
#include "app/i18n/i18n.h"
#include "app/theme.h"
#include "app/ui.h"
#include "app/widget_registry.h"
#include "core/audience/json.h"
#include "web/bridge.h"

#include "backends/imgui_impl_opengl3.h"
#include "imgui.h"
#include "imgui_internal.h" // ImTextCharFromUtf8, the decoder io.AddInputCharactersUTF8 uses

#include <GLES3/gl3.h>
#include <emscripten/emscripten.h>
#include <emscripten/html5.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <cstring>
#include <deque>
#include <string>

using namespace segx;

namespace {

enum class EventKind : uint8_t { MousePos, MouseButton, Wheel, Key, Char, Focus };
struct InputEvent {
    EventKind kind;
    float x = 0, y = 0; // position (framebuffer px) or wheel delta
    int code = 0;       // button, key code, or code point
    bool down = false;
    int mods = 0; // 1 ctrl, 2 shift, 4 alt, 8 super
};

struct Page {
    EMSCRIPTEN_WEBGL_CONTEXT_HANDLE gl = 0;
    Theme theme;
    UiState ui;
    std::deque<InputEvent> events;
    std::string clipboard;
    int fb_w = 0, fb_h = 0;
    double last_time = 0;
    int busy_frames = 2; // frames still to draw after the last change
    ImGuiMouseCursor cursor = ImGuiMouseCursor_Arrow;
    bool font_dirty = true;
    bool device_ready = false; // the GL backend has created its objects
    double last_draw_ms = 0;
    uint32_t font_generation = 0;       // bumped whenever the font texture is made again
    uint64_t drawn = 0;                 // the fingerprint of what the canvas shows (draw_fingerprint)
    uint64_t saved_draft_revision = 0;  // the draft's revision last written to the workspace
    uint64_t saved_funnel_revision = 0; // the same for the Funnels tab's draft
    uint64_t workspace_revision = 0;    // the workspace's revision JS was last told of
    WidgetRect text_field;              // the text input being edited, as last told to JS (w == 0: none)
};
Page g;
// Per frame, for the tabs' work (at 60 frames a second a frame lasts 16.7 ms).
constexpr double kWorkBudgetMs = 12;

} // namespace

EM_JS(void, js_open_file_dialog, (), {
    if (Module.segxOpenFiles) Module.segxOpenFiles();
});
EM_JS(void, js_clipboard_write, (const char* text), {
    if (Module.segxClipboardWrite) Module.segxClipboardWrite(UTF8ToString(text));
});
EM_JS(void, js_mapping_request, (const char* name, const char* json, int apply), {
    if (Module.segxMappingRequest)
        Module.segxMappingRequest(UTF8ToString(name), UTF8ToString(json), apply != 0);
});
EM_JS(void, js_stats_request, (const char* name), {
    if (Module.segxStatsRequest) Module.segxStatsRequest(UTF8ToString(name));
});
EM_JS(void, js_reload_source, (const char* name, const char* encoding), {
    if (Module.segxReload) Module.segxReload(UTF8ToString(name), UTF8ToString(encoding));
});
EM_JS(void, js_remove_source, (const char* name), {
    if (Module.segxRemove) Module.segxRemove(UTF8ToString(name));
});
EM_JS(void, js_forget_data, (), {
    if (Module.segxForgetData) Module.segxForgetData();
});
EM_JS(void, js_open_demo, (const char* shop), {
    if (Module.segxOpenDemo) Module.segxOpenDemo(UTF8ToString(shop));
});
EM_JS(void, js_cancel_loads, (), {
    if (Module.segxCancel) Module.segxCancel();
});
// web/ime.js keeps a DOM text field over the text input being edited, so that an input method
// (pinyin and the like) composes there; active == 0 hides it.
EM_JS(void, js_text_field, (int active, float x, float y, float w, float h), {
    if (Module.segxTextField) Module.segxTextField(active != 0, x, y, w, h);
});
EM_JS(void, js_download, (const char* name, const char* mime, const char* text), {
    if (Module.segxDownload) Module.segxDownload(UTF8ToString(name), UTF8ToString(mime), UTF8ToString(text));
});
EM_JS(void, js_import_file, (), {
    if (Module.segxImport) Module.segxImport();
});
EM_JS(void, js_export_workspace, (), {
    if (Module.segxExportWorkspace) Module.segxExportWorkspace();
});
EM_JS(void, js_copy_share_link, (const char* json), {
    if (Module.segxShare) Module.segxShare(UTF8ToString(json));
});
EM_JS(void, js_sql_tables, (), {
    if (Module.segxSqlTables) Module.segxSqlTables();
});
EM_JS(void, js_workspace_changed, (), {
    if (Module.segxWorkspaceChanged) Module.segxWorkspaceChanged();
});
EM_JS(void, js_workspace_draft, (const char* json, const char* opened_id), {
    if (Module.segxDraft) Module.segxDraft(UTF8ToString(json), UTF8ToString(opened_id));
});
// The SQL tab (web/sql_tab.js): run a query (its answer comes back through segx_sql_result_*),
// cancel a run, download every row of a query as CSV.
EM_JS(void, js_sql_run, (double id, const char* text), {
    if (Module.segxSqlRun) Module.segxSqlRun(id, UTF8ToString(text));
});
EM_JS(void, js_sql_cancel, (double id), {
    if (Module.segxSqlCancel) Module.segxSqlCancel(id);
});
EM_JS(void, js_sql_csv, (const char* text), {
    if (Module.segxSqlCsv) Module.segxSqlCsv(UTF8ToString(text));
});
EM_JS(void, js_funnel_draft, (const char* json, const char* opened_id), {
    if (Module.segxFunnelDraft) Module.segxFunnelDraft(UTF8ToString(json), UTF8ToString(opened_id));
});
EM_JS(void, js_set_cursor, (const char* css), {
    if (Module.canvas) Module.canvas.style.cursor = UTF8ToString(css);
});

static const char* get_clipboard(void*) { return g.clipboard.c_str(); }
static void set_clipboard(void*, const char* text) {
    g.clipboard = text ? text : "";
    js_clipboard_write(g.clipboard.c_str());
}

static void update_canvas_size() {
    double css_w = 0, css_h = 0;
    emscripten_get_element_css_size("#canvas", &css_w, &css_h);
    float dpr = float(emscripten_get_device_pixel_ratio());
    if (dpr <= 0) dpr = 1;
    int w = std::max(1, int(std::lround(css_w * dpr))), h = std::max(1, int(std::lround(css_h * dpr)));
    if (w != g.fb_w || h != g.fb_h) {
        emscripten_set_canvas_element_size("#canvas", w, h);
        g.fb_w = w, g.fb_h = h;
        g.busy_frames = std::max(g.busy_frames, 2);
    }
    if (dpr != g.ui.scale || g.font_dirty) {
        g.ui.scale = dpr;
        apply_theme(g.theme, dpr);
        // Only the font texture is replaced: the 1.86 backend keeps stale buffer sizes if all
        // device objects are destroyed. Before the first frame, NewFrame creates the texture.
        if (g.device_ready) {
            ImGui_ImplOpenGL3_DestroyFontsTexture();
            ImGui_ImplOpenGL3_CreateFontsTexture();
        }
        ++g.font_generation;
        g.font_dirty = false;
        g.busy_frames = std::max(g.busy_frames, 2);
    }
}

// Applies queued input until a button or key would change twice in this frame.
static void apply_input() {
    ImGuiIO& io = ImGui::GetIO();
    bool button_changed[5] = {};
    bool key_changed[512] = {};
    while (!g.events.empty()) {
        const InputEvent e = g.events.front();
        if (e.kind == EventKind::MouseButton && e.code >= 0 && e.code < 5) {
            if (button_changed[e.code]) break;
            button_changed[e.code] = true;
            io.MouseDown[e.code] = e.down;
        } else if (e.kind == EventKind::Key && e.code >= 0 && e.code < 512) {
            if (key_changed[e.code]) break;
            key_changed[e.code] = true;
            io.KeysDown[e.code] = e.down;
            io.KeyCtrl = e.mods & 1, io.KeyShift = e.mods & 2, io.KeyAlt = e.mods & 4,
            io.KeySuper = e.mods & 8;
        } else if (e.kind == EventKind::MousePos) {
            io.MousePos = ImVec2(e.x, e.y);
        } else if (e.kind == EventKind::Wheel) {
            io.MouseWheelH += e.x;
            io.MouseWheel += e.y;
        } else if (e.kind == EventKind::Char) {
            io.AddInputCharacter(unsigned(e.code));
        } else if (e.kind == EventKind::Focus) {
            io.AddFocusEvent(e.down);
            if (!e.down) {
                for (bool& k : io.KeysDown) k = false;
                io.KeyCtrl = io.KeyShift = io.KeyAlt = io.KeySuper = false;
            }
        }
        g.events.pop_front();
    }
}

// The Audiences tab's requests: downloads, the import picker, share links; JS is told when the
// workspace changed (it stores it) and given the draft whenever it changes.
static void take_audience_requests(UiState& ui) {
    if (!ui.download.file_name.empty()) {
        UiState::Download d = std::move(ui.download);
        ui.download = {};
        js_download(d.file_name.c_str(), d.mime.c_str(), d.text.c_str());
    }
    if (ui.import_requested) {
        ui.import_requested = false;
        js_import_file();
    }
    if (ui.export_workspace_requested) {
        ui.export_workspace_requested = false;
        js_export_workspace();
    }
    if (ui.sql_tables_requested) {
        ui.sql_tables_requested = false;
        js_sql_tables();
    }
    if (!ui.share_request.empty()) {
        js_copy_share_link(ui.share_request.c_str());
        ui.share_request.clear();
    }
    const AudienceState& st = app().audiences;
    if (session().workspace.revision != g.workspace_revision) {
        g.workspace_revision = session().workspace.revision;
        js_workspace_changed();
    }
    // The draft too, so that a reload or a crash loses no editing: written when its revision
    // moves (an edit, an open, a save), never serialised per frame.
    if (st.draft_revision != g.saved_draft_revision) {
        g.saved_draft_revision = st.draft_revision;
        std::string draft =
            nlohmann::json(st.draft).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        js_workspace_draft(draft.c_str(), st.opened_id.c_str());
    }
    const FunnelState& fs = app().funnels;
    if (fs.draft_revision != g.saved_funnel_revision) {
        g.saved_funnel_revision = fs.draft_revision;
        std::string draft =
            funnel_json(fs.draft).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        js_funnel_draft(draft.c_str(), fs.opened_id.c_str());
    }
}

static void take_sql_requests(UiState& ui) {
    if (ui.sql_cancel) {
        js_sql_cancel(double(ui.sql_cancel));
        ui.sql_cancel = 0;
    }
    if (ui.sql_run.id) {
        UiState::SqlRun r = std::move(ui.sql_run);
        ui.sql_run = {};
        js_sql_run(double(r.id), r.text.c_str());
    }
    if (!ui.sql_csv.empty()) {
        js_sql_csv(ui.sql_csv.c_str());
        ui.sql_csv.clear();
    }
}

static void update_cursor() {
    ImGuiMouseCursor c = ImGui::GetMouseCursor();
    if (c == g.cursor) return;
    g.cursor = c;
    static const char* css[ImGuiMouseCursor_COUNT] = {"default",     "text",      "move",
                                                      "ns-resize",   "ew-resize", "nesw-resize",
                                                      "nwse-resize", "pointer",   "not-allowed"};
    js_set_cursor(c >= 0 && c < ImGuiMouseCursor_COUNT ? css[c] : "default");
}

// Tells JS where the text input being edited is, only when that changes.
static void update_text_field() {
    WidgetRect r;
    if (!widget_registry_active_text_input(&r)) r = WidgetRect{};
    const WidgetRect& last = g.text_field;
    if (r.x == last.x && r.y == last.y && r.w == last.w && r.h == last.h) return;
    g.text_field = r;
    js_text_field(r.w > 0, r.x, r.y, r.w, r.h);
}

// The edge of the frame loop: an exception from a tab's work or its drawing must not end the
// page. It is said as a message (once while it repeats); the model, the workspace and the loaded
// files are left as they are.
static std::string g_last_frame_error;
static void report_frame_error(const char* what) {
    std::string text = trf(S::frame_error, {what});
    if (text == g_last_frame_error) return;
    g_last_frame_error = text;
    session().post(Level::Error, text);
}
// What ErrorCheckEndFrameRecover would log about the windows a throw left open: nothing (the
// throw itself was reported). A plain function: wasm cannot convert a lambda to a variadic one.
static void ignore_recover_log(void*, const char*, ...) {}

template <class F>
static bool at_frame_edge(F&& f) {
    try {
        f();
        return true;
    } catch (const std::exception& e) {
        report_frame_error(e.what());
    } catch (...) {
        report_frame_error("unknown error");
    }
    return false;
}

// A fingerprint of what a frame draws: every vertex, index and command with its clip rectangle
// and texture, the canvas size and the font texture's generation. Equal fingerprints draw equal
// pixels; a command with a callback is never equal to anything (its drawing is not in the data).
static uint64_t draw_fingerprint(const ImDrawData& d, int w, int h, uint32_t font_generation) {
    uint64_t f = 0x243F6A8885A308D3ull ^ (uint64_t(uint32_t(w)) << 32 | uint32_t(h));
    auto mix = [&f](const void* p, size_t n) {
        const unsigned char* b = static_cast<const unsigned char*>(p);
        size_t i = 0;
        for (; i + 8 <= n; i += 8) {
            uint64_t word;
            std::memcpy(&word, b + i, 8);
            f = (f ^ word) * 0x9E3779B97F4A7C15ull;
            f ^= f >> 29;
        }
        for (; i < n; ++i) f = (f ^ b[i]) * 0x100000001B3ull;
        f = (f ^ n) * 0x9E3779B97F4A7C15ull;
    };
    mix(&font_generation, sizeof font_generation);
    mix(&d.DisplayPos, sizeof d.DisplayPos);
    mix(&d.DisplaySize, sizeof d.DisplaySize);
    mix(&d.FramebufferScale, sizeof d.FramebufferScale);
    static uint64_t callbacks = 0;
    for (int l = 0; l < d.CmdListsCount; ++l) {
        const ImDrawList& list = *d.CmdLists[l];
        mix(list.VtxBuffer.Data, size_t(list.VtxBuffer.Size) * sizeof(ImDrawVert));
        mix(list.IdxBuffer.Data, size_t(list.IdxBuffer.Size) * sizeof(ImDrawIdx));
        for (const ImDrawCmd& c : list.CmdBuffer) {
            if (c.UserCallback) ++callbacks, mix(&callbacks, sizeof callbacks);
            mix(&c.ClipRect, sizeof c.ClipRect);
            mix(&c.TextureId, sizeof c.TextureId);
            mix(&c.VtxOffset, sizeof c.VtxOffset);
            mix(&c.IdxOffset, sizeof c.IdxOffset);
            mix(&c.ElemCount, sizeof c.ElemCount);
        }
    }
    return f;
}

static void frame() {
    // Checked even while asleep (cheap): a resize or a move to another screen must wake the page.
    update_canvas_size();
    // The page sleeps when nothing changes: no input, no text being edited. While a load runs
    // with no input, it draws about 5 frames a second: enough for a moving progress bar, and
    // the load (sharing the main thread) keeps the rest of the time.
    double now_ms = emscripten_get_now();
    // Input gets half a second of frames (hover, animations settle); a changed value a few.
    if (!g.events.empty()) g.busy_frames = std::max(g.busy_frames, 30);
    if (take_redraw_request() || ImGui::GetIO().WantTextInput) g.busy_frames = std::max(g.busy_frames, 3);
    // A tab's unfinished work (an evaluation cut into slices) keeps the frames coming, and so
    // does the idle work after a rebuild (the funnels' per-name starts, one name a frame).
    if (app_busy(app()) || session().warm_index_pending()) g.busy_frames = std::max(g.busy_frames, 2);
    bool loading_tick = session().any_loading() && now_ms - g.last_draw_ms >= 200;
    if (g.busy_frames <= 0 && !loading_tick) return;
    if (g.busy_frames > 0) --g.busy_frames;
    g.last_draw_ms = now_ms;

    ImGuiIO& io = ImGui::GetIO();
    double now = emscripten_get_now() / 1000.0;
    io.DeltaTime = g.last_time > 0 ? float(std::max(1e-4, now - g.last_time)) : 1.0f / 60.0f;
    g.last_time = now;
    io.DisplaySize = ImVec2(float(g.fb_w), float(g.fb_h));
    io.DisplayFramebufferScale = ImVec2(1, 1);
    apply_input();
    // The tabs' work first, within a slice of the frame: a result that fits in it shows in this
    // very frame, and a longer one advances here and in the frames that follow.
    at_frame_edge([] { update_app(app(), kWorkBudgetMs); });
    if (!app_busy(app())) at_frame_edge([] { session().warm_index_step(); });

    ImGui_ImplOpenGL3_NewFrame();
    g.device_ready = true;
    widget_registry_begin_frame();
    ImGui::NewFrame();
    if (!at_frame_edge([] { draw_app(app(), g.ui); }))
        ImGui::ErrorCheckEndFrameRecover(ignore_recover_log); // close what the throw left open
    ImGui::Render();
    widget_registry_end_frame();
    update_text_field();

    // A frame that would draw exactly what the canvas shows draws nothing: with no GL call the
    // browser presents nothing new. Where there is no GPU, SwiftShader draws every frame on the
    // CPU (tens of milliseconds at 1280x800 on 2 cores): the frames after input that change
    // nothing, and those a load or an evaluation keeps coming, now cost only the interface's pass.
    uint64_t fingerprint = draw_fingerprint(*ImGui::GetDrawData(), g.fb_w, g.fb_h, g.font_generation);
    if (fingerprint != g.drawn) {
        glViewport(0, 0, g.fb_w, g.fb_h);
        glClearColor(0.97f, 0.97f, 0.98f, 1.0f);
        glClear(GL_COLOR_BUFFER_BIT);
        ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
        g.drawn = fingerprint;
    }
    update_cursor();

    // Requests the interface made during the frame go to JS after it, never mid-frame.
    UiState& ui = g.ui;
    if (ui.open_files_requested) {
        ui.open_files_requested = false;
        js_open_file_dialog();
    }
    if (!ui.mapping_request.source.empty()) {
        MappingRequest r = std::move(ui.mapping_request);
        ui.mapping_request = {};
        js_mapping_request(r.source.c_str(), nlohmann::json(r.mapping).dump().c_str(), r.apply);
    }
    if (!ui.stats_request.empty()) {
        js_stats_request(ui.stats_request.c_str());
        ui.stats_request.clear();
    }
    if (!ui.reload_source.empty()) {
        js_reload_source(ui.reload_source.c_str(), ui.reload_encoding.c_str());
        ui.reload_source.clear();
    }
    if (!ui.remove_source.empty()) {
        js_remove_source(ui.remove_source.c_str());
        ui.remove_source.clear();
    }
    if (ui.forget_data_requested) {
        ui.forget_data_requested = false;
        js_forget_data();
    }
    if (ui.cancel_requested) {
        ui.cancel_requested = false;
        js_cancel_loads();
    }
    if (!ui.open_demo.empty()) {
        js_open_demo(ui.open_demo.c_str());
        ui.open_demo.clear();
    }
    take_audience_requests(ui);
    take_sql_requests(ui);
}

static void push_event(const InputEvent& e) {
    // A tab hidden for hours must not hoard events.
    if (g.events.size() > 4096) g.events.pop_front();
    g.events.push_back(e);
}

extern "C" {

EMSCRIPTEN_KEEPALIVE void segx_input_mouse_pos(float x, float y) { push_event({EventKind::MousePos, x, y}); }
EMSCRIPTEN_KEEPALIVE void segx_input_mouse_button(int button, int down) {
    push_event({EventKind::MouseButton, 0, 0, button, down != 0});
}
EMSCRIPTEN_KEEPALIVE void segx_input_wheel(float dx, float dy) { push_event({EventKind::Wheel, dx, dy}); }
EMSCRIPTEN_KEEPALIVE void segx_input_key(int key, int down, int mods) {
    push_event({EventKind::Key, 0, 0, key, down != 0, mods});
}
// Brings the Audiences tab to the front (an opened link or file).
EMSCRIPTEN_KEEPALIVE void segx_show_audiences() {
    g.ui.select_tab = "Audiences";
    g.busy_frames = std::max(g.busy_frames, 3);
}
// Brings the Funnels tab to the front (an opened link or file).
EMSCRIPTEN_KEEPALIVE void segx_show_funnels() {
    g.ui.select_tab = "Funnels";
    g.busy_frames = std::max(g.busy_frames, 3);
}
EMSCRIPTEN_KEEPALIVE void segx_input_char(int codepoint) { push_event({EventKind::Char, 0, 0, codepoint}); }
// Text committed in web/ime.js's field (typed, pasted or composed by an input method), UTF-8:
// one character event per code point, queued behind the keys that came before it.
EMSCRIPTEN_KEEPALIVE void segx_input_text(const char* text) {
    if (!text) return;
    const char* end = text + std::strlen(text);
    while (text < end) {
        unsigned c = 0;
        text += ImTextCharFromUtf8(&c, text, end);
        if (c == 0) break;
        push_event({EventKind::Char, 0, 0, int(c)});
    }
}
EMSCRIPTEN_KEEPALIVE void segx_input_focus(int focused) {
    push_event({EventKind::Focus, 0, 0, 0, focused != 0});
}
EMSCRIPTEN_KEEPALIVE void segx_set_drag_hover(int hover) {
    g.ui.drag_hover = hover != 0;
    request_redraw();
}
EMSCRIPTEN_KEEPALIVE void segx_clipboard_set(const char* text) { g.clipboard = text ? text : ""; }

// Draws a frame now: the copy shortcut runs one so that the text Dear ImGui copies is ready
// when the browser's copy event asks for it.
EMSCRIPTEN_KEEPALIVE void segx_run_frame() {
    g.busy_frames = std::max(g.busy_frames, 1);
    frame();
}

EMSCRIPTEN_KEEPALIVE void segx_set_font(const unsigned char* data, size_t size) {
    g.theme.font_ttf.assign(data, data + size);
    g.font_dirty = true;
    request_redraw();
}

// Rectangle of a labelled item in CSS pixels, as JSON, or "null".
EMSCRIPTEN_KEEPALIVE const char* segx_widget_rect(const char* label) {
    static std::string out;
    WidgetRect r;
    if (!widget_registry_find(label ? label : "", &r)) return "null";
    float s = g.ui.scale > 0 ? g.ui.scale : 1;
    char buf[160];
    std::snprintf(buf, sizeof buf, "{\"x\":%.2f,\"y\":%.2f,\"w\":%.2f,\"h\":%.2f,\"visible\":%s}", r.x / s,
                  r.y / s, r.w / s, r.h / s, r.visible ? "true" : "false");
    out = buf;
    return out.c_str();
}

// The text the last frame drew (app/drawn_text.h), as JSON: [{"text", "x", "y"}] in CSS pixels.
EMSCRIPTEN_KEEPALIVE const char* segx_drawn_text() {
    static std::string out;
    float s = g.ui.scale > 0 ? g.ui.scale : 1;
    nlohmann::json runs = nlohmann::json::array();
    for (const DrawnRun& r : drawn_text()) runs.push_back({{"text", r.text}, {"x", r.x / s}, {"y", r.y / s}});
    out = runs.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return out.c_str();
}

} // extern "C"

int main() {
    EmscriptenWebGLContextAttributes attrs;
    emscripten_webgl_init_context_attributes(&attrs);
    attrs.majorVersion = 2;
    attrs.minorVersion = 0;
    attrs.alpha = false;
    attrs.antialias = false;
    attrs.depth = false;
    attrs.stencil = false;
    g.gl = emscripten_webgl_create_context("#canvas", &attrs);
    if (g.gl <= 0) {
        std::fprintf(stderr, "segx: WebGL2 is not available in this browser\n");
        return 1;
    }
    emscripten_webgl_make_context_current(g.gl);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr; // layout is not persisted through a file system
    io.ConfigFlags |= ImGuiConfigFlags_NavEnableKeyboard;
    io.BackendPlatformName = "segx_web";
    io.GetClipboardTextFn = get_clipboard;
    io.SetClipboardTextFn = set_clipboard;
    // Key codes are the DOM's keyCode values; web/input.js sends them as they come.
    const int keymap[][2] = {{ImGuiKey_Tab, 9},         {ImGuiKey_LeftArrow, 37},
                             {ImGuiKey_RightArrow, 39}, {ImGuiKey_UpArrow, 38},
                             {ImGuiKey_DownArrow, 40},  {ImGuiKey_PageUp, 33},
                             {ImGuiKey_PageDown, 34},   {ImGuiKey_Home, 36},
                             {ImGuiKey_End, 35},        {ImGuiKey_Insert, 45},
                             {ImGuiKey_Delete, 46},     {ImGuiKey_Backspace, 8},
                             {ImGuiKey_Space, 32},      {ImGuiKey_Enter, 13},
                             {ImGuiKey_Escape, 27},     {ImGuiKey_KeyPadEnter, 13},
                             {ImGuiKey_A, 65},          {ImGuiKey_C, 67},
                             {ImGuiKey_V, 86},          {ImGuiKey_X, 88},
                             {ImGuiKey_Y, 89},          {ImGuiKey_Z, 90}};
    for (const auto& k : keymap) io.KeyMap[k[0]] = k[1];
    ImGui_ImplOpenGL3_Init("#version 300 es");

    set_work_in_frames(true);
    emscripten_set_main_loop(frame, 0, false);
    return 0;
}
