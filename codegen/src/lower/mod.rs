//! From a checked document to the [`Service`] model. All naming and type mapping happen
//! here, once; see `types` for the type table and `operations` for operations.

mod bodies;
mod constraints;
mod methods;
mod operations;
mod streams;
mod tags;
mod types;

use crate::error::{Error, Errors, push_pointer};
use crate::load::Document;
use crate::model::{SchemeKind, SecurityScheme, Server, Service};
use crate::names::{Scope, field_name, type_name, variant_name};
use openapiv3::{APIKeyLocation, ReferenceOr};
use std::collections::BTreeMap;

/// Lowers `document` into the model of the crate `crate_name`; `source` is the
/// document's path as shown in generated headers.
pub fn lower(document: &Document, crate_name: &str, source: &str) -> Result<Service, Errors> {
    let api = &document.openapi;
    let file = document.file.as_path();
    let components = api.components.as_ref();
    let schemas = components.map(|c| &c.schemas);
    let mut space = types::TypeSpace::new(
        file,
        &document.value,
        schemas.into_iter().flat_map(|s| s.keys()),
    );
    for (key, schema) in schemas.into_iter().flatten() {
        space.component(key, schema);
    }
    let (mut security_schemes, mut errors) = security_schemes(document);
    let mut warnings = undefined_schemes(document, &mut security_schemes);

    let mut lowering = operations::Operations {
        file,
        document: &document.value,
        types: &mut space,
        schemes: &security_schemes,
        default_security: api.security.as_ref(),
        names: Scope::with_reserved(&crate::names::reserved_for_operations(
            security_schemes.iter().map(|scheme| scheme.name.as_str()),
        )),
        prefixes: Scope::default(),
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    let mut operations = Vec::new();
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    for (path, item) in &api.paths.paths {
        let item_pointer = push_pointer("/paths", path);
        let item = match path_item(&document.value, item) {
            Ok(item) => item,
            Err(message) => {
                errors.push(
                    Error::at_pointer(file, &push_pointer(&item_pointer, "$ref"), message)
                        .help("point the `$ref` at a path item object"),
                );
                continue;
            }
        };
        for (method, operation) in item.iter() {
            let pointer = push_pointer(&item_pointer, method);
            if let Some(id) = &operation.operation_id
                && let Some(first) = ids.insert(id.clone(), pointer.clone())
            {
                errors.push(
                    Error::at_pointer(
                        file,
                        &pointer,
                        format!("operationId `{id}` is already used at {first}"),
                    )
                    .help("give every operation its own operationId"),
                );
            }
            if let Some(operation) = lowering.lower(path, method, &item.parameters, operation) {
                operations.push(operation);
            }
        }
        let extra = methods::lower(
            &mut lowering,
            &document.value,
            path,
            &item_pointer,
            &item.parameters,
            &mut errors,
        );
        for (pointer, operation) in extra {
            if let Some(first) = ids.insert(operation.id.clone(), pointer.clone()) {
                errors.push(
                    Error::at_pointer(
                        file,
                        &pointer,
                        format!("operationId `{}` is already used at {first}", operation.id),
                    )
                    .help("give every operation its own operationId"),
                );
            }
            operations.push(operation);
        }
    }
    operations.extend(webhooks(document, &mut lowering, &mut errors));
    errors.append(&mut lowering.errors);
    warnings.append(&mut lowering.warnings);
    let (types, mut type_errors, mut type_warnings) = space.finish();
    errors.append(&mut type_errors);
    warnings.append(&mut type_warnings);
    if !errors.is_empty() {
        return Err(Errors(errors));
    }

    // The document as written (3.1 included), not its 3.0 rewrite: what the crate serves.
    let document_json = serde_json::to_string_pretty(document.source()).map_err(|error| {
        Error::at_pointer(
            file,
            "",
            format!("the document cannot be written as JSON: {error}"),
        )
    })?;
    // The same value as YAML, keys in the document's order, for teams that read YAML.
    let document_yaml = crate::publish::yaml::to_string(document.source());
    let servers: Vec<Server> = api
        .servers
        .iter()
        .map(|server| Server {
            url: server_url(server),
            description: server.description.clone(),
        })
        .collect();
    Ok(Service {
        base_path: servers
            .first()
            .map(|s| base_path(&s.url))
            .unwrap_or_default(),
        servers,
        crate_name: crate_name.to_owned(),
        trait_name: type_name(crate_name),
        webhooks_trait_name: format!("{}Webhooks", type_name(crate_name)),
        source: source.to_owned(),
        title: api.info.title.clone(),
        version: api.info.version.clone(),
        description: description(document),
        types,
        security_schemes,
        operations,
        document_json: document_json + "\n",
        document_yaml,
        runtime_path: crate::Options::default().runtime_path,
        warnings,
    })
}

/// The operations of 3.1 `webhooks`, after the served ones: requests the API sends to
/// its subscribers, received by the crate's webhooks trait and router. Each is served at
/// `/` and the webhook's name (`/newPet`): the document does not know the subscriber's
/// URL, so the subscriber mounts the router where it registered (`nest`).
fn webhooks(
    document: &Document,
    lowering: &mut operations::Operations<'_, '_>,
    errors: &mut Vec<Error>,
) -> Vec<crate::model::Operation> {
    let mut operations = Vec::new();
    let webhooks = document
        .value
        .get("webhooks")
        .and_then(serde_json::Value::as_object);
    for (name, item) in webhooks.into_iter().flatten() {
        let at = push_pointer("/webhooks", name);
        let item = <ReferenceOr<openapiv3::PathItem> as serde::Deserialize>::deserialize(item)
            .map_err(|error| error.to_string())
            .and_then(|item| path_item(&document.value, &item));
        let item = match item {
            Ok(item) => item,
            Err(message) => {
                errors.push(
                    Error::at_pointer(&document.file, &at, message)
                        .help("write the webhook as a path item object, or a `$ref` to one"),
                );
                continue;
            }
        };
        let path = webhook_path(name);
        for (method, operation) in item.iter() {
            operations.extend(lowering.lower_at(&path, &at, method, &item.parameters, operation));
        }
    }
    operations
}

/// The path a webhook is received at: `/` and its name, each character that has no
/// place in a plain path segment (`/`, `{`, spaces) written `-`.
fn webhook_path(name: &str) -> String {
    let segment: String = name
        .chars()
        .map(|c| match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '-' | '_' | '.' | '~' => c,
            _ => '-',
        })
        .collect();
    format!("/{segment}")
}

