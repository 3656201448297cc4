//! Lowering decisions, each shown on a small document.

use super::lower;
use crate::load::parse;
use crate::model::{
    Bound, Constraints, EnumVariant, Field, Number, ParamLocation, ResponseBody, SchemeKind,
    Security, Segment, Selector, Service, StatusSpec, Style, Type, TypeKind,
};
use std::path::Path;

fn service(yaml: &str) -> Service {
    let document = parse(Path::new("api.yaml"), yaml).unwrap_or_else(|errors| panic!("{errors}"));
    lower(&document, "api", "openapi/api.yaml").unwrap_or_else(|errors| panic!("{errors}"))
}

fn errors(yaml: &str) -> String {
    let document = parse(Path::new("api.yaml"), yaml).unwrap_or_else(|errors| panic!("{errors}"));
    match lower(&document, "api", "openapi/api.yaml") {
        Ok(_) => panic!("the document was accepted"),
        Err(errors) => errors.to_string(),
    }
}

fn fields<'a>(service: &'a Service, name: &str) -> &'a [Field] {
    match &service
        .types
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no type {name}"))
        .kind
    {
        TypeKind::Struct { fields, .. } => fields,
        other => panic!("{name} is {other:?}"),
    }
}

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\n";

#[test]
fn properties_map_to_rust_types_and_names() {
    let service = service(&format!(
        "{HEAD}paths: {{}}
components:
  schemas:
    Profile:
      type: object
      required: [id, Count]
      properties:
        id: {{type: string, format: uuid}}
        Count: {{type: integer, format: int32}}
        big: {{type: integer, format: uint64}}
        type: {{type: string}}
        when: {{type: string, format: date-time, nullable: true}}
        tags: {{type: array, items: {{type: string}}}}
        extra: {{type: object, additionalProperties: {{type: integer}}}}
        anything: {{type: object, additionalProperties: {{}}}}
        free: {{type: object}}
        ratio: {{type: number}}
"
    ));
    let got: Vec<(&str, &str, &Type, bool)> = fields(&service, "Profile")
        .iter()
        .map(|f| (f.name.as_str(), f.wire_name.as_str(), &f.ty, f.optional))
        .collect();
    let opt = |t: Type| Type::Option(Box::new(t));
    assert_eq!(
        got,
        [
            ("id", "id", &Type::Uuid, false),
            ("count", "Count", &Type::I32, false),
            ("big", "big", &opt(Type::U64), true),
            ("r#type", "type", &opt(Type::String), true),
            ("when", "when", &opt(opt(Type::DateTime)), true),
            (
                "tags",
                "tags",
                &opt(Type::Vec(Box::new(Type::String))),
                true
            ),
            ("extra", "extra", &opt(Type::Map(Box::new(Type::I64))), true),
            (
                "anything",
                "anything",
                &opt(Type::Map(Box::new(Type::Json))),
                true
            ),
            ("free", "free", &opt(Type::JsonObject), true),
            ("ratio", "ratio", &opt(Type::F64), true),
        ]
    );
}

#[test]
fn a_described_reference_is_the_referenced_type_and_inline_objects_are_named_by_place() {
    let service = service(&format!(
        "{HEAD}paths: {{}}
components:
  schemas:
    Outer:
      type: object
      properties:
        state:
          description: The state.
          allOf: [{{$ref: '#/components/schemas/State'}}]
        inner:
          type: object
          properties:
            level: {{type: string, enum: [user, all]}}
    State: {{type: string, x-extensible-enum: [Online, Away]}}
"
    ));
    let outer = fields(&service, "Outer");
    assert_eq!(
        outer[0].ty,
        Type::Option(Box::new(Type::Named("State".into())))
    );
    assert_eq!(outer[0].docs, "The state.");
    assert_eq!(
        outer[1].ty,
        Type::Option(Box::new(Type::Named("OuterInner".into())))
    );
    assert_eq!(
        fields(&service, "OuterInner")[0].ty,
        Type::Option(Box::new(Type::Named("OuterInnerLevel".into())))
    );
    let state = service
        .types
        .iter()
        .find(|t| t.name == "State")
        .expect("State");
    assert_eq!(
        state.kind,
        TypeKind::Enum {
            variants: vec![
                EnumVariant {
                    name: "Online".into(),
                    wire: "Online".into()
                },
                EnumVariant {
                    name: "Away".into(),
                    wire: "Away".into()
                }
            ],
            open: true
        }
    );
    let level = service
        .types
        .iter()
        .find(|t| t.name == "OuterInnerLevel")
        .expect("OuterInnerLevel");
    assert!(matches!(level.kind, TypeKind::Enum { open: false, .. }));
}

#[test]
fn a_type_that_contains_itself_is_boxed() {
    let service = service(&format!(
        "{HEAD}paths: {{}}
components:
  schemas:
    Node:
      type: object
      properties:
        next: {{$ref: '#/components/schemas/Node'}}
        children: {{type: array, items: {{$ref: '#/components/schemas/Node'}}}}
"
    ));
    let node = fields(&service, "Node");
    assert_eq!(
        node[0].ty,
        Type::Option(Box::new(Type::Box(Box::new(Type::Named("Node".into())))))
    );
    assert_eq!(
        node[1].ty,
        Type::Option(Box::new(Type::Vec(Box::new(Type::Named("Node".into()))))),
        "a Vec is indirection enough"
    );
}

