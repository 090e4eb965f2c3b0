#pragma once
// The C++ side of the JS bridge. One App (a Session and the tabs' state) per module instance;
// JS drives it through the extern "C" functions in bridge.cpp (data) and page_main.cpp (input,
// fonts, drawing).
#include "app/app_state.h"

namespace segx {

App& app();
Session& session(); // app().session

// Where the tabs' work runs after a bridge call changed something. Node (no frames): in the
// call, to the end, so state() right after it is current. The page: in its frames, a slice
// at a time (page_main.cpp sets this), so a call never freezes it.
void set_work_in_frames(bool in_frames);

// Set by every bridge call that changes what is shown, so the page redraws (it sleeps when idle).
void request_redraw();
bool take_redraw_request();

} // namespace segx
