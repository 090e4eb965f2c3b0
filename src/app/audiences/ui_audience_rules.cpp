// The rule tree editor: one row per rule, groups indented with a bar, and under each rule the
// problems that validation or evaluation found at its JSON path.
#include "app/audiences/ui_audience.h"
#include "core/lang/messages.h"

#include "core/audience/describe.h"

#include "app/i18n/i18n.h"
#include "app/theme.h"
#include "app/widget_registry.h"
#include "imgui.h"
#include "misc/cpp/imgui_stdlib.h"

#include <cstdio>

namespace segx {

namespace {

// The operators in the combo's order; what a person reads is op_words (core/audience/describe.h),
// the same words messages use.
const Op kOps[] = {Op::Eq, Op::Neq, Op::In, Op::NotIn, Op::Contains, Op::NotContains, Op::StartsWith,
                   Op::Gt, Op::Gte, Op::Lt, Op::Lte,   Op::Between,  Op::IsSet,       Op::IsNotSet};

bool op_fits(Op op, ColumnType type) {
    bool text = type == ColumnType::String;
    bool ordered = !text && type != ColumnType::Bool;
    switch (op) {
        case Op::Contains:
        case Op::NotContains:
        case Op::StartsWith:
            return text;
        case Op::Gt:
        case Op::Gte:
        case Op::Lt:
        case Op::Lte:
        case Op::Between:
            return ordered;
        case Op::In:
        case Op::NotIn:
            return type != ColumnType::Bool;
        default:
            return true;
    }
}

// Keeps the values a changed operator can still take, so switching eq -> in keeps the value.
void fit_values(std::vector<Scalar>& values, Op op) {
    switch (op_arity(op)) {
        case Arity::None:
            values.clear();
            break;
        case Arity::One:
            values.resize(1, Scalar::of(""));
            break;
        case Arity::Two:
            values.resize(2, values.empty() ? Scalar::of("") : values.back());
            break;
        case Arity::Many:
            break;
    }
}

bool op_combo(const char* label, Op& op, ColumnType type, float width) {
    bool changed = false;
    ImGui::SetNextItemWidth(width);
    if (begin_combo(label, op_words(op, language()))) {
        for (Op c : kOps) {
            if (!op_fits(c, type)) continue;
            std::string item = std::string(op_words(c, language())) + "###" + op_words(c);
            if (ImGui::Selectable(item.c_str(), c == op)) op = c, changed = true;
        }
        ImGui::EndCombo();
    }
    return changed;
}

// The value widgets an operator needs.
bool comparison_values(std::vector<Scalar>& values, Op op, ColumnType type, const PickSource& top,
                       float width, const std::string& path) {
    bool changed = false;
    switch (op_arity(op)) {
        case Arity::None:
            break;
        case Arity::One:
            values.resize(1, Scalar::of(""));
            changed |= value_field(("##" + path + ".value").c_str(), values[0], type, top, width);
            break;
        case Arity::Two:
            values.resize(2, Scalar::of(""));
            changed |=
                value_field(("##" + path + ".values[0]").c_str(), values[0], type, top, width * 0.5f - 20);
            ImGui::SameLine();
            ImGui::TextUnformatted(tr(S::and_word));
            ImGui::SameLine();
            changed |=
                value_field(("##" + path + ".values[1]").c_str(), values[1], type, top, width * 0.5f - 20);
            break;
        case Arity::Many:
            changed |= values_list(("##" + path + ".values").c_str(), values, type, top, width);
            break;
    }
    return changed;
}

// Problems whose JSON path is `path` or lies inside it, but not inside a nested rule of a group
// nor inside a behavior rule's `where` filters (those show under their own row: each problem
// shows once).
void draw_rule_problems(const std::vector<DefinitionError>& errors, const std::string& path, bool group) {
    for (const DefinitionError& e : errors) {
        bool here = e.path == path;
        if (!here && e.path.compare(0, path.size() + 1, path + ".") == 0) {
            here = group ? e.path.compare(path.size() + 1, 6, "rules[") != 0
                         : e.path.compare(path.size() + 1, 6, "where[") != 0;
        }
        if (!here) continue;
        ImGui::PushStyleColor(ImGuiCol_Text, kErrorText);
        ImGui::PushTextWrapPos(0);
        ImGui::Text("%s", message_text(e.message, language()).c_str());
        ImGui::PopTextWrapPos();
        ImGui::PopStyleColor();
    }
}

struct RowAction {
    enum Kind { None, Remove, Up, Down } kind = None;
    size_t index = 0;
};

bool draw_property(Session& session, PropertyRule& r, const std::string& path) {
    bool changed = false;
    changed |= pick_combo(("##" + path + ".attribute").c_str(), r.attribute, attribute_names(session),
                          130 * ui_unit(), tr(S::pick_attribute));
    ColumnType type = attribute_type(session, r.attribute);
    ImGui::SameLine();
    if (op_combo(("##" + path + ".op").c_str(), r.op, type, 110 * ui_unit()))
        fit_values(r.values, r.op), changed = true;
    if (op_arity(r.op) != Arity::None) {
        ImGui::SameLine();
        changed |= comparison_values(r.values, r.op, type, attribute_values(session, r.attribute),
                                     180 * ui_unit(), path);
    }
    if (type == ColumnType::String && op_arity(r.op) != Arity::None) {
        ImGui::SameLine();
        changed |= ImGui::Checkbox(("Aa##" + path + ".ci").c_str(), &r.ci);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(S::ignore_case_tip));
    }
    return changed;
}

bool draw_filter(Session& session, const std::string& event, EventFilter& f, const std::string& path) {
    bool changed = false;
    ImGui::TextDisabled("%s", tr(S::where_word));
    ImGui::SameLine();
    changed |= pick_combo(("##" + path + ".property").c_str(), f.property,
                          event_property_names(session, false), 140 * ui_unit(), tr(S::pick_event_property));
    ColumnType type = event_property_type(session, f.property);
    // The line wraps where the panel ends (a nested rule beside the insight panel at 1280 px is
    // narrower than property, operator and value together).
    flow_same_line(120 * ui_unit());
    if (op_combo(("##" + path + ".op").c_str(), f.op, type, 120 * ui_unit()))
        fit_values(f.values, f.op), changed = true;
    if (op_arity(f.op) != Arity::None) {
        flow_same_line(200 * ui_unit());
        changed |= comparison_values(f.values, f.op, type, event_property_values(session, event, f.property),
                                     200 * ui_unit(), path);
    }
    return changed;
}

// The measure combo's items (ids stay the English words).
const char* const kMeasures[] = {"at least once", "count",  "sum of",     "average of",
                                 "min of",        "max of", "first time", "last time"};
const S kMeasureKeys[] = {S::measure_at_least_once, S::measure_count, S::measure_sum,   S::measure_avg,
                          S::measure_min,           S::measure_max,   S::measure_first, S::measure_last};
std::string measure_item(int i) { return label(kMeasureKeys[i], kMeasures[i]); }

int measure_index(const Measure& m) {
    if (auto* c = std::get_if<CountMeasure>(&m)) // at least 1 event, order or day: the same users
        return c->op == Op::Gte && c->values == std::vector<int64_t>{1} ? 0 : 1;
    if (auto* a = std::get_if<AggregateMeasure>(&m)) return 2 + int(a->fn);
    return std::get<OccurrenceMeasure>(m).last ? 7 : 6;
}

// The count unit a new count starts with: orders for purchases when the data has order ids
// (a line-item export's rows are not purchases), else events.
CountUnit default_unit(const Session& session, const std::string& event) {
    return event == session.model.purchase_event && session.model.order_ids.size() > 0 ? CountUnit::Orders
                                                                                       : CountUnit::Events;
}

Measure measure_for(int index, const Measure& old, CountUnit unit) {
    if (auto* c = std::get_if<CountMeasure>(&old)) unit = c->unit; // keep the unit already chosen
    if (index == 0) return CountMeasure{Op::Gte, {1}, unit};
    if (index == 1) return CountMeasure{Op::Gte, {2}, unit};
    if (index >= 2 && index <= 5) {
        AggregateMeasure a;
        if (auto* prev = std::get_if<AggregateMeasure>(&old)) a = *prev;
        a.fn = AggregateFn(index - 2);
        return a;
    }
    return OccurrenceMeasure{index == 7};
}

bool count_values(CountMeasure& c, const std::string& path) {
    bool changed = false;
    const struct {
        Op op;
        const char* label;
        S key;
    } ops[] = {{Op::Gte, "at least", S::count_at_least},
               {Op::Lte, "at most", S::count_at_most},
               {Op::Eq, "exactly", S::count_exactly},
               {Op::Between, "between", S::count_between}};
    const char* preview = tr(S::count_at_least);
    for (auto& o : ops)
        if (o.op == c.op) preview = tr(o.key);
    ImGui::SetNextItemWidth(90 * ui_unit());
    if (begin_combo(("##" + path + ".count.op").c_str(), preview)) {
        for (auto& o : ops)
            if (ImGui::Selectable(label(o.key, o.label).c_str(), o.op == c.op)) {
                c.op = o.op;
                c.values.resize(c.op == Op::Between ? 2 : 1, c.values.empty() ? 1 : c.values.back());
                changed = true;
            }
        ImGui::EndCombo();
    }
    c.values.resize(c.op == Op::Between ? 2 : 1, 1);
    for (size_t i = 0; i < c.values.size(); ++i) {
        ImGui::SameLine();
        if (i) ImGui::TextUnformatted(tr(S::and_word)), ImGui::SameLine();
        ImGui::PushID(int(i));
        ImGui::SetNextItemWidth(70 * ui_unit());
        int64_t v = c.values[i];
        if (ImGui::InputScalar(("##" + path + ".count.values[" + std::to_string(i) + "]").c_str(),
                               ImGuiDataType_S64, &v))
            c.values[i] = std::max<int64_t>(0, v), changed = true;
        ImGui::PopID();
    }
    flow_same_line(80 * ui_unit());                    // wraps in a narrow panel (1000 px wide pages)
    const char* units[] = {"times", "orders", "days"}; // CountUnit order: events, orders, days
    const S unit_keys[] = {S::unit_times, S::unit_orders, S::unit_days};
    ImGui::SetNextItemWidth(80 * ui_unit());
    if (begin_combo(("##" + path + ".count.unit").c_str(), tr(unit_keys[int(c.unit)]))) {
        for (int i = 0; i < 3; ++i)
            if (ImGui::Selectable(label(unit_keys[i], units[i]).c_str(), i == int(c.unit)))
                c.unit = CountUnit(i), changed = true;
        ImGui::EndCombo();
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(S::count_unit_tip));
    return changed;
}

bool aggregate_values(Session& session, AggregateMeasure& a, const std::string& path) {
    bool changed = false;
    std::string of = a.property.empty() ? "revenue" : a.property;
    if (pick_combo(("##" + path + ".aggregate.property").c_str(), of, event_property_names(session, true),
                   120 * ui_unit(), tr(S::revenue_word))) {
        a.property = of == "revenue" ? "" : of;
        changed = true;
    }
    ImGui::SameLine();
    Op op = a.op;
    const Op allowed[] = {Op::Gte, Op::Gt, Op::Lte, Op::Lt, Op::Eq, Op::Neq, Op::Between};
    ImGui::SetNextItemWidth(80 * ui_unit());
    if (begin_combo(("##" + path + ".aggregate.op").c_str(), op_words(op, language()))) {
        for (Op o : allowed)
            if (ImGui::Selectable((std::string(op_words(o, language())) + "###" + op_words(o)).c_str(),
                                  o == op))
                a.op = o, changed = true;
        ImGui::EndCombo();
    }
    a.values.resize(a.op == Op::Between ? 2 : 1, a.values.empty() ? 0.0 : a.values.back());
    for (size_t i = 0; i < a.values.size(); ++i) {
        ImGui::SameLine();
        if (i) ImGui::TextUnformatted(tr(S::and_word)), ImGui::SameLine();
        ImGui::PushID(int(i));
        ImGui::SetNextItemWidth(90 * ui_unit());
        changed |= ImGui::InputDouble(("##" + path + ".aggregate.values[" + std::to_string(i) + "]").c_str(),
                                      &a.values[i], 0, 0, "%.6g");
        ImGui::PopID();
    }
    return changed;
}

bool window_editor(TimeWindow& w, const std::string& path) {
    bool changed = false;
    const char* labels[] = {"all time", "in the last", "between"};
    const S keys[] = {S::window_all_time, S::window_in_the_last, S::window_between};
    int index = int(w.index());
    ImGui::SetNextItemWidth(100 * ui_unit());
    if (begin_combo(("##" + path + ".window").c_str(), tr(keys[index]))) {
        for (int i = 0; i < 3; ++i)
            if (ImGui::Selectable(label(keys[i], labels[i]).c_str(), i == index) && i != index) {
                if (i == 0) w = WindowAllTime{};
                if (i == 1) w = WindowLastDays{30};
                if (i == 2) w = WindowRange{"", ""};
                changed = true;
            }
        ImGui::EndCombo();
    }
    if (auto* d = std::get_if<WindowLastDays>(&w)) {
        ImGui::SameLine();
        ImGui::SetNextItemWidth(70 * ui_unit());
        int64_t days = d->days;
        if (ImGui::InputScalar(("##" + path + ".window.last_days").c_str(), ImGuiDataType_S64, &days))
            d->days = std::max<int64_t>(1, std::min(days, kMaxWindowDays)), changed = true;
        ImGui::SameLine();
        ImGui::TextUnformatted(tr(S::window_days));
    } else if (auto* r = std::get_if<WindowRange>(&w)) {
        ImGui::SameLine();
        ImGui::SetNextItemWidth(110 * ui_unit());
        changed |= ImGui::InputTextWithHint(("##" + path + ".window.from").c_str(), tr(S::window_from_hint),
                                            &r->from);
        ImGui::SameLine();
        ImGui::TextUnformatted(tr(S::and_word));
        ImGui::SameLine();
        ImGui::SetNextItemWidth(110 * ui_unit());
        changed |=
            ImGui::InputTextWithHint(("##" + path + ".window.to").c_str(), tr(S::window_to_hint), &r->to);
    }
    return changed;
}

bool draw_behavior(Session& session, BehaviorRule& r, const std::string& path,
                   const std::vector<DefinitionError>& errors) {
    bool changed = false;
    ImGui::SetNextItemWidth(80 * ui_unit());
    if (begin_combo(("##" + path + ".did").c_str(), tr(r.did ? S::did : S::did_not))) {
        if (ImGui::Selectable(label(S::did, "did").c_str(), r.did)) r.did = true, changed = true;
        if (ImGui::Selectable(label(S::did_not, "did not").c_str(), !r.did)) r.did = false, changed = true;
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    if (pick_combo(("##" + path + ".event").c_str(), r.event, event_names(session), 140 * ui_unit(),
                   tr(S::pick_event))) {
        changed = true;
        // "At least once" shows no unit: it follows the event (orders for purchases).
        if (auto* c = std::get_if<CountMeasure>(&r.measure); c && measure_index(r.measure) == 0)
            c->unit = default_unit(session, r.event);
    }
    flow_same_line(100 * ui_unit());
    changed |= window_editor(r.window, path);
    int m = measure_index(r.measure);
    ImGui::SetNextItemWidth(110 * ui_unit());
    if (begin_combo(("##" + path + ".measure").c_str(), tr(kMeasureKeys[m]))) {
        for (int i = 0; i < 8; ++i)
            if (ImGui::Selectable(measure_item(i).c_str(), i == m) && i != m)
                r.measure = measure_for(i, r.measure, default_unit(session, r.event)), changed = true;
        ImGui::EndCombo();
    }
    if (auto* c = std::get_if<CountMeasure>(&r.measure); c && m == 1) {
        ImGui::SameLine();
        changed |= count_values(*c, path);
    } else if (auto* a = std::get_if<AggregateMeasure>(&r.measure)) {
        ImGui::SameLine();
        changed |= aggregate_values(session, *a, path);
    }

    int remove = -1;
    for (size_t i = 0; i < r.where.size(); ++i) {
        ImGui::PushID(int(i));
        ImGui::Indent(24 * ui_unit());
        std::string where_path = path + ".where[" + std::to_string(i) + "]";
        changed |= draw_filter(session, r.event, r.where[i], where_path);
        flow_same_line(ImGui::GetFrameHeight());
        if (ImGui::SmallButton(("x##" + where_path).c_str())) remove = int(i);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(S::remove_filter_tip));
        draw_rule_problems(errors, where_path, false);
        ImGui::Unindent(24 * ui_unit());
        ImGui::PopID();
    }
    if (remove >= 0) r.where.erase(r.where.begin() + remove), changed = true;
    ImGui::Indent(24 * ui_unit());
    if (ImGui::SmallButton(label(S::add_where, "+ where##" + path).c_str()))
        r.where.push_back(EventFilter{}), changed = true;
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(S::add_where_tip));
    ImGui::Unindent(24 * ui_unit());
    return changed;
}