#[test]
fn an_operation_gets_its_parameters_responses_and_security() {
    let service = service(&format!(
        "{HEAD}paths:
  /users/xuid({{xuid}}):
    parameters:
      - {{name: xuid, in: path, required: true, schema: {{type: integer, format: uint64}}}}
    get:
      operationId: getUserPresence
      security: [{{oauth: [read]}}, {{basic: []}}]
      parameters:
        - {{name: X-Contract, in: header, required: true, schema: {{type: string}}}}
        - {{name: Accept, in: header, schema: {{type: string}}}}
        - {{name: fields, in: query, style: form, explode: false, schema: {{type: array, items: {{type: string}}}}}}
      responses:
        '200': {{description: ok, content: {{application/json: {{schema: {{type: object, properties: {{a: {{type: string}}}}}}}}}}}}
        '403': {{description: forbidden}}
        4XX: {{description: other client errors, content: {{text/plain: {{schema: {{type: string}}}}}}}}
        default: {{description: anything else}}
components:
  securitySchemes:
    oauth: {{type: oauth2, flows: {{implicit: {{authorizationUrl: 'https://a', scopes: {{read: r}}}}}}}}
    basic: {{type: http, scheme: basic}}
"
    ));
    let op = &service.operations[0];
    assert_eq!(
        (
            op.name.as_str(),
            op.type_prefix.as_str(),
            op.method.as_str()
        ),
        ("get_user_presence", "GetUserPresence", "GET")
    );
    let params: Vec<(&str, &str, ParamLocation, bool, Option<bool>)> = op
        .params
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.wire_name.as_str(),
                p.location,
                p.required,
                p.list.then_some(p.explode),
            )
        })
        .collect();
    assert_eq!(
        params,
        [
            ("xuid", "xuid", ParamLocation::Path, true, None),
            (
                "x_contract",
                "x-contract",
                ParamLocation::Header,
                true,
                None
            ),
            ("fields", "fields", ParamLocation::Query, false, Some(false)),
        ],
        "Accept is HTTP's own header and is not a parameter"
    );
    let responses: Vec<(StatusSpec, &str)> = op
        .responses
        .iter()
        .map(|r| (r.status, r.variant.as_str()))
        .collect();
    assert_eq!(
        responses,
        [
            (StatusSpec::Code(200), "Ok"),
            (StatusSpec::Code(403), "Forbidden"),
            (StatusSpec::Range(4), "Status4xx"),
            (StatusSpec::Default, "Default")
        ]
    );
    assert_eq!(
        op.responses[0].body,
        ResponseBody::Json(Type::Named("GetUserPresenceOkBody".into()))
    );
    assert_eq!(op.responses[2].body, ResponseBody::Text);
    assert_eq!(op.security, Security::Required(vec![vec![0], vec![1]]));
    assert_eq!(
        op.unauthenticated_status, 403,
        "the operation documents 403 and not 401"
    );
    assert_eq!(
        service.security_schemes[0].kind,
        SchemeKind::Bearer,
        "an OAuth 2.0 token travels as a bearer token"
    );
    assert_eq!(service.security_schemes[1].kind, SchemeKind::Basic);
}

#[test]
fn an_operation_without_id_is_named_from_method_and_path() {
    let service = service(&format!(
        "{HEAD}paths:
  /pets/{{petId}}/toys:
    get:
      parameters: [{{name: petId, in: path, required: true, schema: {{type: string}}}}]
      responses: {{'204': {{description: none}}}}
"
    ));
    assert_eq!(service.operations[0].name, "get_pets_pet_id_toys");
    assert_eq!(service.operations[0].responses[0].body, ResponseBody::Empty);
}

#[test]
fn mistakes_are_reported_together_with_their_pointers() {
    let message = errors(&format!(
        "{HEAD}paths:
  /a/{{id}}:
    get:
      operationId: same
      responses: {{'200': {{description: ok}}}}
  /b:
    get:
      operationId: same
      security: [{{nowhere: []}}]
      parameters:
        - {{name: tags, in: cookie, content: {{application/xml: {{schema: {{type: object}}}}}}}}
      responses: {{'200': {{description: ok}}}}
"
    ));
    assert!(message.contains("api.yaml#/paths/~1a~1{id}/get: the path names `{id}` but no path parameter `id` is declared"), "{message}");
    assert!(
        message.contains(
            "api.yaml#/paths/~1b/get: operationId `same` is already used at /paths/~1a~1{id}/get"
        ),
        "{message}"
    );
    assert!(
        !message.contains("nowhere"),
        "an undefined scheme is a warning: {message}"
    );
    assert!(message.contains("api.yaml#/paths/~1b/get/parameters/0/content/application~1xml: parameter `tags` is described by `content: application/xml` with a schema that is not a string"), "{message}");
    assert_eq!(
        message.matches("help:").count(),
        3,
        "every error says what to do: {message}"
    );
}

