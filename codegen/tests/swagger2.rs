//! A Swagger 2.0 document converted to OpenAPI 3.0.3: each rule of the conversion, where
//! each converted place came from, what is refused, and real published documents.

use apigen_codegen::load::swagger2::{Converted, Problem, convert};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

/// A minimal 2.0 document with `paths` and other top-level fields added.
fn swagger(fields: Value) -> Value {
    let mut document = json!({
        "swagger": "2.0",
        "info": { "title": "Pets", "version": "1" },
        "paths": {}
    });
    for (key, value) in fields.as_object().expect("fields are an object") {
        document[key] = value.clone();
    }
    document
}

fn converted(document: &Value) -> Converted {
    convert(document).unwrap_or_else(|problems| panic!("not converted: {problems:#?}"))
}

fn problems(document: &Value) -> Vec<Problem> {
    match convert(document) {
        Ok(converted) => panic!("converted: {:#}", converted.document),
        Err(problems) => problems,
    }
}

fn at<'a>(document: &'a Value, pointer: &str) -> &'a Value {
    document
        .pointer(pointer)
        .unwrap_or_else(|| panic!("nothing at {pointer} in {document:#}"))
}

/// The converted document, typed: the rest of the generator reads it this way.
fn typed(document: &Value) -> openapiv3::OpenAPI {
    serde_path_to_error::deserialize(document)
        .unwrap_or_else(|error| panic!("not OpenAPI 3.0 at {}: {error}", error.path()))
}

#[test]
fn the_version_line_becomes_openapi_3_0_3_and_info_tags_docs_security_and_extensions_stay() {
    let document = swagger(json!({
        "tags": [{ "name": "pets" }],
        "externalDocs": { "url": "https://example.com/docs" },
        "security": [{ "key": [] }],
        "x-logo": { "url": "logo.png" }
    }));
    let out = converted(&document).document;
    assert_eq!(out["openapi"], "3.0.3");
    assert!(out.get("swagger").is_none());
    for key in ["info", "tags", "externalDocs", "security", "x-logo"] {
        assert_eq!(out[key], document[key], "{key}");
    }
    typed(&out);
}

#[test]
fn other_versions_and_documents_without_one_are_refused_at_their_version() {
    let old = problems(&json!({ "swagger": "1.2", "info": {} }));
    assert_eq!(old[0].pointer, "/swagger");
    assert!(old[0].message.contains("1.2"), "{}", old[0].message);
    assert_eq!(problems(&json!({ "info": {} }))[0].pointer, "");
}

#[test]
fn host_base_path_and_schemes_become_one_server_per_scheme() {
    let out = converted(&swagger(json!({
        "host": "api.example.com:8443", "basePath": "/v2", "schemes": ["https", "http"]
    })))
    .document;
    assert_eq!(
        out["servers"],
        json!([{ "url": "https://api.example.com:8443/v2" }, { "url": "http://api.example.com:8443/v2" }])
    );

    let without_schemes = converted(&swagger(
        json!({ "host": "api.example.com", "basePath": "/" }),
    ));
    assert_eq!(
        without_schemes.document["servers"],
        json!([{ "url": "https://api.example.com" }])
    );
    assert_eq!(without_schemes.origin("/servers/0/url"), "/host");

    let without_host = converted(&swagger(json!({ "basePath": "/api", "schemes": ["http"] })));
    assert_eq!(without_host.document["servers"], json!([{ "url": "/api" }]));
    assert_eq!(without_host.origin("/servers/0/url"), "/basePath");

    assert!(
        converted(&swagger(json!({})))
            .document
            .get("servers")
            .is_none()
    );
}

#[test]
fn definitions_become_component_schemas_and_every_reference_follows_them() {
    let document = swagger(json!({
        "definitions": {
            "Pet": {
                "type": "object",
                "properties": {
                    "owner": { "$ref": "#/definitions/Person" },
                    "friends": { "type": "array", "items": { "$ref": "#/definitions/Pet" } },
                    "tags": { "type": "object", "additionalProperties": { "$ref": "#/definitions/Tag" } }
                }
            },
            "Person": { "allOf": [{ "$ref": "#/definitions/Pet" }], "example": { "$ref": "#/definitions/data" } },
            "Tag": { "type": "string" }
        }
    }));
    let out = converted(&document).document;
    let schemas = at(&out, "/components/schemas");
    assert_eq!(
        schemas["Pet"]["properties"]["owner"]["$ref"],
        "#/components/schemas/Person"
    );
    assert_eq!(
        schemas["Pet"]["properties"]["friends"]["items"]["$ref"],
        "#/components/schemas/Pet"
    );
    assert_eq!(
        schemas["Pet"]["properties"]["tags"]["additionalProperties"]["$ref"],
        "#/components/schemas/Tag"
    );
    assert_eq!(
        schemas["Person"]["allOf"][0]["$ref"],
        "#/components/schemas/Pet"
    );
    // An example is data: a `$ref` in it is not a reference.
    assert_eq!(schemas["Person"]["example"]["$ref"], "#/definitions/data");
    assert!(out.get("definitions").is_none());
    typed(&out);
}