bool draw_audience_ref(const Session& session, const AudienceState& st, AudienceRefRule& r,
                       const std::string& path) {
    bool changed = false;
    ImGui::SetNextItemWidth(90 * ui_unit());
    if (begin_combo(("##" + path + ".op").c_str(), tr(r.in ? S::in_audience : S::not_in_audience))) {
        if (ImGui::Selectable(label(S::in_audience, "in audience").c_str(), r.in))
            r.in = true, changed = true;
        if (ImGui::Selectable(label(S::not_in_audience, "not in audience").c_str(), !r.in))
            r.in = false, changed = true;
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    const char* preview = r.id.empty() ? tr(S::saved_audience_pick) : r.id.c_str();
    for (const Audience& a : session.workspace.saved.audiences)
        if (a.id == r.id) preview = a.name.c_str();
    ImGui::SetNextItemWidth(200 * ui_unit());
    if (begin_combo(("##" + path + ".id").c_str(), preview)) {
        if (session.workspace.saved.audiences.empty()) ImGui::TextDisabled("%s", tr(S::no_saved_audiences));
        for (const Audience& a : session.workspace.saved.audiences) {
            ImGui::PushID(a.id.c_str());
            bool self = a.id == st.opened_id;
            if (self) ImGui::BeginDisabled();
            if (ImGui::Selectable(a.name.c_str(), a.id == r.id)) r.id = a.id, changed = true;
            if (self) ImGui::EndDisabled();
            ImGui::PopID();
        }
        ImGui::EndCombo();
    }
    return changed;
}

// rfm / lifecycle / funnel rules (opened from their tabs or an import): evaluated, kept,
// removable; their editors here are still to come.
const char* rule_kind_word(const std::string& kind) {
    if (kind == "rfm") return tr(S::rule_kind_rfm);
    if (kind == "lifecycle") return tr(S::rule_kind_lifecycle);
    if (kind == "funnel") return tr(S::rule_kind_funnel);
    return kind.c_str();
}

void draw_pending_kind(const RuleNode& node) {
    ImGui::TextDisabled("%s", trf(S::pending_kind_rule, {rule_kind_word(rule_kind_name(node))}).c_str());
}

bool draw_group(Session& session, const AudienceState& st, Group& g, const std::string& path, int depth);

RowAction row_buttons(size_t i, size_t n, const std::string& path);

// A leaf's own size, muted at the end of its row: which rule narrows the audience most.
void draw_rule_size(const AudienceState& st, const std::string& path) {
    auto it = st.rule_sizes.find(path);
    if (it == st.rule_sizes.end()) return;
    ImGui::SameLine();
    ImGui::TextDisabled("%s", trf(S::n_users, {format_count(double(it->second))}).c_str());
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(S::rule_size_tip));
}

