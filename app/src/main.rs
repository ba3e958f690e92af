//! Hearth's browser client: mounts the app. Everything else lives in the library modules.

fn main() {
    app::start();
}
