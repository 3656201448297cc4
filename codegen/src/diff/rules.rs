//! Every rule of the comparison, in one table: what changed, where (family), which way
//! the data flows (direction), and whom it breaks (class).
//!
//! The classes say who fails when the server is built from the NEW document:
//! - **breaks-clients**: a client generated from the OLD document fails against it (a
//!   request it sends is refused, a response it reads does not decode, an operation it
//!   calls is gone);
//! - **breaks-implementations**: code written against the OLD server trait no longer
//!   compiles or no longer matches (a new operation to provide, a request it never saw,
//!   a response it must now shape differently);
//! - **compatible**: neither (documentation, examples, optional additions, open enums).
//!
//! Schemas follow one principle in both directions. In a request the client writes and
//! the server reads: a narrower request schema refuses what old clients send (breaks
//! clients), a wider one hands implementations values they never handled (breaks
//! implementations). In a response it is the other way round: a wider response schema
//! sends old clients what they cannot read (breaks clients), a narrower one asks more of
//! implementations (breaks implementations). A change that is neither narrower nor wider
//! (a pattern replaced, `string` to `integer`) counts as narrower in requests and wider in
//! responses: it breaks clients either way.
//!
//! | rule | family | direction | class |
//! | --- | --- | --- | --- |
//! | `operation-removed` | operation | both | breaks-clients |
//! | `operation-added` | operation | both | breaks-implementations |
//! | `operation-id-changed` | operation | both | breaks-implementations |
//! | `operation-deprecation-changed` | operation | both | compatible |
//! | `parameter-added-required` | parameter | request | breaks-clients |
//! | `parameter-added-optional` | parameter | request | compatible |
//! | `parameter-removed` | parameter | request | breaks-clients |
//! | `parameter-moved` | parameter | request | breaks-clients |
//! | `parameter-became-required` | parameter | request | breaks-clients |
//! | `parameter-became-optional` | parameter | request | breaks-implementations |
//! | `parameter-style-changed` | parameter | request | breaks-clients |
//! | `path-parameter-renamed` | parameter | request | breaks-implementations |
//! | `parameter-deprecation-changed` | parameter | request | compatible |
//! | `request-body-added-required` | request-body | request | breaks-clients |
//! | `request-body-added-optional` | request-body | request | compatible |
//! | `request-body-removed` | request-body | request | breaks-implementations |
//! | `request-body-became-required` | request-body | request | breaks-clients |
//! | `request-body-became-optional` | request-body | request | breaks-implementations |
//! | `request-media-type-removed` | request-body | request | breaks-clients |
//! | `request-media-type-added` | request-body | request | breaks-implementations |
//! | `response-status-removed` | response | response | breaks-clients |
//! | `response-success-status-added` | response | response | breaks-clients |
//! | `response-error-status-added` | response | response | compatible |
//! | `response-media-type-removed` | response | response | breaks-clients |
//! | `response-media-type-added` | response | response | compatible |
//! | `response-body-added` | response | response | breaks-implementations |
//! | `response-body-removed` | response | response | breaks-clients |
//! | `response-required-header-removed` | header | response | breaks-clients |
//! | `response-optional-header-removed` | header | response | compatible |
//! | `response-required-header-added` | header | response | breaks-implementations |
//! | `response-optional-header-added` | header | response | compatible |
//! | `response-header-became-optional` | header | response | breaks-clients |
//! | `response-header-became-required` | header | response | breaks-implementations |
//! | `security-added` | security | request | breaks-clients |
//! | `security-removed` | security | request | breaks-implementations |
//! | `security-alternative-removed` | security | request | breaks-clients |
//! | `security-alternative-added` | security | request | breaks-implementations |
//! | `security-scope-added` | security | request | breaks-clients |
//! | `security-scope-removed` | security | request | compatible |
//! | `security-scheme-type-changed` | security | request | breaks-clients |
//! | `security-scheme-location-changed` | security | request | breaks-clients |
//! | `security-scheme-http-scheme-changed` | security | request | breaks-clients |
//! | `security-scheme-flow-removed` | security | request | breaks-clients |
//! | `security-scheme-flow-added` | security | request | compatible |
//! | `security-scheme-url-changed` | security | request | breaks-clients |
//! | `server-removed` | server | request | breaks-clients |
//! | `server-url-changed` | server | request | breaks-clients |
//! | `server-added` | server | request | compatible |
//! | `server-variable-default-changed` | server | request | breaks-clients |
//! | `server-variable-enum-narrowed` | server | request | breaks-clients |
//! | `server-variable-enum-widened` | server | request | compatible |
//! | `request-type-narrowed` | schema | request | breaks-clients |
//! | `request-type-widened` | schema | request | breaks-implementations |
//! | `response-type-widened` | schema | response | breaks-clients |
//! | `response-type-narrowed` | schema | response | breaks-implementations |
//! | `request-format-narrowed` | schema | request | breaks-clients |
//! | `request-format-widened` | schema | request | breaks-implementations |
//! | `response-format-widened` | schema | response | breaks-clients |
//! | `response-format-narrowed` | schema | response | breaks-implementations |
//! | `request-enum-narrowed` | schema | request | breaks-clients |
//! | `request-enum-widened` | schema | request | breaks-implementations |
//! | `response-enum-widened` | schema | response | breaks-clients |
//! | `response-enum-narrowed` | schema | response | breaks-implementations |
//! | `request-max-length-narrowed` | schema | request | breaks-clients |
//! | `request-max-length-widened` | schema | request | breaks-implementations |
//! | `response-max-length-widened` | schema | response | breaks-clients |
//! | `response-max-length-narrowed` | schema | response | breaks-implementations |
//! | `request-min-length-narrowed` | schema | request | breaks-clients |
//! | `request-min-length-widened` | schema | request | breaks-implementations |
//! | `response-min-length-widened` | schema | response | breaks-clients |
//! | `response-min-length-narrowed` | schema | response | breaks-implementations |
//! | `request-pattern-narrowed` | schema | request | breaks-clients |
//! | `request-pattern-widened` | schema | request | breaks-implementations |
//! | `response-pattern-widened` | schema | response | breaks-clients |
//! | `response-pattern-narrowed` | schema | response | breaks-implementations |
//! | `request-maximum-narrowed` | schema | request | breaks-clients |
//! | `request-maximum-widened` | schema | request | breaks-implementations |
//! | `response-maximum-widened` | schema | response | breaks-clients |
//! | `response-maximum-narrowed` | schema | response | breaks-implementations |
//! | `request-minimum-narrowed` | schema | request | breaks-clients |
//! | `request-minimum-widened` | schema | request | breaks-implementations |
//! | `response-minimum-widened` | schema | response | breaks-clients |
//! | `response-minimum-narrowed` | schema | response | breaks-implementations |
//! | `request-multiple-of-narrowed` | schema | request | breaks-clients |
//! | `request-multiple-of-widened` | schema | request | breaks-implementations |
//! | `response-multiple-of-widened` | schema | response | breaks-clients |
//! | `response-multiple-of-narrowed` | schema | response | breaks-implementations |
//! | `request-max-items-narrowed` | schema | request | breaks-clients |
//! | `request-max-items-widened` | schema | request | breaks-implementations |
//! | `response-max-items-widened` | schema | response | breaks-clients |
//! | `response-max-items-narrowed` | schema | response | breaks-implementations |
//! | `request-min-items-narrowed` | schema | request | breaks-clients |
//! | `request-min-items-widened` | schema | request | breaks-implementations |
//! | `response-min-items-widened` | schema | response | breaks-clients |
//! | `response-min-items-narrowed` | schema | response | breaks-implementations |
//! | `request-unique-items-narrowed` | schema | request | breaks-clients |
//! | `request-unique-items-widened` | schema | request | breaks-implementations |
//! | `response-unique-items-widened` | schema | response | breaks-clients |
//! | `response-unique-items-narrowed` | schema | response | breaks-implementations |
//! | `request-nullable-narrowed` | schema | request | breaks-clients |
//! | `request-nullable-widened` | schema | request | breaks-implementations |
//! | `response-nullable-widened` | schema | response | breaks-clients |
//! | `response-nullable-narrowed` | schema | response | breaks-implementations |
//! | `request-additional-properties-narrowed` | schema | request | breaks-clients |
//! | `request-additional-properties-widened` | schema | request | breaks-implementations |
//! | `response-additional-properties-widened` | schema | response | breaks-clients |
//! | `response-additional-properties-narrowed` | schema | response | breaks-implementations |
//! | `request-property-became-required` | schema | request | breaks-clients |
//! | `request-property-became-optional` | schema | request | breaks-implementations |
//! | `response-property-became-optional` | schema | response | breaks-clients |
//! | `response-property-became-required` | schema | response | breaks-implementations |
//! | `request-required-property-added` | schema | request | breaks-clients |
//! | `request-optional-property-added` | schema | request | compatible |
//! | `request-property-removed` | schema | request | breaks-clients |
//! | `response-required-property-added` | schema | response | breaks-implementations |
//! | `response-optional-property-added` | schema | response | compatible |
//! | `response-required-property-removed` | schema | response | breaks-clients |
//! | `response-optional-property-removed` | schema | response | compatible |
//! | `request-variant-added` | schema | request | breaks-implementations |
//! | `request-variant-removed` | schema | request | breaks-clients |
//! | `response-variant-added` | schema | response | breaks-clients |
//! | `response-variant-removed` | schema | response | breaks-implementations |
//! | `request-all-of-part-added` | schema | request | breaks-clients |
//! | `request-all-of-part-removed` | schema | request | breaks-implementations |
//! | `response-all-of-part-added` | schema | response | breaks-implementations |
//! | `response-all-of-part-removed` | schema | response | breaks-clients |
//! | `discriminator-changed` | schema | both | breaks-clients |
//! | `request-default-changed` | schema | request | breaks-clients |
//! | `response-default-changed` | schema | response | compatible |
//! | `open-enum-changed` | schema | both | compatible |
//! | `documentation-changed` | documentation | both | compatible |
//! | `example-changed` | documentation | both | compatible |
//! | `extension-changed` | documentation | both | compatible |
//!
//! Not compared (no rule): `readOnly`/`writeOnly`, `xml`, `links`, `callbacks`, `encoding`,
//! `allowReserved`, `allowEmptyValue`, and components no operation uses.

