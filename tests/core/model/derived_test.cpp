// Attributes from events (core/model/derived.h), worked by hand. One file, rows in file order:
//   row user event    time              Country  city
//   0   u1   purchase 2024-01-01 10:00  UK       Leeds
//   1   u1   purchase 2024-01-02 10:00  uk       York
//   2   u1   view     2024-01-03 10:00  -        Hull
//   3   u1   purchase 2024-01-02 10:00  France   Bath     (same time as row 1, a later row)
//   4   u2   purchase 2024-01-05 10:00  DE       -
//   5   u2   purchase 2024-01-06 10:00  FR       -
//   6   u2   purchase 2024-01-07 10:00  FR       -
//   7   u2   purchase 2024-01-08 10:00  DE       -
//   8   u3   view     2024-01-04 10:00  -        -
// u1 stored: rows 0, 1, 3, 2 (time, then row). Country: latest France (row 3 beats row 1 at the
// same time), first UK, most frequent: UK, uk and France once each, the smallest bytes win:
// France. "UK" and "uk" are two values. u2: DE/FR twice each: most frequent DE (smaller), latest
// DE, first DE. u3 has no Country: null. city of the latest event: u1 Hull; of the latest
// purchase: u1 Bath.

#include "core/model/derived.h"

#include "core/audience/insight.h"
#include "core/audience/members_csv.h"

#include "chunk_fixture.h"

#include <doctest/doctest.h>

#include <string>

