#pragma once
// A ten-user model whose every answer can be worked out by hand, and helpers that evaluate a
// rule written as JSON and print the members as "u0 u2 e8".
//
// As-of A = 2024-03-31 00:00:00 UTC; D = one day.
//
// customers.csv (users u0..u7, in this order):
//   id  country city      age  score signup      vip   tag            last_login
//   u0  CN      北京       30   4.5   2023-01-15  true  "Gold Member"  2024-03-30 10:00:00
//   u1  US      New York  45   3.0   2023-06-01  false "gold"         ... + 1 µs
//   u2  cn      上海       25   null  2024-01-01  true  "SILVER"       ... - 1 µs
//   u3  null    北京市     null 5.0   null        null  null           null
//   u4  中国    广州       18   2.5   2022-12-31  false ""             null
//   u5  JP      Tokyo     60   4.0   2023-03-10  null  "Gold"         null
//   u6  CN      北京       35   1.0   2023-01-15  true  "bronze"       null
//   u7  Cn      null      40   4.5   2023-09-09  false "gold member"  null
// events.csv adds users e8, e9 (no attributes). Events (time, revenue, platform, price, qty):
//   u0  purchase A-30D 100 web  -  1 | purchase A-29D 50 ios - 2 | view A - ios 12 -
//   u1  purchase A-10D 20 android - 1 | purchase A-5D 30 android - 1 | purchase A-1D 40 ios - 3
//       view A+1D - ios 5 -  (after as-of: never counts)
//   u2  view A-60D - web 1 - | purchase A-45D 200 web - 4
//   u3  view A-3D - android 20 - | view A-2D - ios 9.5 -
//   u4  purchase A+5D 999 web - 1  (after as-of)
//   u5  purchase A 10 ios - 1
//   u7  view A-7D - 平板 7 -
//   e8  purchase A-100D 5 web - 1 | purchase A-20D (no revenue) web - 1
//   e9  view A-1D - (null platform) 3 -

#include "../model/chunk_fixture.h"
#include "core/audience/evaluate.h"
#include "core/audience/json.h"
#include "core/model/model.h"
#include "core/time/civil.h"

#include <doctest/doctest.h>

#include <cmath>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace segx::test {

constexpr int64_t D = kMicrosPerDay;
inline const int64_t A = days_from_civil(2024, 3, 31) * kMicrosPerDay;

inline int64_t date_us(int y, unsigned m, unsigned d) { return days_from_civil(y, m, d) * kMicrosPerDay; }

inline UserSource fixture_customers() {
    UserSourceBuilder b("customers.csv",
                        {"country", "city", "age", "score", "signup", "vip", "tag", "last_login"});
    auto ids = texts({"u0", "u1", "u2", "u3", "u4", "u5", "u6", "u7"});
    auto country = texts({"CN", "US", "cn", std::nullopt, "中国", "JP", "CN", "Cn"});
    auto city = texts({"北京", "New York", "上海", "北京市", "广州", "Tokyo", "北京", std::nullopt});
    auto age = ints({30, 45, 25, std::nullopt, 18, 60, 35, 40});
    auto score = doubles({4.5, 3.0, std::nullopt, 5.0, 2.5, 4.0, 1.0, 4.5});
    auto signup =
        ints({date_us(2023, 1, 15), date_us(2023, 6, 1), date_us(2024, 1, 1), std::nullopt,
              date_us(2022, 12, 31), date_us(2023, 3, 10), date_us(2023, 1, 15), date_us(2023, 9, 9)},
             0, ColumnType::Date);
    auto vip = ints({1, 0, 1, std::nullopt, 0, std::nullopt, 1, 0}, 0, ColumnType::Bool);
    auto tag = texts({"Gold Member", "gold", "SILVER", std::nullopt, "", "Gold", "bronze", "gold member"});
    const int64_t t0 = date_us(2024, 3, 30) + 10 * 3600 * kMicrosPerSecond;
    auto login =
        ints({t0, t0 + 1, t0 - 1, std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt}, 0,
             ColumnType::Timestamp);
    b.append(8, ids.chunk(),
             {country.chunk(), city.chunk(), age.chunk(), score.chunk(), signup.chunk(), vip.chunk(),
              tag.chunk(), login.chunk()});
    return b.finish();
}