// One rule: its widgets, its size, the buttons that move or remove it (`*action` is set when
// one was pressed), then its problems.
bool draw_rule(Session& session, const AudienceState& st, Rule& rule, const std::string& path, int depth,
               size_t i, size_t n, RowAction* action) {
    const auto& errors = st.errors;
    bool changed = false;
    RowAction a = row_buttons(i, n, path);
    if (a.kind != RowAction::None) *action = a;
    if (auto* g = std::get_if<Group>(&rule.node)) return draw_group(session, st, *g, path, depth + 1);
    ImGui::BeginGroup(); // a behavior rule's lines stay right of the row buttons
    if (auto* p = std::get_if<PropertyRule>(&rule.node))
        changed = draw_property(session, *p, path);
    else if (auto* b = std::get_if<BehaviorRule>(&rule.node))
        changed = draw_behavior(session, *b, path, errors);
    else if (auto* a = std::get_if<AudienceRefRule>(&rule.node))
        changed = draw_audience_ref(session, st, *a, path);
    else
        draw_pending_kind(rule.node);
    draw_rule_size(st, path);
    draw_rule_problems(errors, path, false);
    ImGui::EndGroup();
    return changed;
}

// The "+ Add" menu of a group. RFM, lifecycle and funnel rules are listed, disabled, with the
// tab that makes them, so that the builder shows the whole language.
bool add_menu(Session& session, Group& g, int depth, const std::string& path) {
    bool changed = false;
    if (ImGui::SmallButton(label(S::add_rule, "+ Add rule##" + path).c_str())) ImGui::OpenPopup("add_rule");
    if (ImGui::BeginPopup("add_rule")) {
        if (ImGui::Selectable(label(S::attribute_rule, "Attribute rule##" + path).c_str())) {
            PropertyRule p;
            if (!session.model.attributes.empty()) p.attribute = session.model.attributes.front().name;
            p.values = {Scalar::of("")};
            g.rules.push_back(p), changed = true;
        }
        if (ImGui::Selectable(label(S::behavior_rule, "Behavior rule##" + path).c_str())) {
            BehaviorRule b;
            if (!session.model.purchase_event.empty()) b.event = session.model.purchase_event;
            b.measure = CountMeasure{Op::Gte, {1}, default_unit(session, b.event)};
            g.rules.push_back(b), changed = true;
        }
        if (ImGui::Selectable(label(S::in_another_audience, "In another audience##" + path).c_str()))
            g.rules.push_back(AudienceRefRule{}), changed = true;
        bool deep = depth >= kMaxGroupDepth;
        if (ImGui::Selectable(label(S::group_rule, "Group (all / any)##" + path).c_str(), false,
                              deep ? ImGuiSelectableFlags_Disabled : 0))
            g.rules.push_back(Group{g.match == Match::All ? Match::Any : Match::All, false, {}}),
                changed = true;
        ImGui::Separator();
        const S later[][2] = {{S::rfm_segment_rule, S::rfm_segment_rule_tip},
                              {S::lifecycle_stage_rule, S::lifecycle_stage_rule_tip},
                              {S::funnel_step_rule, S::funnel_step_rule_tip}};
        for (auto& l : later) {
            ImGui::Selectable(tr(l[0]), false, ImGuiSelectableFlags_Disabled);
            if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled)) ImGui::SetTooltip("%s", tr(l[1]));
        }
        ImGui::EndPopup();
    }
    return changed;
}