#[test]
fn x_nullable_becomes_nullable_on_schemas_properties_items_and_references() {
    let document = swagger(json!({
        "definitions": {
            "Pet": {
                "type": "object",
                "x-nullable": true,
                "properties": {
                    "name": { "type": "string", "x-nullable": true },
                    "aliases": { "type": "array", "items": { "type": "string", "x-nullable": true } },
                    "owner": { "$ref": "#/definitions/Person", "x-nullable": true, "description": "who feeds it" }
                }
            },
            "Person": { "type": "object" }
        }
    }));
    let converted = converted(&document);
    let pet = at(&converted.document, "/components/schemas/Pet");
    assert_eq!(pet["nullable"], true);
    assert_eq!(
        pet["properties"]["name"],
        json!({ "type": "string", "nullable": true })
    );
    assert_eq!(pet["properties"]["aliases"]["items"]["nullable"], true);
    // 3.0 reads nothing beside a `$ref`, so a nullable reference wraps it.
    assert_eq!(
        pet["properties"]["owner"],
        json!({ "allOf": [{ "$ref": "#/components/schemas/Person" }], "nullable": true, "description": "who feeds it" })
    );
    assert_eq!(
        converted.origin("/components/schemas/Pet/properties/name/nullable"),
        "/definitions/Pet/properties/name/x-nullable"
    );
    assert!(!converted.document.to_string().contains("x-nullable"));
    typed(&converted.document);
}

#[test]
fn a_discriminator_name_becomes_a_discriminator_object_and_a_file_a_binary_string() {
    let document = swagger(json!({
        "definitions": { "Pet": { "type": "object", "discriminator": "petType", "properties": { "petType": { "type": "string" } } } },
        "paths": { "/photo": { "get": { "produces": ["image/png"], "responses": { "200": { "description": "the photo", "schema": { "type": "file" } } } } } }
    }));
    let out = converted(&document).document;
    assert_eq!(
        at(&out, "/components/schemas/Pet/discriminator"),
        &json!({ "propertyName": "petType" })
    );
    assert_eq!(
        at(
            &out,
            "/paths/~1photo/get/responses/200/content/image~1png/schema"
        ),
        &json!({ "type": "string", "format": "binary" })
    );
    typed(&out);
}

#[test]
fn a_body_parameter_becomes_the_request_body_in_each_media_type_the_operation_consumes() {
    let document = swagger(json!({
        "consumes": ["application/xml"],
        "paths": { "/pets": {
            "post": {
                "consumes": ["application/json", "text/json"],
                "parameters": [{ "in": "body", "name": "pet", "description": "the pet", "required": true, "x-example-id": 7, "schema": { "$ref": "#/definitions/Pet" } }],
                "responses": { "201": { "description": "created" } }
            },
            "put": {
                "parameters": [{ "in": "body", "name": "pet", "schema": { "type": "object" } }],
                "responses": { "204": { "description": "replaced" } }
            }
        } },
        "definitions": { "Pet": { "type": "object" } }
    }));
    let out = converted(&document).document;
    let pet = json!({ "schema": { "$ref": "#/components/schemas/Pet" } });
    assert_eq!(
        at(&out, "/paths/~1pets/post/requestBody"),
        &json!({
            "description": "the pet", "required": true, "x-example-id": 7,
            "content": { "application/json": pet, "text/json": pet }
        })
    );
    assert!(
        out["paths"]["/pets"]["post"].get("parameters").is_none(),
        "no parameters are left"
    );
    // Without its own `consumes`, the document's.
    let put = at(&out, "/paths/~1pets/put/requestBody/content");
    assert_eq!(
        put.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["application/xml"]
    );

    let plain = swagger(json!({ "paths": { "/pets": { "post": {
        "parameters": [{ "in": "body", "name": "pet", "schema": { "type": "string" } }],
        "responses": { "200": { "description": "ok" } }
    } } } }));
    let content =
        converted(&plain).document["paths"]["/pets"]["post"]["requestBody"]["content"].clone();
    assert_eq!(
        content,
        json!({ "application/json": { "schema": { "type": "string" } } })
    );
    typed(&out);
}

