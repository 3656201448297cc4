//! Cargo features per tag, for large documents: a user who needs a few operations of a
//! large API compiles only those, and the types they use.
//!
//! A document with more than [`PER_TAG_ABOVE`] operations gets one feature per tag, off
//! by default. An operation (its trait method, handler, route, client method, params and
//! response types) is compiled when the feature of one of its tags is on, or always when
//! it has no tag; a type is compiled when an operation compiled uses it, directly or
//! through other types. Types no operation uses (GitHub's webhook payloads) come with
//! the feature [`UNUSED_SCHEMAS`]; `all` turns everything on. Smaller documents have no
//! such features: everything is always compiled.

use crate::model::{BodyKind, Operation, ResponseBody, Service, Type, TypeKind};
use heck::ToKebabCase;
use proc_macro2::TokenStream;
use quote::quote;
use std::collections::{BTreeMap, BTreeSet};

/// Documents with more operations than this get a feature per tag.
pub const PER_TAG_ABOVE: usize = 200;

/// The feature of the schemas no operation uses.
pub const UNUSED_SCHEMAS: &str = "unused-schemas";

/// Feature names a tag cannot take.
const RESERVED: [&str; 6] = ["default", "client", "server", "mock", "all", UNUSED_SCHEMAS];

/// Which feature turns on each operation and each type.
pub struct Features {
    /// The feature of each tag, in the order tags are met.
    tags: Vec<String>,
    /// Per operation (by index), the features of its tags; empty for always.
    operations: Vec<BTreeSet<usize>>,
    /// Per type that is not always compiled, the features (tag indices) that need it;
    /// empty for the schemas no operation uses.
    types: BTreeMap<String, BTreeSet<usize>>,
}

impl Features {
    /// The features of `service`: none for a document of [`PER_TAG_ABOVE`] operations
    /// or fewer.
    pub fn new(service: &Service) -> Self {
        let mut features = Features {
            tags: Vec::new(),
            operations: vec![BTreeSet::new(); service.operations.len()],
            types: BTreeMap::new(),
        };
        if service.operations.len() <= PER_TAG_ABOVE {
            return features;
        }
        let mut by_tag: BTreeMap<&str, usize> = BTreeMap::new();
        for (index, operation) in service.operations.iter().enumerate() {
            for tag in &operation.tags {
                let feature = *by_tag.entry(tag).or_insert_with(|| {
                    features.tags.push(feature_name(tag, &features.tags));
                    features.tags.len() - 1
                });
                features.operations[index].insert(feature);
            }
        }
        // Who needs each type: the operations using it, then the types containing it.
        let contained: BTreeMap<&str, Vec<&str>> = service
            .types
            .iter()
            .map(|def| (def.name.as_str(), contained_types(&def.kind)))
            .collect();
        let mut always: BTreeSet<&str> = BTreeSet::new();
        let mut needed: BTreeMap<&str, BTreeSet<usize>> = BTreeMap::new();
        for (operation, gate) in service.operations.iter().zip(&features.operations) {
            let mut pending = operation_types(operation);
            let mut seen = BTreeSet::new();
            while let Some(name) = pending.pop() {
                if !seen.insert(name) {
                    continue;
                }
                if gate.is_empty() {
                    always.insert(name);
                } else {
                    needed.entry(name).or_default().extend(gate);
                }
                pending.extend(contained.get(name).into_iter().flatten());
            }
        }
        for def in &service.types {
            if !always.contains(def.name.as_str()) {
                let gate = needed.remove(def.name.as_str()).unwrap_or_default();
                features.types.insert(def.name.clone(), gate);
            }
        }
        features
    }

