#include "core/audience/describe.h"

#include "core/lang/messages.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace segx {

namespace {

struct OpWords {
    Op op;
    const char* words;
};
const OpWords kOpWords[] = {
    {Op::Eq, "is"},
    {Op::Neq, "is not"},
    {Op::In, "is one of"},
    {Op::NotIn, "is none of"},
    {Op::Contains, "contains"},
    {Op::NotContains, "does not contain"},
    {Op::StartsWith, "starts with"},
    {Op::Gt, ">"},
    {Op::Gte, ">="},
    {Op::Lt, "<"},
    {Op::Lte, "<="},
    {Op::Between, "between"},
    {Op::IsSet, "is set"},
    {Op::IsNotSet, "is not set"},
};

const OpWords kOpWordsZh[] = {
    {Op::Eq, "等于"},           {Op::Neq, "不等于"},    {Op::In, "属于"},
    {Op::NotIn, "不属于"},      {Op::Contains, "包含"}, {Op::NotContains, "不包含"},
    {Op::StartsWith, "开头是"}, {Op::Gt, "大于"},       {Op::Gte, "大于等于"},
    {Op::Lt, "小于"},           {Op::Lte, "小于等于"},  {Op::Between, "介于"},
    {Op::IsSet, "有值"},        {Op::IsNotSet, "无值"},
};

std::string number_words(double x) {
    char buf[32];
    if (std::isfinite(x) && std::fabs(x) < 9.0e15 && x == std::trunc(x))
        std::snprintf(buf, sizeof buf, "%.0f", x);
    else
        std::snprintf(buf, sizeof buf, "%.15g", x); // shortest that reads back for what people type
    return buf;
}

std::string scalar_words(const Scalar& s) {
    switch (s.kind) {
        case Scalar::Kind::String:
            return s.text;
        case Scalar::Kind::Number:
            return number_words(s.number);
        case Scalar::Kind::Bool:
            return s.boolean ? "true" : "false";
    }
    return {};
}

std::string comparison(const std::string& what, Op op, const std::vector<Scalar>& values) {
    std::string out = what + " " + op_words(op);
    for (size_t i = 0; i < values.size() && i < 3; i++)
        out += (i == 0 ? " " : op == Op::Between ? " and " : ", ") + scalar_words(values[i]);
    if (values.size() > 3) out += ", …";
    return out;
}

std::string window_words(const TimeWindow& w) {
    if (auto* d = std::get_if<WindowLastDays>(&w)) return " in the last " + std::to_string(d->days) + " days";
    if (auto* r = std::get_if<WindowRange>(&w)) {
        if (r->from.empty()) return " up to " + r->to;
        if (r->to.empty()) return " after " + r->from;
        return " between " + r->from + " and " + r->to;
    }
    return "";
}

std::string measure_words(const Measure& m) {
    if (auto* c = std::get_if<CountMeasure>(&m)) {
        if (c->op == Op::Gte && c->values.size() == 1 && c->values[0] == 1) return "";
        std::string out = std::string(" ") + op_words(c->op);
        for (size_t i = 0; i < c->values.size(); i++)
            out += (i ? " and " : " ") + std::to_string(c->values[i]);
        return out + " times";
    }
    if (auto* a = std::get_if<AggregateMeasure>(&m)) {
        std::string out = std::string(", ") + aggregate_fn_name(a->fn) + " of " +
                          (a->property.empty() ? std::string("revenue") : a->property) + " " +
                          op_words(a->op);
        for (size_t i = 0; i < a->values.size(); i++) out += (i ? " and " : " ") + number_words(a->values[i]);
        return out;
    }
    if (auto* o = std::get_if<OccurrenceMeasure>(&m)) return o->last ? ", the last time" : ", the first time";
    return "";
}

std::string summary_of(const RuleNode& node) {
    struct Visit {
        std::string operator()(const Group& g) const {
            std::string out = std::string(g.negate                ? "none of "
                                          : g.match == Match::All ? "all of "
                                                                  : "any of ") +
                              std::to_string(g.rules.size()) + (g.rules.size() == 1 ? " rule" : " rules");
            return out;
        }
        std::string operator()(const PropertyRule& p) const {
            return comparison(p.attribute, p.op, p.values);
        }
        std::string operator()(const BehaviorRule& b) const {
            std::string out =
                std::string(b.did ? "did " : "did not do ") + (b.event.empty() ? "(no event)" : b.event);
            for (const EventFilter& f : b.where) out += " where " + comparison(f.property, f.op, f.values);
            return out + measure_words(b.measure) + window_words(b.window);
        }
        std::string operator()(const RfmRule& r) const {
            if (!r.segments.empty())
                return "RFM segment " + r.segments.front() + (r.segments.size() > 1 ? ", …" : "");
            return "RFM scores";
        }
        std::string operator()(const LifecycleRule& l) const {
            return std::string("lifecycle stage ") + lifecycle_stage_name(l.stage);
        }
        std::string operator()(const FunnelRule& f) const {
            return std::string("funnel ") + f.funnel +
                   (f.dropped_after ? " dropped after step " : " reached step ") + std::to_string(f.step);
        }
        std::string operator()(const AudienceRefRule& a) const {
            return std::string(a.in ? "in audience " : "not in audience ") + a.id;
        }
        std::string operator()(const RetentionRule& r) const {
            auto name = r.retention.is_object() ? r.retention.find("name") : r.retention.end();
            std::string of =
                name != r.retention.end() && name->is_string() && !name->get<std::string>().empty()
                    ? " of retention " + name->get<std::string>()
                    : "";
            return "cohort " + r.cohort + of +
                   (r.period == 0 ? "" : ", returned in period " + std::to_string(r.period));
        }
    };
    return std::visit(Visit{}, node);
}

// ---- Chinese: the same facts, in Chinese order ----------------------------------------------
// Lists take "、", a range reads "介于 a 与 b 之间", the time window leads the sentence and the
// count follows the event ("最近 30 天内 做过 purchase 至少 5 次").

std::string comparison_zh(const std::string& what, Op op, const std::vector<Scalar>& values) {
    std::string out = what + " " + op_words(op, Language::Zh);
    if (op == Op::Between && values.size() >= 2)
        return out + " " + scalar_words(values[0]) + " 与 " + scalar_words(values[1]) + " 之间";
    for (size_t i = 0; i < values.size() && i < 3; i++)
        out += (i == 0 ? " " : "、") + scalar_words(values[i]);
    if (values.size() > 3) out += "等";
    return out;
}

std::string window_zh(const TimeWindow& w) {
    if (auto* d = std::get_if<WindowLastDays>(&w)) return "最近 " + std::to_string(d->days) + " 天内 ";
    if (auto* r = std::get_if<WindowRange>(&w)) {
        if (r->from.empty()) return r->to + " 及以前 ";
        if (r->to.empty()) return r->from + " 之后 ";
        return r->from + " 之后至 " + r->to + " ";
    }
    return "";
}

// A count's bound in words: "至少 5 次", "5 到 10 次".
std::string count_zh(Op op, const std::vector<int64_t>& v) {
    auto n = [&](size_t i) { return i < v.size() ? std::to_string(v[i]) : std::string("?"); };
    switch (op) {
        case Op::Gte:
            return "至少 " + n(0) + " 次";
        case Op::Gt:
            return "超过 " + n(0) + " 次";
        case Op::Lte:
            return "至多 " + n(0) + " 次";
        case Op::Lt:
            return "少于 " + n(0) + " 次";
        case Op::Eq:
            return "恰好 " + n(0) + " 次";
        case Op::Neq:
            return "不是 " + n(0) + " 次";
        case Op::Between:
            return n(0) + " 到 " + n(1) + " 次";
        default:
            return std::string(op_words(op, Language::Zh)) + " " + n(0) + " 次";
    }
}

const char* aggregate_zh(AggregateFn fn) {
    switch (fn) {
        case AggregateFn::Sum:
            return "总和";
        case AggregateFn::Avg:
            return "平均值";
        case AggregateFn::Min:
            return "最小值";
        case AggregateFn::Max:
            return "最大值";
    }
    return "";
}

std::string measure_zh(const Measure& m) {
    if (auto* c = std::get_if<CountMeasure>(&m)) {
        if (c->op == Op::Gte && c->values.size() == 1 && c->values[0] == 1) return "";
        return " " + count_zh(c->op, c->values);
    }
    if (auto* a = std::get_if<AggregateMeasure>(&m)) {
        std::string out = "，" + (a->property.empty() ? std::string("金额") : a->property) + " " +
                          aggregate_zh(a->fn) + " " + op_words(a->op, Language::Zh);
        if (a->op == Op::Between && a->values.size() >= 2)
            return out + " " + number_words(a->values[0]) + " 与 " + number_words(a->values[1]) + " 之间";
        for (size_t i = 0; i < a->values.size(); i++) out += (i ? " 与 " : " ") + number_words(a->values[i]);
        return out;
    }
    if (auto* o = std::get_if<OccurrenceMeasure>(&m)) return o->last ? "，看最后一次" : "，看第一次";
    return "";
}

const char* stage_zh(LifecycleStage s) {
    switch (s) {
        case LifecycleStage::New:
            return "新客";
        case LifecycleStage::Returning:
            return "老客";
        case LifecycleStage::Resurrecting:
            return "回流用户";
        case LifecycleStage::Dormant:
            return "休眠用户";
    }
    return "";
}

std::string summary_zh(const RuleNode& node) {
    struct Visit {
        std::string operator()(const Group& g) const {
            std::string n = std::to_string(g.rules.size());
            if (g.negate) return n + " 条规则都不满足";
            return g.match == Match::All ? "满足全部 " + n + " 条规则" : "满足 " + n + " 条规则中任一条";
        }
        std::string operator()(const PropertyRule& p) const {
            return comparison_zh(p.attribute, p.op, p.values);
        }
        std::string operator()(const BehaviorRule& b) const {
            std::string out = window_zh(b.window) + (b.did ? "做过 " : "没做过 ") +
                              (b.event.empty() ? std::string("（未选事件）") : b.event);
            for (size_t i = 0; i < b.where.size(); ++i) {
                const EventFilter& f = b.where[i];
                out += (i == 0 ? "（其中 " : "，且 ") + comparison_zh(f.property, f.op, f.values);
            }
            if (!b.where.empty()) out += "）";
            return out + measure_zh(b.measure);
        }
        std::string operator()(const RfmRule& r) const {
            if (!r.segments.empty())
                return "RFM 分层为 " + r.segments.front() + (r.segments.size() > 1 ? "等" : "");
            return "RFM 分数";
        }
        std::string operator()(const LifecycleRule& l) const {
            return std::string("生命周期阶段为") + stage_zh(l.stage);
        }
        std::string operator()(const FunnelRule& f) const {
            return "漏斗 " + f.funnel + (f.dropped_after ? " 在第 " : " 到达第 ") + std::to_string(f.step) +
                   (f.dropped_after ? " 步后流失" : " 步");
        }
        std::string operator()(const AudienceRefRule& a) const {
            return std::string(a.in ? "属于人群 " : "不属于人群 ") + a.id;
        }
        std::string operator()(const RetentionRule& r) const {
            auto name = r.retention.is_object() ? r.retention.find("name") : r.retention.end();
            std::string of =
                name != r.retention.end() && name->is_string() && !name->get<std::string>().empty()
                    ? "留存“" + name->get<std::string>() + "”中 "
                    : "";
            return of + r.cohort + " 同期群" +
                   (r.period == 0 ? "" : "，第 " + std::to_string(r.period) + " 期回访");
        }
    };
    return std::visit(Visit{}, node);
}

// Reads "[N]" at `at`; advances past it.
bool read_index(const std::string& path, size_t& at, size_t* out) {
    if (at >= path.size() || path[at] != '[') return false;
    size_t close = path.find(']', at);
    if (close == std::string::npos || close == at + 1) return false;
    size_t n = 0;
    for (size_t i = at + 1; i < close; i++) {
        if (path[i] < '0' || path[i] > '9') return false;
        n = n * 10 + size_t(path[i] - '0');
        if (n > kMaxRules) return false;
    }
    *out = n;
    at = close + 1;
    return true;
}

// "root.rules[2].rules[0].op" in words: "rule 1 of rule 3 of the top group" (`rest`: "op").
std::string rule_path_words(const std::string& path, std::string* rest, Language lang) {
    bool zh = lang == Language::Zh;
    std::string out = zh ? "顶层组" : "the top group";
    size_t at = 4; // after "root"
    if (path.compare(0, 4, "root") != 0) {
        *rest = path;
        return "";
    }
    for (;;) {
        size_t save = at, n = 0;
        if (path.compare(at, 6, ".rules") != 0 || !read_index(path, at = at + 6, &n)) {
            at = save;
            break;
        }
        out = zh ? out + "的第 " + std::to_string(n + 1) + " 条规则"
                 : "rule " + std::to_string(n + 1) + " of " + out;
    }
    *rest = path.substr(at);
    if (!rest->empty() && (*rest)[0] == '.') rest->erase(0, 1);
    return out;
}

// The known messages, said of a rule.
std::string said_of_rule(const std::string& rule, const std::string& message, Language lang) {
    struct Known {
        const char* prefix;
        const char* words;
        const char* zh;
    };
    static const Known kKnown[] = {
        {"unknown attribute ", "names a column that no loaded file has", "引用的列在已加载的文件中都不存在"},
        {"unknown event property ", "names an event property that no loaded file has",
         "引用的事件属性在已加载的文件中都不存在"},
        {"unknown event ", "names an event that no loaded file has", "引用的事件在已加载的文件中都不存在"},
        {"unknown audience ", "names an audience that is not saved", "引用的人群尚未保存"},
        {"unknown funnel ", "names a funnel that is not saved", "引用的漏斗尚未保存"},
    };
    bool zh = lang == Language::Zh;
    const std::string text = message_text(message, lang);
    for (const Known& k : kKnown) {
        std::string prefix = k.prefix;
        if (message.compare(0, prefix.size(), prefix) != 0) continue;
        // The detail ("(known: ...)") as the message says it in the language.
        size_t paren = text.find(zh ? "（" : " (");
        std::string detail = paren == std::string::npos ? "" : text.substr(paren);
        if (zh) return "规则" + rule + k.zh + detail;
        return "the rule " + rule + " " + k.words + detail;
    }
    return zh ? "规则" + rule + "：" + text : "the rule " + rule + ": " + text;
}

} // namespace

