use super::*;

fn kinds(text: &str) -> Vec<(String, String)> {
    let d = Detector::new(vec![compile("order", r"ORD-\d{6}").unwrap()]);
    d.find(text)
        .into_iter()
        .map(|f| (f.kind.code().to_string(), f.text(text).to_string()))
        .collect()
}

fn one(kind: &str, found: &str) -> Vec<(String, String)> {
    vec![(kind.to_string(), found.to_string())]
}

/// True positives: the text, the kind found and what is found.
const FOUND: &[(&str, &str, &str)] = &[
    (
        "mail me at jane.doe@example.com please",
        "email",
        "jane.doe@example.com",
    ),
    (
        "JANE+tag@Mail.Example.co.uk.",
        "email",
        "JANE+tag@Mail.Example.co.uk",
    ),
    (
        "card 4111 1111 1111 1111 expired",
        "card",
        "4111 1111 1111 1111",
    ),
    ("4111-1111-1111-1111", "card", "4111-1111-1111-1111"),
    ("amex 3782 822463 10005", "card", "3782 822463 10005"),
    ("5500005555555559", "card", "5500005555555559"),
    ("call +49 30 1234567 today", "phone", "+49 30 1234567"),
    ("+1 (555) 123-4567", "phone", "+1 (555) 123-4567"),
    ("+44 20 7946 0958", "phone", "+44 20 7946 0958"),
    ("+33612345678", "phone", "+33612345678"),
    ("ring 030 1234567", "phone", "030 1234567"),
    ("(030) 123 45 67", "phone", "(030) 123 45 67"),
    ("01 23 45 67 89 is my number", "phone", "01 23 45 67 89"),
    ("0171/1234567", "phone", "0171/1234567"),
    ("(555) 123-4567", "phone", "(555) 123-4567"),
    ("555-123-4567", "phone", "555-123-4567"),
    ("my order ORD-123456 is late", "pattern", "ORD-123456"),
];

/// False positives: none of these is personal data.
const NOT_FOUND: &[&str] = &[
    "version 2.1.0 broke it",
    "since 2026-12-06 it fails",
    "since 06.12.2026 it fails",
    "at 10:30 on 12/06/2026",
    "ISBN 978-3-16-148410-0",
    "ISBN 0-306-40615-2",
    "ISBN: 0306406152",
    "978-3-16-148410-0",
    "4111 1111 1111 1112",
    "0000 0000 0000 0000",
    // Long ids that pass the Luhn check but are no card of any scheme at their length.
    "see question 388112233445566772",
    "id 411111111111111118",
    "build 10.0.19045.1234",
    "ask @jane@example.com on the fediverse",
    "see https://example.org/items/0301234567/edit",
    "error 0x80070005",
    "uuid 123e4567-e89b-12d3-a456-426614174000",
    "it costs 1 234 567 EUR",
    "ip 192.168.178.1",
    "port 8080, pid 12345",
    "v1.2.3-beta.4",
    "sha 4f2a9c1e0b7d",
];

#[test]
fn finds_personal_data() {
    for (text, kind, found) in FOUND {
        assert_eq!(kinds(text), one(kind, found), "in {text:?}");
    }
}

#[test]
fn leaves_other_numbers_alone() {
    for text in NOT_FOUND {
        assert_eq!(kinds(text), vec![], "in {text:?}");
    }
}

#[test]
fn a_group_pattern_wins_over_a_phone_number() {
    let d = Detector::new(vec![compile("serial", r"\b0\d{3} \d{6}\b").unwrap()]);
    let f = d.find("serial 0301 234567");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].kind, Kind::Pattern("serial".into()));
    assert_eq!(kinds("serial 0301 234567"), one("phone", "0301 234567"));
}

#[test]
fn several_findings_in_order() {
    let t = "a@b.de, +49 30 1234567 and 4111111111111111";
    let k: Vec<String> = kinds(t).into_iter().map(|(k, _)| k).collect();
    assert_eq!(k, ["email", "phone", "card"]);
}

#[test]
fn luhn_accepts_exactly_one_check_digit() {
    // For 200 prefixes, exactly one of the ten last digits makes a valid number.
    let mut seed = 7u64;
    for _ in 0..200 {
        let mut d: Vec<u32> = (0..15)
            .map(|_| {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ((seed >> 33) % 10) as u32
            })
            .collect();
        d.push(0);
        let valid = (0..10)
            .filter(|&c| {
                *d.last_mut().unwrap() = c;
                luhn(&d)
            })
            .count();
        assert_eq!(valid, 1, "{d:?}");
    }
}

#[test]
fn spans_in_characters() {
    let t = "Grüße: jane@example.com";
    let f = &Detector::default().find(t)[0];
    assert_eq!(f.char_span(t), (7, 23));
}

#[test]
fn removing_and_masking() {
    let t = "mail jane@example.com or call +49 30 1234567, card 4111 1111 1111 1111";
    let f = Detector::default().find(t);
    assert_eq!(
        remove(t, &f),
        "mail [moved to a private case] or call [moved to a private case], card [moved to a private case]"
    );
    assert_eq!(
        mask(t, &f),
        "mail ••••@example.com or call +•• •• •••••67, card •••• •••• •••• 1111"
    );
}

#[test]
fn patterns_are_checked() {
    assert!(check_patterns("order: ORD-[0-9]{6}\n\nserial: SN[A-Z0-9]{8}").is_ok());
    assert_eq!(
        check_patterns("  order :  ORD-[0-9]{6}  ").unwrap(),
        "order: ORD-[0-9]{6}"
    );
    assert!(check_patterns("order: ORD-[0-9")
        .unwrap_err()
        .to_string()
        .contains("line 1"));
    assert!(check_patterns("no colon here").is_err());
    assert!(check_patterns("empty: a*").is_err());
    assert!(check_patterns("big: (?:\\w{100}){100}")
        .unwrap_err()
        .to_string()
        .contains("too complex"));
    let many: Vec<String> = (0..=MAX_PATTERNS).map(|i| format!("p{i}: x{i}")).collect();
    assert!(check_patterns(&many.join("\n")).is_err());
    assert_eq!(parse_patterns("order: ORD-[0-9]{6}\nbad: [").len(), 1);
}
