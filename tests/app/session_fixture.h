#pragma once
// A Session over the core's ten-user audience fixture (tests/core/audience/audience_fixture.h),
// as-of fixed at its A, and the App holding it.
#include "app/app_state.h"
#include "tests/core/audience/audience_fixture.h"

#include <memory>

namespace segx::test {

struct AppFixture {
    Session session;
    App app{session};

    AppFixture() {
        session.user_sources.push_back(fixture_customers());
        session.event_sources.push_back(fixture_events());
        session.model_dirty = true;
        session.as_of_override = A;
        update_app(app, kNoBudget);
    }
};

} // namespace segx::test