// Move up, move down, remove: at the start of the row, where they stay put however wide the
// rule's own widgets are.
RowAction row_buttons(size_t i, size_t n, const std::string& path) {
    RowAction a;
    if (i == 0) ImGui::BeginDisabled();
    std::string up = "##" + path + ".up", down = "##" + path + ".down";
    if (ImGui::ArrowButton(up.c_str(), ImGuiDir_Up)) a = {RowAction::Up, i};
    widget_registry_note_last_item(up.c_str()); // arrow buttons report no label to the hooks
    if (i == 0) ImGui::EndDisabled();
    ImGui::SameLine(0, 2);
    if (i + 1 == n) ImGui::BeginDisabled();
    if (ImGui::ArrowButton(down.c_str(), ImGuiDir_Down)) a = {RowAction::Down, i};
    widget_registry_note_last_item(down.c_str());
    if (i + 1 == n) ImGui::EndDisabled();
    ImGui::SameLine(0, 2);
    if (ImGui::SmallButton(("x##" + path).c_str())) a = {RowAction::Remove, i};
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(S::remove_rule_tip));
    ImGui::SameLine();
    return a;
}

bool apply(Group& g, RowAction a) {
    switch (a.kind) {
        case RowAction::None:
            return false;
        case RowAction::Remove:
            g.rules.erase(g.rules.begin() + long(a.index));
            return true;
        case RowAction::Up:
            std::swap(g.rules[a.index], g.rules[a.index - 1]);
            return true;
        case RowAction::Down:
            std::swap(g.rules[a.index], g.rules[a.index + 1]);
            return true;
    }
    return false;
}