use std::fmt;

/// Whom a change breaks; ordered from harmless to worst, so `class >= level` selects
/// what fails a check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    /// Neither clients nor implementations.
    Compatible,
    /// Code written against the OLD server trait no longer compiles or no longer matches.
    BreaksImplementations,
    /// A client generated from the OLD document fails against a server built from NEW.
    BreaksClients,
}

impl Class {
    /// Every class, worst first.
    pub const ALL: [Class; 3] = [
        Class::BreaksClients,
        Class::BreaksImplementations,
        Class::Compatible,
    ];

    /// The class's name in the table, in options and in JSON (`breaks-clients`).
    pub fn as_str(self) -> &'static str {
        match self {
            Class::Compatible => "compatible",
            Class::BreaksImplementations => "breaks-implementations",
            Class::BreaksClients => "breaks-clients",
        }
    }

    /// The class by its name ([`Class::as_str`]).
    pub fn from_name(name: &str) -> Option<Class> {
        Class::ALL.into_iter().find(|class| class.as_str() == name)
    }
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The part of an operation a rule is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Family {
    /// Operations as a whole: added, removed, renamed, deprecated.
    Operation,
    /// Parameters in path, query, header and cookie.
    Parameter,
    /// The request body and its media types.
    RequestBody,
    /// Response statuses, media types and bodies.
    Response,
    /// Response headers.
    Header,
    /// Security requirements and the schemes they name.
    Security,
    /// Server URLs and their variables.
    Server,
    /// Schemas, wherever an operation uses them (directly or through `$ref`).
    Schema,
    /// Descriptions, examples and extensions.
    Documentation,
}

