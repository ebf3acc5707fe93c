//! Timestamps as we write them in ActivityPub JSON: RFC 3339 in UTC with milliseconds
//! (`2026-12-02T01:02:03.456Z`). Peers that sort a thread by `published` (NodeBB takes
//! the earliest post as a topic's first) need more than whole seconds to keep a question
//! ahead of an answer written in the same second. Received timestamps are parsed with
//! any precision (`chrono::DateTime::parse_from_rfc3339`).

/// `ms` (milliseconds since the epoch) as an ActivityPub timestamp.
pub fn ap_time(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// The current time as an ActivityPub timestamp.
pub fn ap_now() -> String {
    ap_time(crate::db::now_ms())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_milliseconds_in_utc() {
        assert_eq!(ap_time(1_796_173_323_456), "2026-12-02T01:02:03.456Z");
        assert_eq!(ap_time(1_796_173_323_000), "2026-12-02T01:02:03.000Z");
        let parsed = chrono::DateTime::parse_from_rfc3339(&ap_time(1_796_173_323_456)).unwrap();
        assert_eq!(parsed.timestamp_millis(), 1_796_173_323_456);
    }
}
