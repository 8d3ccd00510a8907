//! The committed `schema.graphql` is the generated SDL.

#[test]
fn committed_schema_matches_the_generated_sdl() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../schema.graphql");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    let generated = duban::graphql::sdl();
    assert!(
        committed == generated,
        "schema.graphql is stale: regenerate it with `cargo run -p duban -- export-schema --output schema.graphql`"
    );
}
