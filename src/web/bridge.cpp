// Data half of the bridge, shared by the page and the Node build (segx_core.js).
//
// JS hands over Arrow column buffers already copied into the WASM heap: one call per column per
// record batch, never one per row. Every entry point catches exceptions, so bad input becomes a
// message (segx_last_error) instead of a trapped module.
#include "web/bridge.h"

#include <emscripten/emscripten.h>

#include <cstdlib>
#include <exception>
#include <string>

namespace segx {

Session& session() {
    static Session s;
    return s;
}

static bool g_redraw = true;
void request_redraw() { g_redraw = true; }
bool take_redraw_request() {
    bool r = g_redraw;
    g_redraw = false;
    return r;
}

static std::string g_last_error;
static std::string g_json;

static Table* pending_table(int handle) {
    auto it = session().pending.find(handle);
    if (it == session().pending.end()) throw std::runtime_error("no load in progress with handle " + std::to_string(handle));
    return &it->second;
}

static Column* pending_column(int handle, int col) {
    Table* t = pending_table(handle);
    if (col < 0 || size_t(col) >= t->columns.size())
        throw std::runtime_error(t->name + ": no column number " + std::to_string(col));
    return &t->columns[size_t(col)];
}

// Runs f; on an exception stores its message and returns -1.
template <class F>
static int guarded(F&& f) {
    try {
        g_last_error.clear();
        request_redraw();
        return f();
    } catch (const std::exception& e) {
        g_last_error = e.what();
    } catch (...) {
        g_last_error = "unknown error";
    }
    return -1;
}

}  // namespace segx

using namespace segx;

extern "C" {

EMSCRIPTEN_KEEPALIVE void* segx_malloc(size_t n) { return std::malloc(n ? n : 1); }
EMSCRIPTEN_KEEPALIVE void segx_free(void* p) { std::free(p); }
EMSCRIPTEN_KEEPALIVE const char* segx_last_error() { return g_last_error.c_str(); }

EMSCRIPTEN_KEEPALIVE int segx_source_begin(const char* name, double bytes, int demo) {
    return guarded([&] { return session().begin_load(name, bytes, demo != 0); });
}

EMSCRIPTEN_KEEPALIVE int segx_source_progress(const char* name, const char* stage, double fraction) {
    return guarded([&] {
        if (SourceFile* s = session().find_source(name)) {
            s->stage = stage;
            s->progress = float(fraction < 0 ? 0 : fraction > 1 ? 1 : fraction);
        }
        return 0;
    });
}

// type: 0 Bool, 1 Int64, 2 Double, 3 Date, 4 Timestamp, 5 String (ColumnType order).
EMSCRIPTEN_KEEPALIVE int segx_column_add(int handle, const char* name, int type) {
    return guarded([&] {
        if (type < 0 || type > int(ColumnType::String)) throw std::runtime_error(std::string("column ") + name + ": unknown type code " + std::to_string(type));
        Table* t = pending_table(handle);
        t->columns.push_back({});
        t->columns.back().name = name;
        t->columns.back().type = ColumnType(type);
        return int(t->columns.size()) - 1;
    });
}

EMSCRIPTEN_KEEPALIVE int segx_column_append_int64(int handle, int col, const int64_t* values, const uint8_t* validity, int bit_offset, int n) {
    return guarded([&] {
        pending_column(handle, col)->append_int64(values, validity, size_t(bit_offset), size_t(n));
        return 0;
    });
}

EMSCRIPTEN_KEEPALIVE int segx_column_append_double(int handle, int col, const double* values, const uint8_t* validity, int bit_offset, int n) {
    return guarded([&] {
        pending_column(handle, col)->append_double(values, validity, size_t(bit_offset), size_t(n));
        return 0;
    });
}

EMSCRIPTEN_KEEPALIVE int segx_column_append_utf8(int handle, int col, const int32_t* offsets, const char* bytes, const uint8_t* validity, int bit_offset, int n) {
    return guarded([&] {
        pending_column(handle, col)->append_utf8(offsets, bytes, validity, size_t(bit_offset), size_t(n));
        return 0;
    });
}

EMSCRIPTEN_KEEPALIVE int segx_source_end(int handle, double rows) {
    return guarded([&] {
        pending_table(handle)->rows = size_t(rows);
        session().finish_load(handle);
        return 0;
    });
}

EMSCRIPTEN_KEEPALIVE int segx_source_fail(const char* name, const char* message) {
    return guarded([&] {
        session().fail_load(name, message);
        return 0;
    });
}

EMSCRIPTEN_KEEPALIVE int segx_remove_demo() {
    return guarded([&] {
        session().remove_demo();
        return 0;
    });
}

// level: 0 info, 1 warning, 2 error.
EMSCRIPTEN_KEEPALIVE int segx_status(int level, const char* text) {
    return guarded([&] {
        session().post(Level(level < 0 || level > 2 ? 2 : level), text);
        return 0;
    });
}

// The returned pointer stays valid until the next call.
EMSCRIPTEN_KEEPALIVE const char* segx_state_json() {
    if (guarded([&] { g_json = session().state_json(); return 0; }) != 0) g_json = "{\"error\":\"state unavailable\"}";
    return g_json.c_str();
}

// A cell as the Data panel shows it; for tests that compare exact values.
EMSCRIPTEN_KEEPALIVE const char* segx_cell_text(const char* table, int col, double row) {
    if (guarded([&] {
            const Table* t = session().data.find(table);
            if (!t) throw std::runtime_error(std::string("no table named ") + table);
            if (col < 0 || size_t(col) >= t->columns.size() || row < 0 || size_t(row) >= t->rows)
                throw std::runtime_error(std::string(table) + ": no cell at column " + std::to_string(col) + ", row " + std::to_string(size_t(row)));
            g_json = t->columns[size_t(col)].format(size_t(row));
            return 0;
        }) != 0)
        g_json.clear();
    return g_json.c_str();
}

}  // extern "C"
