//! The seed list of units: every unit named in the reference plan (`盘县政办发〔2014〕103号`),
//! under one canonical Simplified name with the other names the same agency goes by.
//!
//! Names are matched after the text is cleaned to Simplified script, so `縣民政局` arrives here as
//! `县民政局`. A name not in the list is never dropped: [`classify_name`] says by its wording
//! whether it is a unit, a group or a catch-all, and the importer creates it flagged for review.
//!
//! Group membership is not seeded: which towns `各镇人民政府` stands for in Panshan is not known
//! here, so the groups start empty and admins fill them in.

use std::sync::LazyLock;

use entity::DepartmentKind;
use regex::Regex;

/// A unit known before any import.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeedUnit {
    /// Canonical Simplified name: the one the reference plan uses most.
    pub name: &'static str,
    /// Unit, group or catch-all.
    pub kind: DepartmentKind,
    /// Other names of the same agency, in Simplified script.
    pub aliases: &'static [&'static str],
}

const fn unit(name: &'static str, aliases: &'static [&'static str]) -> SeedUnit {
    SeedUnit { name, kind: DepartmentKind::Unit, aliases }
}

/// Every unit of the reference plan, in order of first appearance, then its groups and catch-all.
pub const SEED_UNITS: &[SeedUnit] = &[
    unit("县民政局", &[]),
    unit("县发展和改革局", &["县发展改革委", "县发改委", "县发展和改革委员会", "县发展改革局", "县发改局"]),
    unit("县财政局", &[]),
    unit("县编委办", &["县机构编制委员会办公室", "县编办"]),
    unit("县卫生局", &[]),
    unit("县计生局", &["县人口和计划生育局", "县人口计生局"]),
    unit("县教育局", &[]),
    unit("县住房城乡建设局", &["县住房和城乡建设局", "县住建局"]),
    unit("县人力资源社会保障局", &["县人力资源和社会保障局", "县人社局"]),
    unit("县经济和信息化局", &["县经济和信息化委", "县经济和信息化委员会", "县经信委", "县经信局"]),
    unit("县农发局", &[]),
    unit("县国土资源局", &["县国土局"]),
    unit("县环保局", &["县环境保护局"]),
    unit("县交通局", &["县交通运输局"]),
    unit("县水利局", &[]),
    unit("县地震办", &[]),
    unit("县气象局", &[]),
    unit("县统计局", &[]),
    unit("县地税局", &["县地方税务局"]),
    unit("县审计局", &[]),
    unit("县公安局", &[]),
    unit("人民银行盘山分行", &["中国人民银行盘山分行"]),
    unit("县工商局", &["县工商行政管理局"]),
    unit("农业银行盘山县支行", &["中国农业银行盘山县支行", "农行盘山县支行"]),
    unit("县信用联社", &["县农村信用合作联社", "县农村信用联社"]),
    unit("县司法局", &[]),
    unit("县广电局", &["县广播电视局"]),
    SeedUnit { name: "各镇人民政府", kind: DepartmentKind::Group, aliases: &["各镇政府"] },
    SeedUnit { name: "各镇有关部门", kind: DepartmentKind::Group, aliases: &[] },
    SeedUnit { name: "县政府其他有关部门", kind: DepartmentKind::CatchAll, aliases: &[] },
];

/// The seed unit called `name` (canonical or alias, surrounding whitespace ignored).
pub fn find_seed(name: &str) -> Option<&'static SeedUnit> {
    let name = name.trim();
    SEED_UNITS.iter().find(|seed| seed.name == name || seed.aliases.contains(&name))
}

/// `县政府其他有关部门`, `各有关单位`, `其他有关部门`, `有关部门`, `县直各相关单位`, `市级各有关部门`,
/// `省直有关部门`, `各部门`: an optional government prefix, then 各/其他 and/or 有关/相关, then
/// 部门/单位/机构.
static CATCH_ALL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        "^(?:县政府|县委|省直|市直|县直|区直|省级|市级|县级|区级|县|市政府|市|省政府|省|区|政府)?\
         (?:(?:各|其他|其它|其余)+(?:有关|相关)?|有关|相关)\
         (?:部门|单位|机构)(?:(?:和|及|、)(?:部门|单位))?等?$",
    )
    .expect("catch-all pattern is valid")
});

/// `各项目牵头单位`, `各责任单位`, `有关县区`: whoever turns out to be meant, not a known set.
static CATCH_ALL_ROLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new("^(?:各.{0,6}(?:牵头|责任|实施|承办|参与|主管|成员)(?:单位|部门)|(?:有关|相关)(?:县区|县市区|乡镇|街道|地区|地方|县|区|市))$")
        .expect("catch-all role pattern is valid")
});