/// A path item, following `$ref`s to other path items of the document.
fn path_item(
    document: &serde_json::Value,
    item: &ReferenceOr<openapiv3::PathItem>,
) -> Result<openapiv3::PathItem, String> {
    let mut seen = Vec::new();
    let mut item = item.clone();
    loop {
        let reference = match item {
            ReferenceOr::Item(item) => return Ok(item),
            ReferenceOr::Reference { reference } => reference,
        };
        if seen.contains(&reference) {
            return Err(format!(
                "`$ref: {reference}` leads back to itself: the path items refer to each other in a cycle"
            ));
        }
        let target = reference
            .strip_prefix('#')
            .and_then(|fragment| document.pointer(fragment));
        item = match target.map(serde::Deserialize::deserialize) {
            Some(Ok(item)) => item,
            _ => return Err(format!("`$ref: {reference}` does not name a path item")),
        };
        seen.push(reference);
    }
}

/// The path of a server URL, without its trailing `/`: `https://h/v1/` -> `/v1`,
/// `/api` -> `/api`, `https://h` -> ``.
fn base_path(url: &str) -> String {
    let path = match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("", |slash| &rest[slash..]),
        None => url,
    };
    path.trim_end_matches('/').to_owned()
}

/// A server's URL with each `{variable}` replaced by its default.
fn server_url(server: &openapiv3::Server) -> String {
    let mut url = server.url.clone();
    for (name, variable) in server.variables.iter().flatten() {
        url = url.replace(&format!("{{{name}}}"), &variable.default);
    }
    url
}

