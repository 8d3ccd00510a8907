//! Scores and ranks: pure, over the facts read.

use super::facts::{self, Record};
use super::rules::Rules;
use super::{Assessed, ScoredFact};

/// Each unit's score (the base plus its facts' points), best first; equal scores share a rank
/// and are listed by name.
pub fn rank(rules: &Rules, record: Record) -> Vec<Assessed> {
    let mut grouped = facts::by_unit(record.facts);
    let mut units: Vec<Assessed> = record
        .units
        .into_iter()
        .map(|unit| {
            let facts: Vec<ScoredFact> = grouped
                .remove(&unit.id)
                .unwrap_or_default()
                .into_iter()
                .map(|fact| ScoredFact {
                    points: rules.points(fact.kind),
                    task: record.tasks.get(&fact.task_id).cloned(),
                    fact,
                })
                .collect();
            let score = rules.base + facts.iter().map(|f| f.points).sum::<i32>();
            Assessed { unit, rank: 0, score, facts }
        })
        .collect();
    units.sort_by(|a, b| {
        b.score.cmp(&a.score).then_with(|| a.unit.name.cmp(&b.unit.name)).then(a.unit.id.cmp(&b.unit.id))
    });
    let scores: Vec<i32> = units.iter().map(|u| u.score).collect();
    for unit in &mut units {
        unit.rank = 1 + scores.iter().filter(|s| **s > unit.score).count() as i32;
    }
    units
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::assessment::facts::{Fact, FactKind, Unit};
    use chrono::NaiveDate;

    fn fact(kind: FactKind, unit_id: i32, day: u32) -> Fact {
        let on = NaiveDate::from_ymd_opt(2015, 3, day).unwrap();
        Fact { kind, unit_id, task_id: 1, on, due_on: Some(on) }
    }

    #[test]
    fn scores_add_points_to_the_base_and_equal_scores_share_a_rank() {
        let unit = |id, name: &str| Unit { id, name: name.to_owned() };
        let record = Record {
            units: vec![unit(1, "县发改局"), unit(2, "县财政局"), unit(3, "县教育局"), unit(4, "县民政局")],
            facts: vec![
                fact(FactKind::PeriodOnTime, 1, 25),
                fact(FactKind::PeriodMissed, 2, 25),
                fact(FactKind::Urged, 2, 10),
                fact(FactKind::PeriodLate, 3, 25),
                fact(FactKind::PeriodLate, 4, 25),
            ],
            tasks: Default::default(),
        };
        let ranked = rank(&Rules::default(), record);
        let table: Vec<(i32, i32, i32)> = ranked.iter().map(|u| (u.unit.id, u.score, u.rank)).collect();
        // 100 + 1; 100 − 1 twice (the same rank, by name); 100 − 3 − 1.
        assert_eq!(table, [(1, 101, 1), (3, 99, 2), (4, 99, 2), (2, 96, 4)]);
        let facts: Vec<(FactKind, i32)> = ranked[3].facts.iter().map(|f| (f.fact.kind, f.points)).collect();
        assert_eq!(facts, [(FactKind::Urged, -1), (FactKind::PeriodMissed, -3)], "by day");
    }
}
