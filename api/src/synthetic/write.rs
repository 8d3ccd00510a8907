//! Writes the drawn plans and their stories in bulk: tasks, assignments, reports, extension
//! requests with the due date changes they caused, urgings, instructions with their responses,
//! completion reports; then the tasks' warning facts, as the domain keeps them.

use super::plan::TaskDraft;
use super::story::Story;
use super::{Authors, CHUNK, Summary, morning, names};
use crate::domain::follow_up::facts;
use crate::domain::follow_up::periods::{Answer, Ledger, Period};
use crate::error::{AppError, AppResult};
use chrono::NaiveDate;
use entity::{
    DueDateCause, ExtensionStatus, assignment, completion_report, due_date_change, extension_request, instruction,
    instruction_response, progress_report, report_period, task, urging,
};
use sea_orm::{ActiveModelTrait, DatabaseTransaction, EntityTrait, Set};

/// One plan's task as drawn, with the plan it belongs to and the day it was issued.
type Drawn = (i32, NaiveDate, TaskDraft);

/// Inserts `rows` in chunks of [`CHUNK`].
async fn insert_all<A>(txn: &DatabaseTransaction, rows: Vec<A>) -> AppResult<()>
where
    A: ActiveModelTrait + Send,
{
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<A> = rows.by_ref().take(CHUNK).collect();
        <A::Entity as EntityTrait>::insert_many(chunk).exec(txn).await?;
    }
    Ok(())
}

/// Writes the tasks and everything that happened to them.
pub(super) async fn write_tasks(
    txn: &DatabaseTransaction,
    drafts: &[Drawn],
    stories: &[Story],
    authors: &Authors,
    today: NaiveDate,
    summary: &mut Summary,
) -> AppResult<()> {
    let mut written = Vec::with_capacity(drafts.len());
    for (chunk, told) in drafts.chunks(CHUNK).zip(stories.chunks(CHUNK)) {
        let rows = chunk
            .iter()
            .zip(told)
            .map(|((document_id, issued_on, draft), story)| task_row(*document_id, *issued_on, draft, story));
        let mut inserted = task::Entity::insert_many(rows).exec_with_returning(txn).await?;
        // RETURNING keeps the VALUES order on PostgreSQL and SQLite; sort by id to be sure.
        inserted.sort_by_key(|t| t.id);
        written.extend(inserted);
    }
    tracing::info!(tasks = written.len(), "tasks written");

    let mut rows = Rows::default();
    for ((task, (_, _, draft)), story) in written.iter().zip(drafts).zip(stories) {
        rows.add(task, draft, story, authors, today)?;
    }
    summary.tasks = written.len();
    summary.assignments = rows.assignments.len();
    summary.reports = rows.reports.len();
    summary.follow_up_rows =
        rows.extensions.len() + rows.urgings.len() + rows.instructions.len() + rows.completions.len();
    rows.write(txn).await?;
    let ids: Vec<i32> = written.iter().map(|t| t.id).collect();
    facts::refresh(txn, &ids).await?;
    facts::refresh_parts(txn, &ids).await?;
    tracing::info!(rows = summary.follow_up_rows, "follow-up rows and warning facts written");
    Ok(())
}

fn task_row(document_id: i32, issued_on: NaiveDate, draft: &TaskDraft, story: &Story) -> task::ActiveModel {
    let created = morning(issued_on, 0);
    let schedule = draft.schedule.clone();
    let changes = story.completions.len() * 2 + story.extensions.len() + usize::from(!story.reports.is_empty());
    task::ActiveModel {
        document_id: Set(document_id),
        seq: Set(draft.seq),
        title: Set(draft.title.clone()),
        measures: Set(draft.measures.clone()),
        schedule_text: Set(schedule.text),
        schedule_kind: Set(schedule.kind),
        due_date: Set(story.due),
        ongoing: Set(schedule.ongoing),
        waiting_for: Set(schedule.waiting_for),
        offset_months: Set(schedule.offset_months),
        offset_days: Set(schedule.offset_days),
        status: Set(story.status),
        version: Set(1 + changes as i32),
        created_at: Set(created),
        updated_at: Set(created),
        assigned_on: Set(Some(issued_on)),
        original_due_date: Set(story.original_due),
        completed_at: Set(story.completed_on.map(|d| morning(d, 0))),
        archived_at: Set(story.archived_on.map(|d| morning(d, 0))),
        state_reason: Set(story.state_reason.clone()),
        suspended_from: Set(story.suspended_from),
        late_report_units: Set(0),
        open_urgings: Set(0),
        units_not_exhaustive: Set(false),
        year_inferred: Set(false),
        ..Default::default()
    }
}

/// Every row that follows from the stories, gathered for bulk inserts.
#[derive(Default)]
struct Rows {
    assignments: Vec<assignment::ActiveModel>,
    reports: Vec<progress_report::ActiveModel>,
    /// Approved requests also get a due date change, written once the request has its id.
    extensions: Vec<(extension_request::ActiveModel, Option<(NaiveDate, NaiveDate)>)>,
    urgings: Vec<urging::ActiveModel>,
    /// Instructions with the lead's response, written once the instruction has its id.
    instructions: Vec<(instruction::ActiveModel, Option<instruction_response::ActiveModel>)>,
    completions: Vec<completion_report::ActiveModel>,
    /// The reporting periods of each assignment (in `assignments` order), written once the
    /// assignment has its id.
    periods: Vec<Vec<Period>>,
}