fn security_schemes(document: &Document) -> (Vec<SecurityScheme>, Vec<Error>) {
    let mut errors = Vec::new();
    let mut names = Scope::with_reserved(&crate::names::reserved_for_schemes());
    let mut variants = Scope::default();
    let Some(components) = &document.openapi.components else {
        return (Vec::new(), errors);
    };
    let schemes = components
        .security_schemes
        .iter()
        .filter_map(|(key, scheme)| {
            let at = push_pointer("/components/securitySchemes", key);
            let scheme = match scheme {
                ReferenceOr::Item(scheme) => scheme,
                ReferenceOr::Reference { .. } => {
                    errors.push(
                        Error::at_pointer(
                            &document.file,
                            &at,
                            "a security scheme given by `$ref` is not supported",
                        )
                        .help("define the scheme in place"),
                    );
                    return None;
                }
            };
            use openapiv3::SecurityScheme as S;
            let (kind, docs) = match scheme {
                S::APIKey {
                    location,
                    name,
                    description,
                    ..
                } => (
                    match location {
                        APIKeyLocation::Header => {
                            SchemeKind::ApiKeyHeader(name.to_ascii_lowercase())
                        }
                        APIKeyLocation::Query => SchemeKind::ApiKeyQuery(name.clone()),
                        APIKeyLocation::Cookie => SchemeKind::ApiKeyCookie(name.clone()),
                    },
                    description,
                ),
                S::HTTP {
                    scheme,
                    description,
                    ..
                } if scheme.eq_ignore_ascii_case("bearer") => (SchemeKind::Bearer, description),
                S::HTTP {
                    scheme,
                    description,
                    ..
                } if scheme.eq_ignore_ascii_case("basic") => (SchemeKind::Basic, description),
                // Other HTTP schemes (digest, ...) are an error only where an operation
                // needs one: lowering that operation's `security` says so.
                S::HTTP { .. } => return None,
                S::OAuth2 { description, .. } | S::OpenIDConnect { description, .. } => {
                    (SchemeKind::Bearer, description)
                }
            };
            Some(SecurityScheme {
                key: key.clone(),
                name: names.unique(field_name(key)),
                variant: variants.unique(variant_name(key)),
                kind,
                docs: scheme_docs(
                    description_or(docs.as_deref(), key),
                    document.value.pointer(&at),
                ),
            })
        })
        .collect();
    (schemes, errors)
}

/// Adds a bearer-token scheme for each scheme a `security` requirement names that the
/// document does not define (or defines in a kind there is no credential for, such as
/// HTTP digest): the operations stay callable, their credential slot a token the user
/// gives, and a warning at the first requirement naming it says what to fix. A path item
/// given by `$ref` is followed one step (the requirement is reported where it is written);
/// an operation behind a chain of such references naming such a scheme is refused where
/// it stands.
fn undefined_schemes(document: &Document, schemes: &mut Vec<SecurityScheme>) -> Vec<Error> {
    let value = &document.value;
    let mut requirements: Vec<(String, &serde_json::Value)> = Vec::new();
    if let Some(security) = value.get("security") {
        requirements.push(("/security".to_owned(), security));
    }
    for (path, item) in value
        .get("paths")
        .and_then(serde_json::Value::as_object)
        .into_iter()
        .flatten()
    {
        let mut at = push_pointer("/paths", path);
        let mut item = item;
        if let Some(target) = item
            .get("$ref")
            .and_then(serde_json::Value::as_str)
            .and_then(|reference| reference.strip_prefix('#'))
            && let Some(referenced) = value.pointer(target)
        {
            target.clone_into(&mut at);
            item = referenced;
        }
        for (method, operation) in item.as_object().into_iter().flatten() {
            if let Some(security) = operation.get("security") {
                requirements.push((
                    push_pointer(&push_pointer(&at, method), "security"),
                    security,
                ));
            }
        }
        // 3.2's `additionalOperations` (its `query` is a key of the item, met above).
        for (_, relative, operation) in crate::load::v32::extra_operations(item) {
            if let Some(security) = operation.get("security")
                && relative != "/query"
            {
                requirements.push((format!("{at}{relative}/security"), security));
            }
        }
    }
    let mut names = Scope::with_reserved(&crate::names::reserved_for_schemes());
    let mut variants = Scope::default();
    for scheme in schemes.iter() {
        names.unique(scheme.name.clone());
        variants.unique(scheme.variant.clone());
    }
    let mut warnings = Vec::new();
    for (at, security) in requirements {
        let keys = security
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(serde_json::Value::as_object)
            .flat_map(|requirement| requirement.keys());
        for key in keys {
            if schemes.iter().any(|scheme| &scheme.key == key) {
                continue;
            }
            let defined = value
                .pointer(&push_pointer("/components/securitySchemes", key))
                .is_some();
            let why = if defined {
                "is of a kind without a credential type here (HTTP schemes other than bearer and basic)"
            } else {
                "is not defined under `components/securitySchemes`"
            };
            let mut warning = Error::at_pointer(&document.file, &at, format!("security scheme `{key}` {why}: its operations take a bearer token for it"))
                .help("define it under `components/securitySchemes` (apiKey, http bearer or basic, oauth2 or openIdConnect)");
            warning.kind = Some("undefined security scheme".to_owned());
            warnings.push(warning);
            schemes.push(SecurityScheme {
                key: key.clone(),
                name: names.unique(field_name(key)),
                variant: variants.unique(variant_name(key)),
                kind: SchemeKind::Bearer,
                docs: format!(
                    "The `{key}` security scheme, which the document names but does not define: sent as a bearer token (`Authorization: Bearer <token>`)."
                ),
            });
        }
    }
    warnings
}

