//! `bench-client generated|baseline xbox|pet URL CALLS CONCURRENCY`: one client of a
//! request comparison of `cargo xtask bench`. Makes CALLS calls to the server at URL,
//! CONCURRENCY at a time, on one thread, after a warm-up of a tenth as many; prints
//! `{"calls": N, "seconds": S}` and fails on the first call that errs or answers
//! something other than what the server serves (the Xbox document's first example
//! record, or the pet sent).
//!
//! - `generated`: the generated client's method, with the document's params struct or
//!   body type;
//! - `baseline`: a hand-written reqwest call building the same request (URL, query,
//!   headers or JSON body), checking the status and decoding the same type.
//!
//! Both sides share one `reqwest::Client` configuration (the default), so the figure is
//! what building the request and reading the answer cost on each side.

use apigen_bench::{Endpoint, PET_BODY, Side, XBOX_HEADERS, XUID};
use apigen_runtime::reqwest;
use schemas::operations::AdoptPetParams;
use std::process::ExitCode;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;
use xbox_presence::operations::GetUserPresenceParams;
use xbox_presence::types::{PresenceLevel, PresenceRecord};

/// One of the four callers, made once and called many times.
enum Caller {
    GeneratedXbox(xbox_presence::Client, PresenceRecord),
    BaselineXbox(reqwest::Client, String, PresenceRecord),
    GeneratedPet(schemas::Client, schemas::types::Pet),
    BaselinePet(reqwest::Client, String, schemas::types::Pet),
}

impl Caller {
    fn new(side: Side, endpoint: Endpoint, base: &str) -> Result<Caller, String> {
        let http = reqwest::Client::new();
        let pet =
            || serde_json::from_str::<schemas::types::Pet>(PET_BODY).map_err(|e| e.to_string());
        Ok(match (side, endpoint) {
            (Side::Generated, Endpoint::Xbox) => Caller::GeneratedXbox(
                xbox_presence::Client::with_base_url(base)
                    .with_http_client(http)
                    .with_xbl_auth(XBOX_HEADERS[0].1),
                apigen_bench::presence_record()?,
            ),
            (Side::Baseline, Endpoint::Xbox) => {
                Caller::BaselineXbox(http, base.to_owned(), apigen_bench::presence_record()?)
            }
            (Side::Generated, Endpoint::Pet) => Caller::GeneratedPet(
                schemas::Client::with_base_url(base).with_http_client(http),
                pet()?,
            ),
            (Side::Baseline, Endpoint::Pet) => {
                Caller::BaselinePet(http, format!("{base}/pets"), pet()?)
            }
        })
    }

    /// One call; the answer must be the record asked for, or the pet sent.
    async fn call(&self) -> Result<(), String> {
        match self {
            Caller::GeneratedXbox(client, expected) => {
                let record = client
                    .get_user_presence(
                        &GetUserPresenceParams::new(
                            XUID,
                            XBOX_HEADERS[1].1.to_owned(),
                            XBOX_HEADERS[2].1.to_owned(),
                        )
                        .with_level(PresenceLevel::All),
                    )
                    .await
                    .map_err(|e| e.to_string())?;
                expect_record(&record, expected)
            }
            Caller::BaselineXbox(http, base, expected) => {
                let mut request = http.get(format!("{base}/users/xuid({XUID})?level=all"));
                for (name, value) in XBOX_HEADERS {
                    request = request.header(name, value);
                }
                let response = request.send().await.map_err(|e| e.to_string())?;
                let response = response.error_for_status().map_err(|e| e.to_string())?;
                let record: PresenceRecord = response.json().await.map_err(|e| e.to_string())?;
                expect_record(&record, expected)
            }
            Caller::GeneratedPet(client, pet) => {
                let answer = client
                    .adopt_pet(&AdoptPetParams::new(), pet)
                    .await
                    .map_err(|e| e.to_string())?;
                expect_pet(&answer, pet)
            }
            Caller::BaselinePet(http, url, pet) => {
                let response = http
                    .post(url)
                    .json(pet)
                    .send()
                    .await
                    .map_err(|e| e.to_string())?;
                let response = response.error_for_status().map_err(|e| e.to_string())?;
                let answer: schemas::types::Pet =
                    response.json().await.map_err(|e| e.to_string())?;
                expect_pet(&answer, pet)
            }
        }
    }
}

fn expect_record(record: &PresenceRecord, expected: &PresenceRecord) -> Result<(), String> {
    if record == expected {
        Ok(())
    } else {
        Err(format!("the server answered {record:?}, not {expected:?}"))
    }
}

fn expect_pet(answer: &schemas::types::Pet, sent: &schemas::types::Pet) -> Result<(), String> {
    if answer == sent {
        Ok(())
    } else {
        Err(format!("the server answered {answer:?} to {sent:?}"))
    }
}

/// Makes `calls` calls, `concurrency` at a time, on the current thread.
async fn run(caller: Rc<Caller>, calls: usize, concurrency: usize) -> Result<(), String> {
    let left = Rc::new(AtomicUsize::new(calls));
    let local = tokio::task::LocalSet::new();
    let mut tasks = Vec::new();
    for _ in 0..concurrency {
        let (caller, left) = (caller.clone(), left.clone());
        tasks.push(local.spawn_local(async move {
            // Take one call at a time until none is left.
            while left
                .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1))
                .is_ok()
            {
                caller.call().await?;
            }
            Ok::<(), String>(())
        }));
    }
    local
        .run_until(async move {
            for task in tasks {
                task.await.map_err(|e| e.to_string())??;
            }
            Ok(())
        })
        .await
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let parsed = match args[..] {
        [side, endpoint, url, calls, concurrency] => Side::parse(side)
            .zip(Endpoint::parse(endpoint))
            .zip(calls.parse::<usize>().ok())
            .zip(concurrency.parse::<usize>().ok())
            .map(|(((side, endpoint), calls), concurrency)| {
                (side, endpoint, url, calls, concurrency.max(1))
            }),
        _ => None,
    };
    let Some((side, endpoint, url, calls, concurrency)) = parsed else {
        eprintln!("usage: bench-client generated|baseline xbox|pet URL CALLS CONCURRENCY");
        return ExitCode::FAILURE;
    };
    let measured = Caller::new(side, endpoint, url).and_then(|caller| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| e.to_string())?;
        let caller = Rc::new(caller);
        runtime.block_on(run(caller.clone(), calls / 10, concurrency))?;
        let started = Instant::now();
        runtime.block_on(run(caller, calls, concurrency))?;
        Ok(started.elapsed())
    });
    match measured {
        Ok(elapsed) => {
            println!(
                "{{\"calls\": {calls}, \"seconds\": {}}}",
                elapsed.as_secs_f64()
            );
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("bench-client: {error}");
            ExitCode::FAILURE
        }
    }
}
