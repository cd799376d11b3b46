//! The demo federation: its units, logins, and the 2026 items with their indicator trees.
//! Budgets are in 万元; items are the ones Art. 5 names as monitoring priorities.

use crate::domain::account::Role;
use crate::domain::indicator::Level2::{self, *};
use crate::domain::item::{FundingSource, ItemKind};
use crate::domain::monitoring::Direction;
use crate::domain::unit::UnitKind;

/// A reporting unit, with who signs its forms.
pub struct UnitSpec {
    pub code: &'static str,
    pub name: &'static str,
    pub kind: UnitKind,
    /// Whether it reports and so gets a `<code>.reporter` login. 财务部 is the supervising body
    /// (Art. 5): it reviews the forms, it does not file them.
    pub reports: bool,
    /// 部门负责人
    pub head: &'static str,
    /// 分管领导
    pub leader: &'static str,
}

const fn unit(
    code: &'static str,
    name: &'static str,
    kind: UnitKind,
    head: &'static str,
    leader: &'static str,
) -> UnitSpec {
    UnitSpec {
        code,
        name,
        kind,
        reports: true,
        head,
        leader,
    }
}

use UnitKind::{Department, Institution, SubordinateUnion};

pub const UNITS: &[UnitSpec] = &[
    UnitSpec {
        reports: false,
        ..unit("CWB", "财务部", Department, "何晓燕", "刘建国")
    },
    unit("BGS", "办公室", Department, "张伟", "刘建国"),
    unit("ZZB", "组织部", Department, "李娜", "王志刚"),
    unit("QYBZB", "权益保障部", Department, "赵敏", "孙立新"),
    unit("JJGZB", "经济工作部", Department, "陈刚", "王志刚"),
    unit("NZGB", "女职工部", Department, "周丽", "孙立新"),
    unit("ZGFWZX", "职工服务中心", Institution, "吴强", "刘建国"),
    unit("HGQZGH", "海港区总工会", SubordinateUnion, "郑海", "马骏"),
];

/// The unit whose deadline is extended, and until when.
pub const EXTENSION: (&str, &str) = ("NZGB", "2026-07-15");

/// One login to create.
pub struct LoginSpec {
    pub username: String,
    pub role: Role,
    pub unit: Option<&'static str>,
}

/// `finance` (of 财务部), `viewer`, and one `<code>.reporter` per reporting unit.
pub fn logins() -> Vec<LoginSpec> {
    let mut out = vec![
        LoginSpec {
            username: "finance".into(),
            role: Role::Finance,
            unit: Some("CWB"),
        },
        LoginSpec {
            username: "viewer".into(),
            role: Role::Viewer,
            unit: None,
        },
    ];
    out.extend(UNITS.iter().filter(|u| u.reports).map(|u| LoginSpec {
        username: format!("{}.reporter", u.code.to_lowercase()),
        role: Role::Reporter,
        unit: Some(u.code),
    }));
    out
}

/// One 三级指标; its level 1 follows from the level 2.
pub struct IndicatorSpec {
    pub level2: Level2,
    pub name: &'static str,
    pub measure_unit: &'static str,
    pub direction: Direction,
    pub target: &'static str,
    pub prorate: bool,
}

/// A rate or one-off count: more is better, judged against the whole target.
const fn hb(
    level2: Level2,
    name: &'static str,
    mu: &'static str,
    t: &'static str,
) -> IndicatorSpec {
    IndicatorSpec {
        level2,
        name,
        measure_unit: mu,
        direction: Direction::HigherBetter,
        target: t,
        prorate: false,
    }
}

/// A cumulative count: more is better, judged against the target × time progress.
const fn cum(
    level2: Level2,
    name: &'static str,
    mu: &'static str,
    t: &'static str,
) -> IndicatorSpec {
    IndicatorSpec {
        prorate: true,
        ..hb(level2, name, mu, t)
    }
}

/// Cost or time: less is better.
const fn lb(
    level2: Level2,
    name: &'static str,
    mu: &'static str,
    t: &'static str,
) -> IndicatorSpec {
    IndicatorSpec {
        direction: Direction::LowerBetter,
        ..hb(level2, name, mu, t)
    }
}

