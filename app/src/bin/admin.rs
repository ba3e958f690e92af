//! The administrators' bundle of the browser client (`/admin`, see `app::routes::Bundle`).

fn main() {
    app::start_admin();
}