impl Family {
    /// The family's name in the table and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Operation => "operation",
            Family::Parameter => "parameter",
            Family::RequestBody => "request-body",
            Family::Response => "response",
            Family::Header => "header",
            Family::Security => "security",
            Family::Server => "server",
            Family::Schema => "schema",
            Family::Documentation => "documentation",
        }
    }
}

/// Which way the data a rule is about flows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// From client to server.
    Request,
    /// From server to client.
    Response,
    /// Neither in particular: the operation as a whole, or documentation.
    Both,
}

impl Direction {
    /// The direction's name in the table and in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Request => "request",
            Direction::Response => "response",
            Direction::Both => "both",
        }
    }
}

/// One rule: a kind of change and whom it breaks.
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct Rule {
    /// The rule's stable name (`parameter-added-required`).
    pub id: &'static str,
    /// The part of an operation it is about.
    pub family: Family,
    /// Which way the data flows.
    pub direction: Direction,
    /// Whom it breaks.
    pub class: Class,
}

macro_rules! rules {
    ($($name:ident = $id:literal, $family:ident, $direction:ident, $class:ident;)*) => {
        $(
            #[doc = concat!("`", $id, "`")]
            pub static $name: Rule = Rule {
                id: $id,
                family: Family::$family,
                direction: Direction::$direction,
                class: Class::$class,
            };
        )*
        /// Every rule, in the order of the table above.
        pub static RULES: &[&Rule] = &[$(&$name),*];
    };
}