#[test]
fn all_of_merges_properties_and_shares_the_inline_types_of_its_parts() {
    let service = service(&format!(
        "{HEAD}paths: {{}}
components:
  schemas:
    Item:
      allOf:
        - $ref: '#/components/schemas/NewItem'
        - type: object
          required: [id]
          properties:
            id: {{type: string}}
    NewItem:
      type: object
      required: [sku]
      properties:
        sku: {{type: string}}
        size: {{type: object, properties: {{width: {{type: number}}}}}}
"
    ));
    let item: Vec<(&str, &Type)> = fields(&service, "Item")
        .iter()
        .map(|f| (f.name.as_str(), &f.ty))
        .collect();
    let size = Type::Option(Box::new(Type::Named("NewItemSize".into())));
    assert_eq!(
        item,
        [
            ("sku", &Type::String),
            ("size", &size),
            ("id", &Type::String)
        ]
    );
    let names: Vec<&str> = service.types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names,
        ["NewItemSize", "Item", "NewItem"],
        "one type for `size`, named after its component"
    );
}

#[test]
fn a_deep_object_query_parameter_of_any_shape_becomes_its_type_and_form_nesting_travels_in_brackets()
 {
    let service = service(&format!(
        "{HEAD}paths:
  /items:
    get:
      parameters:
        - name: filter
          in: query
          style: deepObject
          schema:
            type: object
            properties:
              color: {{type: string}}
              minStock: {{type: integer}}
              size: {{type: object, properties: {{min: {{type: number}}}}}}
        - name: labels
          in: query
          style: deepObject
          schema: {{type: object, additionalProperties: {{type: string}}}}
      responses: {{'200': {{description: ok}}}}
"
    ));
    let params = &service.operations[0].params;
    let filter = &params[0];
    assert_eq!(filter.style, Style::DeepObject);
    assert_eq!(filter.location, ParamLocation::Query);
    assert_eq!(filter.wire_name, "filter");
    assert_eq!(filter.ty, Type::Named("GetItemsFilter".into()));
    let names: Vec<&str> = fields(&service, "GetItemsFilter")
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(names, ["color", "min_stock", "size"]);
    assert_eq!(params[1].style, Style::DeepObject);
    assert_eq!(params[1].ty, Type::Map(Box::new(Type::String)));

    let message = errors(&format!(
        "{HEAD}paths:
  /items:
    get:
      parameters:
        - name: tags
          in: query
          style: deepObject
          schema: {{type: object, properties: {{names: {{type: array, items: {{type: string}}}}}}}}
        - {{name: plain, in: query, schema: {{type: object, properties: {{a: {{type: object}}}}}}}}
        - {{name: shade, in: query, schema: {{type: object, properties: {{a: {{type: string}}}}}}}}
        - {{name: words, in: query, schema: {{type: object, additionalProperties: {{type: string}}}}}}
      responses: {{'200': {{description: ok}}}}
"
    ));
    assert!(
        !message.contains("parameters/0"),
        "a deepObject value may hold arrays (`tags[names][0]=a`): {message}"
    );
    assert!(
        !message.contains("parameters/1"),
        "an object of objects in `style: form` travels in deepObject brackets: {message}"
    );
    assert!(
        !message.contains("parameters/2"),
        "an object of scalars travels in `style: form`: {message}"
    );
    assert!(
        message.contains("api.yaml#/paths/~1items/get/parameters/3: parameter `words` is a map in `style: form` exploded"),
        "{message}"
    );
}

#[test]
fn a_one_of_with_a_discriminator_is_tagged_by_mapping_or_schema_name() {
    let service = service(&format!(
        "{HEAD}paths: {{}}
components:
  schemas:
    Pet:
      oneOf: [{{$ref: '#/components/schemas/Cat'}}, {{$ref: '#/components/schemas/Dog'}}]
      discriminator:
        propertyName: kind
        mapping: {{cat: '#/components/schemas/Cat', kitten: Cat}}
    Cat: {{type: object, properties: {{kind: {{type: string}}, lives: {{type: integer}}}}}}
    Dog: {{type: object, properties: {{kind: {{type: string}}}}}}
    Loose:
      oneOf: [{{$ref: '#/components/schemas/Cat'}}, {{type: string}}]
      discriminator: {{propertyName: kind}}
"
    ));
    let TypeKind::Union { variants, tag } = &service.types[0].kind else {
        panic!("Pet is not a union");
    };
    assert_eq!(tag.as_deref(), Some("kind"));
    assert_eq!(variants[0].name, "Cat");
    assert_eq!(variants[0].tag_values, ["cat", "kitten"]);
    // No mapping entry: the schema's name is the tag value.
    assert_eq!(variants[1].tag_values, ["Dog"]);
    // An inline alternative has no name to be tagged by: the union stays untagged.
    let TypeKind::Union { variants, tag } = &service.types[3].kind else {
        panic!("Loose is not a union");
    };
    assert_eq!(*tag, None);
    assert!(variants.iter().all(|v| v.tag_values.is_empty()));
}