impl Rows {
    fn add(
        &mut self,
        task: &task::Model,
        draft: &TaskDraft,
        story: &Story,
        authors: &Authors,
        today: NaiveDate,
    ) -> AppResult<()> {
        let unit_of = |index: usize| draft.units[index].0;
        let author_of = |unit: i32| authors.units.get(&unit).copied().ok_or(AppError::NotFound("unit account"));
        // Each followed part's periods as the domain keeps them: its reports answer them in
        // order, the rest are missed by today (or dropped when the part closed).
        let mut answers = vec![None; story.reports.len()];
        for (position, ((unit, role), part)) in draft.units.iter().zip(&story.parts).enumerate() {
            let mut ledger = Ledger::new(Vec::new(), super::RULE, story.due);
            let (mut next_report_due, mut last_report_late) = (part.next_report_due, part.last_report_late);
            if part.followed
                && let Some(start) = task.assigned_on
            {
                ledger.start(start);
                let mut own: Vec<usize> =
                    (0..story.reports.len()).filter(|r| story.reports[*r].unit == position).collect();
                own.sort_by_key(|r| story.reports[*r].reported_on);
                for r in own {
                    answers[r] = Some(ledger.answer(story.reports[r].reported_on, None));
                }
                match part.done_on {
                    Some(done) => ledger.close(done),
                    None => ledger.catch_up(today),
                }
                (next_report_due, last_report_late) = (ledger.next_report_due(), ledger.last_closed_late());
            }
            let counts = ledger.counts();
            self.periods.push(ledger.periods().to_vec());
            self.assignments.push(assignment::ActiveModel {
                task_id: Set(task.id),
                department_id: Set(*unit),
                role: Set(*role),
                position: Set(position as i32 + 1),
                task_document_id: Set(task.document_id),
                task_seq: Set(task.seq),
                state: Set(part.state),
                assigned_on: Set(task.assigned_on),
                sign_due: Set(Some(part.sign_due)),
                signed_at: Set(part.signed_on.map(|d| morning(d, 0))),
                responsible_person: Set(part.signed_on.map(|_| "王科长".to_owned())),
                contact: Set(part.signed_on.map(|_| format!("0427-{:07}", 2_000_000 + unit))),
                next_report_due: Set(next_report_due),
                last_report_on: Set(part.last_report_on),
                last_report_late: Set(last_report_late),
                done_at: Set(part.done_on.map(|d| morning(d, 0))),
                periods_on_time: Set(counts.on_time),
                periods_late: Set(counts.late),
                periods_missed: Set(counts.missed),
                period_due_on: Set(counts.due_on),
                missed_since: Set(counts.missed_since),
                ..Default::default()
            });
        }
        for (report, answer) in story.reports.iter().zip(answers) {
            let unit = unit_of(report.unit);
            let (due_on, late) = match answer {
                Some(Answer::Period { due_on, late }) => (Some(due_on), late),
                Some(Answer::None) => (None, false),
                None => (report.due_on, report.late),
            };
            self.reports.push(progress_report::ActiveModel {
                task_id: Set(task.id),
                department_id: Set(unit),
                author_id: Set(author_of(unit)?),
                text: Set(names::report(report.percent)),
                percent: Set(report.percent),
                created_at: Set(morning(report.reported_on, 0)),
                reported_on: Set(Some(report.reported_on)),
                due_on: Set(due_on),
                late: Set(late),
                ..Default::default()
            });
        }
        let lead = unit_of(0);
        for extension in &story.extensions {
            let granted = extension.decided.and_then(|(_, granted)| granted);
            let row = extension_request::ActiveModel {
                task_id: Set(task.id),
                department_id: Set(lead),
                requested_by: Set(author_of(lead)?),
                reason: Set("上级配套文件尚未出台,需延长办理时限".to_owned()),
                progress: Set("已完成前期调研并形成初稿".to_owned()),
                current_due: Set(Some(extension.current_due)),
                proposed_due: Set(extension.proposed),
                status: Set(extension.status),
                decided_by: Set(extension.decided.map(|_| authors.admin)),
                decided_due: Set(granted),
                comment: Set(match extension.status {
                    ExtensionStatus::Rejected => Some("理由不充分,请按期完成".to_owned()),
                    ExtensionStatus::Approved => Some("同意".to_owned()),
                    _ => None,
                }),
                created_at: Set(morning(extension.asked_on, 0)),
                decided_at: Set(extension.decided.map(|(on, _)| morning(on, 0))),
                ..Default::default()
            };
            let change = match (extension.status, extension.decided) {
                (ExtensionStatus::Approved, Some((on, Some(new_due)))) => Some((on, new_due)),
                _ => None,
            };
            self.extensions.push((row, change));
        }
        for urging in &story.urgings {
            let unit = unit_of(urging.unit);
            self.urgings.push(urging::ActiveModel {
                task_id: Set(task.id),
                department_id: Set(unit),
                sent_by: Set(authors.leader),
                text: Set("请加快推进并报送最新进展".to_owned()),
                reply_by: Set(Some(urging.reply_by)),
                created_at: Set(morning(urging.sent_on, 0)),
                read_at: Set(urging.answered_on.map(|d| morning(d, 0))),
                answered_at: Set(urging.answered_on.map(|d| morning(d, 0))),
                answer: Set(urging.answered_on.map(|_| "已召开专题会议,正在加快推进".to_owned())),
                answered_by: Set(urging.answered_on.map(|_| author_of(unit)).transpose()?),
                ..Default::default()
            });
        }
        if let Some(instruction) = &story.instruction {
            let row = instruction::ActiveModel {
                task_id: Set(task.id),
                author_id: Set(authors.leader),
                text: Set("要高度重视,确保按期保质完成".to_owned()),
                created_at: Set(morning(instruction.written_on, 0)),
                ..Default::default()
            };
            let response = instruction
                .answered_on
                .map(|on| -> AppResult<instruction_response::ActiveModel> {
                    Ok(instruction_response::ActiveModel {
                        department_id: Set(lead),
                        author_id: Set(author_of(lead)?),
                        text: Set("已按批示要求部署落实".to_owned()),
                        created_at: Set(morning(on, 0)),
                        ..Default::default()
                    })
                })
                .transpose()?;
            self.instructions.push((row, response));
        }
        for completion in &story.completions {
            self.completions.push(completion_report::ActiveModel {
                task_id: Set(task.id),
                department_id: Set(lead),
                author_id: Set(author_of(lead)?),
                text: Set("各项任务已按要求完成,相关制度已印发实施。".to_owned()),
                created_at: Set(morning(completion.submitted_on, 0)),
                decision: Set(completion.decision),
                decided_by: Set(completion.decided_on.map(|_| authors.admin)),
                decided_at: Set(completion.decided_on.map(|d| morning(d, 0))),
                reason: Set((completion.decision == entity::CompletionDecision::Returned)
                    .then(|| "材料不全,请补充佐证材料后重新报送".to_owned())),
                ..Default::default()
            });
        }
        Ok(())
    }