/// `info.description`, after 3.1's `info.summary` when there is one.
fn description(document: &Document) -> Option<String> {
    let summary = document
        .value
        .pointer("/info/summary")
        .and_then(serde_json::Value::as_str);
    let description = document.openapi.info.description.as_deref();
    let text = match (summary, description) {
        (Some(summary), Some(description)) => Some(format!("{summary}\n\n{description}")),
        (summary, description) => summary.or(description).map(str::to_owned),
    };
    // 3.2's hierarchical tags, after the description.
    match (text, tags::tree(&document.value)) {
        (Some(text), Some(tree)) => Some(format!("{text}\n\n{tree}")),
        (text, tree) => text.or(tree),
    }
}

/// A scheme's docs, with what 3.2 adds to security schemes, which `openapiv3` drops:
/// `deprecated: true`, and an OAuth 2.0 scheme's `oauth2MetadataUrl` and flows (the
/// `deviceAuthorization` flow among them), since the credential is a token obtained
/// through one of them. The scheme is read and used as before either way.
fn scheme_docs(docs: String, scheme: Option<&serde_json::Value>) -> String {
    let Some(scheme) = scheme else { return docs };
    let text = |key: &str| scheme.get(key).and_then(serde_json::Value::as_str);
    let mut notes = Vec::new();
    if scheme.get("deprecated") == Some(&serde_json::Value::Bool(true)) {
        notes.push(
            "**Deprecated**: the document asks that this scheme no longer be used.".to_owned(),
        );
    }
    if let Some(url) = text("oauth2MetadataUrl") {
        notes.push(format!(
            "OAuth 2.0 authorization server metadata (RFC 8414): `{url}`."
        ));
    }
    let flows = scheme.get("flows").and_then(serde_json::Value::as_object);
    for (flow, fields) in flows.into_iter().flatten() {
        let field = |key: &str| fields.get(key).and_then(serde_json::Value::as_str);
        let urls: Vec<String> = [
            ("deviceAuthorizationUrl", "device authorization"),
            ("authorizationUrl", "authorization"),
            ("tokenUrl", "token"),
        ]
        .iter()
        .filter_map(|(key, what)| field(key).map(|url| format!("{what} `{url}`")))
        .collect();
        let mut note = format!("OAuth 2.0 flow `{flow}`");
        if !urls.is_empty() {
            note.push_str(&format!(": {}", urls.join(", ")));
        }
        notes.push(format!("{note}."));
    }
    // Only schemes that say something of 3.2's: the docs of others stay as they were.
    let says_32 = scheme.get("deprecated").is_some()
        || text("oauth2MetadataUrl").is_some()
        || flows.is_some_and(|flows| flows.contains_key("deviceAuthorization"));
    if notes.is_empty() || !says_32 {
        return docs;
    }
    let notes: Vec<String> = notes.iter().map(|note| format!("- {note}")).collect();
    format!("{docs}\n\n{}", notes.join("\n"))
}

fn description_or(description: Option<&str>, key: &str) -> String {
    description.map_or_else(|| format!("The `{key}` security scheme."), str::to_owned)
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_31;
#[cfg(test)]
mod tests_32;
