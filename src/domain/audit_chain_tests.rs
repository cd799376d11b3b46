use super::*;
use serde_json::json;

fn event(seq: i64, prev: &str) -> ChainedEvent {
    ChainedEvent {
        seq,
        prev_hash: prev.into(),
        id: Uuid::from_u128(seq as u128),
        occurred_at: DateTime::parse_from_rfc3339("2026-07-08T02:15:00.123456Z")
            .unwrap()
            .with_timezone(&Utc),
        actor_id: None,
        actor_username: Some("admin".into()),
        actor_role: Some("admin".into()),
        actor_unit_id: None,
        action: "unit.update".into(),
        resource_type: "unit".into(),
        resource_id: Some("x".into()),
        request_id: "r".into(),
        client_request_id: None,
        client_addr: None,
        outcome: "success".into(),
        before: Some(json!({"name": "a", "code": "B"})),
        after: Some(json!({"z": [{"b": 1, "a": 2}], "a": null})),
    }
}

fn chain(n: i64) -> Vec<(ChainedEvent, String)> {
    let mut prev = GENESIS_HASH.to_string();
    (1..=n)
        .map(|s| {
            let e = event(s, &prev);
            prev = e.compute_hash();
            (e, prev.clone())
        })
        .collect()
}

#[test]
fn the_encoding_is_fixed() {
    let e = event(1, GENESIS_HASH);
    assert_eq!(
        e.encode(),
        format!(
            r#"["bm-audit-v1",1,"{GENESIS_HASH}","00000000-0000-0000-0000-000000000001","2026-07-08T02:15:00.123456Z",null,"admin","admin",null,"unit.update","unit","x","r",null,null,"success",{{"code":"B","name":"a"}},{{"a":null,"z":[{{"a":2,"b":1}}]}}]"#
        )
    );
    assert_eq!(e.compute_hash().len(), 64);
    assert_eq!(
        sha256_hex(b"abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}

#[test]
fn key_order_does_not_change_the_hash() {
    let mut a = event(1, GENESIS_HASH);
    let h = a.compute_hash();
    a.before = Some(serde_json::from_str(r#"{"name":"a","code":"B"}"#).unwrap());
    assert_eq!(a.compute_hash(), h);
}

#[test]
fn an_intact_chain_walks_to_its_head() {
    let c = chain(5);
    let mut w = ChainWalk::default();
    for (e, h) in &c {
        w.step(e, h).unwrap();
    }
    w.finish(5, &c[4].1).unwrap();
    assert_eq!(w.checked(), 5);
}

#[test]
fn each_kind_of_tampering_is_named_at_its_event() {
    type Tamper = fn(&mut Vec<(ChainedEvent, String)>);
    let cases: [(Tamper, i64, BreakReason); 4] = [
        (
            |c| c[2].0.action = "unit.delete".into(),
            3,
            BreakReason::HashMismatch,
        ),
        (
            |c| {
                c.remove(2);
            },
            4,
            BreakReason::MissingSeq,
        ),
        (
            |c| c[2].0.prev_hash = GENESIS_HASH.into(),
            3,
            BreakReason::BrokenLink,
        ),
        (|c| c[3].0.seq = 3, 3, BreakReason::DuplicateSeq),
    ];
    for (tamper, seq, reason) in cases {
        let mut c = chain(5);
        tamper(&mut c);
        let mut w = ChainWalk::default();
        let err = c
            .iter()
            .map(|(e, h)| w.step(e, h))
            .find_map(Result::err)
            .expect("a break");
        assert_eq!((err.seq, err.reason), (seq, reason), "{}", err.message);
    }
}

#[test]
fn deleting_the_last_events_shows_against_the_head() {
    let c = chain(5);
    let mut w = ChainWalk::default();
    for (e, h) in &c[..3] {
        w.step(e, h).unwrap();
    }
    let err = w.finish(5, &c[4].1).unwrap_err();
    assert_eq!((err.reason, err.seq), (BreakReason::MissingTail, 4));
}