inline EventSource fixture_events() {
    EventSourceSpec spec;
    spec.name = "events.csv";
    spec.time_is_epoch_us = true;
    spec.property_names = {"platform", "price", "qty"};
    EventSourceBuilder b(spec);
    const std::nullopt_t no = std::nullopt;
    auto user = texts({"u0", "u0", "u0", "u1", "u1", "u1", "u1", "u2", "u2", "u3", "u3", "e8", "e8", "e9",
                       "u5", "u7", "u4"});
    auto time =
        ints({A - 30 * D, A - 29 * D, A, A - 10 * D, A - 5 * D, A - 1 * D, A + 1 * D, A - 60 * D, A - 45 * D,
              A - 2 * D, A - 3 * D, A - 100 * D, A - 20 * D, A - 1 * D, A, A - 7 * D, A + 5 * D});
    auto event =
        texts({"purchase", "purchase", "view", "purchase", "purchase", "purchase", "view", "view", "purchase",
               "view", "view", "purchase", "purchase", "view", "purchase", "view", "purchase"});
    auto revenue = doubles({100, 50, no, 20, 30, 40, no, no, 200, no, no, 5, no, no, 10, no, 999});
    auto platform = texts({"web", "ios", "ios", "android", "android", "ios", "ios", "web", "web", "ios",
                           "android", "web", "web", no, "ios", "平板", "web"});
    auto price = doubles({no, no, 12, no, no, no, 5, 1, no, 9.5, 20, no, no, 3, no, 7, no});
    auto qty = ints({1, 2, no, 1, 1, 3, no, no, 4, no, no, 1, 1, no, 1, no, 1});
    b.append(17, user.chunk(), time.chunk(), event.chunk(), revenue.chunk(), ValueChunk::none(),
             {platform.chunk(), price.chunk(), qty.chunk()});
    return b.finish();
}

inline const Model& fixture_model() {
    static const Model model = [] {
        UserSource customers = fixture_customers();
        EventSource events = fixture_events();
        return build_model({&customers}, {&events});
    }();
    return model;
}

// Members as "u0 u2 e8", in user index order.
inline std::string members(const Model& m, const Bitmap& users) {
    std::string out;
    for (size_t u = 0; u < users.size; u++)
        if (users.get(u)) {
            if (!out.empty()) out += ' ';
            out += std::string(m.users.id(uint32_t(u)));
        }
    return out;
}

// An audience whose root is `all` of the one rule given as JSON.
inline Audience audience_of(const std::string& rule_json, const std::string& id = "") {
    std::string text = "{\"segx\": 1, \"id\": \"" + id + "\", \"root\": {\"match\": \"all\", \"rules\": [" +
                       rule_json + "]}}";
    ValidationResult v = parse_audience(text);
    INFO(text);
    INFO(join_errors(v.errors));
    REQUIRE(v.ok());
    return v.audience;
}

struct Saved {
    std::map<std::string, Audience> audiences;

    std::function<const Audience*(std::string_view)> lookup() const {
        return [this](std::string_view id) -> const Audience* {
            auto it = audiences.find(std::string(id));
            return it == audiences.end() ? nullptr : &it->second;
        };
    }
};

inline EvalResult eval(const Audience& a, int64_t as_of = A, const Saved* saved = nullptr) {
    EvalContext ctx{fixture_model(), as_of, 0, saved ? saved->lookup() : nullptr};
    return evaluate(a, ctx);
}

// Members of the one-rule audience; the rule must evaluate without errors.
inline std::string who(const std::string& rule_json, int64_t as_of = A) {
    EvalResult r = eval(audience_of(rule_json), as_of);
    INFO(rule_json);
    INFO(join_errors(r.errors));
    REQUIRE(r.ok());
    return members(fixture_model(), r.users);
}

// The errors of the one-rule audience, one per line.
inline std::string eval_errors(const std::string& rule_json, int64_t as_of = A) {
    return join_errors(eval(audience_of(rule_json), as_of).errors);
}

} // namespace segx::test
