//! The container build and the compose file: no published secret, dependencies cached apart
//! from the service, a locked build, the data folder in a volume.

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn read(name: &str) -> String {
    std::fs::read_to_string(std::path::Path::new(ROOT).join(name)).unwrap()
}

#[test]
fn compose_refuses_to_start_without_the_signing_secret_and_the_admin_password() {
    let compose = read("docker-compose.yml");
    for var in ["BM_JWT_SECRET", "BM_ADMIN_PASSWORD"] {
        let line = compose
            .lines()
            .find(|l| l.trim_start().starts_with(&format!("{var}:")))
            .unwrap_or_else(|| panic!("{var} is passed to the service"));
        let value = line.split_once(':').unwrap().1.trim();
        assert!(
            value.starts_with(&format!("${{{var}:?")) && value.len() > var.len() + 6,
            "{var} must be required with a message: {line}"
        );
    }
    assert!(
        !compose.contains("change-me"),
        "no published default secret"
    );
}

#[test]
fn the_image_caches_dependencies_builds_locked_and_keeps_its_data_in_a_volume() {
    let dockerfile = read("Dockerfile");
    let at = |needle: &str| {
        dockerfile
            .find(needle)
            .unwrap_or_else(|| panic!("Dockerfile has {needle}"))
    };
    // The dependencies are built from the recipe before any source is copied in.
    assert!(at("cargo chef cook --release --locked") < at("COPY src ./src"));
    assert!(at("COPY src ./src") < at("cargo build --release --locked"));
    assert!(dockerfile.contains("VOLUME [\"/app/data\"]"));
    assert!(dockerfile.contains("USER budget"));
    let ignore = read(".dockerignore");
    assert!(
        ignore.lines().any(|l| l == "target/"),
        "the build context leaves target/ out"
    );
}
