//! Lowering OpenAPI 3.2 documents: each 3.2 construct, shown on a small document, comes
//! out as the model says (other methods as operations of their own, the query string as
//! one typed parameter, tags and security scheme fields in docs), and what is refused is
//! refused where the user wrote it.

use super::lower;
use crate::load::parse;
use crate::model::{ParamLocation, Service, Style};
use std::path::Path;

const HEAD: &str = "openapi: 3.2.0\ninfo: {title: T, version: '1'}\n";

fn service(yaml: &str) -> Service {
    let document = parse(Path::new("api.yaml"), yaml).unwrap_or_else(|errors| panic!("{errors}"));
    lower(&document, "api", "openapi/api.yaml").unwrap_or_else(|errors| panic!("{errors}"))
}

/// The errors reading or lowering `yaml` gives, as the user sees them.
fn errors(yaml: &str) -> String {
    let document = match parse(Path::new("api.yaml"), yaml) {
        Ok(document) => document,
        Err(errors) => return errors.to_string(),
    };
    match lower(&document, "api", "openapi/api.yaml") {
        Ok(_) => panic!("the document was accepted"),
        Err(errors) => errors.to_string(),
    }
}

const ITEM: &str = "{responses: {'204': {description: Done.}}}";

#[test]
fn query_and_additional_operations_are_operations_of_their_methods() {
    let service = service(&format!(
        "{HEAD}paths:
  /things/{{id}}:
    parameters: [{{name: id, in: path, required: true, schema: {{type: string}}}}]
    get: {ITEM}
    query:
      operationId: findThings
      requestBody: {{content: {{application/json: {{schema: {{type: object}}}}}}}}
      responses: {{'200': {{description: Found.}}}}
    additionalOperations:
      COPY: {ITEM}
      PURGE: {{operationId: purge, responses: {{'204': {{description: Gone.}}}}}}
"
    ));
    let methods: Vec<(&str, &str)> = service
        .operations
        .iter()
        .map(|o| (o.method.as_str(), o.name.as_str()))
        .collect();
    assert_eq!(
        methods,
        [
            ("GET", "get_things_id"),
            ("QUERY", "find_things"),
            ("COPY", "copy_things_id"),
            ("PURGE", "purge")
        ]
    );
    // Path-level parameters apply to every method, the body to QUERY.
    assert!(
        service
            .operations
            .iter()
            .all(|o| o.params[0].location == ParamLocation::Path)
    );
    assert!(service.operations[1].body.is_some());
    assert!(!service.operations[1].has_standard_method());
}

#[test]
fn additional_operations_of_fixed_methods_or_bad_names_are_refused_where_written() {
    let errors = errors(&format!(
        "{HEAD}paths:
  /a:
    additionalOperations:
      POST: {ITEM}
      'NOT A METHOD': {ITEM}
"
    ));
    assert!(
        errors.contains("api.yaml#/paths/~1a/additionalOperations/POST: `additionalOperations` names `POST`, which the path item's `post` field stands for"),
        "{errors}"
    );
    assert!(
        errors.contains("api.yaml#/paths/~1a/additionalOperations/NOT A METHOD: `additionalOperations` names `NOT A METHOD`, which is not an HTTP method name"),
        "{errors}"
    );
}

#[test]
fn errors_inside_other_methods_point_where_the_user_wrote_them() {
    let found = errors(&format!(
        "{HEAD}paths:
  /a:
    query:
      requestBody: {{content: {{application/json: {{schema: {{$ref: '#/components/schemas/Missing'}}}}}}}}
      responses: {{'200': {{description: Found.}}}}
    additionalOperations:
      COPY: {{responses: 12}}
"
    ));
    assert!(
        found.contains("api.yaml#/paths/~1a/query/requestBody/content/application~1json/schema/$ref: `$ref: #/components/schemas/Missing` points at nothing"),
        "{found}"
    );
    let found = errors(&format!(
        "{HEAD}paths:
  /a:
    additionalOperations:
      COPY: {{responses: 12}}
"
    ));
    assert!(
        found.contains("api.yaml#/paths/~1a/additionalOperations/COPY:"),
        "{found}"
    );
}

#[test]
fn a_querystring_form_is_one_typed_parameter_of_the_whole_query() {
    let service = service(&format!(
        "{HEAD}paths:
  /search:
    get:
      parameters:
        - name: filter
          in: querystring
          required: true
          content:
            application/x-www-form-urlencoded:
              schema:
                type: object
                properties: {{q: {{type: string}}, limit: {{type: integer}}}}
      responses: {{'200': {{description: Found.}}}}
"
    ));
    let param = &service.operations[0].params[0];
    assert_eq!(param.location, ParamLocation::Query);
    assert_eq!((param.style, param.explode), (Style::Form, true));
    assert_eq!(
        param.object.as_deref(),
        Some(&["q".to_owned(), "limit".to_owned()][..])
    );
    assert!(param.required);
}

