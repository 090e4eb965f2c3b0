#include "core/lang/json_fields.h"

#include "core/dataset/column.h"
#include "core/lang/json_text.h"
#include "core/time/parse.h"

#include <cmath>

namespace segx::json_read {

const char* type_of(const json& v) {
    switch (v.type()) {
        case json::value_t::null:
            return "null";
        case json::value_t::boolean:
            return "a boolean";
        case json::value_t::number_integer:
        case json::value_t::number_unsigned:
        case json::value_t::number_float:
            return "a number";
        case json::value_t::string:
            return "a string";
        case json::value_t::array:
            return "an array";
        case json::value_t::object:
            return "an object";
        default:
            return "binary data";
    }
}

std::string number_text(const json& v) {
    if (v.is_number_unsigned()) return std::to_string(v.get<uint64_t>());
    if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
    return format_double(v.get<double>());
}

std::string key_path(const std::string& path, std::string_view key) {
    std::string p = path;
    append_path_key(p, key);
    return p;
}

std::string index_path(const std::string& path, size_t i) {
    std::string p = path;
    append_path_index(p, i);
    return p;
}

// "a, b or c"
std::string one_of(std::initializer_list<const char*> names) {
    std::string out;
    size_t i = 0;
    for (const char* n : names) {
        if (i > 0) out += i + 1 == names.size() ? " or " : ", ";
        out += n;
        i++;
    }
    return out;
}

void FieldReader::fail(const std::string& path, std::string message) {
    if (errors.size() < kMaxErrors)
        errors.push_back(DefinitionError{path, std::move(message)});
    else
        dropped_++;
}

void FieldReader::finish() {
    if (dropped_ > 0)
        errors.push_back(DefinitionError{"$", std::to_string(dropped_) + " more problems not shown"});
}

const json* FieldReader::get(const json& obj, const char* key) {
    auto it = obj.find(key);
    return it == obj.end() ? nullptr : &*it;
}

bool FieldReader::object(const json& v, const std::string& path) {
    if (v.is_object()) return true;
    fail(path, std::string("expected an object, got ") + type_of(v));
    return false;
}

// Every key not in `allowed` is a problem: a typo ("vaule") must not pass as a default.
void FieldReader::keys(const json& obj, const std::string& path, std::initializer_list<const char*> allowed) {
    for (auto it = obj.begin(); it != obj.end(); ++it) {
        bool known = false;
        for (const char* k : allowed) known = known || it.key() == k;
        if (!known) fail(key_path(path, it.key()), "unknown key (expected " + one_of(allowed) + ")");
    }
}

bool FieldReader::string(const json* v, const std::string& path, std::string* out, bool required,
                         bool non_empty) {
    if (v == nullptr) {
        if (required) fail(path, "missing");
        return false;
    }
    if (!v->is_string()) {
        fail(path, std::string("expected a string, got ") + type_of(*v));
        return false;
    }
    const std::string& s = v->get_ref<const std::string&>();
    if (s.size() > kMaxStringBytes) {
        fail(path, "longer than " + std::to_string(kMaxStringBytes) + " bytes (" + std::to_string(s.size()) +
                       " bytes)");
        return false;
    }
    if (!is_valid_utf8(s)) { // only a document built in code can get here: the parser checks
        fail(path, "not valid UTF-8: " + quote(s));
        return false;
    }
    if (non_empty && s.empty()) {
        fail(path, "must not be empty");
        return false;
    }
    *out = s;
    return true;
}

void FieldReader::boolean(const json* v, const std::string& path, bool* out) {
    if (v == nullptr) return;
    if (!v->is_boolean())
        fail(path, std::string("expected true or false, got ") + type_of(*v));
    else
        *out = v->get<bool>();
}

bool FieldReader::number(const json& v, const std::string& path, double* out) {
    if (v.is_number_integer() || v.is_number_unsigned()) {
        // Compared as integers: as doubles, 2^53 + 1 would round down and pass.
        const int64_t limit = int64_t(1) << 53;
        bool big = v.is_number_unsigned() ? v.get<uint64_t>() > uint64_t(limit)
                                          : v.get<int64_t>() > limit || v.get<int64_t>() < -limit;
        if (big) {
            fail(path, "integer " + number_text(v) + " is beyond ±2^53 and cannot be compared exactly");
            return false;
        }
        *out = v.is_number_unsigned() ? double(v.get<uint64_t>()) : double(v.get<int64_t>());
        return true;
    }
    if (v.is_number_float()) {
        double x = v.get<double>();
        if (!std::isfinite(x)) {
            fail(path, "number out of range");
            return false;
        }
        *out = x;
        return true;
    }
    fail(path, std::string("expected a number, got ") + type_of(v));
    return false;
}

bool FieldReader::whole(const json& v, const std::string& path, int64_t lo, int64_t hi, int64_t* out,
                        const char* unit) {
    double x = 0;
    bool ok = v.is_number() && number(v, path, &x);
    if (v.is_number() && !ok) return false; // number() said why
    if (!ok || x != std::floor(x) || x < double(lo) || x > double(hi)) {
        fail(path, "expected a whole number" + std::string(unit) + " from " + std::to_string(lo) + " to " +
                       std::to_string(hi) + ", got " +
                       (v.is_number() ? number_text(v) : std::string(type_of(v))));
        return false;
    }
    *out = int64_t(x);
    return true;
}

bool FieldReader::scalar(const json& v, const std::string& path, Scalar* out) {
    if (v.is_string()) {
        out->kind = Scalar::Kind::String;
        return string(&v, path, &out->text, true, false);
    }
    if (v.is_boolean()) {
        *out = Scalar::of_bool(v.get<bool>());
        return true;
    }
    if (v.is_number()) {
        out->kind = Scalar::Kind::Number;
        return number(v, path, &out->number);
    }
    fail(path, std::string("expected a string, number or boolean, got ") + type_of(v));
    return false;
}

void FieldReader::values(const json& obj, const std::string& path, Op op, std::vector<Scalar>* out) {
    const json* one = get(obj, "value");
    const json* many = get(obj, "values");
    const std::string one_path = key_path(path, "value"), many_path = key_path(path, "values");
    Arity arity = op_arity(op);
    std::string opq = quote(op_name(op));
    if (arity == Arity::None) {
        if (one != nullptr) fail(one_path, opq + " takes no value");
        if (many != nullptr) fail(many_path, opq + " takes no values");
        return;
    }
    if (arity == Arity::One) {
        if (many != nullptr) fail(many_path, opq + " takes one \"value\", not a \"values\" list");
        if (one == nullptr) {
            fail(one_path, "missing");
            return;
        }
        Scalar v;
        if (scalar(*one, one_path, &v)) out->push_back(std::move(v));
        return;
    }
    if (one != nullptr) fail(one_path, opq + " takes a \"values\" list, not one \"value\"");
    if (many == nullptr) {
        fail(many_path, "missing");
        return;
    }
    if (!many->is_array()) {
        fail(many_path, std::string("expected an array, got ") + type_of(*many));
        return;
    }
    if (arity == Arity::Two && many->size() != 2) {
        fail(many_path, opq + " takes exactly two values [low, high], got " + std::to_string(many->size()));
        return;
    }
    if (many->empty()) {
        fail(many_path, "expected at least one value");
        return;
    }
    if (many->size() > kMaxValues) {
        fail(many_path,
             "more than " + std::to_string(kMaxValues) + " values (" + std::to_string(many->size()) + ")");
        return;
    }
    for (size_t i = 0; i < many->size(); i++) {
        Scalar v;
        if (scalar((*many)[i], index_path(many_path, i), &v)) out->push_back(std::move(v));
    }
}

// What the operator can compare, checked on the values alone (the column type is checked
// when evaluating against a model).
void FieldReader::value_kinds(const std::string& path, Op op, const std::vector<Scalar>& vals,
                              size_t expected) {
    if (vals.size() != expected) return; // a value failed to read and was reported
    const std::string where = key_path(path, op_arity(op) == Arity::One ? "value" : "values");
    std::string opq = quote(op_name(op));
    bool text_op = op == Op::Contains || op == Op::NotContains || op == Op::StartsWith;
    bool order_op = op == Op::Gt || op == Op::Gte || op == Op::Lt || op == Op::Lte || op == Op::Between;
    for (size_t i = 0; i < vals.size(); i++) {
        std::string p = op_arity(op) == Arity::One ? where : index_path(where, i);
        if (text_op && vals[i].kind != Scalar::Kind::String)
            fail(p, opq + " compares text: expected a string");
        if (order_op && vals[i].kind == Scalar::Kind::Bool)
            fail(p, opq + " compares numbers or dates: expected a number or a date string, got a boolean");
    }
    if (op == Op::Between && vals.size() == 2) {
        if (vals[0].kind != vals[1].kind)
            fail(where, "low and high must both be numbers or both be strings");
        else if (vals[0].kind == Scalar::Kind::Number && vals[0].number > vals[1].number)
            fail(where,
                 "low " + format_double(vals[0].number) + " is above high " + format_double(vals[1].number));
    }
}

// {name_key, op, value/values, ci}: shared by property rules and event filters.
void FieldReader::comparison(const json& obj, const std::string& path, const char* name_key,
                             std::string* name, Op* op, std::vector<Scalar>* vals, bool* ci) {
    string(get(obj, name_key), key_path(path, name_key), name, true, true);
    boolean(get(obj, "ci"), key_path(path, "ci"), ci);
    if (!pick(get(obj, "op"), key_path(path, "op"), "operator", kOpNames, op_from_name, op)) return;
    size_t before = errors.size();
    values(obj, path, *op, vals);
    size_t expected = op_arity(*op) == Arity::None  ? 0
                      : op_arity(*op) == Arity::One ? 1
                      : op_arity(*op) == Arity::Two ? 2
                                                    : vals->size();
    if (errors.size() == before) value_kinds(path, *op, *vals, expected);
}

bool FieldReader::document(const json& doc, const char* what) {
    if (!doc.is_object()) {
        fail("$", std::string("expected an object, got ") + type_of(doc));
        return false;
    }
    const json* version = get(doc, "segx");
    if (version == nullptr) {
        fail("segx", std::string("missing: a segx ") + what + " definition starts with \"segx\": 1");
        return false;
    }
    if (!version->is_number()) {
        fail("segx", std::string("expected the version number 1, got ") + type_of(*version));
        return false;
    }
    if (!(version->is_number_integer() && version->get<int64_t>() == 1) &&
        !(version->is_number_float() && version->get<double>() == 1.0)) {
        fail("segx", "unsupported version " + number_text(*version) + ": this build reads version 1");
        return false;
    }
    return true;
}

TimeWindow FieldReader::window(const json& v, const std::string& path) {
    if (!object(v, path)) return WindowAllTime{};
    keys(v, path, {"last_days", "from", "to"});
    const json* days = get(v, "last_days");
    const json* from = get(v, "from");
    const json* to = get(v, "to");
    if (days != nullptr) {
        if (from != nullptr || to != nullptr) fail(path, "use either last_days or from/to, not both");
        WindowLastDays w;
        whole(*days, key_path(path, "last_days"), 1, kMaxWindowDays, &w.days, " of days");
        return w;
    }
    if (from == nullptr && to == nullptr) {
        fail(path, "expected last_days, or from and/or to");
        return WindowAllTime{};
    }
    WindowRange w;
    int64_t from_us = 0, to_us = 0;
    bool from_ok = from != nullptr && time(*from, key_path(path, "from"), &w.from, &from_us);
    bool to_ok = to != nullptr && time(*to, key_path(path, "to"), &w.to, &to_us);
    if (from_ok && to_ok && from_us >= to_us)
        fail(key_path(path, "to"), "must be after from (the window is (from, to])");
    return w;
}

bool FieldReader::time(const json& v, const std::string& path, std::string* text, int64_t* us) {
    if (!string(&v, path, text, true, true)) return false;
    if (!parse_time_text(*text, TimeFormat::Iso, 0, us)) {
        fail(path, quote(*text) + " is not an ISO 8601 date or time (2024-01-31, 2024-01-31T10:00:00Z)");
        return false;
    }
    return true;
}

json FieldReader::audience_filter(const json& v, const std::string& path, const GroupCheck& check) {
    if (!object(v, path)) return json();
    if (const json* id = get(v, "audience")) {
        keys(v, path, {"audience"});
        std::string s;
        string(id, key_path(path, "audience"), &s, true, true);
        return v;
    }
    if (check) {
        std::vector<DefinitionError> found;
        check(v, path, found);
        for (DefinitionError& e : found) fail(e.path, std::move(e.message));
    } else {
        keys(v, path, {"kind", "match", "negate", "rules"});
    }
    return v;
}

void FieldReader::filters(const json& obj, const std::string& path, std::vector<EventFilter>* out) {
    if (const json* where = get(obj, "where")) {
        const std::string wp = key_path(path, "where");
        if (!where->is_array()) {
            fail(wp, std::string("expected an array, got ") + type_of(*where));
        } else if (where->size() > kMaxValues) {
            fail(wp, "more than " + std::to_string(kMaxValues) + " filters");
        } else {
            for (size_t i = 0; i < where->size(); i++) {
                const std::string fp = index_path(wp, i);
                EventFilter f;
                if (object((*where)[i], fp)) {
                    keys((*where)[i], fp, {"property", "op", "value", "values", "ci"});
                    comparison((*where)[i], fp, "property", &f.property, &f.op, &f.values, &f.ci);
                }
                out->push_back(std::move(f));
            }
        }
    }
}

} // namespace segx::json_read