namespace core_model_derived_test {

using namespace segx;
using namespace segx::test;

namespace {

EventSource shop() {
    EventSourceSpec s;
    s.name = "orders.csv";
    s.property_names = {"Country", "city"};
    EventSourceBuilder b(s);
    auto ids = texts({"u1", "u1", "u1", "u1", "u2", "u2", "u2", "u2", "u3"});
    auto time = texts({"2024-01-01 10:00", "2024-01-02 10:00", "2024-01-03 10:00", "2024-01-02 10:00",
                       "2024-01-05 10:00", "2024-01-06 10:00", "2024-01-07 10:00", "2024-01-08 10:00",
                       "2024-01-04 10:00"});
    auto event = texts(
        {"purchase", "purchase", "view", "purchase", "purchase", "purchase", "purchase", "purchase", "view"});
    auto country = texts({"UK", "uk", std::nullopt, "France", "DE", "FR", "FR", "DE", std::nullopt});
    auto city = texts({"Leeds", "York", "Hull", "Bath", std::nullopt, std::nullopt, std::nullopt,
                       std::nullopt, std::nullopt});
    b.append(9, ids.chunk(), time.chunk(), event.chunk(), ValueChunk::none(), ValueChunk::none(),
             {country.chunk(), city.chunk()});
    return b.finish();
}

Model model_of(const EventSource& e) { return build_model({}, {&e}); }

// "u1=France u2=DE u3=-" for the attribute named `name`.
std::string values(const Model& m, const std::string& name) {
    const Column* c = nullptr;
    for (const Column& a : m.attributes)
        if (a.name == name) c = &a;
    REQUIRE(c != nullptr);
    std::string out;
    for (const char* id : {"u1", "u2", "u3"}) {
        const uint32_t u = *m.users.find(id);
        out += (out.empty() ? "" : " ") + std::string(id) + "=" + (c->is_null(u) ? "-" : c->format(u));
    }
    return out;
}

} // namespace

TEST_CASE("derived attributes: latest, first and most frequent, with ties in time and in counts") {
    EventSource e = shop();
    Model m = model_of(e);
    auto problems = derive_attributes(m,
                                      {{"last_country", "", "Country", DerivedPick::Latest},
                                       {"first_country", "", "Country", DerivedPick::First},
                                       {"usual_country", "", "Country", DerivedPick::MostFrequent},
                                       {"last_city", "", "city", DerivedPick::Latest},
                                       {"last_order_city", "purchase", "city", DerivedPick::Latest}},
                                      false);
    CHECK(problems.empty());
    CHECK(values(m, "last_country") == "u1=France u2=DE u3=-");
    CHECK(values(m, "first_country") == "u1=UK u2=DE u3=-");
    CHECK(values(m, "usual_country") == "u1=France u2=DE u3=-");
    CHECK(values(m, "last_city") == "u1=Hull u2=- u3=-");
    CHECK(values(m, "last_order_city") == "u1=Bath u2=- u3=-");
    CHECK(m.derived.size() == 5);
    CHECK(base_attribute_count(m) == 0);
    REQUIRE(find_derived(m, "usual_country") != nullptr);
    CHECK(find_derived(m, "usual_country")->pick == DerivedPick::MostFrequent);
    CHECK(find_derived(m, "Country") == nullptr);
}

TEST_CASE("derived attributes: names taken, unknown properties and events are left out and said") {
    EventSource e = shop();
    Model m = model_of(e);
    auto problems = derive_attributes(m,
                                      {{"c", "", "Country", DerivedPick::Latest},
                                       {"C", "", "city", DerivedPick::Latest},
                                       {"user_id", "", "city", DerivedPick::Latest},
                                       {"x", "", "no_such", DerivedPick::Latest},
                                       {"y", "refund", "city", DerivedPick::Latest}},
                                      false);
    REQUIRE(problems.size() == 4);
    CHECK(problems[0].find("another attribute has that name") != std::string::npos);
    CHECK(problems[2].find("'no_such'") != std::string::npos);
    CHECK(problems[3].find("'refund'") != std::string::npos);
    CHECK(m.attributes.size() == 1);
    // Deriving again replaces the previous ones (the workspace's list changed).
    derive_attributes(m, {{"c2", "", "city", DerivedPick::First}}, false);
    REQUIRE(m.attributes.size() == 1);
    CHECK(m.attributes[0].name == "c2");
    CHECK(values(m, "c2") == "u1=Leeds u2=- u3=-");
}

TEST_CASE("derived attributes: automatic for a property that is one value per user") {
    // 12 users with two events each: Country constant per user (two countries overall), page
    // differing on every event, currency the same for everyone.
    EventSourceSpec s;
    s.name = "orders.csv";
    s.property_names = {"Country", "page", "currency"};
    s.constant_event = "purchase";
    EventSourceBuilder b(s);
    std::vector<std::optional<std::string>> ids, times, country, page, currency;
    for (int u = 0; u < 12; u++)
        for (int k = 0; k < 2; k++) {
            ids.push_back("u" + std::to_string(u));
            times.push_back("2024-01-0" + std::to_string(k + 1) + " 10:00");
            country.push_back(u % 2 ? "UK" : "France");
            page.push_back("/p" + std::to_string(u * 2 + k));
            currency.push_back("GBP");
        }
    auto i = texts(ids), t = texts(times), c = texts(country), p = texts(page), cur = texts(currency);
    b.append(24, i.chunk(), t.chunk(), ValueChunk::none(), ValueChunk::none(), ValueChunk::none(),
             {c.chunk(), p.chunk(), cur.chunk()});
    EventSource e = b.finish();
    Model m = build_model({}, {&e});
    derive_attributes(m, {}, true);
    REQUIRE(m.derived.size() == 1);
    CHECK(m.derived[0].name == "Country");
    CHECK(m.derived[0].automatic);
    CHECK(m.attributes.back().format(*m.users.find("u1")) == "UK");
    // An explicit one of the same name comes first; the automatic one is then left out.
    derive_attributes(m, {{"country", "", "page", DerivedPick::First}}, true);
    REQUIRE(m.derived.size() == 1);
    CHECK_FALSE(m.derived[0].automatic);
    derive_attributes(m, {}, false);
    CHECK(m.derived.empty());
    CHECK(m.attributes.empty());
}

TEST_CASE("derived attributes are attributes for the members CSV and the insight panel") {
    EventSource e = shop();
    Model m = model_of(e);
    derive_attributes(m, {{"usual_country", "", "Country", DerivedPick::MostFrequent}}, false);
    Bitmap members;
    members.append_all(true, m.users.size());
    const std::string csv = members_csv(m, members, {"usual_country"});
    CHECK(csv.find("usual_country") != std::string::npos);
    CHECK(csv.find("u1,France") != std::string::npos);
    CHECK(csv.find("u2,DE") != std::string::npos);
    AudienceInsight in = compute_insight(m, members, InsightOptions{});
    REQUIRE(in.attributes.size() == 1);
    CHECK(in.attributes[0].attribute == "usual_country");
}

} // namespace core_model_derived_test
