//! What a client program reports: one line per check, `PASS <check>` or
//! `FAIL <check>: <why>` (see `tests/clients/*/harness.*`).

/// The checks a program reported, in order.
#[derive(Debug)]
pub struct Report {
    checks: Vec<(String, Result<(), String>)>,
}

impl Report {
    /// Reads the report lines out of everything the program printed.
    pub fn parse(printed: &str) -> Report {
        let checks = printed
            .lines()
            .filter_map(|line| {
                if let Some(check) = line.strip_prefix("PASS ") {
                    Some((check.trim().to_owned(), Ok(())))
                } else {
                    let (check, why) = line.strip_prefix("FAIL ")?.split_once(": ")?;
                    Some((check.trim().to_owned(), Err(why.to_owned())))
                }
            })
            .collect();
        Report { checks }
    }

    /// The outcome of `check`, if the program reported it.
    fn outcome(&self, check: &str) -> Option<&Result<(), String>> {
        self.checks
            .iter()
            .find(|(name, _)| name == check)
            .map(|(_, outcome)| outcome)
    }

    /// One row of the table of the closing note: each check `pass` or `FAIL` (or
    /// `missing`), then whether the credentials reached the server.
    pub fn table_row(
        &self,
        expected: &[String],
        service: &str,
        language: &str,
        credentials: bool,
    ) -> String {
        let cells: Vec<String> = expected
            .iter()
            .map(|check| {
                let verdict = match self.outcome(check) {
                    Some(Ok(())) => "pass",
                    Some(Err(_)) => "FAIL",
                    None => "missing",
                };
                format!("{check}: {verdict}")
            })
            .collect();
        let credentials = if credentials { "pass" } else { "FAIL" };
        format!(
            "| {service} | {language} | {} | credentials received: {credentials} |",
            cells.join(", ")
        )
    }

    /// Panics, quoting `printed`, unless the program reported exactly the `expected`
    /// checks, each passed.
    #[track_caller]
    pub fn assert_ran_and_passed(
        &self,
        expected: &[String],
        printed: &str,
        service: &str,
        language: &str,
    ) {
        let mut problems = Vec::new();
        for check in expected {
            match self.outcome(check) {
                Some(Ok(())) => {}
                Some(Err(why)) => problems.push(format!("{check}: {why}")),
                None => problems.push(format!("{check}: not reported")),
            }
        }
        for (check, _) in &self.checks {
            if !expected.contains(check) {
                problems.push(format!(
                    "{check}: reported, but the document calls for no such check"
                ));
            }
        }
        assert!(
            problems.is_empty(),
            "the {service} {language} client program:\n  {}\nwhat it printed:\n{printed}",
            problems.join("\n  ")
        );
    }
}
