//! What each unit filled in for the 2026 H1 period, and how far each form got. Together the forms
//! show every status, late filing, every warning reason and the extension; two required forms
//! (职工服务中心's overall form and 海港区's allocation) are missing on purpose.

use chrono::NaiveDate;

use super::data::UnitSpec;
use super::{invalid, split, SeedError};
use crate::domain::indicator::Indicator;
use crate::domain::item::Item;
use crate::domain::monitoring::Possibility::{self, *};
use crate::domain::submission::DeviationReason::{self, *};
use crate::domain::submission::{
    ComplianceCheck, ComplianceEntry, IndicatorValue, RootCause, Signatures, SubmissionContent,
};
use crate::domain::{Amount, FundSplit};

/// How far a form got.
pub enum Outcome {
    /// Still being filled in.
    Draft,
    /// Handed in at the instant given, waiting for finance.
    Submitted(&'static str),
    /// Handed in, then returned by finance with this reason.
    Returned(&'static str, &'static str),
    /// Handed in and accepted.
    Accepted(&'static str),
}

impl Outcome {
    /// When it was handed in (RFC 3339, local time), if it was.
    pub fn submitted_at(&self) -> Option<&'static str> {
        match self {
            Outcome::Draft => None,
            Outcome::Submitted(at) | Outcome::Returned(at, _) | Outcome::Accepted(at) => Some(at),
        }
    }
}

/// The unit's answer for one indicator, in the item's indicator order.
#[derive(Clone, Copy)]
pub struct ValueSpec {
    pub actual: Option<&'static str>,
    pub possibility: Possibility,
    pub reasons: &'static [DeviationReason],
    pub note: Option<&'static str>,
}

/// An answer on track.
const fn v(actual: &'static str) -> ValueSpec {
    ValueSpec {
        actual: Some(actual),
        possibility: Certain,
        reasons: &[],
        note: None,
    }
}

/// Not answered yet (a draft).
const BLANK: ValueSpec = ValueSpec {
    actual: None,
    ..v("")
};

impl ValueSpec {
    /// Behind, for these reasons; the target may still be met.
    const fn behind(self, reasons: &'static [DeviationReason]) -> Self {
        ValueSpec {
            possibility: Possible,
            reasons,
            ..self
        }
    }

    /// Behind, and the target cannot be met.
    const fn lost(self, reasons: &'static [DeviationReason]) -> Self {
        ValueSpec {
            possibility: Impossible,
            ..self.behind(reasons)
        }
    }