#[test]
fn a_schema_that_contains_itself_through_an_array_becomes_a_newtype() {
    let service = service(&format!(
        "{HEAD}paths: {{}}
components:
  schemas:
    Tree: {{type: array, items: {{$ref: '#/components/schemas/Tree'}}}}
    Forest: {{$ref: '#/components/schemas/Tree'}}
"
    ));
    assert_eq!(
        service.types[0].kind,
        TypeKind::Newtype(Type::Vec(Box::new(Type::Named("Tree".into()))))
    );
    assert_eq!(
        service.types[1].kind,
        TypeKind::Alias(Type::Named("Tree".into()))
    );
}

#[test]
fn references_that_only_lead_to_each_other_are_refused_with_their_cycle() {
    let message = errors(&format!(
        "{HEAD}paths:
  /a:
    $ref: '#/paths/~1b'
  /b:
    $ref: '#/paths/~1a'
  /c:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {{type: array, items: {{$ref: '#/paths/~1c/get/responses/200/content/application~1json/schema'}}}}
components:
  schemas:
    A: {{$ref: '#/components/schemas/B'}}
    B: {{$ref: '#/components/schemas/A'}}
"
    ));
    assert!(
        message.contains("api.yaml#/components/schemas/A: `$ref` cycle: A -> B -> A refer to each other and never to a schema"),
        "{message}"
    );
    assert!(
        message.contains("api.yaml#/paths/~1a/$ref: `$ref: #/paths/~1b` leads back to itself"),
        "{message}"
    );
    assert!(
        message.contains(
            "leads back to itself, and only `components/schemas` entries can be recursive types"
        ),
        "{message}"
    );
}

#[test]
fn a_parameter_of_any_type_or_of_several_travels_as_text() {
    let service = service(&format!(
        "{HEAD}paths:
  /advisories:
    get:
      parameters:
        - {{name: cwes, in: query, schema: {{oneOf: [{{type: string}}, {{type: array, items: {{type: string}}}}]}}}}
        - {{name: range, in: query, schema: {{example: '20180526,null'}}}}
      security: [{{oauth: [read]}}, {{oauth: [write]}}]
      responses: {{'204': {{description: ok}}}}
components:
  securitySchemes:
    oauth: {{type: http, scheme: bearer}}
"
    ));
    let operation = &service.operations[0];
    for param in &operation.params {
        assert_eq!(param.ty, Type::String, "{}", param.wire_name);
        assert!(!param.list);
        assert!(
            param.docs.contains("travels as the text given"),
            "{}",
            param.docs
        );
    }
    // Alternatives that differ only in scopes are one.
    assert_eq!(operation.security, Security::Required(vec![vec![0]]));
}

#[test]
fn an_enum_of_strings_without_a_type_is_a_string_enum() {
    let service = service(&format!(
        "{HEAD}paths: {{}}
components:
  schemas:
    AccountType: {{enum: [SAVER, TRANSACTIONAL]}}
"
    ));
    let TypeKind::Enum { variants, open } = &service.types[0].kind else {
        panic!("{:?}", service.types[0].kind);
    };
    assert!(!open);
    assert_eq!(variants[1].wire, "TRANSACTIONAL");
}

#[test]
fn a_schema_written_out_again_elsewhere_is_one_type_named_after_its_first_place() {
    // GitHub repeats `direction` in every list operation and one permissions object per
    // webhook event: one type each, not one per place.
    let service = service(&format!(
        "{HEAD}paths:
  /issues:
    get:
      operationId: listIssues
      parameters:
        - {{name: direction, in: query, schema: {{type: string, enum: [asc, desc]}}}}
      responses: {{'204': {{description: none}}}}
  /pulls:
    get:
      operationId: listPulls
      parameters:
        - {{name: direction, in: query, schema: {{type: string, enum: [asc, desc]}}}}
        - {{name: state, in: query, schema: {{type: string, enum: [asc, desc, both]}}}}
      responses: {{'204': {{description: none}}}}
components:
  schemas:
    Issue:
      type: object
      properties:
        permissions: {{type: object, properties: {{read: {{type: boolean}}}}}}
    Pull:
      type: object
      properties:
        permissions: {{type: object, properties: {{read: {{type: boolean}}}}}}
"
    ));
    let names: Vec<&str> = service.types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names
            .iter()
            .filter(|name| name.contains("Direction"))
            .count(),
        1,
        "{names:?}"
    );
    assert!(names.contains(&"ListPullsState"), "{names:?}");
    let permissions: Vec<_> = service
        .types
        .iter()
        .filter(|t| t.name.contains("Permissions"))
        .collect();
    assert_eq!(permissions.len(), 1, "{names:?}");
    assert_eq!(
        fields(&service, "Pull")[0].ty,
        Type::Option(Box::new(Type::Named(permissions[0].name.clone())))
    );
    assert!(
        permissions[0]
            .docs
            .contains("written out again at:\n- `/components/schemas/Pull/properties/permissions`"),
        "{}",
        permissions[0].docs
    );
}