/// Judged by a grade against the expected description.
const fn ql(level2: Level2, name: &'static str, t: &'static str) -> IndicatorSpec {
    IndicatorSpec {
        direction: Direction::Qualitative,
        ..hb(level2, name, "", t)
    }
}

/// A monitored item; `key` names it for the forms, `previous` and `parent`.
pub struct ItemSpec {
    pub key: &'static str,
    pub unit: &'static str,
    pub year: i32,
    pub kind: ItemKind,
    pub name: &'static str,
    /// (财政资金, 工会经费) in 万元.
    pub budget: (&'static str, &'static str),
    pub goal: &'static str,
    pub funding: Option<FundingSource>,
    pub key_monitored: bool,
    pub life: Option<(i32, i32)>,
    pub previous: Option<&'static str>,
    pub parent: Option<&'static str>,
    pub indicators: &'static [IndicatorSpec],
}

const fn overall(
    key: &'static str,
    unit: &'static str,
    name: &'static str,
    budget: (&'static str, &'static str),
    goal: &'static str,
    indicators: &'static [IndicatorSpec],
) -> ItemSpec {
    ItemSpec {
        key,
        unit,
        year: 2026,
        kind: ItemKind::Overall,
        name,
        budget,
        goal,
        funding: None,
        key_monitored: false,
        life: None,
        previous: None,
        parent: None,
        indicators,
    }
}

/// A special fund of Art. 5(2); finance designated all of them for key monitoring (Art. 10).
const fn fund(
    key: &'static str,
    unit: &'static str,
    name: &'static str,
    budget: (&'static str, &'static str),
    source: FundingSource,
    goal: &'static str,
    indicators: &'static [IndicatorSpec],
) -> ItemSpec {
    ItemSpec {
        kind: ItemKind::SpecialFund,
        funding: Some(source),
        key_monitored: true,
        ..overall(key, unit, name, budget, goal, indicators)
    }
}

/// One year of the multi-year construction project (Art. 9: followed over its whole life).
const fn project_year(
    key: &'static str,
    year: i32,
    budget: (&'static str, &'static str),
    previous: Option<&'static str>,
    goal: &'static str,
    indicators: &'static [IndicatorSpec],
) -> ItemSpec {
    ItemSpec {
        year,
        kind: ItemKind::Project,
        key_monitored: true,
        life: Some((2025, 2027)),
        previous,
        ..overall(
            key,
            "ZGFWZX",
            "职工服务中心维修改造工程",
            budget,
            goal,
            indicators,
        )
    }
}

use FundingSource::{FiscalAllocation, Own, UpperUnion};

