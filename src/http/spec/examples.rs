//! Examples for the schemas whose types carry none: the report's rows (built in the report
//! module) and a few shared value types. Every schema of the document shows an example.

use serde_json::{json, Value};

const UNIT: &str = "0b6f3a52-7c1e-4d0e-9a51-3f1c2b7e8d90";
const ITEM: &str = "5a0c8d1e-2b3f-4c5d-8e9f-0a1b2c3d4e5f";
const FORM: &str = "6f1e2d3c-4b5a-4987-8c6d-5e4f3a2b1c0d";

fn fund_totals() -> Value {
    json!({"fiscal": "300.000000", "union": "120.000000", "total": "420.000000"})
}

fn executed_totals() -> Value {
    json!({"fiscal": "140.000000", "union": "50.000000", "total": "190.000000"})
}

fn zero_totals() -> Value {
    json!({"fiscal": "0.000000", "union": "0.000000", "total": "0.000000"})
}

fn money_totals() -> Value {
    json!({"budget": fund_totals(), "reported_budget": fund_totals(), "executed": executed_totals(),
        "not_reported": zero_totals()})
}

fn of_which() -> Value {
    let none = json!({"budget": zero_totals(), "reported_budget": zero_totals(),
        "executed": zero_totals(), "not_reported": zero_totals()});
    json!({"special_funds": money_totals(), "projects": none})
}

fn rate_totals() -> Value {
    json!({"fiscal": "46.67", "union": "41.67", "total": "45.24"})
}

fn report_period() -> Value {
    json!({
        "id": "3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a98", "year": 2026, "kind": "h1",
        "name": "2026年上半年预算绩效运行监控", "as_of": "2026-06-30",
        "submission_deadline": "2026-07-10", "report_deadline": "2026-07-31", "status": "open"
    })
}

fn form_counts() -> Value {
    json!({"expected": 12, "draft": 2, "submitted": 4, "returned": 1, "accepted": 3, "missing": 2, "late": 2})
}

fn warning_counts() -> Value {
    json!({"red": 3, "yellow": 2, "green": 5, "no_form": 2})
}

fn unit_row() -> Value {
    json!({
        "unit_id": UNIT, "unit_code": "QYBZB", "unit_name": "权益保障部", "items": 3, "forms": 3,
        "forms_missing": 0, "budget": fund_totals(), "reported_budget": fund_totals(),
        "executed": executed_totals(), "not_reported": zero_totals(), "of_which": of_which(),
        "execution_rate": "45.24", "worst_light": "red"
    })
}

fn item_row() -> Value {
    json!({
        "unit_id": UNIT, "unit_code": "QYBZB", "unit_name": "权益保障部", "item_id": ITEM,
        "item_name": "困难职工帮扶资金", "kind": "special_fund", "form": 2, "key_monitored": true,
        "budget": fund_totals(), "executed": executed_totals(), "execution_rate": rate_totals(),
        "overall_completion_rate": "53.33", "goal_light": "green", "warning": "red",
        "reasons": [{"code": "execution_behind_time", "light": "red", "value": "45.00", "threshold": "60", "indicator_id": null, "detail": null}],
        "outlook": "possible", "submission_id": FORM, "status": "submitted", "late": false,
        "open_corrective_actions": 1, "overdue_corrective_actions": 0,
        "active_measures": ["suspend_payment"], "payment_status": "suspended"
    })
}

fn compliance_row() -> Value {
    json!({
        "unit_id": UNIT, "unit_code": "QYBZB", "item_id": ITEM, "item_name": "困难职工帮扶资金",
        "check": "procurement_and_tendering", "note": "一笔采购未经政府采购程序"
    })
}

fn overdue_row() -> Value {
    json!({
        "id": "8a7b6c5d-4e3f-4a2b-9c1d-0e9f8a7b6c5d", "unit_id": UNIT, "unit_code": "QYBZB",
        "item_id": ITEM, "item_name": "困难职工帮扶资金", "measure": "7月起每周加开两期培训",
        "owner": "权益保障部 张华", "due_date": "2026-09-30", "status": "in_progress",
        "source": "unit"
    })
}

/// The example of each schema named here.
fn example(name: &str) -> Option<Value> {
    Some(match name {
        "FundTotals" => fund_totals(),
        "MoneyTotals" => money_totals(),
        "OfWhich" => of_which(),
        "RateTotals" | "Rates" => rate_totals(),
        "ReportPeriod" => report_period(),
        "FormCounts" => form_counts(),
        "WarningCounts" => warning_counts(),
        "UnitRow" => unit_row(),
        "ItemRow" => item_row(),
        "ComplianceRow" => compliance_row(),
        "OverdueRow" => overdue_row(),
        "Report" => json!({
            "period": report_period(), "generated_at": "2026-07-20T02:00:00Z", "published": false,
            "unit_id": null, "time_progress": "50.00", "forms": form_counts(),
            "budget": fund_totals(), "reported_budget": fund_totals(), "executed": executed_totals(),
            "not_reported": zero_totals(), "of_which": of_which(), "execution_rate": rate_totals(),
            "budget_light": "yellow", "warnings": warning_counts(), "units": [unit_row()],
            "items": [item_row()], "compliance_problems": [compliance_row()],
            "overdue_corrective_actions": [overdue_row()]
        }),
        "IndicatorFigure" => json!({
            "indicator_id": "9e8d7c6b-5a49-4382-9170-6f5e4d3c2b1a", "completion_rate": "53.33",
            "light": "green", "needs_note": false
        }),
        "FieldError" => {
            json!({"field": "budget.fiscal", "code": "invalid", "message": "must not be negative"})
        }
        "OptionalNote" => json!({"note": "已加开两期"}),
        "OptionalReason" => json!({"reason": "同意按政策调整"}),
        _ => return None,
    })
}

/// Gives the schemas named here their example where they have none.
pub fn fill(doc: &mut Value) {
    let Some(schemas) = doc["components"]["schemas"].as_object_mut() else {
        return;
    };
    for (name, s) in schemas.iter_mut() {
        if s.get("example").is_none() && s.get("examples").is_none() {
            if let Some(ex) = example(name) {
                s["example"] = ex;
            }
        }
    }
}
