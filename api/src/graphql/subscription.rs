//! Subscriptions (over `graphql-transport-ws` on `/graphql`): a task's changes, the viewer's
//! to-do counts, plans imported. Each event is an audit trail entry (see `events`), passed
//! through the same rules as the queries: the task must be visible to the subscriber, a unit's
//! private items (urgings) reach that unit and the office only, and the objects sent are read
//! through the subscriber's own view. When the subscriber's credential is revoked or expires, or
//! no longer stands for the same view (role, unit, the unit's groups), the connection closes
//! (see `http::ws`); a subscriber that fell behind and missed entries checks it too.

use crate::db::Reader;
use crate::domain::Caller;
use crate::domain::audit::{Action, Names, Table, timeline};
use crate::domain::follow_up::interest::Interest;
use crate::domain::follow_up::todo;
use crate::domain::{documents, tasks};
use crate::error::AppError;
use crate::events::{Entry, Hub};
use crate::graphql::context;
use crate::graphql::types::follow_up::timeline::TimelineEntry;
use crate::graphql::types::follow_up::todo::TodoCount;
use crate::graphql::types::{Document, Task};
use crate::policy::follow_up as visibility;
use async_graphql::futures_util::Stream;
use async_graphql::{Context, ID, Object, Result, SimpleObject, Subscription};
use entity::department;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};

/// Entries that may change who a credential belongs to, whether it still works, or what its
/// unit sees (the unit's groups, the unit itself).
fn touches_credentials(entry: &Entry) -> bool {
    Names::of(entry).touch_credentials()
}

pub use crate::domain::connection::{CredentialCheck, Session, SignedIn};

pub struct TaskChange {
    task: Option<entity::task::Model>,
    line: timeline::Line,
}

/// A change to a task, as its subscriber may see it.
#[Object]
impl TaskChange {
    /// The task as it is after the change (null once the subscriber may no longer see it).
    async fn task(&self) -> Option<Task> {
        self.task.clone().map(Task::from)
    }
    /// What happened, as the task's timeline says it.
    async fn entry(&self) -> TimelineEntry {
        TimelineEntry(self.line.clone())
    }
}

/// The viewer's to-do counts after a change.
#[derive(SimpleObject)]
pub struct TodoChange {
    /// How many items wait in all.
    pub total: i32,
    /// How many of each kind (kinds with none left out).
    pub counts: Vec<TodoCount>,
}

impl TodoChange {
    fn of(counts: &[(todo::TodoKind, u64)]) -> TodoChange {
        TodoChange {
            total: counts.iter().map(|(_, n)| *n as i32).sum(),
            counts: counts.iter().map(|(kind, n)| TodoCount { kind: (*kind).into(), count: *n as i32 }).collect(),
        }
    }
}

/// Root of subscriptions.
#[derive(Default)]
pub struct Subscription;

struct Listening {
    db: Reader,
    caller: Caller,
    session: Option<Arc<Session>>,
    receiver: tokio::sync::broadcast::Receiver<Entry>,
    /// Counted as running while it lives (`Hub::subscriptions`).
    _running: crate::events::Running,
}

impl Listening {
    fn of(ctx: &Context<'_>) -> Result<Listening> {
        let caller = context::caller(ctx).clone();
        crate::policy::rules::account(&caller.viewer).map_err(|e| async_graphql::ErrorExtensions::extend(&e))?;
        let hub = ctx.data::<Hub>()?;
        Ok(Listening {
            _running: hub.running(),
            db: context::reads(ctx).clone(),
            caller,
            session: ctx.data_opt::<Arc<Session>>().cloned(),
            receiver: hub.subscribe(),
        })
    }

    /// The next entry; `None` once the credential stopped working (or the hub closed). A
    /// subscriber that fell behind gets `Some(None)`: something changed, it does not know what.
    async fn next(&mut self) -> Option<Option<Entry>> {
        let got = match &self.session {
            Some(session) => tokio::select! {
                got = self.receiver.recv() => got,
                () = session.ended() => return None,
            },
            None => self.receiver.recv().await,
        };
        match got {
            Ok(entry) if touches_credentials(&entry) && !self.credential_holds().await => None,
            Ok(entry) => Some(Some(entry)),
            // The entries missed may have revoked the credential.
            Err(RecvError::Lagged(_)) if !self.credential_holds().await => None,
            Err(RecvError::Lagged(_)) => Some(None),
            Err(RecvError::Closed) => None,
        }
    }

    /// Whether the connection's credential still works for the same view (checked again now);
    /// always, without a connection (the schema run in process).
    async fn credential_holds(&self) -> bool {
        match &self.session {
            Some(session) => session.still_valid().await,
            None => true,
        }
    }
}

