#pragma once
// The C++ side of the JS bridge. One Session per module instance; JS drives it through the
// extern "C" functions in bridge.cpp (data) and page_main.cpp (input, fonts, drawing).
#include "app/session.h"

namespace segx {

Session& session();

// Set by every bridge call that changes what is shown, so the page redraws (it sleeps when idle).
void request_redraw();
bool take_redraw_request();

} // namespace segx