/// Kind of a name not in the seed list, by its wording: catch-alls name no one (`县政府其他有关部门`,
/// `各有关单位`, `其他有关部门`, `有关部门`, `各部门`, `各项目牵头单位`); groups stand for a set
/// (`各镇人民政府`, `各镇有关部门`, `各县(市、区)政府`, `各区`, `各县级市`, `各有关县区`, any other name
/// starting with `各`); everything else is a unit.
pub fn classify_name(name: &str) -> DepartmentKind {
    let name = name.trim();
    if CATCH_ALL.is_match(name) || CATCH_ALL_ROLE.is_match(name) {
        DepartmentKind::CatchAll
    } else if name.starts_with('各') {
        DepartmentKind::Group
    } else {
        DepartmentKind::Unit
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::{DepartmentKind, SEED_UNITS, classify_name, find_seed};

    #[test]
    fn every_name_is_unique_across_canonicals_and_aliases() {
        let mut seen = HashSet::new();
        for seed in SEED_UNITS {
            for name in std::iter::once(&seed.name).chain(seed.aliases) {
                assert!(seen.insert(*name), "{name} appears twice");
            }
        }
    }

    #[test]
    fn every_name_of_the_reference_plan_is_seeded() {
        let names = "县民政局 县发展改革委 县财政局 县政府其他有关部门 各镇人民政府 县编委办 \
            县发展和改革局 县卫生局 县计生局 县教育局 县住房城乡建设局 县人力资源社会保障局 \
            县经济和信息化委 县农发局 县国土资源局 县环保局 县交通局 县水利局 县地震办 县气象局 \
            县统计局 县地税局 各镇有关部门 县审计局 县公安局 县经济和信息化局 人民银行盘山分行 \
            县工商局 农业银行盘山县支行 县信用联社 县司法局 县广电局";
        for name in names.split_whitespace() {
            assert!(find_seed(name).is_some(), "{name} is not seeded");
        }
        assert_eq!(SEED_UNITS.len(), 30);
    }

    #[test]
    fn aliases_lead_to_the_canonical_name() {
        let pairs = [
            ("县发展改革委", "县发展和改革局"),
            ("县发改委", "县发展和改革局"),
            ("县经济和信息化委", "县经济和信息化局"),
            ("县经信局", "县经济和信息化局"),
            ("县人力资源和社会保障局", "县人力资源社会保障局"),
            (" 县人社局 ", "县人力资源社会保障局"),
        ];
        for (alias, canonical) in pairs {
            assert_eq!(find_seed(alias).map(|s| s.name), Some(canonical), "{alias}");
        }
        assert_eq!(find_seed("县文化局"), None);
    }

    #[test]
    fn seeded_kinds_agree_with_the_wording() {
        for seed in SEED_UNITS {
            assert_eq!(classify_name(seed.name), seed.kind, "{}", seed.name);
        }
    }

    #[test]
    fn names_are_classified_by_their_wording() {
        let cases = [
            ("县政府其他有关部门", DepartmentKind::CatchAll),
            ("县政府各有关部门", DepartmentKind::CatchAll),
            ("各有关单位", DepartmentKind::CatchAll),
            ("其他有关部门", DepartmentKind::CatchAll),
            ("有关部门", DepartmentKind::CatchAll),
            ("各相关部门和单位", DepartmentKind::CatchAll),
            ("各镇人民政府", DepartmentKind::Group),
            ("各镇有关部门", DepartmentKind::Group),
            ("各县(市、区)政府", DepartmentKind::Group),
            ("各乡镇", DepartmentKind::Group),
            ("县民政局", DepartmentKind::Unit),
            ("县文化局", DepartmentKind::Unit),
            ("人民银行盘山分行", DepartmentKind::Unit),
            ("", DepartmentKind::Unit),
            ("各区", DepartmentKind::Group),
            ("各县级市", DepartmentKind::Group),
            ("各有关县区", DepartmentKind::Group),
            ("各地区", DepartmentKind::Group),
            ("各地", DepartmentKind::Group),
            ("各部门", DepartmentKind::CatchAll),
            ("省直有关部门", DepartmentKind::CatchAll),
            ("省直各部门", DepartmentKind::CatchAll),
            ("市级各有关部门", DepartmentKind::CatchAll),
            ("各项目牵头单位", DepartmentKind::CatchAll),
            ("有关县区", DepartmentKind::CatchAll),
            ("县发展和改革局", DepartmentKind::Unit),
            ("市直机关工委", DepartmentKind::Unit),
        ];
        for (name, kind) in cases {
            assert_eq!(classify_name(name), kind, "{name}");
        }
    }
}