#[test]
fn a_json_querystring_is_one_typed_parameter_of_json_text() {
    let service = service(&format!(
        "{HEAD}paths:
  /search:
    get:
      parameters:
        - name: filter
          in: querystring
          content:
            application/json:
              schema: {{type: object, properties: {{tags: {{type: array, items: {{type: string}}}}}}}}
      responses: {{'200': {{description: Found.}}}}
"
    ));
    let param = &service.operations[0].params[0];
    assert_eq!(param.style, Style::JsonQueryString);
    assert!(param.is_serialized() && param.object.is_none() && !param.required);
}

#[test]
fn a_querystring_of_another_shape_is_refused_where_written() {
    let errors = errors(&format!(
        "{HEAD}paths:
  /search:
    get:
      parameters:
        - {{name: filter, in: querystring, content: {{text/plain: {{schema: {{type: string}}}}}}}}
      responses: {{'200': {{description: Found.}}}}
"
    ));
    assert!(
        errors.contains("api.yaml#/paths/~1search/get/parameters/0: querystring parameter `filter` is `text/plain` of another shape"),
        "{errors}"
    );
}

#[test]
fn a_media_type_with_only_an_item_schema_is_read() {
    let service = service(&format!(
        "{HEAD}paths:
  /feed:
    get:
      responses:
        '200':
          description: Lines.
          content: {{application/jsonl: {{itemSchema: {{type: object}}}}}}
"
    ));
    assert_eq!(service.operations.len(), 1);
}

#[test]
fn tags_and_security_scheme_fields_are_docs_and_never_refused() {
    let service = service(&format!(
        "{HEAD}tags:
  - {{name: pets, summary: Pets, kind: nav}}
  - {{name: cats, parent: pets}}
components:
  securitySchemes:
    device:
      type: oauth2
      oauth2MetadataUrl: https://auth.example.com/.well-known/oauth-authorization-server
      flows:
        deviceAuthorization:
          deviceAuthorizationUrl: https://auth.example.com/device
          tokenUrl: https://auth.example.com/token
          scopes: {{}}
    old: {{type: http, scheme: bearer, deprecated: true}}
security: [{{device: []}}, {{old: []}}]
paths: {{}}
"
    ));
    let description = service.description.unwrap_or_default();
    assert!(
        description.contains("- `pets` (nav): Pets\n  - `cats`"),
        "{description}"
    );
    let docs: Vec<&str> = service
        .security_schemes
        .iter()
        .map(|s| s.docs.as_str())
        .collect();
    assert!(docs[0].contains("OAuth 2.0 flow `deviceAuthorization`: device authorization `https://auth.example.com/device`, token `https://auth.example.com/token`."), "{}", docs[0]);
    assert!(
        docs[0].contains(
            "(RFC 8414): `https://auth.example.com/.well-known/oauth-authorization-server`"
        )
    );
    assert!(docs[1].contains("**Deprecated**"), "{}", docs[1]);
}

#[test]
fn references_through_self_are_local() {
    let service = service(&format!(
        "{HEAD}$self: https://example.com/api/openapi.yaml
components:
  schemas:
    A: {{$ref: 'https://example.com/api/openapi.yaml#/components/schemas/B'}}
    B: {{type: object, properties: {{c: {{$ref: 'openapi.yaml#/components/schemas/C'}}}}}}
    C: {{type: string}}
paths: {{}}
"
    ));
    assert!(service.types.iter().any(|t| t.name == "B"));
}

#[test]
fn other_versions_are_refused_with_the_ones_read() {
    let errors = match parse(
        Path::new("api.yaml"),
        "openapi: 4.0.0\ninfo: {title: T, version: '1'}\n",
    ) {
        Ok(_) => panic!("accepted"),
        Err(errors) => errors.to_string(),
    };
    assert!(errors.contains("3.0.x, 3.1.x or 3.2.x"), "{errors}");
}

#[test]
fn the_fuzz_seed_is_refused_where_it_should_be_and_nowhere_else() {
    let seed = include_str!("../../fuzz/seeds/openapi-32-edges.yaml");
    let found = errors(seed);
    let at: Vec<&str> = found
        .lines()
        .filter_map(|line| line.strip_prefix("error: api.yaml#"))
        .map(|line| line.split(": ").next().unwrap_or_default())
        .collect();
    assert_eq!(
        at,
        [
            "/paths/~1x~1{id}/additionalOperations/POST",
            "/paths/~1x~1{id}/additionalOperations/BAD METHOD",
            "/paths/~1z/get/parameters/0"
        ],
        "{found}"
    );
}

#[test]
fn a_scheme_only_an_additional_operation_names_is_a_bearer_token_with_a_warning() {
    let service = service(&format!(
        "{HEAD}paths:
  /a:
    additionalOperations:
      PURGE: {{security: [{{cache: []}}], responses: {{'204': {{description: Purged.}}}}}}
"
    ));
    assert_eq!(service.security_schemes[0].key, "cache");
    let warning = service.warnings[0].to_string();
    assert!(
        warning.contains("api.yaml#/paths/~1a/additionalOperations/PURGE/security: security scheme `cache` is not defined"),
        "{warning}"
    );
}
