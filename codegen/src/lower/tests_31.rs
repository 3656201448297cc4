//! Lowering OpenAPI 3.1 documents: each 3.1 construct, shown on a small document, comes
//! out as the Rust its 3.0 counterpart does (or as the type 3.0 has no word for).

use super::lower;
use crate::load::parse;
use crate::model::{Field, Security, Service, Type, TypeKind};
use std::path::Path;

const HEAD: &str = "openapi: 3.1.0\ninfo: {title: T, version: '1', summary: In short.}\n";

fn service(yaml: &str) -> Service {
    let document = parse(Path::new("api.yaml"), yaml).unwrap_or_else(|errors| panic!("{errors}"));
    lower(&document, "api", "openapi/api.yaml").unwrap_or_else(|errors| panic!("{errors}"))
}

fn kind<'a>(service: &'a Service, name: &str) -> &'a TypeKind {
    &service
        .types
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no type {name} in {:?}", service.types))
        .kind
}

fn field<'a>(service: &'a Service, name: &str, wire: &str) -> &'a Field {
    let TypeKind::Struct { fields, .. } = kind(service, name) else {
        panic!("{name} is not a struct");
    };
    fields
        .iter()
        .find(|f| f.wire_name == wire)
        .unwrap_or_else(|| panic!("no field {wire}"))
}

fn option(ty: Type) -> Type {
    Type::Option(Box::new(ty))
}

#[test]
fn type_arrays_are_nullability_or_a_union_of_the_types() {
    let service = service(&format!(
        "{HEAD}components:
  schemas:
    Pet:
      type: object
      required: [name]
      properties:
        name: {{type: [string, 'null']}}
        nickname: {{type: [string, 'null']}}
        label: {{type: [string, integer]}}
        owner: {{anyOf: [{{$ref: '#/components/schemas/Owner'}}, {{type: 'null'}}]}}
    Owner: {{type: object, properties: {{name: {{type: string}}}}}}
"
    ));
    assert_eq!(field(&service, "Pet", "name").ty, option(Type::String));
    // Optional and nullable: absent, null and a value, told apart as in 3.0.
    assert_eq!(
        field(&service, "Pet", "nickname").ty,
        option(option(Type::String))
    );
    assert_eq!(
        field(&service, "Pet", "owner").ty,
        option(option(Type::Named("Owner".to_owned())))
    );
    let Type::Option(label) = &field(&service, "Pet", "label").ty else {
        panic!("label is required?");
    };
    let Type::Named(label) = &**label else {
        panic!("{label:?}");
    };
    let TypeKind::Union { variants, tag } = kind(&service, label) else {
        panic!("{label} is not a union");
    };
    assert_eq!(tag, &None);
    let variants: Vec<(&str, &Type)> = variants.iter().map(|v| (v.name.as_str(), &v.ty)).collect();
    assert_eq!(
        variants,
        [("String", &Type::String), ("Integer", &Type::I64)]
    );
}

#[test]
fn json_schema_2020_12_keywords_have_their_rust_types() {
    let service = service(&format!(
        "{HEAD}components:
  schemas:
    Record:
      type: object
      required: [kind, point, score]
      dependentRequired: {{payload: [owner]}}
      properties:
        kind: {{const: record}}
        point: {{type: array, prefixItems: [{{type: integer}}, {{type: string}}], items: false}}
        score: {{type: number, exclusiveMinimum: 0}}
        payload: {{type: string, contentEncoding: base64}}
        legacy: false
        anything: true
        retention: {{type: integer, if: {{minimum: 100}}, then: {{multipleOf: 10}}}}
        owner: {{$ref: '#/components/schemas/Owner', description: Who owns it.}}
        shape: {{$ref: '#/components/schemas/Record/$defs/Shape'}}
      $defs:
        Shape: {{type: string, enum: [circle, square]}}
    Owner: {{type: object, properties: {{name: {{type: string}}}}}}
"
    ));
    let TypeKind::Enum { variants, open } = kind(&service, "RecordKind") else {
        panic!("const is not an enum");
    };
    assert!(!open);
    assert_eq!(variants.len(), 1);
    assert_eq!(variants[0].wire, "record");
    assert_eq!(
        field(&service, "Record", "point").ty,
        Type::Tuple(vec![Type::I64, Type::String])
    );
    let score = field(&service, "Record", "score");
    let minimum = score.constraints.minimum.expect("a minimum");
    assert!(minimum.exclusive && minimum.as_f64() == 0.0, "{minimum:?}");
    assert_eq!(
        field(&service, "Record", "payload").ty,
        option(Type::Base64)
    );
    assert_eq!(field(&service, "Record", "legacy").ty, option(Type::Never));
    assert_eq!(field(&service, "Record", "anything").ty, option(Type::Json));
    // A condition is not checked, and the docs say so.
    let retention = field(&service, "Record", "retention");
    assert_eq!(retention.ty, option(Type::I64));
    assert!(
        retention.docs.contains("`if`/`then`/`else`"),
        "{}",
        retention.docs
    );
    let owner = field(&service, "Record", "owner");
    assert_eq!(owner.ty, option(Type::Named("Owner".to_owned())));
    assert_eq!(owner.docs, "Who owns it.");
    assert_eq!(
        field(&service, "Record", "shape").ty,
        option(Type::Named("RecordShape".to_owned()))
    );
    assert!(matches!(
        kind(&service, "RecordShape"),
        TypeKind::Enum { .. }
    ));
    let TypeKind::Struct {
        dependent_required, ..
    } = kind(&service, "Record")
    else {
        panic!("Record is not a struct");
    };
    assert_eq!(
        dependent_required,
        &[("payload".to_owned(), vec!["owner".to_owned()])]
    );
}