    async fn write(self, txn: &DatabaseTransaction) -> AppResult<()> {
        let mut periods = Vec::new();
        for (chunk, ledgers) in self.assignments.chunks(CHUNK).zip(self.periods.chunks(CHUNK)) {
            let mut inserted = assignment::Entity::insert_many(chunk.to_vec()).exec_with_returning(txn).await?;
            // RETURNING keeps the VALUES order on PostgreSQL and SQLite; sort by id to be sure.
            inserted.sort_by_key(|a| a.id);
            for (part, ledger) in inserted.iter().zip(ledgers) {
                periods.extend(ledger.iter().map(|p| report_period::ActiveModel {
                    assignment_id: Set(part.id),
                    task_id: Set(part.task_id),
                    department_id: Set(part.department_id),
                    opens_on: Set(p.opens_on),
                    due_on: Set(p.due_on),
                    state: Set(p.state),
                    answered_on: Set(p.answered_on),
                    ..Default::default()
                }));
            }
        }
        insert_all(txn, periods).await?;
        insert_all(txn, self.reports).await?;
        insert_all(txn, self.urgings).await?;
        insert_all(txn, self.completions).await?;
        let mut changes = Vec::new();
        for chunk in self.extensions.chunks(CHUNK) {
            let rows: Vec<_> = chunk.iter().map(|(row, _)| row.clone()).collect();
            let mut inserted = extension_request::Entity::insert_many(rows).exec_with_returning(txn).await?;
            inserted.sort_by_key(|r| r.id);
            for (request, (_, change)) in inserted.iter().zip(chunk) {
                if let Some((on, new_due)) = change {
                    changes.push(due_date_change::ActiveModel {
                        task_id: Set(request.task_id),
                        old_due: Set(request.current_due),
                        new_due: Set(Some(*new_due)),
                        cause: Set(DueDateCause::Extension),
                        extension_request_id: Set(Some(request.id)),
                        changed_by: Set(request.decided_by),
                        changed_at: Set(morning(*on, 0)),
                        ..Default::default()
                    });
                }
            }
        }
        insert_all(txn, changes).await?;
        let mut responses = Vec::new();
        for chunk in self.instructions.chunks(CHUNK) {
            let rows: Vec<_> = chunk.iter().map(|(row, _)| row.clone()).collect();
            let mut inserted = instruction::Entity::insert_many(rows).exec_with_returning(txn).await?;
            inserted.sort_by_key(|r| r.id);
            for (written, (_, response)) in inserted.iter().zip(chunk) {
                if let Some(response) = response {
                    let mut response = response.clone();
                    response.instruction_id = Set(written.id);
                    responses.push(response);
                }
            }
        }
        insert_all(txn, responses).await
    }
}