#[test]
fn a_struct_defaults_only_when_the_empty_value_of_each_required_property_is_valid() {
    let service = service(&format!(
        "{HEAD}paths: {{}}
components:
  schemas:
    Loose:
      type: object
      required: [name, count, tags, code]
      properties:
        name: {{type: string}}
        count: {{type: integer, minimum: 0}}
        tags: {{type: array, items: {{type: string}}}}
        code: {{type: string, pattern: '^[a-z]*$'}}
        label: {{type: string, minLength: 1}}
    NonEmptyName:
      type: object
      required: [name]
      properties:
        name: {{type: string, minLength: 1}}
    PatternedCode:
      type: object
      required: [code]
      properties:
        code: {{type: string, pattern: '^[0-9a-f]{{24}}$'}}
    PositiveCount:
      type: object
      required: [count]
      properties:
        count: {{type: integer, exclusiveMinimum: true, minimum: 0}}
    ListedCount:
      type: object
      required: [count]
      properties:
        count: {{type: integer, enum: [1, 2]}}
    NonEmptyTags:
      type: object
      required: [tags]
      properties:
        tags: {{type: array, minItems: 1, items: {{type: string}}}}
    Kind:
      type: string
      enum: [a, b]
    WithKind:
      type: object
      required: [kind]
      properties:
        kind: {{$ref: '#/components/schemas/Kind'}}
"
    ));
    let defaults = |name: &str| match &service
        .types
        .iter()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no type {name}"))
        .kind
    {
        TypeKind::Struct { default, .. } => *default,
        other => panic!("{name} is {other:?}"),
    };
    // An optional property is absent by default, whatever its constraints.
    assert!(defaults("Loose"));
    for name in [
        "NonEmptyName",
        "PatternedCode",
        "PositiveCount",
        "ListedCount",
        "NonEmptyTags",
        "WithKind",
    ] {
        assert!(!defaults(name), "{name} must not promise a valid Default");
    }
}

#[test]
fn swagger_2_is_read_with_errors_in_its_own_file() {
    // A Swagger 2.0 document is converted on load; what is wrong in it is reported where
    // the user wrote it, not where the conversion put it.
    let swagger = parse(
        Path::new("api.yaml"),
        "swagger: '2.0'
info: {title: T, version: '1'}
paths: {}
definitions:
  Pet:
    type: object
    properties:
      owner: {$ref: '#/definitions/Owner'}
",
    )
    .map(|_| ())
    .expect_err("a broken Swagger 2.0 document was read")
    .to_string();
    assert!(
        swagger.contains("api.yaml#/definitions/Pet/properties/owner/$ref"),
        "{swagger}"
    );
    let older = parse(
        Path::new("api.yaml"),
        "swagger: '1.2'\ninfo: {title: T, version: '1'}\npaths: {}\n",
    )
    .map(|_| ())
    .expect_err("Swagger 1.2 was read")
    .to_string();
    assert!(
        older.contains("api.yaml#/swagger: Swagger 1.2 is not supported"),
        "{older}"
    );
    let read = parse(
        Path::new("api.yaml"),
        "swagger: '2.0'\ninfo: {title: T, version: '1'}\nhost: example.com\nbasePath: /v1\npaths: {}\n",
    )
    .expect("a Swagger 2.0 document is read");
    assert_eq!(read.value["openapi"], "3.0.3");
    assert_eq!(read.value["servers"][0]["url"], "https://example.com/v1");
}

#[test]
fn parameters_given_by_content_travel_as_json_text_or_as_plain_text() {
    let service = service(&format!(
        "{HEAD}paths:
  /a/{{id}}:
    get:
      operationId: a
      parameters:
        - name: id
          in: path
          required: true
          content: {{application/json: {{schema: {{type: array, items: {{type: integer}}}}}}}}
        - name: filter
          in: query
          content: {{application/json: {{schema: {{type: object, properties: {{a: {{type: object}}}}}}}}}}
        - name: X-Meta
          in: header
          content: {{application/json: {{}}}}
        - name: X-Note
          in: header
          content: {{text/plain: {{schema: {{type: string}}}}}}
      responses: {{'200': {{description: ok}}}}
"
    ));
    let params: Vec<(&str, &Type, bool, bool)> = service.operations[0]
        .params
        .iter()
        .map(|p| (p.wire_name.as_str(), &p.ty, p.json, p.list))
        .collect();
    assert_eq!(
        params,
        [
            ("id", &Type::Vec(Box::new(Type::I64)), true, false),
            ("filter", &Type::Named("AFilter".to_owned()), true, false),
            ("x-meta", &Type::Json, true, false),
            ("x-note", &Type::String, false, false),
        ],
        "a JSON value keeps its whole type; plain text is a string parameter"
    );
}

