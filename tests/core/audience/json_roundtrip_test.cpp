// Property test: random valid definitions (seeded, so failures reproduce) survive
// to_json -> from_json, and to_json -> text -> parse_audience, unchanged.

#include "core/audience/json.h"

#include <nlohmann/json.hpp>

#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <random>

namespace core_audience_json_roundtrip_test {

using namespace segx;
using json = nlohmann::json;

namespace {

class Generator {
public:
    explicit Generator(uint64_t seed) : rng_(seed) {}

    Audience audience() {
        Audience a;
        a.id = text(false);
        a.name = text(false);
        a.root = group(1);
        return a;
    }

private:
    size_t below(size_t n) { return size_t(rng_() % n); }
    bool coin() { return below(2) == 0; }

    // Hostile-looking but valid text: quotes, backslashes, control characters, SQL, HTML,
    // Chinese, emoji, and random ASCII.
    std::string text(bool non_empty) {
        static const char* pool[] = {"",
                                     "CN",
                                     "中国",
                                     "北京市",
                                     "quote\"s",
                                     "back\\slash",
                                     "'; DROP TABLE users; --",
                                     "<script>alert(1)</script>",
                                     "tab\tnew\nline",
                                     "\001ctl",
                                     "emoji 😀",
                                     "a b",
                                     "gold member",
                                     "Ünïcödé"};
        std::string s;
        if (coin()) {
            s = pool[below(sizeof(pool) / sizeof(pool[0]))];
        } else {
            size_t n = below(12);
            for (size_t i = 0; i < n; i++) s += char(' ' + below(95));
        }
        return non_empty && s.empty() ? "x" : s;
    }

    double number() {
        switch (below(7)) {
            case 0:
                return double(int64_t(below(2000001)) - 1000000);
            case 1:
                return std::uniform_real_distribution<double>(-1e6, 1e6)(rng_);
            case 2:
                return std::ldexp(std::uniform_real_distribution<double>(-1, 1)(rng_),
                                  int(below(2000)) - 1000);
            case 3:
                return coin() ? 9007199254740992.0 : -9007199254740992.0;
            case 4:
                return coin() ? 5e-324 : 1.7976931348623157e308;
            case 5:
                return coin() ? 0.1 : -0.0;
            default:
                return double(below(100));
        }
    }

    std::string iso() {
        static const char* pool[] = {"2024-01-01",       "2024-01-31T10:20:30Z",
                                     "2023-06-01 08:00", "2024-02-29T23:59:59.999999+08:00",
                                     "1999-12-31",       "2030-05-05T05:05:05-05:00"};
        return pool[below(6)];
    }

    Scalar scalar(bool allow_bool = true) {
        switch (below(allow_bool ? 4 : 3)) {
            case 0:
                return Scalar::of(text(false));
            case 1:
                return Scalar::of(iso());
            case 2:
                return Scalar::of(number());
            default:
                return Scalar::of_bool(coin());
        }
    }

    // An operator and values that the validator accepts.
    void comparison(Op* op, std::vector<Scalar>* values) {
        *op = Op(below(size_t(Op::IsNotSet) + 1));
        values->clear();
        switch (op_arity(*op)) {
            case Arity::None:
                break;
            case Arity::One:
                if (*op == Op::Contains || *op == Op::NotContains || *op == Op::StartsWith)
                    values->push_back(Scalar::of(text(false)));
                else
                    values->push_back(scalar(*op == Op::Eq || *op == Op::Neq));
                break;
            case Arity::Many:
                for (size_t i = 0, n = 1 + below(5); i < n; i++) values->push_back(scalar());
                break;
            case Arity::Two:
                if (coin()) {
                    double a = number(), b = number();
                    values->push_back(Scalar::of(std::min(a, b)));
                    values->push_back(Scalar::of(std::max(a, b)));
                } else {
                    values->push_back(Scalar::of(iso()));
                    values->push_back(Scalar::of(text(false)));
                }
                break;
        }
    }

    TimeWindow window() {
        switch (below(3)) {
            case 0:
                return WindowAllTime{};
            case 1:
                return WindowLastDays{int64_t(1 + below(size_t(kMaxWindowDays)))};
            default: {
                // Ordered and distinct when both ends are given.
                static const char* ordered[] = {"1999-12-31", "2023-06-01 08:00", "2024-01-01",
                                                "2024-01-31T10:20:30Z"};
                size_t i = below(4), j = below(4);
                switch (below(3)) {
                    case 0:
                        return WindowRange{ordered[i], ""};
                    case 1:
                        return WindowRange{"", ordered[j]};
                    default:
                        if (i == j) return WindowRange{ordered[i], ""};
                        return WindowRange{ordered[std::min(i, j)], ordered[std::max(i, j)]};
                }
            }
        }
    }