    /// Far over the target, explained.
    const fn note(self, note: &'static str) -> Self {
        ValueSpec {
            note: Some(note),
            ..self
        }
    }
}

/// One form.
pub struct FormSpec {
    pub item: &'static str,
    pub outcome: Outcome,
    /// 执行数 (财政资金, 工会经费) in 万元.
    pub executed: (&'static str, &'static str),
    /// 全年预计执行数; the expected carry-over is the budget less this.
    pub expected_year_end: (&'static str, &'static str),
    pub goal_progress: &'static str,
    pub values: &'static [ValueSpec],
    pub problem: Option<(ComplianceCheck, &'static str)>,
    pub outlook: Possibility,
    pub deviation_analysis: &'static str,
    pub root_causes: &'static [RootCause],
    pub corrective_measures: &'static str,
}

const fn on_track(
    item: &'static str,
    outcome: Outcome,
    executed: (&'static str, &'static str),
    expected_year_end: (&'static str, &'static str),
    goal_progress: &'static str,
    values: &'static [ValueSpec],
) -> FormSpec {
    FormSpec {
        item,
        outcome,
        executed,
        expected_year_end,
        goal_progress,
        values,
        problem: None,
        outlook: Certain,
        deviation_analysis: "",
        root_causes: &[],
        corrective_measures: "",
    }
}

use Outcome::{Accepted, Draft, Returned, Submitted};

pub const FORMS: &[FormSpec] = &[
    // Green and accepted.
    on_track("bgs", Accepted("2026-07-08T10:30:00+08:00"), ("88", "205"), ("178", "415"),
        "上半年办理公文640件，保障各类会议活动52场，公务接待费支出5.2万元，机关运转平稳有序。",
        &[v("640"), v("99"), v("97"), v("5.2"), v("achieved"), v("93")]),
    // Yellow: membership drive behind; submitted, waiting for review.
    FormSpec {
        outlook: Possible,
        deviation_analysis: "新业态劳动者集中入会行动安排在下半年，上半年新发展会员2600人，低于序时进度。",
        root_causes: &[RootCause::Other],
        corrective_measures: "三季度开展货车司机、快递员、网约配送员集中入会行动，力争全年完成8000人目标。",
        ..on_track("zzb", Submitted("2026-07-09T16:20:00+08:00"), ("58", "125"), ("118", "255"),
            "上半年新建基层工会组织22个，发展会员2600人，培训基层工会干部310人次。",
            &[v("22"), v("2600").behind(&[Staffing]), v("97"), v("0.11"), v("achieved"), v("92")])
    },
    on_track("qybzb", Accepted("2026-07-07T09:00:00+08:00"), ("31", "70"), ("59", "146"),
        "上半年提供法律援助168件，调解劳动争议案件成功率88%。",
        &[v("168"), v("88"), v("100"), v("achieved"), v("95")]),
    // Red (execution far behind time progress) and late: no extension for 权益保障部.
    FormSpec {
        outlook: Possible,
        deviation_analysis: "上半年困难职工档案动态复核尚未完成，日常帮扶资金拨付滞后，资金执行率22%，明显低于序时进度。",
        root_causes: &[RootCause::InsufficientPreparation],
        corrective_measures: "7月底前完成困难职工档案复核，8月起按月拨付日常帮扶资金，确保三季度末执行率达到60%以上。",
        ..on_track("kunnan", Submitted("2026-07-13T09:15:00+08:00"), ("180", "40"), ("790", "195"),
            "上半年帮扶困难职工420人次，春节送温暖资金已全部发放，日常帮扶进度滞后。",
            &[v("420").behind(&[Institutional]), v("100"), v("96"), v("2.4"),
              v("partly_achieved").behind(&[Institutional]), v("achieved"), v("93")])
    },
    // Returned: behind, and the deviation analysis was left empty.
    on_track("dabing", Returned("2026-07-09T11:00:00+08:00",
            "大病救助人次和资金执行均低于序时进度，请补充偏差原因分析和下一步纠偏措施后重新报送。"),
        ("15", "120"), ("48", "340"),
        "上半年救助大病职工310人次，救助金均在12个工作日内发放。",
        &[v("310").behind(&[Other]), v("100"), v("12"), v("achieved"), v("91")]),
    // Green with one indicator far over its target (140 %), explained in a note.
    on_track("jjgzb", Submitted("2026-07-10T15:40:00+08:00"), ("46", "108"), ("89", "208"),
        "5月成功举办全市职工职业技能大赛，参赛职工4200人次；新命名创新工作室5个。",
        &[v("4200").note("5月全市职工职业技能大赛增设网约配送员、网络主播等新业态组别，报名踊跃，参赛人数超出预期。"),
          v("5"), v("100"), v("100"), v("achieved"), v("94")]),
    on_track("laomo", Accepted("2026-07-06T14:00:00+08:00"), ("150", "22"), ("258", "40"),
        "春节前集中发放劳模补助金452人，上半年组织劳模健康体检330人。",
        &[v("330"), v("452"), v("100"), v("100"), v("achieved"), v("97")]),
    // A red draft: a policy change makes the goal impossible (Art. 13).
    FormSpec {
        outlook: Impossible,
        deviation_analysis: "上级工会调整创业扶持政策，原定小额创业贴息项目暂停申报，新政策实施细则尚未出台。",
        root_causes: &[RootCause::PolicyChange],
        corrective_measures: "已向财务部书面说明情况，拟按程序申请调整预算和绩效目标；就业技能培训按计划推进。",
        ..on_track("chuangye", Draft, ("8", "4"), ("60", "70"),
            "上半年扶持创业项目6个，开展就业技能培训1150人次。",
            &[v("6").lost(&[Institutional]), v("1150"), BLANK, v("40").lost(&[Institutional]), BLANK])
    },
    // Red (an indicator far behind), filed after July 10 but within the unit's extension.
    FormSpec {
        outlook: Possible,
        deviation_analysis: "“两癌”筛查定点医院招标6月中旬才完成，筛查工作7月起集中开展，上半年完成人数低于序时进度。",
        root_causes: &[RootCause::InsufficientPreparation],
        corrective_measures: "7至9月分批组织筛查，每月不少于1200人，确保全年完成5000人目标。",
        ..on_track("nzgb", Submitted("2026-07-14T17:05:00+08:00"), ("18", "52"), ("39", "108"),
            "上半年完成“两癌”筛查1200人，新建爱心妈咪小屋16个。",
            &[v("1200").behind(&[Facilities]), v("16"), v("100"), v("185"),
              v("partly_achieved").behind(&[Other]), v("92")])
    },
    // Red (a compliance problem), late, and accepted all the same: the form itself is complete.
    FormSpec {
        problem: Some((ComplianceCheck::ProcurementAndTendering,
            "部分普惠合作商户遴选未履行公开比选程序，已责令整改。")),
        deviation_analysis: "普惠合作商户遴选程序不规范。",
        root_causes: &[RootCause::Other],
        corrective_measures: "8月底前对已签约商户重新履行比选程序，完善普惠商户准入和退出制度。",
        ..on_track("puhui", Accepted("2026-07-12T10:00:00+08:00"), ("0", "290"), ("0", "590"),
            "上半年普惠服务惠及会员8.1万人次，签约合作商户56家。",
            &[v("8.1"), v("56"), v("11"), v("36"), v("achieved"), v("91")])
    },
    // Red: construction behind, unit cost over its standard (a lower-better indicator).
    FormSpec {
        outlook: Possible,
        deviation_analysis: "受雨季和原材料价格上涨影响，施工进度滞后；钢材价格上涨导致单位面积改造成本超出预算标准。",
        root_causes: &[RootCause::EnvironmentChange],
        corrective_measures: "优化施工组织、增加施工班组；对超支部分开展变更审核，严控设计变更。",
        ..on_track("gaizao2026", Submitted("2026-07-10T18:00:00+08:00"), ("0", "110"), ("0", "820"),
            "上半年完成职工服务大厅改造1300平方米，培训教室改造进入招标阶段。",
            &[v("1300").behind(&[Facilities]), v("100"), v("80"), v("1950").behind(&[Funding]),
              v("partly_achieved").behind(&[Facilities]), v("88")])
    },
    // A yellow draft, started by the subordinate union.
    on_track("hgqzgh", Draft, ("6", "70"), ("20", "175"),
        "上半年服务职工约7800人次。",
        &[v("7800").behind(&[Staffing]), v("86")]),
];

/// The form's content: the answers in the item's indicator order, all nine compliance checks,
/// the expected carry-over (budget less expected spending), and signatures once handed in.
pub fn content(
    f: &FormSpec,
    inds: &[Indicator],
    item: &Item,
    unit: &UnitSpec,
    signed: Option<NaiveDate>,
) -> Result<SubmissionContent, SeedError> {
    if f.values.len() > inds.len() {
        return Err(invalid(format!("{}: more answers than indicators", f.item)));
    }
    let expected = split(f.expected_year_end)?;
    Ok(SubmissionContent {
        executed: split(f.executed)?,
        expected_year_end: expected,
        expected_carryover: carryover(f, item.budget, expected)?,
        goal_progress: f.goal_progress.into(),
        indicator_values: indicator_values(f, inds),
        compliance: compliance(f),
        outlook: Some(f.outlook),
        deviation_analysis: f.deviation_analysis.into(),
        root_causes: f.root_causes.to_vec(),
        corrective_measures: f.corrective_measures.into(),
        signatures: signed
            .map(|date| Signatures {
                unit_head: Some(unit.head.into()),
                supervising_leader: Some(unit.leader.into()),
                date: Some(date.into()),
            })
            .unwrap_or_default(),
    })
}

/// The answers given, in the item's indicator order (a blank one is left out).
fn indicator_values(f: &FormSpec, inds: &[Indicator]) -> Vec<IndicatorValue> {
    f.values
        .iter()
        .zip(inds)
        .filter_map(|(v, ind)| {
            Some(IndicatorValue {
                indicator_id: ind.id,
                actual: Some(v.actual?.to_string()),
                expected_year_end: None,
                possibility: Some(v.possibility),
                deviation_reasons: v.reasons.to_vec(),
                note: v.note.map(String::from),
            })
        })
        .collect()
}

/// All nine compliance checks, the form's one problem (if any) with its note.
fn compliance(f: &FormSpec) -> Vec<ComplianceEntry> {
    ComplianceCheck::ALL
        .iter()
        .map(|c| {
            let problem = f.problem.filter(|(p, _)| p == c);
            ComplianceEntry {
                check: *c,
                problem: problem.is_some(),
                note: problem.map(|(_, note)| note.to_string()),
            }
        })
        .collect()
}

/// 预计结转结余: the budget less the expected spending, per fund.
fn carryover(f: &FormSpec, budget: FundSplit, expected: FundSplit) -> Result<FundSplit, SeedError> {
    let less = |budget: Amount, spent: Amount| {
        Amount::new(budget.value() - spent.value())
            .map_err(|e| invalid(format!("{}: carry-over {e}", f.item)))
    };
    Ok(FundSplit {
        fiscal: less(budget.fiscal, expected.fiscal)?,
        union: less(budget.union, expected.union)?,
    })
}
