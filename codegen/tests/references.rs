//! `$ref`s across files: a service split into several files that share `common/`, and
//! the cycles and dead ends that must be refused with a location.

use apigen_codegen::model::{ParamLocation, ResponseBody, Type, TypeKind};
use apigen_codegen::{generate, load};
use std::path::{Path, PathBuf};

fn fixture(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(path)
}

#[test]
fn a_service_split_across_files_is_one_document_with_shared_components() {
    let document = load::load(&fixture("split/service.yaml")).unwrap_or_else(|e| panic!("{e}"));
    let service = apigen_codegen::lower::lower(&document, "split", "split/service.yaml")
        .unwrap_or_else(|e| panic!("{e}"));

    // The path item in `paths/user.yaml` is read in place.
    let operations: Vec<(&str, &str)> = service
        .operations
        .iter()
        .map(|o| (o.path.as_str(), o.name.as_str()))
        .collect();
    assert_eq!(operations, [("/users/{id}", "get_user")]);
    let get_user = &service.operations[0];
    assert_eq!(get_user.params[0].wire_name, "id");
    assert_eq!(get_user.params[0].location, ParamLocation::Path);
    assert_eq!(get_user.params[0].ty, Type::I64);

    // `common/team.yaml` is reached twice (as the component `Team` and from
    // `schemas/user.yaml`): one type. The whole-file schema `schemas/user.yaml` is named
    // after its file; the shared response brings its schema along.
    let names: Vec<&str> = service.types.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["Team", "User", "Problem"], "{names:?}");
    let TypeKind::Struct { fields, .. } = &service.types[1].kind else {
        panic!("User is not a struct");
    };
    assert_eq!(
        fields[1].ty,
        Type::Option(Box::new(Type::Named("Team".into())))
    );
    assert_eq!(
        get_user.responses[1].body,
        ResponseBody::Json(Type::Named("Problem".into()))
    );

    // The `$ref` inside the example is data: kept as written.
    let example = document
        .value
        .pointer(
            "/paths/~1users~1{id}/get/responses/200/content/application~1json/example/links/$ref",
        )
        .and_then(|v| v.as_str());
    assert_eq!(example, Some("https://example.com/not-a-file.yaml"));

    // And the whole thing generates.
    generate(&fixture("split/service.yaml"), "split/service.yaml")
        .unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn path_items_that_refer_to_each_other_in_a_cycle_are_refused_with_a_location() {
    let errors = generate(&fixture("cycle/service.yaml"), "cycle/service.yaml")
        .expect_err("a cycle of `$ref`s was accepted")
        .to_string();
    assert!(
        errors.contains("cycle/service.yaml#/paths/~1x/$ref: `$ref`s between files form a cycle"),
        "{errors}"
    );
    assert!(errors.contains("instead of a `$ref`"), "{errors}");
}

#[test]
fn a_reference_to_a_missing_file_names_the_reference() {
    let folder = std::env::temp_dir().join(format!("apigen-missing-{}", std::process::id()));
    std::fs::create_dir_all(&folder).unwrap();
    let file = folder.join("service.yaml");
    std::fs::write(
        &file,
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      $ref: 'nowhere.yaml'\n",
    )
    .unwrap();
    let errors = generate(&file, "service.yaml").unwrap_err().to_string();
    std::fs::remove_dir_all(&folder).unwrap();
    assert!(
        errors.contains("#/components/schemas/A/$ref: `$ref` to another file failed"),
        "{errors}"
    );
    assert!(errors.contains("nowhere.yaml"), "{errors}");
}

#[test]
fn a_percent_encoded_fragment_is_the_pointer_it_encodes() {
    // `{` and `}` are not allowed in a URI fragment, so documents may encode them.
    let text = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /{id}:\n    parameters: [{name: id, in: path, required: true, schema: {type: string}}]\n    get:\n      responses:\n        '404': {description: Not there.}\n    delete:\n      responses:\n        '404': {$ref: '#/paths/~1%7Bid%7D/get/responses/404'}\n";
    let document = load::parse(Path::new("api.yaml"), text).unwrap_or_else(|e| panic!("{e}"));
    let service = apigen_codegen::lower::lower(&document, "api", "api.yaml")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(service.operations[1].responses[0].docs, "Not there.");
}