rules! {
    OPERATION_REMOVED = "operation-removed", Operation, Both, BreaksClients;
    OPERATION_ADDED = "operation-added", Operation, Both, BreaksImplementations;
    OPERATION_ID_CHANGED = "operation-id-changed", Operation, Both, BreaksImplementations;
    OPERATION_DEPRECATION_CHANGED = "operation-deprecation-changed", Operation, Both, Compatible;
    PARAMETER_ADDED_REQUIRED = "parameter-added-required", Parameter, Request, BreaksClients;
    PARAMETER_ADDED_OPTIONAL = "parameter-added-optional", Parameter, Request, Compatible;
    PARAMETER_REMOVED = "parameter-removed", Parameter, Request, BreaksClients;
    PARAMETER_MOVED = "parameter-moved", Parameter, Request, BreaksClients;
    PARAMETER_BECAME_REQUIRED = "parameter-became-required", Parameter, Request, BreaksClients;
    PARAMETER_BECAME_OPTIONAL = "parameter-became-optional", Parameter, Request, BreaksImplementations;
    PARAMETER_STYLE_CHANGED = "parameter-style-changed", Parameter, Request, BreaksClients;
    PATH_PARAMETER_RENAMED = "path-parameter-renamed", Parameter, Request, BreaksImplementations;
    PARAMETER_DEPRECATION_CHANGED = "parameter-deprecation-changed", Parameter, Request, Compatible;
    REQUEST_BODY_ADDED_REQUIRED = "request-body-added-required", RequestBody, Request, BreaksClients;
    REQUEST_BODY_ADDED_OPTIONAL = "request-body-added-optional", RequestBody, Request, Compatible;
    REQUEST_BODY_REMOVED = "request-body-removed", RequestBody, Request, BreaksImplementations;
    REQUEST_BODY_BECAME_REQUIRED = "request-body-became-required", RequestBody, Request, BreaksClients;
    REQUEST_BODY_BECAME_OPTIONAL = "request-body-became-optional", RequestBody, Request, BreaksImplementations;
    REQUEST_MEDIA_TYPE_REMOVED = "request-media-type-removed", RequestBody, Request, BreaksClients;
    REQUEST_MEDIA_TYPE_ADDED = "request-media-type-added", RequestBody, Request, BreaksImplementations;
    RESPONSE_STATUS_REMOVED = "response-status-removed", Response, Response, BreaksClients;
    RESPONSE_SUCCESS_STATUS_ADDED = "response-success-status-added", Response, Response, BreaksClients;
    RESPONSE_ERROR_STATUS_ADDED = "response-error-status-added", Response, Response, Compatible;
    RESPONSE_MEDIA_TYPE_REMOVED = "response-media-type-removed", Response, Response, BreaksClients;
    RESPONSE_MEDIA_TYPE_ADDED = "response-media-type-added", Response, Response, Compatible;
    RESPONSE_BODY_ADDED = "response-body-added", Response, Response, BreaksImplementations;
    RESPONSE_BODY_REMOVED = "response-body-removed", Response, Response, BreaksClients;
    RESPONSE_REQUIRED_HEADER_REMOVED = "response-required-header-removed", Header, Response, BreaksClients;
    RESPONSE_OPTIONAL_HEADER_REMOVED = "response-optional-header-removed", Header, Response, Compatible;
    RESPONSE_REQUIRED_HEADER_ADDED = "response-required-header-added", Header, Response, BreaksImplementations;
    RESPONSE_OPTIONAL_HEADER_ADDED = "response-optional-header-added", Header, Response, Compatible;
    RESPONSE_HEADER_BECAME_OPTIONAL = "response-header-became-optional", Header, Response, BreaksClients;
    RESPONSE_HEADER_BECAME_REQUIRED = "response-header-became-required", Header, Response, BreaksImplementations;
    SECURITY_ADDED = "security-added", Security, Request, BreaksClients;
    SECURITY_REMOVED = "security-removed", Security, Request, BreaksImplementations;
    SECURITY_ALTERNATIVE_REMOVED = "security-alternative-removed", Security, Request, BreaksClients;
    SECURITY_ALTERNATIVE_ADDED = "security-alternative-added", Security, Request, BreaksImplementations;
    SECURITY_SCOPE_ADDED = "security-scope-added", Security, Request, BreaksClients;
    SECURITY_SCOPE_REMOVED = "security-scope-removed", Security, Request, Compatible;
    SECURITY_SCHEME_TYPE_CHANGED = "security-scheme-type-changed", Security, Request, BreaksClients;
    SECURITY_SCHEME_LOCATION_CHANGED = "security-scheme-location-changed", Security, Request, BreaksClients;
    SECURITY_SCHEME_HTTP_SCHEME_CHANGED = "security-scheme-http-scheme-changed", Security, Request, BreaksClients;
    SECURITY_SCHEME_FLOW_REMOVED = "security-scheme-flow-removed", Security, Request, BreaksClients;
    SECURITY_SCHEME_FLOW_ADDED = "security-scheme-flow-added", Security, Request, Compatible;
    SECURITY_SCHEME_URL_CHANGED = "security-scheme-url-changed", Security, Request, BreaksClients;
    SERVER_REMOVED = "server-removed", Server, Request, BreaksClients;
    SERVER_URL_CHANGED = "server-url-changed", Server, Request, BreaksClients;
    SERVER_ADDED = "server-added", Server, Request, Compatible;
    SERVER_VARIABLE_DEFAULT_CHANGED = "server-variable-default-changed", Server, Request, BreaksClients;
    SERVER_VARIABLE_ENUM_NARROWED = "server-variable-enum-narrowed", Server, Request, BreaksClients;
    SERVER_VARIABLE_ENUM_WIDENED = "server-variable-enum-widened", Server, Request, Compatible;
    REQUEST_TYPE_NARROWED = "request-type-narrowed", Schema, Request, BreaksClients;
    REQUEST_TYPE_WIDENED = "request-type-widened", Schema, Request, BreaksImplementations;
    RESPONSE_TYPE_WIDENED = "response-type-widened", Schema, Response, BreaksClients;
    RESPONSE_TYPE_NARROWED = "response-type-narrowed", Schema, Response, BreaksImplementations;
    REQUEST_FORMAT_NARROWED = "request-format-narrowed", Schema, Request, BreaksClients;
    REQUEST_FORMAT_WIDENED = "request-format-widened", Schema, Request, BreaksImplementations;
    RESPONSE_FORMAT_WIDENED = "response-format-widened", Schema, Response, BreaksClients;
    RESPONSE_FORMAT_NARROWED = "response-format-narrowed", Schema, Response, BreaksImplementations;
    REQUEST_ENUM_NARROWED = "request-enum-narrowed", Schema, Request, BreaksClients;
    REQUEST_ENUM_WIDENED = "request-enum-widened", Schema, Request, BreaksImplementations;
    RESPONSE_ENUM_WIDENED = "response-enum-widened", Schema, Response, BreaksClients;
    RESPONSE_ENUM_NARROWED = "response-enum-narrowed", Schema, Response, BreaksImplementations;
    REQUEST_MAX_LENGTH_NARROWED = "request-max-length-narrowed", Schema, Request, BreaksClients;
    REQUEST_MAX_LENGTH_WIDENED = "request-max-length-widened", Schema, Request, BreaksImplementations;
    RESPONSE_MAX_LENGTH_WIDENED = "response-max-length-widened", Schema, Response, BreaksClients;
    RESPONSE_MAX_LENGTH_NARROWED = "response-max-length-narrowed", Schema, Response, BreaksImplementations;
    REQUEST_MIN_LENGTH_NARROWED = "request-min-length-narrowed", Schema, Request, BreaksClients;
    REQUEST_MIN_LENGTH_WIDENED = "request-min-length-widened", Schema, Request, BreaksImplementations;
    RESPONSE_MIN_LENGTH_WIDENED = "response-min-length-widened", Schema, Response, BreaksClients;
    RESPONSE_MIN_LENGTH_NARROWED = "response-min-length-narrowed", Schema, Response, BreaksImplementations;
    REQUEST_PATTERN_NARROWED = "request-pattern-narrowed", Schema, Request, BreaksClients;
    REQUEST_PATTERN_WIDENED = "request-pattern-widened", Schema, Request, BreaksImplementations;
    RESPONSE_PATTERN_WIDENED = "response-pattern-widened", Schema, Response, BreaksClients;
    RESPONSE_PATTERN_NARROWED = "response-pattern-narrowed", Schema, Response, BreaksImplementations;
    REQUEST_MAXIMUM_NARROWED = "request-maximum-narrowed", Schema, Request, BreaksClients;
    REQUEST_MAXIMUM_WIDENED = "request-maximum-widened", Schema, Request, BreaksImplementations;
    RESPONSE_MAXIMUM_WIDENED = "response-maximum-widened", Schema, Response, BreaksClients;
    RESPONSE_MAXIMUM_NARROWED = "response-maximum-narrowed", Schema, Response, BreaksImplementations;
    REQUEST_MINIMUM_NARROWED = "request-minimum-narrowed", Schema, Request, BreaksClients;
    REQUEST_MINIMUM_WIDENED = "request-minimum-widened", Schema, Request, BreaksImplementations;
    RESPONSE_MINIMUM_WIDENED = "response-minimum-widened", Schema, Response, BreaksClients;
    RESPONSE_MINIMUM_NARROWED = "response-minimum-narrowed", Schema, Response, BreaksImplementations;
    REQUEST_MULTIPLE_OF_NARROWED = "request-multiple-of-narrowed", Schema, Request, BreaksClients;
    REQUEST_MULTIPLE_OF_WIDENED = "request-multiple-of-widened", Schema, Request, BreaksImplementations;
    RESPONSE_MULTIPLE_OF_WIDENED = "response-multiple-of-widened", Schema, Response, BreaksClients;
    RESPONSE_MULTIPLE_OF_NARROWED = "response-multiple-of-narrowed", Schema, Response, BreaksImplementations;
    REQUEST_MAX_ITEMS_NARROWED = "request-max-items-narrowed", Schema, Request, BreaksClients;
    REQUEST_MAX_ITEMS_WIDENED = "request-max-items-widened", Schema, Request, BreaksImplementations;
    RESPONSE_MAX_ITEMS_WIDENED = "response-max-items-widened", Schema, Response, BreaksClients;
    RESPONSE_MAX_ITEMS_NARROWED = "response-max-items-narrowed", Schema, Response, BreaksImplementations;
    REQUEST_MIN_ITEMS_NARROWED = "request-min-items-narrowed", Schema, Request, BreaksClients;
    REQUEST_MIN_ITEMS_WIDENED = "request-min-items-widened", Schema, Request, BreaksImplementations;
    RESPONSE_MIN_ITEMS_WIDENED = "response-min-items-widened", Schema, Response, BreaksClients;
    RESPONSE_MIN_ITEMS_NARROWED = "response-min-items-narrowed", Schema, Response, BreaksImplementations;
    REQUEST_UNIQUE_ITEMS_NARROWED = "request-unique-items-narrowed", Schema, Request, BreaksClients;
    REQUEST_UNIQUE_ITEMS_WIDENED = "request-unique-items-widened", Schema, Request, BreaksImplementations;
    RESPONSE_UNIQUE_ITEMS_WIDENED = "response-unique-items-widened", Schema, Response, BreaksClients;
    RESPONSE_UNIQUE_ITEMS_NARROWED = "response-unique-items-narrowed", Schema, Response, BreaksImplementations;
    REQUEST_NULLABLE_NARROWED = "request-nullable-narrowed", Schema, Request, BreaksClients;
    REQUEST_NULLABLE_WIDENED = "request-nullable-widened", Schema, Request, BreaksImplementations;
    RESPONSE_NULLABLE_WIDENED = "response-nullable-widened", Schema, Response, BreaksClients;
    RESPONSE_NULLABLE_NARROWED = "response-nullable-narrowed", Schema, Response, BreaksImplementations;
    REQUEST_ADDITIONAL_PROPERTIES_NARROWED = "request-additional-properties-narrowed", Schema, Request, BreaksClients;
    REQUEST_ADDITIONAL_PROPERTIES_WIDENED = "request-additional-properties-widened", Schema, Request, BreaksImplementations;
    RESPONSE_ADDITIONAL_PROPERTIES_WIDENED = "response-additional-properties-widened", Schema, Response, BreaksClients;
    RESPONSE_ADDITIONAL_PROPERTIES_NARROWED = "response-additional-properties-narrowed", Schema, Response, BreaksImplementations;
    REQUEST_PROPERTY_BECAME_REQUIRED = "request-property-became-required", Schema, Request, BreaksClients;
    REQUEST_PROPERTY_BECAME_OPTIONAL = "request-property-became-optional", Schema, Request, BreaksImplementations;
    RESPONSE_PROPERTY_BECAME_OPTIONAL = "response-property-became-optional", Schema, Response, BreaksClients;
    RESPONSE_PROPERTY_BECAME_REQUIRED = "response-property-became-required", Schema, Response, BreaksImplementations;
    REQUEST_REQUIRED_PROPERTY_ADDED = "request-required-property-added", Schema, Request, BreaksClients;
    REQUEST_OPTIONAL_PROPERTY_ADDED = "request-optional-property-added", Schema, Request, Compatible;
    REQUEST_PROPERTY_REMOVED = "request-property-removed", Schema, Request, BreaksClients;
    RESPONSE_REQUIRED_PROPERTY_ADDED = "response-required-property-added", Schema, Response, BreaksImplementations;
    RESPONSE_OPTIONAL_PROPERTY_ADDED = "response-optional-property-added", Schema, Response, Compatible;
    RESPONSE_REQUIRED_PROPERTY_REMOVED = "response-required-property-removed", Schema, Response, BreaksClients;
    RESPONSE_OPTIONAL_PROPERTY_REMOVED = "response-optional-property-removed", Schema, Response, Compatible;
    REQUEST_VARIANT_ADDED = "request-variant-added", Schema, Request, BreaksImplementations;
    REQUEST_VARIANT_REMOVED = "request-variant-removed", Schema, Request, BreaksClients;
    RESPONSE_VARIANT_ADDED = "response-variant-added", Schema, Response, BreaksClients;
    RESPONSE_VARIANT_REMOVED = "response-variant-removed", Schema, Response, BreaksImplementations;
    REQUEST_ALL_OF_PART_ADDED = "request-all-of-part-added", Schema, Request, BreaksClients;
    REQUEST_ALL_OF_PART_REMOVED = "request-all-of-part-removed", Schema, Request, BreaksImplementations;
    RESPONSE_ALL_OF_PART_ADDED = "response-all-of-part-added", Schema, Response, BreaksImplementations;
    RESPONSE_ALL_OF_PART_REMOVED = "response-all-of-part-removed", Schema, Response, BreaksClients;
    DISCRIMINATOR_CHANGED = "discriminator-changed", Schema, Both, BreaksClients;
    REQUEST_DEFAULT_CHANGED = "request-default-changed", Schema, Request, BreaksClients;
    RESPONSE_DEFAULT_CHANGED = "response-default-changed", Schema, Response, Compatible;
    OPEN_ENUM_CHANGED = "open-enum-changed", Schema, Both, Compatible;
    DOCUMENTATION_CHANGED = "documentation-changed", Documentation, Both, Compatible;
    EXAMPLE_CHANGED = "example-changed", Documentation, Both, Compatible;
    EXTENSION_CHANGED = "extension-changed", Documentation, Both, Compatible;
}