/// In creation order: a parent fund and a previous year come before the items that link to them.
pub const ITEMS: &[ItemSpec] = &[
    overall("bgs", "BGS", "办公室2026年度整体支出", ("180", "420"),
        "保障机关日常运转和会议活动，全年办理公文1200件，公文办理及时率不低于95%，公务接待费控制在12万元以内。",
        &[
            cum(Quantity, "公文办理数量", "件", "1200"),
            hb(Quality, "会议活动保障到位率", "%", "98"),
            hb(Timeliness, "公文办理及时率", "%", "95"),
            lb(Cost, "公务接待费", "万元", "12"),
            ql(SustainableImpact, "机关运转保障水平", "机关运转规范高效、保障有力"),
            hb(Satisfaction, "机关干部职工满意度", "%", "90"),
        ]),
    overall("zzb", "ZZB", "组织部2026年度整体支出", ("120", "260"),
        "新建基层工会组织40个，发展工会会员8000人，培训基层工会干部600人次，基层工会组织覆盖面持续扩大。",
        &[
            cum(Quantity, "新建基层工会组织数", "个", "40"),
            cum(Quantity, "新发展工会会员人数", "人", "8000"),
            hb(Quality, "工会干部培训考核合格率", "%", "95"),
            lb(Cost, "干部培训人均成本", "万元/人次", "0.12"),
            ql(SocialBenefit, "基层工会组织覆盖面", "基层工会组织覆盖面持续扩大"),
            hb(Satisfaction, "参训学员满意度", "%", "90"),
        ]),
    overall("qybzb", "QYBZB", "权益保障部2026年度整体支出", ("60", "150"),
        "做好职工法律援助和劳动争议调解，全年提供法律援助300件，职工权益保障水平明显提升。",
        &[
            cum(Quantity, "提供职工法律援助件数", "件", "300"),
            hb(Quality, "劳动争议调解成功率", "%", "85"),
            hb(Timeliness, "法律援助申请受理及时率", "%", "100"),
            ql(SocialBenefit, "职工权益保障水平", "职工权益保障水平明显提升"),
            hb(Satisfaction, "受援职工满意度", "%", "90"),
        ]),
    fund("kunnan", "QYBZB", "困难职工帮扶资金", ("800", "200"), FiscalAllocation,
        "全年帮扶困难职工1200人次，帮扶资金足额及时发放，困难职工基本生活得到有效保障。",
        &[
            cum(Quantity, "帮扶困难职工人次", "人次", "1200"),
            hb(Quality, "帮扶对象识别准确率", "%", "100"),
            hb(Timeliness, "帮扶资金发放及时率", "%", "95"),
            lb(Cost, "帮扶工作经费占比", "%", "3"),
            ql(SocialBenefit, "困难职工基本生活保障", "困难职工基本生活得到有效保障"),
            ql(SustainableImpact, "解困脱困长效机制", "解困脱困长效机制基本建立"),
            hb(Satisfaction, "受助职工满意度", "%", "95"),
        ]),
    fund("dabing", "QYBZB", "大病医疗互助资金", ("50", "350"), Own,
        "为参加互助的大病职工提供医疗救助900人次，救助金审核准确、发放及时。",
        &[
            cum(Quantity, "大病救助人次", "人次", "900"),
            hb(Quality, "救助金审核准确率", "%", "100"),
            lb(Timeliness, "救助金发放周期", "个工作日", "15"),
            ql(SocialBenefit, "大病职工医疗负担", "大病职工医疗负担有效减轻"),
            hb(Satisfaction, "受助职工满意度", "%", "90"),
        ]),
    overall("jjgzb", "JJGZB", "经济工作部2026年度整体支出", ("90", "210"),
        "组织全市职工职业技能竞赛，参赛职工3000人次；新命名劳模和工匠人才创新工作室10个。",
        &[
            hb(Quantity, "职工技能竞赛参赛人次", "人次", "3000"),
            cum(Quantity, "新命名劳模和工匠人才创新工作室", "个", "10"),
            hb(Quality, "竞赛项目执行国家职业标准比例", "%", "100"),
            hb(Timeliness, "竞赛活动按计划完成率", "%", "100"),
            ql(SustainableImpact, "产业工人队伍建设", "产业工人技能素质持续提升"),
            hb(Satisfaction, "参赛职工满意度", "%", "90"),
        ]),
    fund("laomo", "JJGZB", "劳模补助金及体检费", ("260", "40"), FiscalAllocation,
        "按时足额发放劳模补助金450人，组织600名劳模健康体检。",
        &[
            cum(Quantity, "劳模健康体检人数", "人", "600"),
            hb(Quantity, "发放劳模补助金人数", "人", "450"),
            hb(Quality, "补助对象符合条件率", "%", "100"),
            hb(Timeliness, "补助金按时发放率", "%", "100"),
            ql(SocialBenefit, "劳模荣誉感和获得感", "劳模荣誉感和获得感进一步增强"),
            hb(Satisfaction, "劳模满意度", "%", "95"),
        ]),
    fund("chuangye", "JJGZB", "创业就业扶持资金", ("150", "100"), UpperUnion,
        "扶持职工创业项目50个，开展就业技能培训2000人次，带动就业500人。",
        &[
            cum(Quantity, "扶持职工创业项目数", "个", "50"),
            cum(Quantity, "就业技能培训人次", "人次", "2000"),
            hb(Quality, "培训后就业率", "%", "70"),
            cum(EconomicBenefit, "带动就业人数", "人", "500"),
            hb(Satisfaction, "受扶持职工满意度", "%", "90"),
        ]),
    overall("nzgb", "NZGB", "女职工部2026年度整体支出", ("40", "110"),
        "组织女职工“两癌”筛查5000人，新建爱心妈咪小屋30个，女职工健康保障水平明显提升。",
        &[
            cum(Quantity, "女职工“两癌”筛查人数", "人", "5000"),
            cum(Quantity, "新建爱心妈咪小屋", "个", "30"),
            hb(Quality, "筛查机构资质合格率", "%", "100"),
            lb(Cost, "人均筛查费用", "元", "200"),
            ql(SocialBenefit, "女职工健康保障", "女职工健康意识和保障水平明显提升"),
            hb(Satisfaction, "参检女职工满意度", "%", "90"),
        ]),
    overall("zgfwzx", "ZGFWZX", "职工服务中心2026年度整体支出", ("150", "480"),
        "为职工提供法律咨询、就业和心理健康等综合服务10万人次，职工服务阵地规范化运行。",
        &[
            cum(Quantity, "服务职工人次", "万人次", "10"),
            hb(Quality, "服务事项办结率", "%", "98"),
            hb(Timeliness, "服务热线接通及时率", "%", "95"),
            lb(Cost, "单位服务成本", "元/人次", "60"),
            ql(SustainableImpact, "服务阵地运行", "职工服务阵地规范化、常态化运行"),
            hb(Satisfaction, "服务对象满意度", "%", "92"),
        ]),
    fund("puhui", "ZGFWZX", "普惠资金", ("0", "600"), Own,
        "开展会员普惠服务，惠及职工会员15万人次，签约普惠合作商户100家。",
        &[
            cum(Quantity, "普惠服务惠及会员人次", "万人次", "15"),
            cum(Quantity, "签约普惠合作商户数", "家", "100"),
            hb(Quality, "普惠商品和服务优惠幅度", "%", "10"),
            lb(Cost, "普惠服务人均成本", "元/人次", "40"),
            ql(SocialBenefit, "会员获得感", "会员获得感和工会组织吸引力明显增强"),
            hb(Satisfaction, "会员满意度", "%", "90"),
        ]),
    project_year("gaizao2025", 2025, ("300", "200"), None,
        "完成工程设计、招标和主体结构加固3200平方米。",
        &[
            hb(Quantity, "主体结构加固面积", "平方米", "3200"),
            hb(Quality, "工程质量验收合格率", "%", "100"),
            hb(Timeliness, "年度计划节点完成率", "%", "100"),
            ql(SustainableImpact, "服务阵地承载能力", "为改造后服务功能提升打下基础"),
            hb(Satisfaction, "职工群众满意度", "%", "90"),
        ]),
    project_year("gaizao2026", 2026, ("0", "850"), Some("gaizao2025"),
        "完成职工服务大厅、培训教室和职工书屋改造4800平方米，年底前完成主体装修。",
        &[
            cum(Quantity, "改造完成面积", "平方米", "4800"),
            hb(Quality, "分部工程验收合格率", "%", "100"),
            hb(Timeliness, "年度形象进度节点完成率", "%", "100"),
            lb(Cost, "单位面积改造成本", "元/平方米", "1800"),
            ql(SustainableImpact, "服务阵地承载能力", "服务功能布局更加合理，服务承载能力明显提升"),
            hb(Satisfaction, "职工群众满意度", "%", "90"),
        ]),
    overall("hgqzgh", "HGQZGH", "海港区总工会2026年度整体支出", ("20", "180"),
        "落实区级工会各项工作任务，服务职工群众2万人次，区域劳动关系和谐稳定。",
        &[
            cum(Quantity, "服务职工人次", "人次", "20000"),
            hb(Quality, "基层工会规范化建设达标率", "%", "90"),
            ql(SocialBenefit, "区域劳动关系", "区域劳动关系和谐稳定"),
            hb(Satisfaction, "职工满意度", "%", "90"),
        ]),
    // The municipal federation's allocation to a subordinate union (Art. 6(4)); finance files it.
    ItemSpec {
        parent: Some("kunnan"),
        ..fund("kunnan-hgq", "HGQZGH", "困难职工帮扶资金（海港区分配）", ("150", "30"), UpperUnion,
            "帮扶海港区困难职工260人次，资金全部用于困难职工生活救助和子女助学。",
            &[
                cum(Quantity, "帮扶困难职工人次", "人次", "260"),
                hb(Quality, "资金使用合规率", "%", "100"),
                ql(SocialBenefit, "困难职工基本生活保障", "困难职工基本生活得到保障"),
                hb(Satisfaction, "受助职工满意度", "%", "95"),
            ])
    },
];