#[test]
fn a_body_parameter_without_a_schema_is_refused_where_it_is_written() {
    let document = swagger(json!({ "paths": { "/pets": { "post": {
        "parameters": [{ "in": "query", "name": "q", "type": "string" }, { "in": "body", "name": "pet" }],
        "responses": { "200": { "description": "ok" } }
    } } } }));
    let problems = problems(&document);
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(problems[0].pointer, "/paths/~1pets/post/parameters/1");
    assert!(problems[0].message.contains("no `schema`"));
}

#[test]
fn form_parameters_become_one_url_encoded_object_with_their_required_fields() {
    let document = swagger(json!({ "paths": { "/pets/{id}": { "post": {
        "consumes": ["application/x-www-form-urlencoded"],
        "parameters": [
            { "in": "path", "name": "id", "required": true, "type": "integer" },
            { "in": "formData", "name": "name", "description": "the new name", "required": true, "type": "string", "maxLength": 20 },
            { "in": "formData", "name": "status", "type": "string", "enum": ["sold", "available"] },
            { "in": "formData", "name": "tags", "type": "array", "items": { "type": "string" }, "collectionFormat": "multi" }
        ],
        "responses": { "200": { "description": "ok" } }
    } } } }));
    let converted = converted(&document);
    let out = &converted.document;
    assert_eq!(
        at(out, "/paths/~1pets~1{id}/post/requestBody"),
        &json!({
            "content": { "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "name": { "type": "string", "maxLength": 20, "description": "the new name" },
                        "status": { "type": "string", "enum": ["sold", "available"] },
                        "tags": { "type": "array", "items": { "type": "string" } }
                    },
                    "required": ["name"]
                },
                "encoding": { "tags": { "style": "form", "explode": true } }
            } },
            "required": true
        })
    );
    assert_eq!(at(out, "/paths/~1pets~1{id}/post/parameters/0/name"), "id");
    assert_eq!(
        at(out, "/paths/~1pets~1{id}/post/parameters")
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        converted.origin("/paths/~1pets~1{id}/post/requestBody/content/application~1x-www-form-urlencoded/schema/properties/name/maxLength"),
        "/paths/~1pets~1{id}/post/parameters/1/maxLength"
    );
    typed(out);
}

#[test]
fn a_file_field_makes_the_form_multipart_whatever_it_consumes() {
    let document = swagger(json!({ "paths": { "/pets/{id}/photo": { "post": {
        "consumes": ["application/x-www-form-urlencoded"],
        "parameters": [
            { "in": "formData", "name": "caption", "type": "string" },
            { "in": "formData", "name": "file", "required": true, "type": "file" }
        ],
        "responses": { "200": { "description": "ok" } }
    } } } }));
    let out = converted(&document).document;
    let content = at(&out, "/paths/~1pets~1{id}~1photo/post/requestBody/content");
    assert_eq!(
        content.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["multipart/form-data"]
    );
    assert_eq!(
        content["multipart/form-data"]["schema"]["properties"]["file"],
        json!({ "type": "string", "format": "binary" })
    );
    assert_eq!(
        content["multipart/form-data"]["schema"]["required"],
        json!(["file"])
    );
    typed(&out);
}