#[test]
fn webhooks_path_items_and_mutual_tls() {
    let service = service(&format!(
        "{HEAD}security: [{{mtls: []}}]
paths:
  /a: {{$ref: '#/components/pathItems/A'}}
webhooks:
  changed:
    post:
      requestBody:
        content:
          application/json:
            schema: {{type: object, properties: {{id: {{type: string}}}}}}
      responses: {{'204': {{description: ok}}}}
components:
  securitySchemes:
    mtls: {{type: mutualTLS}}
  pathItems:
    A:
      get:
        operationId: getA
        responses: {{'204': {{description: ok}}}}
"
    ));
    assert_eq!(service.description.as_deref(), Some("In short."));
    assert_eq!(
        service.operations.len(),
        2,
        "the operation, then the webhook"
    );
    let operation = &service.operations[0];
    assert!(!operation.webhook);
    // The webhook is received at its name, and the API's own `security` (how to call
    // the API) does not guard the requests the API sends.
    let webhook = &service.operations[1];
    assert!(webhook.webhook);
    assert_eq!(
        (webhook.method.as_str(), webhook.path.as_str()),
        ("POST", "/changed")
    );
    assert!(
        matches!(webhook.security, Security::None),
        "{:?}",
        webhook.security
    );
    assert_eq!(operation.name, "get_a");
    assert!(service.security_schemes.is_empty());
    assert!(
        matches!(&operation.security, Security::Required(alternatives) if alternatives.iter().all(Vec::is_empty))
            || matches!(operation.security, Security::None),
        "{:?}",
        operation.security
    );
    assert!(operation.docs.contains("mutual TLS"), "{}", operation.docs);
    // The webhook's body is a type of the crate.
    assert!(matches!(
        kind(&service, "PostChangedBody"),
        TypeKind::Struct { .. }
    ));
}

#[test]
fn a_document_without_paths_is_read() {
    let service = service(&format!(
        "{HEAD}components: {{schemas: {{A: {{type: string}}}}}}\n"
    ));
    assert!(service.operations.is_empty());
}

#[test]
fn errors_in_3_1_constructs_point_where_the_user_wrote_them() {
    let yaml = format!(
        "{HEAD}components:
  schemas:
    Record:
      type: object
      properties:
        shape: {{$ref: '#/components/schemas/Record/$defs/Missing'}}
      $defs:
        Shape: {{$ref: '#/components/schemas/Nowhere'}}
"
    );
    let errors = match parse(Path::new("api.yaml"), &yaml) {
        Ok(_) => panic!("the document was accepted"),
        Err(errors) => errors.to_string(),
    };
    assert!(
        errors.contains("api.yaml#/components/schemas/Record/properties/shape/$ref: `$ref: #/components/schemas/Record/$defs/Missing` points at nothing"),
        "{errors}"
    );
    assert!(
        errors.contains("api.yaml#/components/schemas/Record/$defs/Shape/$ref:"),
        "{errors}"
    );
    // A wrong keyword inside one of several types is reported at the schema that lists
    // the types, which is where the user wrote it.
    let yaml = format!(
        "{HEAD}components:
  schemas:
    Label: {{type: [string, integer], maxLength: many}}
"
    );
    let errors = match parse(Path::new("api.yaml"), &yaml) {
        Ok(_) => panic!("the document was accepted"),
        Err(errors) => errors.to_string(),
    };
    assert!(
        errors.starts_with("error: api.yaml#/components/schemas/Label"),
        "{errors}"
    );
    assert!(!errors.contains("oneOf"), "{errors}");
    assert!(errors.contains("OpenAPI 3.1"), "{errors}");
}

#[test]
fn definitions_inside_a_component_are_named_types_and_may_recurse() {
    // Codat's `Report/definitions/reportComponent` holds a list of itself.
    let service = service(&format!(
        "{HEAD}paths:
  /report:
    get:
      operationId: getReport
components:
  schemas:
    Report:
      type: object
      properties:
        root: {{$ref: '#/components/schemas/Report/definitions/part'}}
      definitions:
        part:
          type: object
          properties:
            parts: {{type: array, items: {{$ref: '#/components/schemas/Report/definitions/part'}}}}
"
    ));
    assert_eq!(
        field(&service, "ReportPart", "parts").ty,
        option(Type::Vec(Box::new(Type::Named("ReportPart".to_owned()))))
    );
    // An operation without `responses` (optional in 3.1) documents none.
    assert!(service.operations[0].responses.is_empty());
}