    /// What an item every operation may use carries: nothing for a small document;
    /// for a large one, leave to be unused when the features that use it are off.
    pub fn allow_unused(&self) -> TokenStream {
        if self.tags.is_empty() {
            return quote!();
        }
        quote!(#[allow(dead_code, reason = "unused when the features of the operations that use it are off")])
    }

    /// The `#[cfg]` of the operation number `index`, empty when it is always compiled.
    pub fn operation(&self, index: usize) -> TokenStream {
        self.gate(&self.operations[index])
    }

    /// The condition of the operation number `index` (for `cfg!`), `None` for always.
    pub fn operation_condition(&self, index: usize) -> Option<TokenStream> {
        self.condition(&self.operations[index])
    }

    /// Whether operation `a` and operation `b` are compiled under the same features.
    pub fn same(&self, a: usize, b: usize) -> bool {
        self.operations[a] == self.operations[b]
    }

    /// The `#[cfg]` of the type `name`, empty when it is always compiled.
    pub fn ty(&self, name: &str) -> TokenStream {
        match self.types.get(name) {
            None => quote!(),
            Some(gate) if gate.is_empty() => quote!(#[cfg(feature = #UNUSED_SCHEMAS)]),
            Some(gate) => self.gate(gate),
        }
    }

    /// The `[features]` lines of the manifest for the tags (nothing for a small document).
    pub fn manifest(&self) -> String {
        if self.tags.is_empty() {
            return String::new();
        }
        let mut out = format!(
            "# The document is large: each tag's operations (and the types they use) compile\n\
             # only with the tag's feature; `{UNUSED_SCHEMAS}` has the schemas no operation uses.\n"
        );
        let mut all: Vec<String> = self.tags.iter().map(|t| format!("\"{t}\"")).collect();
        all.push(format!("\"{UNUSED_SCHEMAS}\""));
        out.push_str(&format!("all = [{}]\n", all.join(", ")));
        for tag in &self.tags {
            out.push_str(&format!("{tag} = []\n"));
        }
        out.push_str(&format!("{UNUSED_SCHEMAS} = []\n"));
        out
    }

    fn condition(&self, gate: &BTreeSet<usize>) -> Option<TokenStream> {
        let names = gate.iter().map(|&i| self.tags[i].as_str());
        match gate.len() {
            0 => None,
            1 => Some(quote!(#(feature = #names)*)),
            _ => Some(quote!(any(#(feature = #names),*))),
        }
    }

    fn gate(&self, gate: &BTreeSet<usize>) -> TokenStream {
        match self.condition(gate) {
            None => quote!(),
            Some(condition) => quote!(#[cfg(#condition)]),
        }
    }
}

/// The feature name of `tag`: kebab case, unique, not one of [`RESERVED`].
fn feature_name(tag: &str, taken: &[String]) -> String {
    let base = tag.to_kebab_case();
    let base = if base.is_empty() || RESERVED.contains(&base.as_str()) {
        format!("{base}-tag").trim_start_matches('-').to_owned()
    } else {
        base
    };
    let mut name = base.clone();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{base}-{n}");
        n += 1;
    }
    name
}

/// The named types an operation's parameters, body and responses hold.
fn operation_types(operation: &Operation) -> Vec<&str> {
    let mut named: Vec<&str> = Vec::new();
    named.extend(operation.params.iter().flat_map(|p| p.ty.named()));
    if let Some(body) = &operation.body {
        match &body.kind {
            BodyKind::Json(ty) | BodyKind::Form(ty) | BodyKind::NestedForm { ty, .. } => {
                named.extend(ty.named());
            }
            BodyKind::Multipart(parts) => named.extend(parts.iter().flat_map(|p| p.ty.named())),
            BodyKind::Stream(stream) => named.extend(stream.item.named()),
            BodyKind::Text | BodyKind::Binary | BodyKind::Parts => {}
        }
    }
    for response in &operation.responses {
        match &response.body {
            ResponseBody::Json(ty) => named.extend(ty.named()),
            ResponseBody::Stream(stream) => named.extend(stream.item.named()),
            _ => {}
        }
        named.extend(response.headers.iter().flat_map(|h| h.ty.named()));
    }
    named
}

/// The named types a type's values hold.
fn contained_types(kind: &TypeKind) -> Vec<&str> {
    match kind {
        TypeKind::Struct {
            fields, additional, ..
        } => fields
            .iter()
            .flat_map(|f| f.ty.named())
            .chain(additional.iter().flat_map(Type::named))
            .collect(),
        TypeKind::Union { variants, .. } => variants.iter().flat_map(|v| v.ty.named()).collect(),
        TypeKind::Alias(ty) | TypeKind::Newtype(ty) => ty.named(),
        TypeKind::Enum { .. } => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::parse;
    use std::fmt::Write as _;
    use std::path::Path;

    /// A document of `PER_TAG_ABOVE + 1` operations: `listPets` (tag `pets`) returns
    /// `Pet`, which holds a `Toy`; `listToys` (tags `toys` and `pets`) returns `Toy`;
    /// `ping` has no tag and returns `Pong`; `Orphan` is used by nothing; the rest are
    /// `pets` operations without bodies.
    fn large_document() -> Service {
        let mut yaml = String::from(
            "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n\
             \x20 /pets:\n    get:\n      operationId: listPets\n      tags: [pets]\n      responses:\n        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}\n\
             \x20 /toys:\n    get:\n      operationId: listToys\n      tags: [toys, pets]\n      responses:\n        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Toy'}}}}\n\
             \x20 /ping:\n    get:\n      operationId: ping\n      responses:\n        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Pong'}}}}\n",
        );
        for n in 0..PER_TAG_ABOVE {
            let _ = write!(
                yaml,
                "  /more/{n}:\n    get:\n      operationId: more{n}\n      tags: [pets]\n      responses:\n        '204': {{description: none}}\n"
            );
        }
        yaml.push_str(
            "components:\n  schemas:\n\
             \x20   Pet: {type: object, properties: {toy: {$ref: '#/components/schemas/Toy'}}}\n\
             \x20   Toy: {type: object, properties: {name: {type: string}}}\n\
             \x20   Pong: {type: object, properties: {at: {type: string}}}\n\
             \x20   Orphan: {type: object, properties: {x: {type: string}}}\n",
        );
        let document = parse(Path::new("api.yaml"), &yaml).unwrap_or_else(|e| panic!("{e}"));
        crate::lower::lower(&document, "api", "openapi/api.yaml").unwrap_or_else(|e| panic!("{e}"))
    }

    fn text(tokens: TokenStream) -> String {
        tokens.to_string()
    }

    #[test]
    fn a_large_document_compiles_each_operation_and_type_with_the_features_that_need_it() {
        let service = large_document();
        let features = Features::new(&service);
        let index = |id: &str| {
            service
                .operations
                .iter()
                .position(|o| o.id == id)
                .unwrap_or_else(|| panic!("no operation {id}"))
        };
        assert_eq!(
            text(features.operation(index("listPets"))),
            "# [cfg (feature = \"pets\")]"
        );
        assert_eq!(
            text(features.operation(index("listToys"))),
            "# [cfg (any (feature = \"pets\" , feature = \"toys\"))]"
        );
        assert_eq!(
            text(features.operation(index("ping"))),
            "",
            "no tag: always"
        );
        assert_eq!(text(features.ty("Pet")), "# [cfg (feature = \"pets\")]");
        assert_eq!(
            text(features.ty("Toy")),
            "# [cfg (any (feature = \"pets\" , feature = \"toys\"))]",
            "used by both tags, directly and through Pet"
        );
        assert_eq!(
            text(features.ty("Pong")),
            "",
            "used by an untagged operation"
        );
        assert_eq!(
            text(features.ty("Orphan")),
            "# [cfg (feature = \"unused-schemas\")]"
        );
        let manifest = features.manifest();
        assert!(
            manifest
                .contains("all = [\"pets\", \"toys\", \"unused-schemas\"]\npets = []\ntoys = []\n"),
            "{manifest}"
        );
    }

    #[test]
    fn a_small_document_has_no_tag_features() {
        let mut service = large_document();
        service.operations.truncate(PER_TAG_ABOVE);
        let features = Features::new(&service);
        assert_eq!(features.manifest(), "");
        assert_eq!(text(features.operation(0)), "");
        assert_eq!(text(features.ty("Orphan")), "");
    }

    #[test]
    fn feature_names_are_kebab_case_unique_and_never_the_crate_s_own() {
        let mut taken = Vec::new();
        for tag in ["Code Scanning", "code-scanning", "client", ""] {
            let name = feature_name(tag, &taken);
            taken.push(name);
        }
        assert_eq!(
            taken,
            ["code-scanning", "code-scanning-2", "client-tag", "tag"]
        );
    }
}