    Measure measure() {
        switch (below(3)) {
            case 0: {
                static const Op ops[] = {Op::Gte, Op::Lte, Op::Eq, Op::Between};
                CountMeasure m{ops[below(4)], {}};
                int64_t a = int64_t(rng_() % uint64_t(kMaxCount + 1)), b = int64_t(below(1000));
                if (m.op == Op::Between)
                    m.values = {std::min(a, b), std::max(a, b)};
                else
                    m.values = {a};
                m.unit = CountUnit(below(3));
                return m;
            }
            case 1: {
                static const Op ops[] = {Op::Eq, Op::Neq, Op::Gt, Op::Gte, Op::Lt, Op::Lte, Op::Between};
                AggregateMeasure m{
                    AggregateFn(below(4)), coin() ? std::string() : text(true), ops[below(7)], {}};
                double a = number(), b = number();
                if (m.op == Op::Between)
                    m.values = {std::min(a, b), std::max(a, b)};
                else
                    m.values = {a};
                return m;
            }
            default:
                return OccurrenceMeasure{coin()};
        }
    }

    Rule leaf() {
        switch (below(7)) {
            case 0:
            case 1: {
                PropertyRule r;
                r.attribute = text(true);
                comparison(&r.op, &r.values);
                r.ci = coin();
                return r;
            }
            case 2:
            case 3: {
                BehaviorRule r;
                r.did = coin();
                r.event = text(true);
                for (size_t i = 0, n = below(3); i < n; i++) {
                    EventFilter f;
                    f.property = text(true);
                    comparison(&f.op, &f.values);
                    f.ci = coin();
                    r.where.push_back(f);
                }
                r.window = window();
                r.measure = measure();
                return r;
            }
            case 4: {
                RfmRule r;
                if (coin()) {
                    for (size_t i = 0, n = 1 + below(3); i < n; i++) r.segments.push_back(text(true));
                } else {
                    auto range = [&] {
                        int a = int(1 + below(5)), b = int(1 + below(5));
                        return ScoreRange{std::min(a, b), std::max(a, b)};
                    };
                    r.r = range();
                    if (coin()) r.f = range();
                    if (coin()) r.m = range();
                }
                if (coin()) r.rfm = text(true);
                return r;
            }
            case 5:
                if (coin()) {
                    LifecycleRule r;
                    r.event = coin() ? "" : "view";
                    if (coin()) {
                        r.stage = LifecycleStage(below(4));
                        r.period = PeriodUnit(below(3));
                    } else {
                        // The board's form: a group, its period and threshold.
                        r.group = LifecycleGroup(below(3));
                        if (coin())
                            r.window = WindowLastDays{int64_t(1 + below(400))};
                        else
                            r.window = WindowRange{"2024-03-01", coin() ? "" : "2024-04-01T12:00:00Z"};
                        r.dormant_days = int64_t(1 + below(365));
                    }
                    return r;
                }
                return FunnelRule{text(true), coin(), int(1 + below(size_t(kMaxFunnelStep)))};
            default:
                return AudienceRefRule{text(true), coin()};
        }
    }

    Group group(int depth) {
        Group g;
        g.match = coin() ? Match::All : Match::Any;
        g.negate = coin();
        for (size_t i = 0, n = below(5); i < n; i++)
            g.rules.push_back(depth < 5 && below(4) == 0 ? Rule(group(depth + 1)) : leaf());
        return g;
    }

    std::mt19937_64 rng_;
};

} // namespace

TEST_CASE("1000 random definitions round-trip exactly through the DOM and through text") {
    Generator gen(20240331);
    for (int i = 0; i < 1000; i++) {
        Audience a = gen.audience();
        json j = a;
        std::string text = j.dump();
        INFO("definition #" << i << ": " << text);

        ValidationResult dom = validate_audience(j);
        REQUIRE_MESSAGE(dom.ok(), join_errors(dom.errors));
        CHECK(dom.audience == a);

        ValidationResult parsed = parse_audience(text);
        REQUIRE_MESSAGE(parsed.ok(), join_errors(parsed.errors));
        CHECK(parsed.audience == a);
        CHECK(json(parsed.audience).dump() == text);
        CHECK(j.get<Audience>() == a);
    }
}

} // namespace core_audience_json_roundtrip_test
