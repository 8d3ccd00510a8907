//! The `duban` program, built inside the test package so that tests can run it as a second
//! process (a replica behind a load balancer) on the database of an in-process server. It is
//! the real program: `main` is `duban::cli::main`, as in `api/src/main.rs`.

fn main() -> std::process::ExitCode {
    duban::cli::main()
}