#[test]
fn objects_of_scalars_in_headers_and_path_segments_keep_their_style_and_members() {
    let service = service(&format!(
        "{HEAD}paths:
  /a/{{badge}}:
    get:
      operationId: a
      parameters:
        - {{name: badge, in: path, required: true, style: matrix, explode: true, schema: {{$ref: '#/components/schemas/Badge'}}}}
        - {{name: X-Badge, in: header, schema: {{$ref: '#/components/schemas/Badge'}}}}
        - {{name: X-Map, in: header, explode: true, schema: {{type: object, additionalProperties: {{type: integer}}}}}}
      responses: {{'200': {{description: ok}}}}
components:
  schemas:
    Badge:
      type: object
      properties: {{name: {{type: string}}, level: {{type: integer}}}}
"
    ));
    let params: Vec<(&str, Style, bool, Option<&[String]>)> = service.operations[0]
        .params
        .iter()
        .map(|p| {
            (
                p.wire_name.as_str(),
                p.style,
                p.explode,
                p.object.as_deref(),
            )
        })
        .collect();
    let members = ["name".to_owned(), "level".to_owned()];
    assert_eq!(
        params,
        [
            ("badge", Style::Matrix, true, Some(&members[..])),
            ("x-badge", Style::Simple, false, Some(&members[..])),
            ("x-map", Style::Simple, true, Some(&[][..])),
        ]
    );
}

#[test]
fn what_has_no_text_form_is_refused_saying_what_to_write_instead() {
    let message = errors(&format!(
        "{HEAD}paths:
  /a:
    put:
      operationId: a
      parameters:
        - name: content
          in: header
          schema: {{type: array, items: {{type: object, properties: {{a: {{type: string}}}}}}}}
        - name: nested
          in: cookie
          schema: {{type: object, properties: {{a: {{type: object}}}}}}
      responses: {{'200': {{description: ok}}}}
"
    ));
    assert!(
        message.contains("api.yaml#/paths/~1a/put/parameters/0: header parameter `content` is an array of objects or arrays, for which OpenAPI defines no serialisation in `style: simple`"),
        "{message}"
    );
    assert!(
        message.contains("api.yaml#/paths/~1a/put/parameters/1: cookie parameter `nested` is an object of other than scalars"),
        "{message}"
    );
    assert_eq!(
        message
            .matches("help: describe it with `content: {application/json: {schema: ...}}`")
            .count(),
        2,
        "{message}"
    );
}

#[test]
fn a_blank_description_gets_the_fallback_documentation() {
    let service = service(&format!(
        "{HEAD}paths:
  /jobs:
    get:
      operationId: listJobs
      summary: ' '
      description: ''
      responses:
        '204': {{description: none}}
components:
  schemas:
    Blank:
      description: ''
      title: '  '
      type: object
      properties:
        name: {{type: string}}
"
    ));
    let blank = service
        .types
        .iter()
        .find(|t| t.name == "Blank")
        .expect("the type");
    assert!(!blank.docs.trim().is_empty(), "{:?}", blank.docs);
    assert_eq!(service.operations[0].docs, "`GET /jobs`.");
}

#[test]
fn a_security_scheme_the_document_never_defines_is_a_warning_and_a_bearer_slot() {
    let service = service(&format!(
        "{HEAD}security: [{{nowhere: []}}]
paths:
  /a:
    get:
      responses: {{'200': {{description: ok}}}}
  /b:
    get:
      security: [{{nowhere: []}}, {{elsewhere: [read]}}]
      responses: {{'200': {{description: ok}}}}
"
    ));
    let schemes: Vec<(&str, &SchemeKind)> = service
        .security_schemes
        .iter()
        .map(|s| (s.key.as_str(), &s.kind))
        .collect();
    assert_eq!(
        schemes,
        [
            ("nowhere", &SchemeKind::Bearer),
            ("elsewhere", &SchemeKind::Bearer)
        ]
    );
    assert_eq!(
        service.operations[1].security,
        Security::Required(vec![vec![0], vec![1]])
    );
    let warnings: Vec<String> = service.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 2, "one per scheme: {warnings:?}");
    assert!(
        warnings[0].contains("api.yaml#/security: security scheme `nowhere` is not defined under `components/securitySchemes`: its operations take a bearer token for it"),
        "{warnings:?}"
    );
    assert!(
        warnings[1].contains("#/paths/~1b/get/security: security scheme `elsewhere`"),
        "{warnings:?}"
    );
}

