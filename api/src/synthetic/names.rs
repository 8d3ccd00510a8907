//! Text fragments for synthetic plans: unit names, task titles, measures and schedules, modelled
//! on the reference plan (盘县政办发〔2014〕103号).

use rand::Rng;
use rand::seq::IndexedRandom;

/// Real county agencies, used first and in this order.
const AGENCIES: &[&str] = &[
    "县民政局",
    "县发展和改革局",
    "县财政局",
    "县教育局",
    "县卫生局",
    "县人力资源社会保障局",
    "县住房城乡建设局",
    "县编委办",
    "县计生局",
    "县公安局",
    "县司法局",
    "县审计局",
    "县统计局",
    "县农业局",
    "县水利局",
    "县交通运输局",
    "县环保局",
    "县国土资源局",
    "县文化广电局",
    "县安监局",
];

/// Syllables of made-up agency names (县XX局).
const SYLLABLES: &[&str] = &[
    "商", "务", "林", "业", "粮", "食", "物", "价", "档", "案", "气", "象", "旅", "游", "体", "育", "科", "技", "工",
    "信", "质", "监", "金", "融", "扶", "贫", "信", "访", "法", "制", "口", "岸", "招", "商", "城", "管", "规", "划",
    "供", "销", "残", "联", "侨", "务", "民", "宗",
];
const AGENCY_SUFFIXES: &[&str] = &["局", "委", "办", "中心", "管理局", "服务中心"];
const TOWN_SYLLABLES: &[&str] = &[
    "高", "升", "沙", "岭", "胡", "家", "古", "城", "子", "甜", "水", "坝", "墙", "太", "平", "东", "郭", "陈", "石",
    "新",
];

/// The group that stands for every town, and the catch-all the reference plan uses.
pub const TOWNS_GROUP: &str = "各镇人民政府";
pub const CATCH_ALL: &str = "县政府其他有关部门";

/// `count` distinct unit names: agencies first, then made-up agencies and towns (one in four).
pub fn unit_names(rng: &mut impl Rng, count: usize) -> Vec<(String, bool)> {
    let mut names: Vec<(String, bool)> = Vec::with_capacity(count);
    let mut seen = std::collections::HashSet::new();
    for agency in AGENCIES.iter().take(count) {
        seen.insert((*agency).to_owned());
        names.push(((*agency).to_owned(), false));
    }
    while names.len() < count {
        let town = names.len().is_multiple_of(4);
        let name = if town {
            format!("{}{}镇人民政府", pick(rng, TOWN_SYLLABLES), pick(rng, TOWN_SYLLABLES))
        } else {
            format!("县{}{}{}", pick(rng, SYLLABLES), pick(rng, SYLLABLES), pick(rng, AGENCY_SUFFIXES))
        };
        if seen.insert(name.clone()) {
            names.push((name, town));
        }
    }
    names
}

const TITLE_VERBS: &[&str] = &["完善", "健全", "研究制定", "建立", "加强", "落实", "推进", "规范", "统筹"];
const TITLE_SUBJECTS: &[&str] = &[
    "最低生活保障",
    "特困人员供养",
    "受灾人员救助",
    "医疗救助",
    "教育救助",
    "住房救助",
    "就业救助",
    "临时救助",
    "社会力量参与社会救助",
    "社会救助资金管理",
    "社会救助管理信息系统",
    "家庭经济状况核对",
];
const TITLE_OBJECTS: &[&str] = &["制度", "具体措施", "工作协调机制", "实施办法", "监督检查机制", "政策措施"];

/// A task title such as 完善医疗救助制度的具体措施.
pub fn title(rng: &mut impl Rng) -> String {
    format!("{}{}{}", pick(rng, TITLE_VERBS), pick(rng, TITLE_SUBJECTS), pick(rng, TITLE_OBJECTS))
}

const MEASURES: &[&str] = &[
    "根据国家和省出台的指导意见,及时制定全县实施意见。",
    "明确各成员单位职责,完善工作机制,强化组织协调。",
    "每年根据财力增长情况,合理安排社会救助资金和工作经费。",
    "建立互联互通、资源共享的信息系统,实现部门间信息比对。",
    "加强对社会救助工作的监督检查,完善监督管理制度。",
    "深入宣传社会救助法律、法规和政策,提高群众知晓率。",
    "健全完善低保与就业、医疗救助与基本医疗保险制度等衔接。",
    "规范审核审批程序,严格执行公示制度,做到应保尽保。",
];

/// Two or three sentences of measures.
pub fn measures(rng: &mut impl Rng) -> String {
    let count = rng.random_range(2..=3);
    (0..count).map(|_| pick(rng, MEASURES)).collect::<Vec<_>>().concat()
}

/// Schedule texts of the reference plan; `{y}` is the plan's year, `{n}` the next year.
const SCHEDULES: &[&str] = &[
    "{y}年12月底前落实并持续实施",
    "省出台办法后完成",
    "省意见出台后6个月内完成",
    "持续实施",
    "{y}年底前落实并持续实施",
    "省出台文件后完成",
    "{n}年底前基本完成",
    "{n}年6月底前出台",
    "省政策出台后6个月内完成",
    "国家和省政策出台后,3个月内完成",
    "待国家具体意见制定出台后实施",
    "持续实施",
    "国家和省相关意见出台后完成",
    "持续实施",
];

/// A schedule text for a plan issued in `year`.
pub fn schedule(rng: &mut impl Rng, year: i32) -> String {
    pick(rng, SCHEDULES).replace("{y}", &year.to_string()).replace("{n}", &(year + 1).to_string())
}

const REPORTS: &[&str] = &[
    "已召开专题会议部署,正在制定具体方案。",
    "已完成调研,形成初稿并征求有关部门意见。",
    "按计划推进,已完成阶段性目标。",
    "配合牵头单位完成数据比对和资料报送。",
    "工作已全部完成,相关制度已印发实施。",
];

/// The text of a progress report at `percent`.
pub fn report(percent: i32) -> String {
    let index = (percent as usize * (REPORTS.len() - 1)) / 100;
    REPORTS[index].to_owned()
}

/// A plan title such as 关于贯彻落实《社会救助暂行办法》重点任务分工方案.
pub fn plan_title(rng: &mut impl Rng) -> String {
    format!(
        "关于贯彻落实《{}》重点任务分工方案",
        pick(rng, &["社会救助暂行办法", "就业促进条例", "医疗救助实施办法", "安全生产条例", "农村饮水安全工作意见"])
    )
}

fn pick<'a>(rng: &mut impl Rng, items: &[&'a str]) -> &'a str {
    items.choose(rng).copied().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::parse::schedule::{ScheduleKind, parse_schedule};
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    #[test]
    fn every_schedule_template_is_understood() {
        let plan_date = chrono::NaiveDate::from_ymd_opt(2020, 3, 1);
        for template in SCHEDULES {
            let text = template.replace("{y}", "2020").replace("{n}", "2021");
            assert_ne!(parse_schedule(&text, plan_date).kind, ScheduleKind::Unparsed, "{text}");
        }
    }

    #[test]
    fn unit_names_are_distinct_and_deterministic() {
        let first = unit_names(&mut StdRng::seed_from_u64(7), 300);
        let again = unit_names(&mut StdRng::seed_from_u64(7), 300);
        assert_eq!(first, again);
        let distinct: std::collections::HashSet<_> = first.iter().map(|(n, _)| n).collect();
        assert_eq!(distinct.len(), 300);
    }
}