const char* op_words(Op op, Language lang) {
    for (const OpWords& w : kOpWords)
        if (w.op == op && lang == Language::En) return w.words;
    for (const OpWords& w : kOpWordsZh)
        if (w.op == op && lang == Language::Zh) return w.words;
    return op_name(op);
}

std::string rule_summary(const Rule& rule, Language lang) {
    std::string s = lang == Language::Zh ? summary_zh(rule.node) : summary_of(rule.node);
    if (s.size() > 80) {
        size_t cut = 77;
        while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80)
            cut--; // not inside a UTF-8 character
        s = s.substr(0, cut) + "…";
    }
    return s;
}

const Rule* rule_at_path(const Audience& audience, const std::string& path, std::string* rest) {
    if (path.compare(0, 4, "root") != 0) return nullptr;
    const Group* group = &audience.root;
    const Rule* found = nullptr;
    size_t at = 4;
    for (;;) {
        size_t n = 0, save = at;
        if (!group || path.compare(at, 6, ".rules") != 0) break;
        at += 6;
        if (!read_index(path, at, &n) || n >= group->rules.size()) {
            at = save;
            break;
        }
        found = &group->rules[n];
        group = std::get_if<Group>(&found->node);
    }
    if (rest) *rest = path.substr(at < path.size() && path[at] == '.' ? at + 1 : at);
    return found;
}

std::string error_text(const Audience* audience, const DefinitionError& e, Language lang) {
    bool zh = lang == Language::Zh;
    std::string rest;
    if (audience) {
        if (const Rule* rule = rule_at_path(*audience, e.path, &rest)) {
            std::string summary = rule_summary(*rule, lang);
            return said_of_rule(zh ? "“" + summary + "”" : "'" + summary + "'", e.message, lang);
        }
    }
    const std::string message = message_text(e.message, lang);
    if (e.path.empty() || e.path == "$") return message;
    std::string where = rule_path_words(e.path, &rest, lang);
    if (where.empty())
        return zh ? "字段“" + e.path + "”：" + message : "the field \"" + e.path + "\": " + message;
    // The place in words, then the exact path (what the file says, for whoever edits it).
    return zh ? where + "（" + e.path + "）：" + message : where + " (" + e.path + "): " + message;
}

} // namespace segx