#[test]
fn touching_path_parameters_need_a_shape_for_the_first() {
    let yaml = |first: &str| {
        format!(
            "{HEAD}paths:
  /files/{{id}}{{ext}}:
    get:
      parameters:
        - {{name: id, in: path, required: true, schema: {first}}}
        - {{name: ext, in: path, required: true, schema: {{type: string}}}}
      responses: {{'200': {{description: ok}}}}
"
        )
    };
    let message = errors(&yaml("{type: string}"));
    assert!(
        message.contains("api.yaml#/paths/~1files~1{id}{ext}: path parameters `{id}{ext}` touch, and nothing tells where `id` ends (it has no `pattern`, and is neither an integer nor a closed enumeration), so their values cannot be told apart"),
        "{message}"
    );
    assert!(message.contains("help: give `id` a `pattern`"), "{message}");
    for shaped in [
        "{type: integer}",
        "{type: string, pattern: '^[a-z]+$'}",
        "{type: string, enum: [tar, tar.gz]}",
    ] {
        let service = service(&yaml(shaped));
        let Segment::Params { patterns, .. } = &service.operations[0].segments[1] else {
            panic!("{:?}", service.operations[0].segments);
        };
        assert!(
            patterns[0].is_some() && patterns[1].is_none(),
            "{shaped}: {patterns:?}"
        );
    }
    let service = service(&yaml("{type: string, enum: [tar, tar.gz]}"));
    let Segment::Params { patterns, .. } = &service.operations[0].segments[1] else {
        panic!("{:?}", service.operations[0].segments);
    };
    assert_eq!(
        patterns[0].as_deref(),
        Some(r"(?:tar\.gz|tar)"),
        "the longest value first"
    );
    let open = errors(&yaml("{type: string, x-extensible-enum: [a, b]}"));
    assert!(
        open.contains("nothing tells where `id` ends"),
        "an open enum may hold anything: {open}"
    );
}

#[test]
fn an_undefined_scheme_behind_a_referenced_path_item_is_a_warning_where_it_is_written() {
    let service = service(&format!(
        "{HEAD}x-items:
  thing:
    get:
      security: [{{nowhere: []}}]
      responses: {{'200': {{description: ok}}}}
paths:
  /a: {{$ref: '#/x-items/thing'}}
"
    ));
    assert_eq!(service.security_schemes[0].kind, SchemeKind::Bearer);
    let warning = service.warnings[0].to_string();
    assert!(
        warning.contains("api.yaml#/x-items/thing/get/security: security scheme `nowhere`"),
        "{warning}"
    );
}

#[test]
fn a_path_fragment_is_a_warning_and_one_value_parameters_select_the_operation() {
    let service = service(&format!(
        "{HEAD}paths:
  '/#X-Amz-Target=Store.Put':
    post:
      operationId: put
      parameters:
        - {{name: X-Amz-Target, in: header, required: true, schema: {{type: string, enum: [Store.Put]}}}}
        - {{name: Mode, in: query, required: false, schema: {{type: string, enum: [fast]}}}}
      responses: {{'200': {{description: ok}}}}
  '/#Action=List':
    get:
      operationId: list
      parameters:
        - {{name: Action, in: query, required: true, schema: {{type: string, enum: [List]}}}}
        - {{name: Version, in: query, required: true, schema: {{type: string, enum: ['1', '2']}}}}
      responses: {{'200': {{description: ok}}}}
"
    ));
    let put = &service.operations[0];
    assert_eq!(put.path, "/#X-Amz-Target=Store.Put", "the path as written");
    assert_eq!(put.route(), "/");
    assert_eq!(
        put.selectors,
        [Selector {
            location: ParamLocation::Header,
            wire_name: "x-amz-target".to_owned(),
            value: "Store.Put".to_owned()
        }],
        "an optional parameter, or one of several values, selects nothing"
    );
    let list = &service.operations[1];
    assert_eq!(list.selectors.len(), 1);
    assert_eq!(
        crate::model::route_of("/send/#env/v1/partners/{partnerId}"),
        "/send/#env/v1/partners/{partnerId}",
        "a `#` before path parameters is no selector: the path stays as written"
    );
    assert_eq!(list.selectors[0].location, ParamLocation::Query);
    let warnings: Vec<String> = service.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 2, "one per path: {warnings:?}");
    assert!(
        warnings[0].contains("api.yaml#/paths/~1#X-Amz-Target=Store.Put: path `/#X-Amz-Target=Store.Put` ends in the fragment `#X-Amz-Target=Store.Put`, which no HTTP request carries: the operation is served and called at `/`"),
        "{warnings:?}"
    );
}

/// What a value of the field `field` of `Thing` must satisfy: the field's constraints
/// and those of the aliases its type names, as the generated checks read them.
fn checked(service: &Service, field: &str) -> Constraints {
    let field = fields(service, "Thing")
        .iter()
        .find(|f| f.wire_name == field)
        .unwrap_or_else(|| panic!("no field {field}"));
    through_aliases(service, &field.ty, &field.constraints)
}

/// `place` with the constraints of the aliases `ty` names (inside its `Option`).
fn through_aliases(service: &Service, ty: &Type, place: &Constraints) -> Constraints {
    let ty = match ty {
        Type::Option(inner) => inner,
        ty => ty,
    };
    place
        .clone()
        .through_aliases(ty, |name| {
            service
                .types
                .iter()
                .find(|def| def.name == name)
                .and_then(|def| match &def.kind {
                    TypeKind::Alias(ty) => Some((ty, &def.constraints)),
                    _ => None,
                })
        })
        .1
}

fn integer(value: i128, exclusive: bool) -> Option<Bound> {
    Some(Bound {
        value: Number::Integer(value),
        exclusive,
    })
}