/// The four rules of one schema constraint, one per direction and way it moved.
pub(crate) struct Constraint {
    pub request_narrowed: &'static Rule,
    pub request_widened: &'static Rule,
    pub response_widened: &'static Rule,
    pub response_narrowed: &'static Rule,
}

macro_rules! constraints {
    ($($name:ident = $a:ident, $b:ident, $c:ident, $d:ident;)*) => {
        $(pub(crate) static $name: Constraint = Constraint {
            request_narrowed: &$a,
            request_widened: &$b,
            response_widened: &$c,
            response_narrowed: &$d,
        };)*
    };
}

constraints! {
    TYPE = REQUEST_TYPE_NARROWED, REQUEST_TYPE_WIDENED, RESPONSE_TYPE_WIDENED, RESPONSE_TYPE_NARROWED;
    FORMAT = REQUEST_FORMAT_NARROWED, REQUEST_FORMAT_WIDENED, RESPONSE_FORMAT_WIDENED, RESPONSE_FORMAT_NARROWED;
    ENUM = REQUEST_ENUM_NARROWED, REQUEST_ENUM_WIDENED, RESPONSE_ENUM_WIDENED, RESPONSE_ENUM_NARROWED;
    MAX_LENGTH = REQUEST_MAX_LENGTH_NARROWED, REQUEST_MAX_LENGTH_WIDENED, RESPONSE_MAX_LENGTH_WIDENED, RESPONSE_MAX_LENGTH_NARROWED;
    MIN_LENGTH = REQUEST_MIN_LENGTH_NARROWED, REQUEST_MIN_LENGTH_WIDENED, RESPONSE_MIN_LENGTH_WIDENED, RESPONSE_MIN_LENGTH_NARROWED;
    PATTERN = REQUEST_PATTERN_NARROWED, REQUEST_PATTERN_WIDENED, RESPONSE_PATTERN_WIDENED, RESPONSE_PATTERN_NARROWED;
    MAXIMUM = REQUEST_MAXIMUM_NARROWED, REQUEST_MAXIMUM_WIDENED, RESPONSE_MAXIMUM_WIDENED, RESPONSE_MAXIMUM_NARROWED;
    MINIMUM = REQUEST_MINIMUM_NARROWED, REQUEST_MINIMUM_WIDENED, RESPONSE_MINIMUM_WIDENED, RESPONSE_MINIMUM_NARROWED;
    MULTIPLE_OF = REQUEST_MULTIPLE_OF_NARROWED, REQUEST_MULTIPLE_OF_WIDENED, RESPONSE_MULTIPLE_OF_WIDENED, RESPONSE_MULTIPLE_OF_NARROWED;
    MAX_ITEMS = REQUEST_MAX_ITEMS_NARROWED, REQUEST_MAX_ITEMS_WIDENED, RESPONSE_MAX_ITEMS_WIDENED, RESPONSE_MAX_ITEMS_NARROWED;
    MIN_ITEMS = REQUEST_MIN_ITEMS_NARROWED, REQUEST_MIN_ITEMS_WIDENED, RESPONSE_MIN_ITEMS_WIDENED, RESPONSE_MIN_ITEMS_NARROWED;
    UNIQUE_ITEMS = REQUEST_UNIQUE_ITEMS_NARROWED, REQUEST_UNIQUE_ITEMS_WIDENED, RESPONSE_UNIQUE_ITEMS_WIDENED, RESPONSE_UNIQUE_ITEMS_NARROWED;
    NULLABLE = REQUEST_NULLABLE_NARROWED, REQUEST_NULLABLE_WIDENED, RESPONSE_NULLABLE_WIDENED, RESPONSE_NULLABLE_NARROWED;
    ADDITIONAL_PROPERTIES = REQUEST_ADDITIONAL_PROPERTIES_NARROWED, REQUEST_ADDITIONAL_PROPERTIES_WIDENED, RESPONSE_ADDITIONAL_PROPERTIES_WIDENED, RESPONSE_ADDITIONAL_PROPERTIES_NARROWED;
    REQUIRED = REQUEST_PROPERTY_BECAME_REQUIRED, REQUEST_PROPERTY_BECAME_OPTIONAL, RESPONSE_PROPERTY_BECAME_OPTIONAL, RESPONSE_PROPERTY_BECAME_REQUIRED;
    VARIANTS = REQUEST_VARIANT_REMOVED, REQUEST_VARIANT_ADDED, RESPONSE_VARIANT_ADDED, RESPONSE_VARIANT_REMOVED;
    ALL_OF = REQUEST_ALL_OF_PART_ADDED, REQUEST_ALL_OF_PART_REMOVED, RESPONSE_ALL_OF_PART_REMOVED, RESPONSE_ALL_OF_PART_ADDED;
}