#[test]
fn a_form_consuming_multipart_is_multipart_and_one_consuming_nothing_is_url_encoded() {
    let form = |consumes: Value| {
        let document = swagger(json!({ "paths": { "/login": { "post": {
            "consumes": consumes,
            "parameters": [{ "in": "formData", "name": "user", "type": "string" }],
            "responses": { "200": { "description": "ok" } }
        } } } }));
        let content =
            converted(&document).document["paths"]["/login"]["post"]["requestBody"]["content"]
                .clone();
        content
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(
        form(json!(["multipart/form-data"])),
        ["multipart/form-data"]
    );
    assert_eq!(
        form(json!([
            "application/x-www-form-urlencoded",
            "multipart/form-data"
        ])),
        ["application/x-www-form-urlencoded", "multipart/form-data"]
    );
    assert_eq!(form(json!([])), ["application/x-www-form-urlencoded"]);
}

#[test]
fn a_parameters_type_moves_under_schema_and_its_other_fields_stay() {
    let document = swagger(json!({ "paths": { "/pets": { "get": {
        "parameters": [
            { "in": "query", "name": "limit", "description": "how many", "required": false, "type": "integer", "format": "int32",
              "minimum": 1, "maximum": 100, "default": 20, "allowEmptyValue": true, "x-nullable": true, "x-internal": "yes" },
            { "in": "header", "name": "X-Trace", "type": "string", "pattern": "^[a-f0-9]+$" }
        ],
        "responses": { "200": { "description": "ok" } }
    } } } }));
    let converted = converted(&document);
    let parameters = at(&converted.document, "/paths/~1pets/get/parameters");
    assert_eq!(
        parameters[0],
        json!({
            "in": "query", "name": "limit", "description": "how many", "required": false, "allowEmptyValue": true, "x-internal": "yes",
            "schema": { "type": "integer", "format": "int32", "minimum": 1, "maximum": 100, "default": 20, "nullable": true }
        })
    );
    assert_eq!(
        parameters[1]["schema"],
        json!({ "type": "string", "pattern": "^[a-f0-9]+$" })
    );
    assert_eq!(
        converted.origin("/paths/~1pets/get/parameters/0/schema/maximum"),
        "/paths/~1pets/get/parameters/0/maximum"
    );
    assert_eq!(
        converted.origin("/paths/~1pets/get/parameters/0/schema/nullable"),
        "/paths/~1pets/get/parameters/0/x-nullable"
    );
    typed(&converted.document);
}

#[test]
fn a_collection_format_becomes_a_style_and_explode() {
    let style = |location: &str, format: Option<&str>| -> (Value, Value) {
        let mut parameter = json!({ "in": location, "name": "ids", "required": true, "type": "array", "items": { "type": "integer" } });
        if let Some(format) = format {
            parameter["collectionFormat"] = format.into();
        }
        let document = swagger(json!({ "paths": { "/pets/{ids}": { "get": {
            "parameters": [parameter], "responses": { "200": { "description": "ok" } }
        } } } }));
        let out = converted(&document).document;
        let parameter = &out["paths"]["/pets/{ids}"]["get"]["parameters"][0];
        assert_eq!(parameter["schema"]["items"], json!({ "type": "integer" }));
        typed(&out);
        (parameter["style"].clone(), parameter["explode"].clone())
    };
    // 2.0's default is csv; 3.0's default in the query is exploded, so it is said.
    assert_eq!(style("query", None), (json!("form"), json!(false)));
    assert_eq!(style("query", Some("csv")), (json!("form"), json!(false)));
    assert_eq!(
        style("query", Some("multi")),
        (Value::Null, Value::Null),
        "3.0's default: form, exploded"
    );
    assert_eq!(
        style("query", Some("ssv")),
        (json!("spaceDelimited"), json!(false))
    );
    assert_eq!(
        style("query", Some("pipes")),
        (json!("pipeDelimited"), json!(false))
    );
    assert_eq!(
        style("path", Some("csv")),
        (Value::Null, Value::Null),
        "3.0's default: simple"
    );
    assert_eq!(
        style("header", None),
        (Value::Null, Value::Null),
        "3.0's default: simple"
    );
}

#[test]
fn tab_separated_values_and_spaces_in_a_path_are_refused_at_their_collection_format() {
    let refused = |location: &str, format: &str| {
        let document = swagger(json!({ "paths": { "/pets/{ids}": { "get": {
            "parameters": [{ "in": location, "name": "ids", "required": true, "type": "array", "items": { "type": "string" }, "collectionFormat": format }],
            "responses": { "200": { "description": "ok" } }
        } } } }));
        problems(&document)
    };
    let tsv = refused("query", "tsv");
    assert_eq!(
        tsv[0].pointer,
        "/paths/~1pets~1{ids}/get/parameters/0/collectionFormat"
    );
    assert!(tsv[0].message.contains("tabs"), "{}", tsv[0].message);
    assert!(!tsv[0].help.is_empty());
    assert_eq!(
        refused("path", "ssv")[0].pointer,
        "/paths/~1pets~1{ids}/get/parameters/0/collectionFormat"
    );
    assert_eq!(refused("header", "pipes").len(), 1);
}

#[test]
fn path_level_parameters_stay_on_the_path_and_a_path_level_body_goes_into_each_operation() {
    let document = swagger(json!({ "paths": { "/pets/{id}": {
        "parameters": [
            { "in": "path", "name": "id", "required": true, "type": "string" },
            { "in": "body", "name": "pet", "schema": { "type": "object" } }
        ],
        "put": { "responses": { "204": { "description": "replaced" } } },
        "patch": {
            "parameters": [{ "in": "body", "name": "patch", "schema": { "type": "array" } }],
            "responses": { "204": { "description": "patched" } }
        }
    } } }));
    let converted = converted(&document);
    let item = at(&converted.document, "/paths/~1pets~1{id}");
    assert_eq!(
        item["parameters"],
        json!([{ "in": "path", "name": "id", "required": true, "schema": { "type": "string" } }])
    );
    assert_eq!(
        item["put"]["requestBody"]["content"]["application/json"]["schema"],
        json!({ "type": "object" })
    );
    // The operation's own body replaces the path's.
    assert_eq!(
        item["patch"]["requestBody"]["content"]["application/json"]["schema"],
        json!({ "type": "array" })
    );
    assert_eq!(
        converted.origin("/paths/~1pets~1{id}/put/requestBody"),
        "/paths/~1pets~1{id}/parameters/1"
    );
    assert_eq!(
        converted
            .origin("/paths/~1pets~1{id}/patch/requestBody/content/application~1json/schema/type"),
        "/paths/~1pets~1{id}/patch/parameters/0/schema/type"
    );
    typed(&converted.document);
}

#[test]
fn global_parameters_become_components_and_a_global_body_a_request_body_component() {
    let document = swagger(json!({
        "consumes": ["application/json"],
        "parameters": {
            "limit": { "in": "query", "name": "limit", "type": "integer" },
            "pet": { "in": "body", "name": "pet", "required": true, "schema": { "$ref": "#/definitions/Pet" } },
            "note": { "in": "formData", "name": "note", "type": "string" }
        },
        "definitions": { "Pet": { "type": "object" } },
        "paths": { "/pets": {
            "get": { "parameters": [{ "$ref": "#/parameters/limit" }], "responses": { "200": { "description": "ok" } } },
            "post": { "parameters": [{ "$ref": "#/parameters/pet" }], "responses": { "201": { "description": "created" } } },
            "put": {
                "consumes": ["application/x-www-form-urlencoded"],
                "parameters": [{ "$ref": "#/parameters/note" }], "responses": { "200": { "description": "ok" } }
            }
        } }
    }));
    let converted = converted(&document);
    let out = &converted.document;
    assert_eq!(
        at(out, "/components/parameters/limit"),
        &json!({ "in": "query", "name": "limit", "schema": { "type": "integer" } })
    );
    assert_eq!(
        at(out, "/components/requestBodies/pet"),
        &json!({ "required": true, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Pet" } } } })
    );
    assert!(out["components"]["parameters"].get("note").is_none());
    assert_eq!(
        at(out, "/paths/~1pets/get/parameters/0"),
        &json!({ "$ref": "#/components/parameters/limit" })
    );
    assert_eq!(
        at(out, "/paths/~1pets/post/requestBody"),
        &json!({ "$ref": "#/components/requestBodies/pet" })
    );
    // A form field is written into the form that lists it.
    assert_eq!(
        at(
            out,
            "/paths/~1pets/put/requestBody/content/application~1x-www-form-urlencoded/schema/properties/note"
        ),
        &json!({ "type": "string" })
    );
    assert_eq!(
        converted.origin("/paths/~1pets/post/requestBody/$ref"),
        "/paths/~1pets/post/parameters/0/$ref"
    );
    assert_eq!(
        converted.origin("/components/requestBodies/pet/required"),
        "/parameters/pet/required"
    );
    assert_eq!(
        converted.origin("/paths/~1pets/put/requestBody/content/application~1x-www-form-urlencoded/schema/properties/note/type"),
        "/parameters/note/type"
    );
    typed(out);
}

#[test]
fn an_operation_consuming_or_producing_other_media_types_gets_its_own_copy_of_a_shared_body_or_response()
 {
    let document = swagger(json!({
        "parameters": { "pet": { "in": "body", "name": "pet", "schema": { "type": "object" } } },
        "responses": { "Pet": { "description": "a pet", "schema": { "type": "object" } } },
        "paths": { "/pets": {
            "post": {
                "consumes": ["application/xml"], "produces": ["application/xml"],
                "parameters": [{ "$ref": "#/parameters/pet" }],
                "responses": { "200": { "$ref": "#/responses/Pet" } }
            }
        } }
    }));
    let converted = converted(&document);
    let post = at(&converted.document, "/paths/~1pets/post");
    assert_eq!(
        post["requestBody"],
        json!({ "content": { "application/xml": { "schema": { "type": "object" } } } })
    );
    assert_eq!(
        post["responses"]["200"],
        json!({ "description": "a pet", "content": { "application/xml": { "schema": { "type": "object" } } } })
    );
    assert_eq!(
        converted.origin("/paths/~1pets/post/requestBody/content/application~1xml/schema/type"),
        "/parameters/pet/schema/type"
    );
    assert_eq!(
        converted.origin("/paths/~1pets/post/responses/200/description"),
        "/responses/Pet/description"
    );
    // The shared ones stay, in the document's media types.
    assert!(
        converted
            .document
            .pointer("/components/requestBodies/pet/content/application~1json")
            .is_some()
    );
    typed(&converted.document);
}

#[test]
fn two_bodies_a_body_beside_a_form_and_a_nameless_field_are_refused() {
    let refused = |parameters: Value| {
        let document = swagger(json!({ "paths": { "/pets": { "post": {
            "parameters": parameters, "responses": { "200": { "description": "ok" } }
        } } } }));
        problems(&document)
            .into_iter()
            .map(|problem| problem.pointer)
            .collect::<Vec<_>>()
    };
    let body = json!({ "in": "body", "name": "pet", "schema": { "type": "object" } });
    let field = json!({ "in": "formData", "name": "name", "type": "string" });
    assert_eq!(
        refused(json!([body, body])),
        ["/paths/~1pets/post/parameters/1"]
    );
    assert_eq!(
        refused(json!([body, field])),
        ["/paths/~1pets/post/parameters/1"]
    );
    assert_eq!(
        refused(json!([{ "in": "formData", "type": "string" }])),
        ["/paths/~1pets/post/parameters/0"]
    );
}

#[test]
fn a_reference_to_a_missing_or_foreign_parameter_is_refused_at_the_reference() {
    let document = swagger(json!({ "paths": { "/pets": { "get": {
        "parameters": [{ "$ref": "#/parameters/nope" }, { "$ref": "other.yaml#/parameters/limit" }],
        "responses": { "200": { "description": "ok" } }
    } } } }));
    let pointers: Vec<String> = problems(&document)
        .into_iter()
        .map(|problem| problem.pointer)
        .collect();
    assert_eq!(
        pointers,
        [
            "/paths/~1pets/get/parameters/0/$ref",
            "/paths/~1pets/get/parameters/1/$ref"
        ]
    );
}

#[test]
fn a_response_schema_is_given_in_each_media_type_produced_with_its_example_and_headers() {
    let document = swagger(json!({
        "produces": ["application/xml"],
        "responses": { "NotFound": { "description": "no such pet", "schema": { "$ref": "#/definitions/Error" } } },
        "definitions": { "Error": { "type": "object" }, "Pet": { "type": "object" } },
        "paths": { "/pets/{id}": { "get": {
            "produces": ["application/json", "text/plain"],
            "parameters": [{ "in": "path", "name": "id", "required": true, "type": "string" }],
            "responses": {
                "200": {
                    "description": "the pet",
                    "schema": { "$ref": "#/definitions/Pet" },
                    "examples": { "application/json": { "name": "Rex" }, "image/png": "ignored" },
                    "headers": {
                        "X-Rate-Limit": { "description": "calls left", "type": "integer", "format": "int32" },
                        "X-Tags": { "type": "array", "items": { "type": "string" } }
                    },
                    "x-cache": "5m"
                },
                "204": { "description": "nothing" }
            }
        } },
        "/pets": { "get": { "responses": { "404": { "$ref": "#/responses/NotFound" } } } } }
    }));
    let converted = converted(&document);
    let out = &converted.document;
    let pet = json!({ "$ref": "#/components/schemas/Pet" });
    assert_eq!(
        at(out, "/paths/~1pets~1{id}/get/responses/200"),
        &json!({
            "description": "the pet",
            "headers": {
                "X-Rate-Limit": { "description": "calls left", "schema": { "type": "integer", "format": "int32" } },
                "X-Tags": { "schema": { "type": "array", "items": { "type": "string" } } }
            },
            "x-cache": "5m",
            "content": {
                "application/json": { "schema": pet, "example": { "name": "Rex" } },
                "text/plain": { "schema": pet }
            }
        })
    );
    assert_eq!(
        at(out, "/paths/~1pets/get/responses/404"),
        &json!({ "$ref": "#/components/responses/NotFound" })
    );
    assert_eq!(
        at(out, "/paths/~1pets~1{id}/get/responses/204"),
        &json!({ "description": "nothing" })
    );
    // A shared response is given in the document's `produces`.
    assert_eq!(
        at(out, "/components/responses/NotFound/content"),
        &json!({ "application/xml": { "schema": { "$ref": "#/components/schemas/Error" } } })
    );
    assert_eq!(
        converted.origin("/paths/~1pets~1{id}/get/responses/200/content/text~1plain/schema/$ref"),
        "/paths/~1pets~1{id}/get/responses/200/schema/$ref"
    );
    assert_eq!(
        converted.origin("/paths/~1pets~1{id}/get/responses/200/content/application~1json/example"),
        "/paths/~1pets~1{id}/get/responses/200/examples/application~1json"
    );
    assert_eq!(
        converted
            .origin("/paths/~1pets~1{id}/get/responses/200/headers/X-Rate-Limit/schema/format"),
        "/paths/~1pets~1{id}/get/responses/200/headers/X-Rate-Limit/format"
    );
    typed(out);
}

#[test]
fn security_definitions_become_security_schemes_with_oauth2_flows_renamed() {
    let document = swagger(json!({ "securityDefinitions": {
        "basic": { "type": "basic", "description": "user and password" },
        "key": { "type": "apiKey", "name": "X-API-Key", "in": "header" },
        "implicit": { "type": "oauth2", "flow": "implicit", "authorizationUrl": "https://auth/authorize", "scopes": { "read": "read pets" } },
        "password": { "type": "oauth2", "flow": "password", "tokenUrl": "https://auth/token", "scopes": {} },
        "application": { "type": "oauth2", "flow": "application", "tokenUrl": "https://auth/token" },
        "accessCode": { "type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://auth/authorize", "tokenUrl": "https://auth/token", "scopes": { "write": "write pets" }, "x-audience": "pets" }
    } }));
    let converted = converted(&document);
    let schemes = at(&converted.document, "/components/securitySchemes");
    assert_eq!(
        schemes["basic"],
        json!({ "type": "http", "scheme": "basic", "description": "user and password" })
    );
    assert_eq!(
        schemes["key"],
        json!({ "type": "apiKey", "name": "X-API-Key", "in": "header" })
    );
    assert_eq!(
        schemes["implicit"]["flows"],
        json!({ "implicit": { "authorizationUrl": "https://auth/authorize", "scopes": { "read": "read pets" } } })
    );
    assert_eq!(
        schemes["password"]["flows"],
        json!({ "password": { "tokenUrl": "https://auth/token", "scopes": {} } })
    );
    assert_eq!(
        schemes["application"]["flows"],
        json!({ "clientCredentials": { "tokenUrl": "https://auth/token", "scopes": {} } })
    );
    assert_eq!(
        schemes["accessCode"],
        json!({
            "type": "oauth2",
            "flows": { "authorizationCode": { "authorizationUrl": "https://auth/authorize", "tokenUrl": "https://auth/token", "scopes": { "write": "write pets" } } },
            "x-audience": "pets"
        })
    );
    assert_eq!(
        converted.origin("/components/securitySchemes/accessCode/flows/authorizationCode/tokenUrl"),
        "/securityDefinitions/accessCode/tokenUrl"
    );
    assert_eq!(
        converted.origin("/components/securitySchemes/accessCode/flows"),
        "/securityDefinitions/accessCode/flow"
    );
    typed(&converted.document);

    let unknown = problems(&swagger(
        json!({ "securityDefinitions": { "x": { "type": "oauth2", "flow": "device" } } }),
    ));
    assert_eq!(unknown[0].pointer, "/securityDefinitions/x/flow");
}

#[test]
fn every_converted_place_points_back_into_the_original() {
    let document = swagger(json!({
        "definitions": { "Pet": { "type": "object", "properties": { "name": { "type": "string" } } } },
        "paths": { "/pets": { "post": {
            "parameters": [{ "in": "body", "name": "pet", "schema": { "$ref": "#/definitions/Pet" } }, { "in": "query", "name": "dry", "type": "boolean" }],
            "responses": { "200": { "description": "ok" } }
        } } }
    }));
    let converted = converted(&document);
    let cases = [
        (
            "/components/schemas/Pet/properties/name",
            "/definitions/Pet/properties/name",
        ),
        (
            "/components/schemas/Pet/properties/name/type",
            "/definitions/Pet/properties/name/type",
        ),
        (
            "/paths/~1pets/post/requestBody/content/application~1json/schema",
            "/paths/~1pets/post/parameters/0/schema",
        ),
        (
            "/paths/~1pets/post/requestBody/content/application~1json",
            "/paths/~1pets/post/parameters/0",
        ),
        (
            "/paths/~1pets/post/responses/200/description",
            "/paths/~1pets/post/responses/200/description",
        ),
        // The body left the list, so the query parameter moved up.
        (
            "/paths/~1pets/post/parameters/0/schema/type",
            "/paths/~1pets/post/parameters/1/type",
        ),
        ("/openapi", "/swagger"),
        ("/info/title", "/info/title"),
        ("/components", ""),
        ("", ""),
    ];
    for (pointer, origin) in cases {
        assert_eq!(converted.origin(pointer), origin, "origin of {pointer}");
        assert!(
            document.pointer(origin).is_some(),
            "{origin} is in the original"
        );
    }
}

#[test]
fn a_problem_is_an_error_of_the_generator_in_the_original_file() {
    let problem = &problems(&json!({ "swagger": "1.2" }))[0];
    let error = problem.error(Path::new("api.json"));
    assert_eq!(
        error.to_string(),
        format!(
            "api.json#/swagger: {}\n  help: {}",
            problem.message, problem.help
        )
    );
}

fn fixtures() -> Vec<PathBuf> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/swagger2");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
        .unwrap_or_else(|error| panic!("{}: {error}", folder.display()))
        .map(|entry| entry.expect("a readable folder").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    files
}

fn read(file: &Path) -> Value {
    let text =
        std::fs::read_to_string(file).unwrap_or_else(|error| panic!("{}: {error}", file.display()));
    // Azure's description starts with a byte order mark, which JSON does not allow.
    serde_json::from_str(text.trim_start_matches('\u{feff}'))
        .unwrap_or_else(|error| panic!("{}: {error}", file.display()))
}

/// Every local `$ref` of `value` (outside examples and extensions), with where it is.
fn local_refs(value: &Value, pointer: String, refs: &mut Vec<(String, String)>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                if key == "$ref" {
                    if let Some(target) = child.as_str().filter(|target| target.starts_with('#')) {
                        refs.push((pointer.clone(), target.to_owned()));
                    }
                } else if !matches!(key.as_str(), "example" | "examples" | "default" | "enum")
                    && !key.starts_with("x-")
                {
                    local_refs(
                        child,
                        apigen_codegen::error::push_pointer(&pointer, key),
                        refs,
                    );
                }
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                local_refs(child, format!("{pointer}/{index}"), refs);
            }
        }
        _ => {}
    }
}