#[test]
fn a_reference_wrapped_in_all_of_keeps_the_referenced_constraints() {
    let service = service(&format!(
        "{HEAD}paths:
  /things:
    get:
      parameters:
        - name: code
          in: query
          schema:
            allOf: [{{$ref: '#/components/schemas/Code'}}, {{description: A code.}}]
      responses: {{'204': {{description: No content.}}}}
components:
  schemas:
    Code: {{type: string, minLength: 2, maxLength: 4}}
    Thing:
      type: object
      properties:
        described:
          allOf: [{{$ref: '#/components/schemas/Code'}}, {{description: The code.}}]
        shorter:
          allOf: [{{$ref: '#/components/schemas/Code'}}, {{maxLength: 3}}]
"
    ));
    let described = checked(&service, "described");
    assert_eq!(
        (described.min_length, described.max_length),
        (Some(2), Some(4))
    );
    // A part that only constrains leaves the type to the reference, and adds its bound.
    let shorter = fields(&service, "Thing")
        .iter()
        .find(|f| f.wire_name == "shorter")
        .expect("shorter");
    assert_eq!(
        shorter.ty,
        Type::Option(Box::new(Type::Named("Code".into())))
    );
    let shorter = checked(&service, "shorter");
    assert_eq!((shorter.min_length, shorter.max_length), (Some(2), Some(3)));
    // A parameter keeps them too.
    let param = &service.operations[0].params[0];
    let code = through_aliases(&service, &param.ty, &param.constraints);
    assert_eq!((code.min_length, code.max_length), (Some(2), Some(4)));
}

#[test]
fn every_all_of_part_bounds_the_value_and_the_tighter_bound_wins() {
    let service = service(&format!(
        "{HEAD}paths: {{}}
components:
  schemas:
    Percent: {{type: integer, format: int32, minimum: 0, maximum: 100}}
    Tiny:
      allOf:
        - {{$ref: '#/components/schemas/Percent'}}
        - {{type: integer, format: int32, minimum: 10, maximum: 200}}
    Thing:
      type: object
      properties:
        both:
          allOf:
            - {{type: integer, minimum: 1}}
            - {{type: integer, maximum: 9, exclusiveMaximum: true}}
        through: {{$ref: '#/components/schemas/Tiny'}}
        widened:
          allOf:
            - {{$ref: '#/components/schemas/Percent'}}
            - {{maximum: 1000}}
"
    ));
    let both = checked(&service, "both");
    assert_eq!(
        (both.minimum, both.maximum),
        (integer(1, false), integer(9, true))
    );
    // Through a reference to an `allOf` of a reference and bounds of its own.
    let through = checked(&service, "through");
    assert_eq!(
        (through.minimum, through.maximum),
        (integer(10, false), integer(100, false))
    );
    // A looser bound beside a tighter one changes nothing.
    let widened = checked(&service, "widened");
    assert_eq!(
        (widened.minimum, widened.maximum),
        (integer(0, false), integer(100, false))
    );
}

#[test]
fn integer_bounds_are_read_exactly_beyond_what_an_f64_holds() {
    let service = service(&format!(
        "{HEAD}paths: {{}}
components:
  schemas:
    Thing:
      type: object
      properties:
        big: {{type: integer, format: int64, maximum: 9007199254740993}}
        huge: {{type: integer, format: uint64, maximum: 18446744073709551614}}
        positive: {{type: integer, minimum: 0, exclusiveMinimum: true}}
        below: {{type: number, maximum: 1.5, exclusiveMaximum: true}}
"
    ));
    // 2^53 + 1, which an f64 rounds to 2^53.
    assert_eq!(
        checked(&service, "big").maximum,
        integer(9_007_199_254_740_993, false)
    );
    // Beyond i64: `openapiv3` reads it as an f64 (2^64); the document's text is exact.
    assert_eq!(
        checked(&service, "huge").maximum,
        integer(18_446_744_073_709_551_614, false)
    );
    // OpenAPI 3.0's boolean `exclusiveMinimum` makes the bound exclusive.
    assert_eq!(checked(&service, "positive").minimum, integer(0, true));
    assert_eq!(
        checked(&service, "below").maximum,
        Some(Bound {
            value: Number::Float(1.5),
            exclusive: true
        })
    );
}

#[test]
fn form_style_query_values_openapi_leaves_undefined_travel_in_brackets_with_a_warning() {
    let service = service(&format!(
        "{HEAD}paths:
  /markers:
    get:
      parameters:
        - {{name: timeline, in: query, required: true, schema: {{type: array, items: {{type: object}}}}}}
        - {{name: sort_by, in: query, schema: {{type: object, properties: {{at: {{type: object}}}}}}}}
      responses: {{'200': {{description: ok}}}}
"
    ));
    let params = &service.operations[0].params;
    assert!(
        params
            .iter()
            .all(|p| p.style == Style::DeepObject && !p.list),
        "{params:?}"
    );
    assert!(matches!(params[0].ty, Type::Vec(_)), "{:?}", params[0].ty);
    let warnings: Vec<String> = service.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(
        warnings[0].contains("api.yaml#/paths/~1markers/get/parameters/0: query parameter `timeline` is an array of objects or arrays in `style: form`, which OpenAPI leaves undefined: it travels in deepObject brackets"),
        "{warnings:?}"
    );
}