impl Constraint {
    /// The rule for a constraint that moved (`narrowed`, `widened`, or both: a change
    /// that is neither, which breaks clients in either direction) in a schema read in
    /// `direction`; `None` when it did not move.
    pub(crate) fn rule(
        &self,
        direction: Direction,
        narrowed: bool,
        widened: bool,
    ) -> Option<&'static Rule> {
        match direction {
            Direction::Response if widened => Some(self.response_widened),
            Direction::Response if narrowed => Some(self.response_narrowed),
            _ if narrowed => Some(self.request_narrowed),
            _ if widened => Some(self.request_widened),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// The table in this module's documentation is the rules' reference: it must list
    /// every rule, in order, with its family, direction and class.
    #[test]
    fn the_documented_table_is_the_rule_list() {
        let documented: Vec<String> = include_str!("rules.rs")
            .lines()
            .filter_map(|line| line.strip_prefix("//! | `"))
            .map(|row| format!("| `{row}"))
            .collect();
        let listed: Vec<String> = RULES
            .iter()
            .map(|rule| {
                format!(
                    "| `{}` | {} | {} | {} |",
                    rule.id,
                    rule.family.as_str(),
                    rule.direction.as_str(),
                    rule.class
                )
            })
            .collect();
        assert_eq!(documented, listed);
    }

    #[test]
    fn rule_names_are_unique() {
        let ids: HashSet<&str> = RULES.iter().map(|rule| rule.id).collect();
        assert_eq!(ids.len(), RULES.len());
    }

    #[test]
    fn a_constraint_breaks_clients_when_requests_narrow_or_responses_widen() {
        for constraint in [&MAX_LENGTH, &REQUIRED, &VARIANTS, &ALL_OF, &TYPE] {
            assert_eq!(constraint.request_narrowed.class, Class::BreaksClients);
            assert_eq!(constraint.response_widened.class, Class::BreaksClients);
            assert_eq!(
                constraint.request_widened.class,
                Class::BreaksImplementations
            );
            assert_eq!(
                constraint.response_narrowed.class,
                Class::BreaksImplementations
            );
        }
    }
}
