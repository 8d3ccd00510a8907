//! GraphQL enums, mirrored from the stored enums so the schema stays an explicit contract.

use async_graphql::Enum;

macro_rules! mirror_enum {
    ($(#[$meta:meta])* $name:ident => $entity:path { $($(#[$vmeta:meta])* $variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Enum, Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl From<$entity> for $name {
            fn from(value: $entity) -> Self {
                use $entity as E;
                match value { $(E::$variant => $name::$variant),+ }
            }
        }

        impl From<$name> for $entity {
            fn from(value: $name) -> Self {
                use $entity as E;
                match value { $($name::$variant => E::$variant),+ }
            }
        }
    };
}

mirror_enum!(
    /// A unit's role on a task.
    AssignmentRole => entity::AssignmentRole {
        /// Lead unit (牵头单位): reports for the task and may change its status.
        Lead,
        /// Supporting unit (配合单位).
        Supporting,
    }
);

mirror_enum!(
    /// What a department row stands for.
    DepartmentKind => entity::DepartmentKind {
        /// One agency; accounts can act for it.
        Unit,
        /// A known set of units, such as 各镇人民政府.
        Group,
        /// Names no one in particular, such as 县政府其他有关部门; no account acts for it.
        CatchAll,
    }
);

mirror_enum!(
    /// How a schedule text was understood.
    ScheduleKind => entity::ScheduleKind {
        /// A fixed date, possibly followed by continuing work (`ongoing`).
        Deadline,
        /// No date until a higher-level policy is issued (`waitingFor`), then that date plus `offsetMonths`.
        AfterPolicy,
        /// No closing date; progress is reported periodically.
        Ongoing,
        /// Every year.
        Recurring,
        /// Not understood: only the text is kept.
        Unparsed,
    }
);

mirror_enum!(
    /// Where a task stands.
    TaskStatus => entity::TaskStatus {
        /// Nothing reported yet.
        NotStarted,
        /// Work under way.
        InProgress,
        /// Done (办结).
        Completed,
    }
);

mirror_enum!(
    /// What an account may do.
    UserRole => entity::UserRole {
        /// The county government office: everything.
        Admin,
        /// County leadership: reads everything.
        Leader,
        /// Staff acting for one unit.
        Department,
        /// A unit's own software, integrating through the API.
        Service,
    }
);

mirror_enum!(
    /// Level of government issuing a higher-level policy.
    PolicyLevel => entity::PolicyLevel {
        /// 国家 / 中央.
        National,
        /// 省.
        Provincial,
        /// 市.
        Municipal,
    }
);