async fn unit_names(db: &Reader, entry: &Entry) -> HashMap<i32, String> {
    let ids: Vec<i32> = [entry.after.as_deref(), entry.before.as_deref()]
        .into_iter()
        .flatten()
        .filter_map(|text| serde_json::from_str::<serde_json::Value>(text).ok())
        .filter_map(|v| v.get("department_id").and_then(serde_json::Value::as_i64))
        .filter_map(|id| i32::try_from(id).ok())
        .collect();
    if ids.is_empty() {
        return HashMap::new();
    }
    department::Entity::find()
        .filter(department::Column::Id.is_in(ids))
        .all(db)
        .await
        .map(|rows| rows.into_iter().map(|d| (d.id, d.name)).collect())
        .unwrap_or_default()
}

fn failed(error: AppError) -> async_graphql::Error {
    async_graphql::ErrorExtensions::extend(&error)
}

/// Live events over the WebSocket at `/graphql` (graphql-transport-ws, or the older graphql-ws),
/// signed in with the bearer token in the `connection_init` payload.
#[Subscription]
impl Subscription {
    /// Every change to a task the viewer may see, as it is committed (through any replica): the
    /// task after the change and the timeline's line for it. Another unit's urgings never come.
    /// Ends when the task can no longer be seen.
    async fn task_changed(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The task to follow.")] task_id: ID,
    ) -> Result<impl Stream<Item = TaskChange> + use<>> {
        let id = context::parse_id(&task_id).map_err(failed)?;
        let mut listening = Listening::of(ctx)?;
        tasks::get(&listening.db, &listening.caller, id)
            .await
            .map_err(failed)?
            .ok_or_else(|| failed(AppError::NotFound("task")))?;
        let private = visibility::visible_urgings(&listening.caller.viewer);
        Ok(async_stream::stream! {
            while let Some(next) = listening.next().await {
                let Some(entry) = next else { continue };
                if entry.task_id != Some(id) {
                    continue;
                }
                let names = unit_names(&listening.db, &entry).await;
                let Some(line) = timeline::line(&entry, &names, &private) else { continue };
                let task = tasks::get(&listening.db, &listening.caller, id).await.ok().flatten();
                let gone = task.is_none();
                yield TaskChange { task, line };
                if gone {
                    break;
                }
            }
        })
    }

    /// The viewer's to-do counts: at once, then after every change that alters them.
    async fn my_todo_changed(&self, ctx: &Context<'_>) -> Result<impl Stream<Item = TodoChange> + use<>> {
        let mut listening = Listening::of(ctx)?;
        let first = todo::todo(&listening.db, &listening.caller, 0, None).await.map_err(failed)?;
        let mut interest = Interest::of(&listening.db, &listening.caller).await.map_err(failed)?;
        Ok(async_stream::stream! {
            let mut last = first.counts;
            yield TodoChange::of(&last);
            'events: while let Some(next) = listening.next().await {
                let concerned = match &next {
                    Some(entry) => interest.concerns(entry),
                    None => true,
                };
                if !concerned {
                    continue;
                }
                // A burst of entries (an import, a bulk urging) is one change: the pump hands out
                // a commit's entries together, so those already here are taken with this one.
                loop {
                    let recheck = match listening.receiver.try_recv() {
                        Ok(entry) => {
                            interest.concerns(&entry);
                            touches_credentials(&entry)
                        }
                        // The entries missed may have revoked the credential.
                        Err(TryRecvError::Lagged(_)) => true,
                        Err(TryRecvError::Empty | TryRecvError::Closed) => break,
                    };
                    if recheck && !listening.credential_holds().await {
                        break 'events;
                    }
                }
                let Ok(now) = todo::todo(&listening.db, &listening.caller, 0, None).await else { continue };
                if now.counts != last {
                    last = now.counts;
                    yield TodoChange::of(&last);
                }
            }
        })
    }

    /// Plans as they are imported (or created) and may be seen by the viewer.
    async fn document_imported(&self, ctx: &Context<'_>) -> Result<impl Stream<Item = Document> + use<>> {
        let mut listening = Listening::of(ctx)?;
        Ok(async_stream::stream! {
            while let Some(next) = listening.next().await {
                let Some(entry) = next else { continue };
                if Names::of(&entry).table != Some(Table::Document) || Action::parse(&entry.action) != Some(Action::Create) {
                    continue;
                }
                if let Ok(Some(document)) = documents::get(&listening.db, &listening.caller, entry.entity_id).await {
                    yield Document(document);
                }
            }
        })
    }
}