#[test]
fn published_swagger_documents_convert_into_openapi_3_that_openapiv3_reads() {
    let files = fixtures();
    assert!(
        files.len() >= 8,
        "the fixtures are in codegen/tests/fixtures/swagger2: {files:?}"
    );
    for file in files {
        let original = read(&file);
        let converted = convert(&original)
            .unwrap_or_else(|problems| panic!("{}: {problems:#?}", file.display()));
        let openapi = typed(&converted.document);
        assert!(!openapi.paths.paths.is_empty(), "{}", file.display());
        let mut refs = Vec::new();
        local_refs(&converted.document, String::new(), &mut refs);
        for (at, target) in refs {
            assert!(
                converted.document.pointer(&target[1..]).is_some(),
                "{}: {at} refers to {target}, which is not in the converted document",
                file.display()
            );
            assert!(
                original.pointer(&converted.origin(&at)).is_some(),
                "{}: origin of {at}",
                file.display()
            );
        }
    }
}

#[test]
fn azure_devops_profile_converts_with_its_query_version_body_and_oauth2() {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/swagger2/azure-devops-profile-7.1.json");
    let converted = converted(&read(&file));
    let out = &converted.document;
    assert_eq!(
        out["servers"],
        json!([{ "url": "https://app.vssps.visualstudio.com" }])
    );
    let get = at(out, "/paths/~1_apis~1profile~1profiles~1{id}/get");
    assert_eq!(get["parameters"][0]["schema"], json!({ "type": "string" }));
    assert!(get["parameters"].as_array().unwrap().iter().any(|p| {
        p["$ref"]
            .as_str()
            .is_some_and(|r| r.starts_with("#/components/parameters/"))
    }));
    assert_eq!(at(out, "/components/securitySchemes/oauth2/type"), "oauth2");
    typed(out);
}

/// The whole generator reads a converted document: lowered and emitted like any other.
#[test]
fn converted_published_documents_generate_crates() {
    for file in fixtures() {
        // Read as `codegen` reads it (byte order mark and all), converted on load.
        let document =
            apigen_codegen::load::load(&file).unwrap_or_else(|errors| panic!("{errors}"));
        let generated = apigen_codegen::generate_document(&document, "swagger2.json")
            .unwrap_or_else(|errors| panic!("{errors}"));
        assert!(
            generated
                .files
                .iter()
                .any(|file| file.path.ends_with("lib.rs")),
            "{}",
            file.display()
        );
    }
}
