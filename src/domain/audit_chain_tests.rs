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

/// The encoding as first written: a sorted copy of `before`/`after` and a `Value` array of the
/// fields (the migration that chained the first events keeps the same).
fn encoded_through_values(e: &ChainedEvent) -> String {
    fn sorted(v: &Value) -> Value {
        match v {
            Value::Object(map) => {
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort();
                let mut out = serde_json::Map::new();
                for k in keys {
                    out.insert(k.clone(), sorted(&map[k]));
                }
                Value::Object(out)
            }
            Value::Array(a) => Value::Array(a.iter().map(sorted).collect()),
            other => other.clone(),
        }
    }
    let uuid = |u: Option<Uuid>| u.map_or(Value::Null, |u| Value::String(u.to_string()));
    let text = |s: &Option<String>| s.clone().map_or(Value::Null, Value::String);
    let json = |v: &Option<Value>| v.as_ref().map_or(Value::Null, sorted);
    Value::Array(vec![
        Value::String(ENCODING.into()),
        Value::from(e.seq),
        Value::String(e.prev_hash.clone()),
        Value::String(e.id.to_string()),
        Value::String(encode_instant(e.occurred_at)),
        uuid(e.actor_id),
        text(&e.actor_username),
        text(&e.actor_role),
        uuid(e.actor_unit_id),
        Value::String(e.action.clone()),
        Value::String(e.resource_type.clone()),
        text(&e.resource_id),
        Value::String(e.request_id.clone()),
        text(&e.client_request_id),
        text(&e.client_addr),
        Value::String(e.outcome.clone()),
        json(&e.before),
        json(&e.after),
    ])
    .to_string()
}

#[test]
fn the_encoding_is_the_one_every_stored_hash_was_taken_over() {
    let mut e = event(7, GENESIS_HASH);
    e.actor_id = Some(Uuid::from_u128(0xABCDEF));
    e.actor_unit_id = Some(Uuid::from_u128(0x123));
    e.client_request_id = Some("client \"quoted\"\n".into());
    e.client_addr = Some("127.0.0.1".into());
    let values: Vec<Value> = (0..20)
        .map(|i| json!({"possibility": "certain", "indicator_id": i, "actual": "520", "备注": "按期\t完成\u{1}"}))
        .collect();
    e.after = Some(json!({
        "zeta": {"y": [3, 2.5, -1, 1e300], "x": true, "ä": "é", "A": "upper"},
        "indicator_values": values, "executed": {"union": "40.125", "fiscal": "60.25"},
        "empty": {}, "none": [], "signatures": {"unit_head": "李明", "date": "2026-07-08"}
    }));
    assert_eq!(e.encode(), encoded_through_values(&e));
    e.before = None;
    e.after = None;
    e.resource_id = None;
    assert_eq!(e.encode(), encoded_through_values(&e));
}