bool draw_group(Session& session, const AudienceState& st, Group& g, const std::string& path, int depth) {
    bool changed = false;
    ImGui::SetNextItemWidth(70 * ui_unit());
    // "all / any of these rules are true"; "全部 / 任一 规则都满足 / 规则满足即可" in Chinese.
    ImGui::SetNextItemWidth(70 * ui_unit());
    if (begin_combo(("##" + path + ".match").c_str(),
                    tr(g.match == Match::All ? S::match_all : S::match_any))) {
        if (ImGui::Selectable(label(S::match_all, "all").c_str(), g.match == Match::All))
            g.match = Match::All, changed = true;
        if (ImGui::Selectable(label(S::match_any, "any").c_str(), g.match == Match::Any))
            g.match = Match::Any, changed = true;
        ImGui::EndCombo();
    }
    ImGui::SameLine();
    ImGui::TextUnformatted(tr(g.match == Match::All ? S::group_after_all : S::group_after_any));
    ImGui::SameLine();
    changed |= ImGui::Checkbox(label(S::exclude, "Exclude##" + path + ".negate").c_str(), &g.negate);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(S::exclude_tip));
    draw_rule_problems(st.errors, path, true);

    // Nested rules sit right of a bar, so the eye sees which group they belong to.
    float indent = 18 * ui_unit();
    ImVec2 top = ImGui::GetCursorScreenPos();
    ImGui::Indent(indent);
    RowAction action;
    for (size_t i = 0; i < g.rules.size(); ++i) {
        ImGui::PushID(int(i));
        std::string rule_path = path + ".rules[" + std::to_string(i) + "]";
        changed |= draw_rule(session, st, g.rules[i], rule_path, depth, i, g.rules.size(), &action);
        ImGui::Spacing();
        ImGui::PopID();
    }
    if (g.rules.empty())
        ImGui::TextDisabled("%s", tr(g.match == Match::All ? S::no_rules_everyone : S::no_rules_nobody));
    changed |= add_menu(session, g, depth, path);
    ImGui::Unindent(indent);
    ImVec2 bottom = ImGui::GetCursorScreenPos();
    ImGui::GetWindowDrawList()->AddRectFilled(ImVec2(top.x + 4 * ui_unit(), top.y),
                                              ImVec2(top.x + 7 * ui_unit(), bottom.y - 4 * ui_unit()),
                                              g.negate ? kNegatedGroupBar : kGroupBar);
    changed |= apply(g, action);
    return changed;
}

} // namespace

bool draw_event_filter(Session& session, const std::string& event, EventFilter& filter,
                       const std::string& path) {
    return draw_filter(session, event, filter, path);
}

bool draw_rule_tree(Session& session, const AudienceState& st, Group& root) {
    ImGui::PushID("rules");
    bool changed = draw_group(session, st, root, "root", 1);
    ImGui::PopID();
    return changed;
}

} // namespace segx
