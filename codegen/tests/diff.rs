//! `diff`: each rule shown by a before/after pair of a small shop API. Every pair edits
//! one base document (on the OLD side, the NEW side, or both) and lists the rules it must
//! fire, no more, no fewer. `Item` is read by `GET /items/{id}` and both written and read
//! by `PUT /items/{id}`, so a change to it is reported at each use: once in the request
//! of `PUT`, and once in the response of each operation.

use apigen_codegen::diff::{self, Change, Class, RULES};
use apigen_codegen::load;
use std::collections::BTreeSet;
use std::path::Path;

const BASE: &str = r##"openapi: 3.0.3
info:
  title: Shop
  version: '1'
  description: Sells items.
servers:
  - url: https://api.example.com/v1
    description: Production.
  - url: https://{region}.example.com/v1
    variables:
      region:
        default: eu
        enum:
          - eu
          - us
security:
  - apiKey: []
  - basic: []
paths:
  /items/{id}:
    parameters:
      - name: id
        in: path
        required: true
        schema:
          type: string
    get:
      operationId: getItem
      description: Reads an item.
      parameters:
        - name: fields
          in: query
          required: false
          schema:
            type: string
        - name: X-Request-Id
          in: header
          schema:
            type: string
      responses:
        '200':
          description: The item.
          headers:
            X-Rate-Limit:
              required: true
              schema:
                type: integer
            X-Trace:
              schema:
                type: string
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Item'
        '404':
          description: No such item.
    put:
      operationId: putItem
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/Item'
      responses:
        '200':
          description: The item as stored.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Item'
  /items/{id}/archive:
    post:
      operationId: archiveItem
      security: []
      responses:
        '204':
          description: Archived.
  /orders:
    post:
      operationId: createOrder
      security:
        - oauth:
            - orders:write
      requestBody:
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/Order'
      responses:
        '201':
          description: Created.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Order'
components:
  securitySchemes:
    apiKey:
      type: apiKey
      in: header
      name: X-Api-Key
    basic:
      type: http
      scheme: basic
    oauth:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: https://auth.example.com/token
          scopes:
            orders:write: Place orders.
            orders:read: Read orders.
  schemas:
    Item:
      type: object
      description: An item for sale.
      required:
        - name
      properties:
        name:
          type: string
          maxLength: 100
          minLength: 1
          pattern: '^[a-z ]+$'
        price:
          type: number
          minimum: 0
          maximum: 1000
          multipleOf: 0.01
        count:
          type: integer
          format: int32
        kind:
          type: string
          enum:
            - book
            - game
        tags:
          type: array
          maxItems: 10
          minItems: 1
          items:
            type: string
        note:
          type: string
          nullable: true
          default: none
        attributes:
          type: object
          additionalProperties:
            type: string
        condition:
          type: string
          x-extensible-enum:
            - new
            - used
        parent:
          $ref: '#/components/schemas/Item'
    Order:
      type: object
      properties:
        itemId:
          type: string
        payment:
          oneOf:
            - $ref: '#/components/schemas/Card'
            - $ref: '#/components/schemas/Transfer'
          discriminator:
            propertyName: method
        shipping:
          allOf:
            - $ref: '#/components/schemas/Address'
            - type: object
              properties:
                instructions:
                  type: string
    Card:
      type: object
      properties:
        method:
          type: string
        number:
          type: string
          maxLength: 19
    Transfer:
      type: object
      properties:
        method:
          type: string
        iban:
          type: string
    Wallet:
      type: object
      properties:
        method:
          type: string
    Address:
      type: object
      properties:
        street:
          type: string
    Contact:
      type: object
      properties:
        phone:
          type: string
"##;

/// One before/after pair: edits to the base on each side, and the rules it fires.
struct Case {
    story: &'static str,
    old: &'static [(&'static str, &'static str)],
    new: &'static [(&'static str, &'static str)],
    fires: &'static [&'static str],
}

/// `text` with each `(from, to)` applied; `from` must occur exactly once.
fn edit(text: &str, edits: &[(&str, &str)]) -> String {
    let mut text = text.to_owned();
    for (from, to) in edits {
        assert_eq!(
            text.matches(from).count(),
            1,
            "the base must hold `{from}` exactly once"
        );
        text = text.replacen(from, to, 1);
    }
    text
}

fn document(name: &str, text: &str) -> serde_json::Value {
    load::parse(Path::new(name), text)
        .unwrap_or_else(|errors| panic!("{name} does not load:\n{errors}\n{text}"))
        .value
}

fn changes(case: &Case) -> Vec<Change> {
    let old = document("old.yaml", &edit(BASE, case.old));
    let new = document("new.yaml", &edit(BASE, case.new));
    diff::diff(&old, &new)
}

