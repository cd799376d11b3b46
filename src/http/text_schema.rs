//! The text rule in the OpenAPI document: every free-text string a client can send, in a body
//! or a query parameter, carries the pattern of [`crate::domain::text`], so generated clients
//! and fuzzers know what the service refuses. Strings that already have a format, a pattern or
//! a closed set of values are left as they are.

use std::collections::BTreeSet;

use utoipa::openapi::path::Parameter;
use utoipa::openapi::request_body::RequestBody;
use utoipa::openapi::schema::{AdditionalProperties, ArrayItems, Schema, SchemaType, Type};
use utoipa::openapi::{OpenApi, RefOr};
use utoipa::Modify;

pub struct TextRule;

impl Modify for TextRule {
    fn modify(&self, doc: &mut OpenApi) {
        let pattern = crate::domain::text::pattern();
        let mut names = BTreeSet::new();
        for schema in client_schemas(doc) {
            refs(schema, &mut names);
        }
        let Some(components) = doc.components.as_mut() else {
            return;
        };
        // Components used by those, transitively.
        let mut todo: Vec<String> = names.iter().cloned().collect();
        while let Some(name) = todo.pop() {
            let mut found = BTreeSet::new();
            if let Some(s) = components.schemas.get(&name) {
                refs(s, &mut found);
            }
            for f in found {
                if names.insert(f.clone()) {
                    todo.push(f);
                }
            }
        }
        for name in &names {
            if let Some(s) = components.schemas.get_mut(name) {
                annotate(s, &pattern);
            }
        }
        for schema in client_schemas_mut(doc) {
            annotate(schema, &pattern);
        }
    }
}

/// The schemas of request bodies and parameters: those of every operation written in place,
/// and those of the parameter and request-body components operations refer to.
fn client_schemas(doc: &OpenApi) -> Vec<&RefOr<Schema>> {
    let mut params: Vec<&RefOr<Parameter>> = vec![];
    let mut bodies: Vec<&RefOr<RequestBody>> = vec![];
    for item in doc.paths.paths.values() {
        let ops = [&item.get, &item.put, &item.post, &item.delete, &item.patch];
        for op in ops.into_iter().flatten() {
            params.extend(op.parameters.iter().flatten());
            bodies.extend(&op.request_body);
        }
    }
    if let Some(c) = &doc.components {
        params.extend(c.parameters.values());
        bodies.extend(c.request_bodies.values());
    }
    let mut out: Vec<&RefOr<Schema>> = params
        .into_iter()
        .filter_map(|p| match p {
            RefOr::T(p) => p.schema.as_ref(),
            RefOr::Ref(_) => None,
        })
        .collect();
    for body in bodies {
        if let RefOr::T(b) = body {
            out.extend(b.content.values().filter_map(|c| match c {
                RefOr::T(c) => c.schema.as_ref(),
                RefOr::Ref(_) => None,
            }));
        }
    }
    out
}

fn client_schemas_mut(doc: &mut OpenApi) -> Vec<&mut RefOr<Schema>> {
    let mut params: Vec<&mut RefOr<Parameter>> = vec![];
    let mut bodies: Vec<&mut RefOr<RequestBody>> = vec![];
    for item in doc.paths.paths.values_mut() {
        let ops = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for op in ops.into_iter().flatten() {
            params.extend(op.parameters.iter_mut().flatten());
            bodies.extend(&mut op.request_body);
        }
    }
    if let Some(c) = &mut doc.components {
        params.extend(c.parameters.values_mut());
        bodies.extend(c.request_bodies.values_mut());
    }
    let mut out: Vec<&mut RefOr<Schema>> = params
        .into_iter()
        .filter_map(|p| match p {
            RefOr::T(p) => p.schema.as_mut(),
            RefOr::Ref(_) => None,
        })
        .collect();
    for body in bodies {
        if let RefOr::T(b) = body {
            out.extend(b.content.values_mut().filter_map(|c| match c {
                RefOr::T(c) => c.schema.as_mut(),
                RefOr::Ref(_) => None,
            }));
        }
    }
    out
}

/// The inner schemas of a schema (properties, items, variants).
fn children(s: &Schema) -> Vec<&RefOr<Schema>> {
    match s {
        Schema::Object(o) => {
            let mut v: Vec<_> = o.properties.values().collect();
            if let Some(AdditionalProperties::RefOr(r)) = o.additional_properties.as_deref() {
                v.push(r);
            }
            v
        }
        Schema::Array(a) => match &a.items {
            ArrayItems::RefOrSchema(r) => vec![r.as_ref()],
            _ => vec![],
        },
        Schema::OneOf(o) => o.items.iter().collect(),
        Schema::AllOf(o) => o.items.iter().collect(),
        Schema::AnyOf(o) => o.items.iter().collect(),
        _ => vec![],
    }
}

fn children_mut(s: &mut Schema) -> Vec<&mut RefOr<Schema>> {
    match s {
        Schema::Object(o) => {
            let mut v: Vec<_> = o.properties.values_mut().collect();
            if let Some(AdditionalProperties::RefOr(r)) = o.additional_properties.as_deref_mut() {
                v.push(r);
            }
            v
        }
        Schema::Array(a) => match &mut a.items {
            ArrayItems::RefOrSchema(r) => vec![r.as_mut()],
            _ => vec![],
        },
        Schema::OneOf(o) => o.items.iter_mut().collect(),
        Schema::AllOf(o) => o.items.iter_mut().collect(),
        Schema::AnyOf(o) => o.items.iter_mut().collect(),
        _ => vec![],
    }
}

/// The component names a schema refers to.
fn refs(s: &RefOr<Schema>, out: &mut BTreeSet<String>) {
    match s {
        RefOr::Ref(r) => {
            if let Some(name) = r.ref_location.rsplit('/').next() {
                out.insert(name.to_string());
            }
        }
        RefOr::T(s) => children(s).into_iter().for_each(|c| refs(c, out)),
    }
}

/// Gives every free-text string in a schema the text pattern.
fn annotate(s: &mut RefOr<Schema>, pattern: &str) {
    let RefOr::T(schema) = s else { return };
    if let Schema::Object(o) = schema {
        let string = match &o.schema_type {
            SchemaType::Type(t) => *t == Type::String,
            SchemaType::Array(ts) => ts.contains(&Type::String),
            SchemaType::AnyValue => false,
        };
        if string && o.format.is_none() && o.pattern.is_none() && o.enum_values.is_none() {
            o.pattern = Some(pattern.to_string());
        }
    }
    for c in children_mut(schema) {
        annotate(c, pattern);
    }
}
