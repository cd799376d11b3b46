//! The names the generated province is made of: its cities and departments, special funds,
//! projects, and the people who sign the forms.

use crate::domain::item::FundingSource;
use crate::domain::unit::UnitKind;

pub(super) const CITIES: &[&str] = &[
    "石家庄市",
    "唐山市",
    "秦皇岛市",
    "邯郸市",
    "邢台市",
    "保定市",
    "张家口市",
    "承德市",
    "沧州市",
    "廊坊市",
    "衡水市",
];

pub(super) const DEPARTMENTS: &[(&str, UnitKind)] = &[
    ("总工会办公室", UnitKind::Department),
    ("总工会组织部", UnitKind::Department),
    ("总工会宣传教育部", UnitKind::Department),
    ("总工会权益保障部", UnitKind::Department),
    ("总工会经济工作部", UnitKind::Department),
    ("总工会女职工部", UnitKind::Department),
    ("总工会财务部", UnitKind::Department),
    ("总工会经费审查委员会办公室", UnitKind::Department),
    ("职工服务中心", UnitKind::Institution),
    ("工人文化宫", UnitKind::Institution),
    ("职工法律援助中心", UnitKind::Institution),
    ("职工疗休养院", UnitKind::Institution),
    ("工会干部学校", UnitKind::Institution),
    ("职工技协", UnitKind::Institution),
    ("教育工会", UnitKind::SubordinateUnion),
    ("卫生健康工会", UnitKind::SubordinateUnion),
    ("交通运输工会", UnitKind::SubordinateUnion),
    ("建设工会", UnitKind::SubordinateUnion),
    ("机关工会", UnitKind::SubordinateUnion),
];

pub(super) const FUNDS: &[(&str, FundingSource)] = &[
    ("困难职工帮扶资金", FundingSource::FiscalAllocation),
    ("劳模补助资金", FundingSource::UpperUnion),
    ("职工医疗互助资金", FundingSource::Own),
    ("送温暖专项资金", FundingSource::FiscalAllocation),
];

pub(super) const PROJECTS: &[&str] = &[
    "职工服务阵地建设",
    "职工技能竞赛",
    "职工法律援助服务",
    "女职工关爱行动",
    "新就业形态劳动者入会",
    "职工文体活动",
    "工会干部培训",
    "劳模工匠创新工作室",
    "职工心理健康服务",
    "户外劳动者驿站运维",
];

pub(super) const PEOPLE: &[(&str, &str)] = &[
    ("李明", "王强"),
    ("张伟", "刘洋"),
    ("赵静", "陈杰"),
    ("孙丽", "周涛"),
];