fn check(cases: &[Case]) {
    let mut failures = Vec::new();
    for case in cases {
        let found = changes(case);
        let mut fired: Vec<&str> = found.iter().map(|c| c.rule.id).collect();
        fired.sort_unstable();
        let mut expected = case.fires.to_vec();
        expected.sort_unstable();
        if fired != expected {
            let shown: Vec<String> = found.iter().map(ToString::to_string).collect();
            failures.push(format!(
                "{}:\n  expected {expected:?}\n  found    {fired:?}\n{}",
                case.story,
                shown.join("\n")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

const GET_PARAMETERS: &str = "        - name: X-Request-Id\n          in: header\n          schema:\n            type: string\n";
const ARCHIVE_RESPONSES: &str =
    "      responses:\n        '204':\n          description: Archived.\n";

static OPERATIONS: &[Case] = &[
    Case {
        story: "an operation removed breaks its clients",
        old: &[],
        new: &[(
            "    put:\n      operationId: putItem",
            "    x-put:\n      operationId: putItem",
        )],
        fires: &["operation-removed"],
    },
    Case {
        story: "an operation added must be implemented",
        old: &[(
            "    put:\n      operationId: putItem",
            "    x-put:\n      operationId: putItem",
        )],
        new: &[],
        fires: &["operation-added"],
    },
    Case {
        story: "a whole path removed takes its operations with it",
        old: &[],
        new: &[(
            "  /items/{id}/archive:\n    post:",
            "  /items/{id}/archive:\n    x-post:",
        )],
        fires: &["operation-removed"],
    },
    Case {
        story: "a renamed operationId renames the generated methods",
        old: &[],
        new: &[("operationId: getItem", "operationId: readItem")],
        fires: &["operation-id-changed"],
    },
    Case {
        story: "deprecating an operation is compatible",
        old: &[],
        new: &[(
            "operationId: getItem\n",
            "operationId: getItem\n      deprecated: true\n",
        )],
        fires: &["operation-deprecation-changed"],
    },
    Case {
        story: "renaming a path parameter keeps the path, and renames a field in each operation",
        old: &[],
        new: &[
            ("  /items/{id}:\n", "  /items/{itemId}:\n"),
            ("      - name: id\n", "      - name: itemId\n"),
        ],
        fires: &["path-parameter-renamed", "path-parameter-renamed"],
    },
];

static PARAMETERS: &[Case] = &[
    Case {
        story: "a required query parameter added breaks clients that do not send it",
        old: &[],
        new: &[(
            GET_PARAMETERS,
            "        - name: X-Request-Id\n          in: header\n          schema:\n            type: string\n        - name: page\n          in: query\n          required: true\n          schema:\n            type: integer\n",
        )],
        fires: &["parameter-added-required"],
    },
    Case {
        story: "an optional query parameter added is compatible",
        old: &[],
        new: &[(
            GET_PARAMETERS,
            "        - name: X-Request-Id\n          in: header\n          schema:\n            type: string\n        - name: page\n          in: query\n          schema:\n            type: integer\n",
        )],
        fires: &["parameter-added-optional"],
    },
    Case {
        story: "a parameter removed breaks the clients that send it",
        old: &[(
            GET_PARAMETERS,
            "        - name: X-Request-Id\n          in: header\n          schema:\n            type: string\n        - name: page\n          in: query\n          schema:\n            type: integer\n",
        )],
        new: &[],
        fires: &["parameter-removed"],
    },
    Case {
        story: "a parameter moved from the query to a header breaks clients",
        old: &[],
        new: &[(
            "        - name: fields\n          in: query\n",
            "        - name: fields\n          in: header\n",
        )],
        fires: &["parameter-moved"],
    },
    Case {
        story: "an optional parameter made required breaks clients",
        old: &[],
        new: &[(
            "          in: query\n          required: false\n",
            "          in: query\n          required: true\n",
        )],
        fires: &["parameter-became-required"],
    },
    Case {
        story: "a required parameter made optional reaches implementations without a value",
        old: &[(
            "          in: query\n          required: false\n",
            "          in: query\n          required: true\n",
        )],
        new: &[],
        fires: &["parameter-became-optional"],
    },
    Case {
        story: "a query parameter no longer exploded is sent differently",
        old: &[],
        new: &[(
            "          in: query\n          required: false\n",
            "          in: query\n          required: false\n          explode: false\n",
        )],
        fires: &["parameter-style-changed"],
    },
    Case {
        story: "the default style written out is no change",
        old: &[],
        new: &[(
            "          in: query\n          required: false\n",
            "          in: query\n          required: false\n          style: form\n          explode: true\n",
        )],
        fires: &[],
    },
    Case {
        story: "deprecating a parameter is compatible",
        old: &[],
        new: &[(
            "          in: query\n          required: false\n",
            "          in: query\n          required: false\n          deprecated: true\n",
        )],
        fires: &["parameter-deprecation-changed"],
    },
    Case {
        story: "a parameter's schema narrowed breaks the clients that send longer values",
        old: &[],
        new: &[(
            "          in: query\n          required: false\n          schema:\n            type: string\n",
            "          in: query\n          required: false\n          schema:\n            type: string\n            maxLength: 10\n",
        )],
        fires: &["request-max-length-narrowed"],
    },
    Case {
        story: "a header parameter's name in another case is the same header",
        old: &[],
        new: &[("- name: X-Request-Id", "- name: x-request-id")],
        fires: &[],
    },
];

static REQUEST_BODIES: &[Case] = &[
    Case {
        story: "a required body added breaks clients that send none",
        old: &[],
        new: &[(
            ARCHIVE_RESPONSES,
            "      requestBody:\n        required: true\n        content:\n          application/json:\n            schema:\n              type: object\n      responses:\n        '204':\n          description: Archived.\n",
        )],
        fires: &["request-body-added-required"],
    },
    Case {
        story: "an optional body added is compatible",
        old: &[],
        new: &[(
            ARCHIVE_RESPONSES,
            "      requestBody:\n        content:\n          application/json:\n            schema:\n              type: object\n      responses:\n        '204':\n          description: Archived.\n",
        )],
        fires: &["request-body-added-optional"],
    },
    Case {
        story: "a body removed is lost to implementations",
        old: &[(
            ARCHIVE_RESPONSES,
            "      requestBody:\n        content:\n          application/json:\n            schema:\n              type: object\n      responses:\n        '204':\n          description: Archived.\n",
        )],
        new: &[],
        fires: &["request-body-removed"],
    },
    Case {
        story: "an optional body made required breaks clients that send none",
        old: &[],
        new: &[(
            "      requestBody:\n        content:\n",
            "      requestBody:\n        required: true\n        content:\n",
        )],
        fires: &["request-body-became-required"],
    },
    Case {
        story: "a required body made optional reaches implementations empty",
        old: &[],
        new: &[(
            "      requestBody:\n        required: true\n",
            "      requestBody:\n        required: false\n",
        )],
        fires: &["request-body-became-optional"],
    },
    Case {
        story: "a request media type removed breaks the clients that send it",
        old: &[(
            "      requestBody:\n        required: true\n        content:\n",
            "      requestBody:\n        required: true\n        content:\n          text/plain:\n            schema:\n              type: string\n",
        )],
        new: &[],
        fires: &["request-media-type-removed"],
    },
    Case {
        story: "a request media type added must be read by implementations",
        old: &[],
        new: &[(
            "      requestBody:\n        required: true\n        content:\n",
            "      requestBody:\n        required: true\n        content:\n          text/plain:\n            schema:\n              type: string\n",
        )],
        fires: &["request-media-type-added"],
    },
    Case {
        story: "a media type's parameters and case do not make another media type",
        old: &[],
        new: &[(
            "      requestBody:\n        required: true\n        content:\n          application/json:\n",
            "      requestBody:\n        required: true\n        content:\n          Application/JSON; charset=utf-8:\n",
        )],
        fires: &[],
    },
];

static RESPONSES: &[Case] = &[
    Case {
        story: "a documented status removed breaks the clients that handle it",
        old: &[],
        new: &[("        '404':\n          description: No such item.\n", "")],
        fires: &["response-status-removed"],
    },
    Case {
        story: "a new success status surprises old clients",
        old: &[],
        new: &[(
            ARCHIVE_RESPONSES,
            "      responses:\n        '204':\n          description: Archived.\n        '202':\n          description: Archiving.\n",
        )],
        fires: &["response-success-status-added"],
    },
    Case {
        story: "a new error status is compatible",
        old: &[],
        new: &[(
            ARCHIVE_RESPONSES,
            "      responses:\n        '204':\n          description: Archived.\n        '409':\n          description: Already archived.\n",
        )],
        fires: &["response-error-status-added"],
    },
    Case {
        story: "a response media type removed breaks the clients that read it",
        old: &[(
            "          description: The item as stored.\n          content:\n",
            "          description: The item as stored.\n          content:\n            application/xml:\n              schema:\n                type: string\n",
        )],
        new: &[],
        fires: &["response-media-type-removed"],
    },
    Case {
        story: "a response media type added is compatible",
        old: &[],
        new: &[(
            "          description: The item as stored.\n          content:\n",
            "          description: The item as stored.\n          content:\n            application/xml:\n              schema:\n                type: string\n",
        )],
        fires: &["response-media-type-added"],
    },
    Case {
        story: "a body added to a response must be returned by implementations",
        old: &[],
        new: &[(
            "          description: Archived.\n",
            "          description: Archived.\n          content:\n            application/json:\n              schema:\n                type: object\n",
        )],
        fires: &["response-body-added"],
    },
    Case {
        story: "a response body removed breaks the clients that read it",
        old: &[(
            "          description: Archived.\n",
            "          description: Archived.\n          content:\n            application/json:\n              schema:\n                type: object\n",
        )],
        new: &[],
        fires: &["response-body-removed"],
    },
];

static HEADERS: &[Case] = &[
    Case {
        story: "a required response header removed breaks the clients that read it",
        old: &[],
        new: &[(
            "            X-Rate-Limit:\n              required: true\n              schema:\n                type: integer\n",
            "",
        )],
        fires: &["response-required-header-removed"],
    },
    Case {
        story: "an optional response header removed is compatible",
        old: &[],
        new: &[(
            "            X-Trace:\n              schema:\n                type: string\n",
            "",
        )],
        fires: &["response-optional-header-removed"],
    },
    Case {
        story: "a required response header added must be sent by implementations",
        old: &[],
        new: &[(
            "          headers:\n",
            "          headers:\n            X-Version:\n              required: true\n              schema:\n                type: string\n",
        )],
        fires: &["response-required-header-added"],
    },
    Case {
        story: "an optional response header added is compatible",
        old: &[],
        new: &[(
            "          headers:\n",
            "          headers:\n            X-Version:\n              schema:\n                type: string\n",
        )],
        fires: &["response-optional-header-added"],
    },
    Case {
        story: "a required response header made optional breaks the clients that count on it",
        old: &[],
        new: &[(
            "            X-Rate-Limit:\n              required: true\n",
            "            X-Rate-Limit:\n              required: false\n",
        )],
        fires: &["response-header-became-optional"],
    },
    Case {
        story: "an optional response header made required must be sent by implementations",
        old: &[],
        new: &[(
            "            X-Trace:\n",
            "            X-Trace:\n              required: true\n",
        )],
        fires: &["response-header-became-required"],
    },
    Case {
        story: "a response header's type changed breaks the clients that parse it",
        old: &[],
        new: &[(
            "              required: true\n              schema:\n                type: integer\n",
            "              required: true\n              schema:\n                type: string\n",
        )],
        fires: &["response-type-widened"],
    },
];

static SECURITY: &[Case] = &[
    Case {
        story: "credentials now required on an open operation break its clients",
        old: &[],
        new: &[(
            "      operationId: archiveItem\n      security: []\n",
            "      operationId: archiveItem\n",
        )],
        fires: &["security-added"],
    },
    Case {
        story: "credentials no longer required reach implementations without them",
        old: &[(
            "      operationId: archiveItem\n      security: []\n",
            "      operationId: archiveItem\n",
        )],
        new: &[],
        fires: &["security-removed"],
    },
    Case {
        story: "an accepted scheme withdrawn breaks the clients that use it, in each operation",
        old: &[],
        new: &[("  - apiKey: []\n  - basic: []\n", "  - apiKey: []\n")],
        fires: &[
            "security-alternative-removed",
            "security-alternative-removed",
        ],
    },
    Case {
        story: "a scheme accepted as well must be handled by implementations",
        old: &[("  - apiKey: []\n  - basic: []\n", "  - apiKey: []\n")],
        new: &[],
        fires: &["security-alternative-added", "security-alternative-added"],
    },
    Case {
        story: "a scope now needed breaks clients whose tokens lack it",
        old: &[],
        new: &[(
            "            - orders:write\n",
            "            - orders:write\n            - orders:read\n",
        )],
        fires: &["security-scope-added"],
    },
    Case {
        story: "a scope no longer needed is compatible",
        old: &[(
            "            - orders:write\n",
            "            - orders:write\n            - orders:read\n",
        )],
        new: &[],
        fires: &["security-scope-removed"],
    },
    Case {
        story: "a scheme of another type breaks the clients that use it",
        old: &[],
        new: &[(
            "      type: apiKey\n      in: header\n      name: X-Api-Key\n",
            "      type: http\n      scheme: bearer\n",
        )],
        fires: &[
            "security-scheme-type-changed",
            "security-scheme-type-changed",
        ],
    },
    Case {
        story: "an API key sent elsewhere breaks the clients that send it",
        old: &[],
        new: &[(
            "      in: header\n      name: X-Api-Key\n",
            "      in: query\n      name: api_key\n",
        )],
        fires: &[
            "security-scheme-location-changed",
            "security-scheme-location-changed",
            "security-scheme-location-changed",
            "security-scheme-location-changed",
        ],
    },
    Case {
        story: "an API key header in another case is the same header",
        old: &[],
        new: &[("      name: X-Api-Key\n", "      name: x-api-key\n")],
        fires: &[],
    },
    Case {
        story: "an HTTP scheme changed breaks the clients that use it",
        old: &[],
        new: &[("      scheme: basic\n", "      scheme: digest\n")],
        fires: &[
            "security-scheme-http-scheme-changed",
            "security-scheme-http-scheme-changed",
        ],
    },
    Case {
        story: "an OAuth flow removed breaks the clients that use it",
        old: &[(
            "      flows:\n",
            "      flows:\n        password:\n          tokenUrl: https://auth.example.com/token\n          scopes: {}\n",
        )],
        new: &[],
        fires: &["security-scheme-flow-removed"],
    },
    Case {
        story: "an OAuth flow added is compatible",
        old: &[],
        new: &[(
            "      flows:\n",
            "      flows:\n        password:\n          tokenUrl: https://auth.example.com/token\n          scopes: {}\n",
        )],
        fires: &["security-scheme-flow-added"],
    },
    Case {
        story: "a token URL moved breaks the clients that fetch tokens there",
        old: &[],
        new: &[(
            "tokenUrl: https://auth.example.com/token",
            "tokenUrl: https://login.example.com/token",
        )],
        fires: &["security-scheme-url-changed"],
    },
];

static SERVERS: &[Case] = &[
    Case {
        story: "a server removed breaks the clients that call it",
        old: &[],
        new: &[(
            "  - url: https://{region}.example.com/v1\n    variables:\n      region:\n        default: eu\n        enum:\n          - eu\n          - us\n",
            "",
        )],
        fires: &["server-removed"],
    },
    Case {
        story: "a server added is compatible",
        old: &[],
        new: &[(
            "    description: Production.\n",
            "    description: Production.\n  - url: https://staging.example.com/v1\n",
        )],
        fires: &["server-added"],
    },
    Case {
        story: "a base path changed breaks every client",
        old: &[],
        new: &[(
            "url: https://api.example.com/v1",
            "url: https://api.example.com/v2",
        )],
        fires: &["server-url-changed"],
    },
    Case {
        story: "a trailing slash is the same server",
        old: &[],
        new: &[(
            "url: https://api.example.com/v1",
            "url: https://api.example.com/v1/",
        )],
        fires: &[],
    },
    Case {
        story: "a variable's default changed sends clients elsewhere",
        old: &[],
        new: &[("        default: eu\n", "        default: us\n")],
        fires: &["server-variable-default-changed"],
    },
    Case {
        story: "a variable value withdrawn breaks the clients that pick it",
        old: &[],
        new: &[("          - eu\n          - us\n", "          - eu\n")],
        fires: &["server-variable-enum-narrowed"],
    },
    Case {
        story: "a variable value added is compatible",
        old: &[],
        new: &[(
            "          - eu\n          - us\n",
            "          - eu\n          - us\n          - ap\n",
        )],
        fires: &["server-variable-enum-widened"],
    },
    Case {
        story: "an operation moved to servers of its own breaks its clients",
        old: &[],
        new: &[(
            "      operationId: archiveItem\n",
            "      operationId: archiveItem\n      servers:\n        - url: https://archive.example.com\n",
        )],
        fires: &["server-url-changed", "server-removed"],
    },
];

/// What an `Item` change fires: in `PUT`'s request, and in both operations' responses.
macro_rules! item {
    ($request:literal, $response:literal) => {
        &[$request, $response, $response]
    };
}

static SCHEMAS: &[Case] = &[
    Case {
        story: "a lower maxLength refuses what clients sent, and lets implementations send less",
        old: &[],
        new: &[("maxLength: 100", "maxLength: 50")],
        fires: item!(
            "request-max-length-narrowed",
            "response-max-length-narrowed"
        ),
    },
    Case {
        story: "a higher maxLength sends clients longer strings than they expect",
        old: &[],
        new: &[("maxLength: 100", "maxLength: 200")],
        fires: item!("request-max-length-widened", "response-max-length-widened"),
    },
    Case {
        story: "a higher minLength narrows",
        old: &[],
        new: &[("minLength: 1", "minLength: 2")],
        fires: item!(
            "request-min-length-narrowed",
            "response-min-length-narrowed"
        ),
    },
    Case {
        story: "a minLength removed widens",
        old: &[],
        new: &[("          minLength: 1\n", "")],
        fires: item!("request-min-length-widened", "response-min-length-widened"),
    },
    Case {
        story: "a pattern replaced breaks clients both ways",
        old: &[],
        new: &[("pattern: '^[a-z ]+$'", "pattern: '^[A-Za-z ]+$'")],
        fires: item!("request-pattern-narrowed", "response-pattern-widened"),
    },
    Case {
        story: "a pattern removed widens",
        old: &[],
        new: &[("          pattern: '^[a-z ]+$'\n", "")],
        fires: item!("request-pattern-widened", "response-pattern-widened"),
    },
    Case {
        story: "a pattern added narrows",
        old: &[("          pattern: '^[a-z ]+$'\n", "")],
        new: &[],
        fires: item!("request-pattern-narrowed", "response-pattern-narrowed"),
    },
    Case {
        story: "a lower maximum narrows",
        old: &[],
        new: &[("maximum: 1000", "maximum: 500")],
        fires: item!("request-maximum-narrowed", "response-maximum-narrowed"),
    },
    Case {
        story: "an exclusive maximum narrows",
        old: &[],
        new: &[(
            "maximum: 1000\n",
            "maximum: 1000\n          exclusiveMaximum: true\n",
        )],
        fires: item!("request-maximum-narrowed", "response-maximum-narrowed"),
    },
    Case {
        story: "a higher maximum widens",
        old: &[],
        new: &[("maximum: 1000", "maximum: 5000")],
        fires: item!("request-maximum-widened", "response-maximum-widened"),
    },
    Case {
        story: "a higher minimum narrows",
        old: &[],
        new: &[("minimum: 0", "minimum: 1")],
        fires: item!("request-minimum-narrowed", "response-minimum-narrowed"),
    },
    Case {
        story: "a minimum removed widens",
        old: &[],
        new: &[("          minimum: 0\n", "")],
        fires: item!("request-minimum-widened", "response-minimum-widened"),
    },
    Case {
        story: "a coarser multipleOf narrows",
        old: &[],
        new: &[("multipleOf: 0.01", "multipleOf: 0.05")],
        fires: item!(
            "request-multiple-of-narrowed",
            "response-multiple-of-narrowed"
        ),
    },
    Case {
        story: "a finer multipleOf widens",
        old: &[],
        new: &[("multipleOf: 0.01", "multipleOf: 0.005")],
        fires: item!(
            "request-multiple-of-widened",
            "response-multiple-of-widened"
        ),
    },
    Case {
        story: "fewer items allowed narrows",
        old: &[],
        new: &[("maxItems: 10", "maxItems: 5")],
        fires: item!("request-max-items-narrowed", "response-max-items-narrowed"),
    },
    Case {
        story: "more items allowed widens",
        old: &[],
        new: &[("maxItems: 10", "maxItems: 20")],
        fires: item!("request-max-items-widened", "response-max-items-widened"),
    },
    Case {
        story: "more items needed narrows",
        old: &[],
        new: &[("minItems: 1", "minItems: 2")],
        fires: item!("request-min-items-narrowed", "response-min-items-narrowed"),
    },
    Case {
        story: "fewer items needed widens",
        old: &[],
        new: &[("minItems: 1", "minItems: 0")],
        fires: item!("request-min-items-widened", "response-min-items-widened"),
    },
    Case {
        story: "unique items required narrows",
        old: &[],
        new: &[(
            "maxItems: 10\n",
            "maxItems: 10\n          uniqueItems: true\n",
        )],
        fires: item!(
            "request-unique-items-narrowed",
            "response-unique-items-narrowed"
        ),
    },
    Case {
        story: "unique items no longer required widens",
        old: &[(
            "maxItems: 10\n",
            "maxItems: 10\n          uniqueItems: true\n",
        )],
        new: &[],
        fires: item!(
            "request-unique-items-widened",
            "response-unique-items-widened"
        ),
    },
    Case {
        story: "an integer that becomes a number widens",
        old: &[],
        new: &[(
            "          type: integer\n          format: int32\n",
            "          type: number\n          format: int32\n",
        )],
        fires: item!("request-type-widened", "response-type-widened"),
    },
    Case {
        story: "a number that becomes an integer narrows",
        old: &[],
        new: &[(
            "          type: number\n          minimum: 0\n",
            "          type: integer\n          minimum: 0\n",
        )],
        fires: item!("request-type-narrowed", "response-type-narrowed"),
    },
    Case {
        story: "a string that becomes an integer breaks clients both ways",
        old: &[],
        new: &[(
            "          type: string\n          enum:\n",
            "          type: integer\n          enum:\n",
        )],
        fires: item!("request-type-narrowed", "response-type-widened"),
    },
    Case {
        story: "int32 to int64 widens",
        old: &[],
        new: &[("format: int32", "format: int64")],
        fires: item!("request-format-widened", "response-format-widened"),
    },
    Case {
        story: "a format added narrows",
        old: &[],
        new: &[(
            "          maxLength: 100\n",
            "          maxLength: 100\n          format: email\n",
        )],
        fires: item!("request-format-narrowed", "response-format-narrowed"),
    },
    Case {
        story: "an enum value removed refuses what clients sent",
        old: &[],
        new: &[(
            "            - book\n            - game\n",
            "            - book\n",
        )],
        fires: item!("request-enum-narrowed", "response-enum-narrowed"),
    },
    Case {
        story: "a closed enum value added breaks clients that read it",
        old: &[],
        new: &[(
            "            - book\n            - game\n",
            "            - book\n            - game\n            - film\n",
        )],
        fires: item!("request-enum-widened", "response-enum-widened"),
    },
    Case {
        story: "an open enum value added is compatible, once per operation",
        old: &[],
        new: &[(
            "            - new\n            - used\n",
            "            - new\n            - used\n            - refurbished\n",
        )],
        fires: &["open-enum-changed", "open-enum-changed"],
    },
    Case {
        story: "nullable removed narrows",
        old: &[],
        new: &[("          nullable: true\n", "")],
        fires: item!("request-nullable-narrowed", "response-nullable-narrowed"),
    },
    Case {
        story: "nullable added sends clients nulls",
        old: &[],
        new: &[(
            "          maxLength: 100\n",
            "          maxLength: 100\n          nullable: true\n",
        )],
        fires: item!("request-nullable-widened", "response-nullable-widened"),
    },
    Case {
        story: "no additional properties narrows",
        old: &[],
        new: &[(
            "          additionalProperties:\n            type: string\n",
            "          additionalProperties: false\n",
        )],
        fires: item!(
            "request-additional-properties-narrowed",
            "response-additional-properties-narrowed"
        ),
    },
    Case {
        story: "any additional property widens",
        old: &[],
        new: &[(
            "          additionalProperties:\n            type: string\n",
            "          additionalProperties: true\n",
        )],
        fires: item!(
            "request-additional-properties-widened",
            "response-additional-properties-widened"
        ),
    },
    Case {
        story: "additional properties of another type are compared as schemas",
        old: &[],
        new: &[(
            "          additionalProperties:\n            type: string\n",
            "          additionalProperties:\n            type: boolean\n",
        )],
        fires: item!("request-type-narrowed", "response-type-widened"),
    },
    Case {
        story: "a property made required breaks clients that omit it",
        old: &[],
        new: &[(
            "      required:\n        - name\n",
            "      required:\n        - name\n        - price\n",
        )],
        fires: item!(
            "request-property-became-required",
            "response-property-became-required"
        ),
    },
    Case {
        story: "a property made optional breaks clients that count on it",
        old: &[],
        new: &[("      required:\n        - name\n", "")],
        fires: item!(
            "request-property-became-optional",
            "response-property-became-optional"
        ),
    },
    Case {
        story: "a required property added breaks clients that do not send it",
        old: &[],
        new: &[
            (
                "      required:\n        - name\n",
                "      required:\n        - name\n        - sku\n",
            ),
            (
                "      properties:\n        name:\n",
                "      properties:\n        sku:\n          type: string\n        name:\n",
            ),
        ],
        fires: item!(
            "request-required-property-added",
            "response-required-property-added"
        ),
    },
    Case {
        story: "an optional property added is compatible",
        old: &[],
        new: &[(
            "      properties:\n        name:\n",
            "      properties:\n        sku:\n          type: string\n        name:\n",
        )],
        fires: item!(
            "request-optional-property-added",
            "response-optional-property-added"
        ),
    },
    Case {
        story: "a required read-only property added asks nothing of clients' requests",
        old: &[],
        new: &[
            (
                "      required:\n        - name\n",
                "      required:\n        - name\n        - sku\n",
            ),
            (
                "      properties:\n        name:\n",
                "      properties:\n        sku:\n          type: string\n          readOnly: true\n        name:\n",
            ),
        ],
        fires: item!(
            "request-optional-property-added",
            "response-required-property-added"
        ),
    },
    Case {
        story: "a required property removed breaks clients that read it",
        old: &[],
        new: &[
            ("      required:\n        - name\n", ""),
            (
                "        name:\n          type: string\n          maxLength: 100\n          minLength: 1\n          pattern: '^[a-z ]+$'\n",
                "",
            ),
        ],
        fires: item!(
            "request-property-removed",
            "response-required-property-removed"
        ),
    },
    Case {
        story: "an optional property removed is compatible in responses, not in requests",
        old: &[],
        new: &[(
            "        count:\n          type: integer\n          format: int32\n",
            "",
        )],
        fires: item!(
            "request-property-removed",
            "response-optional-property-removed"
        ),
    },
    Case {
        story: "a default changed changes what implementations get for clients that omit it",
        old: &[],
        new: &[("default: none", "default: empty")],
        fires: item!("request-default-changed", "response-default-changed"),
    },
    Case {
        story: "a oneOf variant added breaks the clients that read it",
        old: &[],
        new: &[(
            "            - $ref: '#/components/schemas/Transfer'\n",
            "            - $ref: '#/components/schemas/Transfer'\n            - $ref: '#/components/schemas/Wallet'\n",
        )],
        fires: &["request-variant-added", "response-variant-added"],
    },
    Case {
        story: "a oneOf variant removed breaks the clients that send it",
        old: &[],
        new: &[("            - $ref: '#/components/schemas/Transfer'\n", "")],
        fires: &["request-variant-removed", "response-variant-removed"],
    },
    Case {
        story: "a discriminator changed breaks clients both ways",
        old: &[],
        new: &[("propertyName: method", "propertyName: kind")],
        fires: &["discriminator-changed"],
    },
    Case {
        story: "an allOf part added narrows",
        old: &[],
        new: &[(
            "            - $ref: '#/components/schemas/Address'\n",
            "            - $ref: '#/components/schemas/Address'\n            - $ref: '#/components/schemas/Contact'\n",
        )],
        fires: &["request-all-of-part-added", "response-all-of-part-added"],
    },
    Case {
        story: "an allOf part removed widens",
        old: &[],
        new: &[("            - $ref: '#/components/schemas/Address'\n", "")],
        fires: &[
            "request-all-of-part-removed",
            "response-all-of-part-removed",
        ],
    },
    Case {
        story: "a change in a referenced variant is found through the reference",
        old: &[],
        new: &[("maxLength: 19", "maxLength: 16")],
        fires: &[
            "request-max-length-narrowed",
            "response-max-length-narrowed",
        ],
    },
    Case {
        story: "a change inside an allOf part is found in place",
        old: &[],
        new: &[(
            "                instructions:\n                  type: string\n",
            "                instructions:\n                  type: string\n                  maxLength: 200\n",
        )],
        fires: &[
            "request-max-length-narrowed",
            "response-max-length-narrowed",
        ],
    },
    Case {
        story: "a oneOf replaced by a string breaks clients both ways",
        old: &[],
        new: &[(
            "          oneOf:\n            - $ref: '#/components/schemas/Card'\n            - $ref: '#/components/schemas/Transfer'\n          discriminator:\n            propertyName: method\n",
            "          type: string\n",
        )],
        fires: &["request-type-narrowed", "response-type-widened"],
    },
    Case {
        story: "a reference wrapped in allOf to describe it changes only documentation",
        old: &[],
        new: &[(
            "          allOf:\n            - $ref: '#/components/schemas/Address'\n            - type: object\n",
            "          description: Where to ship.\n          allOf:\n            - allOf:\n                - $ref: '#/components/schemas/Address'\n              description: The address.\n            - type: object\n",
        )],
        fires: &["documentation-changed", "documentation-changed"],
    },
    Case {
        story: "a self-referencing schema is followed once",
        old: &[],
        new: &[(
            "        parent:\n          $ref: '#/components/schemas/Item'\n",
            "        parent:\n          $ref: '#/components/schemas/Item'\n        children:\n          type: array\n          items:\n            $ref: '#/components/schemas/Item'\n",
        )],
        fires: item!(
            "request-optional-property-added",
            "response-optional-property-added"
        ),
    },
];

static DOCUMENTATION: &[Case] = &[
    Case {
        story: "a shared schema's description changed is reported once per operation",
        old: &[],
        new: &[(
            "description: An item for sale.",
            "description: An item in the shop.",
        )],
        fires: &["documentation-changed", "documentation-changed"],
    },
    Case {
        story: "a new document version changes no operation",
        old: &[],
        new: &[("  version: '1'\n", "  version: '2'\n")],
        fires: &["documentation-changed"],
    },
    Case {
        story: "an example added is compatible",
        old: &[],
        new: &[(
            "          maxLength: 100\n",
            "          maxLength: 100\n          example: a book\n",
        )],
        fires: &["example-changed", "example-changed"],
    },
    Case {
        story: "an extension added is compatible",
        old: &[],
        new: &[(
            "      description: Reads an item.\n",
            "      description: Reads an item.\n      x-internal: true\n",
        )],
        fires: &["extension-changed"],
    },
    Case {
        story: "an operation's description changed is compatible",
        old: &[],
        new: &[(
            "description: Reads an item.",
            "description: Reads one item.",
        )],
        fires: &["documentation-changed"],
    },
];

#[test]
fn operations_removed_added_renamed_and_deprecated() {
    check(OPERATIONS);
}

#[test]
fn parameters_added_removed_moved_and_constrained() {
    check(PARAMETERS);
}

#[test]
fn request_bodies_added_removed_and_required() {
    check(REQUEST_BODIES);
}

#[test]
fn responses_statuses_media_types_and_bodies() {
    check(RESPONSES);
}

#[test]
fn response_headers_added_removed_and_required() {
    check(HEADERS);
}

#[test]
fn security_requirements_scopes_and_schemes() {
    check(SECURITY);
}

#[test]
fn servers_and_their_variables() {
    check(SERVERS);
}

#[test]
fn schemas_in_both_directions_through_references() {
    check(SCHEMAS);
}

#[test]
fn documentation_examples_and_extensions() {
    check(DOCUMENTATION);
}

fn all_cases() -> Vec<&'static Case> {
    [
        OPERATIONS,
        PARAMETERS,
        REQUEST_BODIES,
        RESPONSES,
        HEADERS,
        SECURITY,
        SERVERS,
        SCHEMAS,
        DOCUMENTATION,
    ]
    .into_iter()
    .flatten()
    .collect()
}

#[test]
fn every_rule_is_shown_by_a_pair() {
    let shown: BTreeSet<&str> = all_cases()
        .iter()
        .flat_map(|case| case.fires.iter().copied())
        .collect();
    let missing: Vec<&str> = RULES
        .iter()
        .map(|rule| rule.id)
        .filter(|id| !shown.contains(id))
        .collect();
    assert!(missing.is_empty(), "rules without a pair: {missing:?}");
    let unknown: Vec<&&str> = shown
        .iter()
        .filter(|id| !RULES.iter().any(|rule| rule.id == **id))
        .collect();
    assert!(
        unknown.is_empty(),
        "pairs expect unknown rules: {unknown:?}"
    );
    assert!(all_cases().len() >= 40);
}

#[test]
fn a_document_compared_with_itself_has_no_change() {
    let base = document("base.yaml", BASE);
    assert_eq!(diff::diff(&base, &base), Vec::new());
    let services = Path::new(env!("CARGO_MANIFEST_DIR")).join("../openapi");
    for name in [
        "azure-devops-profiles.yaml",
        "crafter-profile.yaml",
        "groove-music.yaml",
        "xbox-presence.yaml",
    ] {
        let document = load::load(&services.join(name))
            .unwrap_or_else(|errors| panic!("{name} loads: {errors}"));
        assert_eq!(
            diff::diff(&document.value, &document.value),
            Vec::new(),
            "{name}"
        );
    }
}

#[test]
fn a_change_names_its_operation_and_its_place_in_both_documents() {
    let case = Case {
        story: "a lower maxLength",
        old: &[],
        new: &[("maxLength: 100", "maxLength: 50")],
        fires: &[],
    };
    let found = changes(&case);
    let places: Vec<(Option<&str>, &str, &str, &str, &str)> = found
        .iter()
        .map(|c| {
            (
                c.operation.as_deref(),
                c.rule.id,
                c.location.as_str(),
                c.old.as_str(),
                c.new.as_str(),
            )
        })
        .collect();
    let pointer = "/components/schemas/Item/properties/name/maxLength";
    assert_eq!(
        places,
        [
            (
                Some("GET /items/{id}"),
                "response-max-length-narrowed",
                "response 200 application/json",
                pointer,
                pointer
            ),
            (
                Some("PUT /items/{id}"),
                "request-max-length-narrowed",
                "request body application/json",
                pointer,
                pointer
            ),
            (
                Some("PUT /items/{id}"),
                "response-max-length-narrowed",
                "response 200 application/json",
                pointer,
                pointer
            ),
        ]
    );
    assert_eq!(found[1].class(), Class::BreaksClients);
    assert_eq!(found[0].class(), Class::BreaksImplementations);
    assert!(
        found[1].message.contains("from 100 to 50"),
        "{}",
        found[1].message
    );
}

#[test]
fn something_added_points_where_it_would_be_in_the_old_document() {
    let case = &PARAMETERS[0];
    let found = changes(case);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].old, "/paths/~1items~1{id}/get/parameters");
    assert_eq!(found[0].new, "/paths/~1items~1{id}/get/parameters/2");
    assert_eq!(found[0].location, "query parameter `page`");
}

/// OpenAPI 3.2's other methods are operations like the others: a `COPY` removed from
/// `additionalOperations` and a `QUERY` whose body became required are reported, each at
/// its own operation and where the user wrote it.
#[test]
fn operations_of_other_methods_in_3_2() {
    let old = r##"openapi: 3.2.0
info: {title: Shop, version: '1'}
paths:
  /items:
    query:
      requestBody:
        content: {application/json: {schema: {type: object}}}
      responses: {'200': {description: Found.}}
    additionalOperations:
      COPY: {responses: {'201': {description: Copied.}}}
"##;
    let new = edit(
        old,
        &[
            (
                "      requestBody:\n",
                "      requestBody:\n        required: true\n",
            ),
            (
                "    additionalOperations:\n      COPY: {responses: {'201': {description: Copied.}}}\n",
                "",
            ),
        ],
    );
    let changes = diff::diff(&document("old.yaml", old), &document("new.yaml", &new));
    let seen: Vec<(Option<&str>, &str)> = changes
        .iter()
        .map(|change| (change.operation.as_deref(), change.old.as_str()))
        .collect();
    assert!(
        seen.contains(&(Some("QUERY /items"), "/paths/~1items/query/requestBody")),
        "{changes:#?}"
    );
    assert!(
        seen.contains(&(
            Some("COPY /items"),
            "/paths/~1items/additionalOperations/COPY"
        )),
        "{changes:#?}"
    );
    assert!(
        changes
            .iter()
            .all(|change| change.class() == Class::BreaksClients),
        "{changes:#?}"
    );
}
