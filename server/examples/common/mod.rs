//! What the benchmarks share (not part of the tests): synthetic clients, the real server binary
//! started beside the example, a free loopback port.

use std::process::{Child, Command, Stdio};

pub const FIRST: &[&str] = &[
    "Ada", "Ben", "Cleo", "Dev", "Eli", "Fay", "Gus", "Hana", "Ike", "Jo", "Kai", "Lia", "Max",
    "Nia", "Oto", "Pia", "Rex", "Sia", "Teo", "Uma",
];
pub const LAST: &[&str] = &[
    "Abbott",
    "Barnes",
    "Castillo",
    "Dunn",
    "Ellis",
    "Flores",
    "Garner",
    "Holt",
    "Ingram",
    "Joyce",
    "Keller",
    "Lowe",
    "Moss",
    "Nash",
    "Ortiz",
    "Perry",
    "Quinn",
    "Reyes",
    "Stone",
    "Tate",
    "Underwood",
    "Vance",
    "Wade",
    "Young",
    "Zamora",
];

/// Adds `n` synthetic clients, each with six records at mixed owners and settings.
pub async fn bulk_clients(pool: &server::db::Pool, n: usize) {
    let mut tx = pool.begin().await.unwrap();
    let now = server::db::ts(chrono::Utc::now().naive_utc());
    for i in 0..n {
        let owner = 2 + (i % 3) as i64;
        let author = [3i64, 6, 9][i % 3];
        let hmis = shared::HmisNumber::from_sequence(100_000 + i as u32).unwrap();
        let (client,): (i64,) = sqlx::query_as(
            "INSERT INTO clients (hmis_number, first_name, last_name, date_of_birth, org_id,
                                  author_id, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
        )
        .bind(hmis.as_str().to_owned())
        .bind(FIRST[i % FIRST.len()])
        .bind(format!(
            "{}{}",
            LAST[(i / FIRST.len()) % LAST.len()],
            i / 500
        ))
        .bind(format!(
            "19{:02}-{:02}-{:02}",
            40 + i % 60,
            1 + i % 12,
            1 + i % 28
        ))
        .bind(owner)
        .bind(author)
        .bind(&now)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        for (k, (kind, security)) in [
            ("Enrollment", None),
            ("Service", None),
            ("ProfileNote", None),
            ("Form", Some("ShareWithRoiMou")),
            ("Form", Some("RestrictToOrganization")),
            ("Attachment", Some("SharedWithAll")),
        ]
        .iter()
        .enumerate()
        {
            sqlx::query(
                "INSERT INTO records (client_id, kind, org_id, author_id, created_at, security,
                                      title, detail)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(client)
            .bind(*kind)
            .bind(if k == 1 {
                2 + ((i + 1) % 3) as i64
            } else {
                owner
            })
            .bind(author)
            .bind(&now)
            .bind(*security)
            .bind(format!("{kind} {k}"))
            .bind("synthetic load-test record")
            .execute(&mut *tx)
            .await
            .unwrap();
        }
    }
    tx.commit().await.unwrap();
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub struct Server(pub Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the real `hearth-server serve` (beside the example in target/<profile>/) on `database`
/// at a free port; returns it and its base URL.
pub fn start_server(database: &str, dir: &std::path::Path, log: &str) -> (Server, String) {
    let exe = std::env::current_exe().unwrap();
    let bin = exe
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .join("hearth-server");
    let port = free_port();
    let server = Server(
        Command::new(&bin)
            .arg("serve")
            .env("HEARTH_LISTEN", format!("127.0.0.1:{port}"))
            .env("DATABASE_URL", database)
            .env("HEARTH_DATA_DIR", dir)
            .env("HEARTH_DIST", dir.join("no-app"))
            .env("RUST_LOG", log)
            .stdout(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("start {}: {e}", bin.display())),
    );
    (server, format!("http://127.0.0.1:{port}"))
}
