// What every TypeScript client program shares: the run's settings, the published
// document's examples and statuses, the comparison of decoded bodies with examples,
// and the report the Rust test reads.
//
// The Rust test (`tests/tests/other_languages/`) copies this file and one service's
// program next to the `schema.d.ts` that openapi-typescript generated from the published
// document, compiles them with `tsc --strict`, and runs the program with:
//
// - APIGEN_DOCUMENT: the published document (`generated/openapi/<service>.json`);
// - APIGEN_EXAMPLES_URL: the base URL of the example-backed server (`cargo xtask serve`);
// - APIGEN_SCRIPTED_URL: the base URL of the scripted server, with `{status}` where the
//   status it is to answer goes;
// - APIGEN_CREDENTIALS: JSON, the credentials to send for each security scheme of the
//   document, by scheme name (`{"bearerAuth": {"token": "..."}}`).
//
// The program prints one line per check, `PASS <check>` or `FAIL <check>: <why>`, and
// exits with 1 when any failed.

import { readFileSync } from "node:fs";

/** A JSON value as `JSON.parse` returns it. */
export type Json = null | boolean | number | string | Json[] | { [member: string]: Json };

/** The credentials of one security scheme: `token`, `key`, or `user` and `password`. */
export type Credential = Record<string, string>;

/** An operation's answer as openapi-fetch returns it: the typed body or error. */
export interface Answer<D, E> {
  data?: D;
  error?: E;
  response: Response;
}

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === "") {
    throw new Error(`${name} is not set: run this program through the Rust test`);
  }
  return value;
}

function isObject(value: Json | undefined): value is { [member: string]: Json } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** One operation of a published document, and the checks of a run against it. */
export class Harness {
  readonly examplesUrl: string;
  private readonly scriptedTemplate: string;
  private readonly credentials: Record<string, Credential>;
  private readonly document: Json;
  private readonly operation: { [member: string]: Json };
  private failed = 0;

  /** The operation `method path` of the document the run names. */
  constructor(
    readonly path: string,
    readonly method: string,
  ) {
    this.document = JSON.parse(readFileSync(required("APIGEN_DOCUMENT"), "utf8")) as Json;
    this.examplesUrl = required("APIGEN_EXAMPLES_URL");
    this.scriptedTemplate = required("APIGEN_SCRIPTED_URL");
    this.credentials = JSON.parse(required("APIGEN_CREDENTIALS")) as Record<string, Credential>;
    const operation = this.at(["paths", path, method]);
    if (!isObject(operation)) {
      throw new Error(`the document has no operation ${method.toUpperCase()} ${path}`);
    }
    this.operation = operation;
  }

  /** The base URL of the scripted server answering `status`. */
  scriptedUrl(status: string): string {
    return this.scriptedTemplate.replace("{status}", status);
  }

  /** The credentials to send for the security scheme `scheme`. */
  credential(scheme: string): Credential {
    const credential = this.credentials[scheme];
    if (credential === undefined) {
      throw new Error(`APIGEN_CREDENTIALS has nothing for the scheme ${scheme}`);
    }
    return credential;
  }

  /** The documented statuses of the operation that are not 2xx, in document order. */
  get errorStatuses(): string[] {
    return Object.keys(this.responses()).filter((status) => !status.startsWith("2"));
  }

  /**
   * The first example of the JSON body of the response `status`, or undefined when the
   * response has no body. (The example-backed server answers with the first example.)
   */
  example(status: string): Json | undefined {
    const response = this.follow(this.responses()[status]);
    if (!isObject(response)) {
      throw new Error(`the operation documents no status ${status}`);
    }
    const content = response["content"];
    if (content === undefined) {
      return undefined;
    }
    const media = isObject(content) ? this.follow(content["application/json"]) : undefined;
    if (!isObject(media)) {
      throw new Error(`the response ${status} has no application/json body`);
    }
    if (media["example"] !== undefined) {
      return media["example"];
    }
    const examples = media["examples"];
    const first = isObject(examples) ? Object.values(examples)[0] : undefined;
    const example = this.follow(first);
    if (!isObject(example) || example["value"] === undefined) {
      throw new Error(`the response ${status} has no example`);
    }
    return example["value"];
  }

  /** Runs one check and reports it; a thrown error is its failure. */
  async check(name: string, body: () => Promise<void>): Promise<void> {
    try {
      await body();
      console.log(`PASS ${name}`);
    } catch (error) {
      this.failed += 1;
      const why = error instanceof Error ? error.message : String(error);
      console.log(`FAIL ${name}: ${why.replaceAll("\n", " | ")}`);
    }
  }

  /** The operation succeeded with `status`, and its decoded body is the example's. */
  expectSuccess<D, E>(answer: Answer<D, E>, status: string, decoded: D | undefined): void {
    if (String(answer.response.status) !== status || answer.error !== undefined) {
      throw new Error(
        `expected ${status}, got ${answer.response.status} with the error ${JSON.stringify(answer.error)}`,
      );
    }
    expectSame(decoded as Json | undefined, this.example(status));
  }

  /**
   * The operation failed with `status`, which openapi-fetch hands back as its typed
   * `error` (no `data`): the documented body, decoded to the example's values, or none
   * when the document gives the status no body.
   */
  expectError<D, E>(answer: Answer<D, E>, status: string, error: E | undefined): void {
    if (String(answer.response.status) !== status) {
      throw new Error(`expected ${status}, got ${answer.response.status}`);
    }
    if (answer.data !== undefined) {
      throw new Error(`a ${status} answer came back as data: ${JSON.stringify(answer.data)}`);
    }
    const expected = this.example(status);
    if (expected === undefined) {
      // openapi-fetch gives an empty body as `undefined`, or as "" when the length is unknown.
      if (error !== undefined && (error as unknown) !== "") {
        throw new Error(`expected no body, got ${JSON.stringify(error)}`);
      }
      return;
    }
    expectSame(error as Json | undefined, expected);
  }

  /** Ends the run: exit status 1 when a check failed. */
  finish(): void {
    process.exitCode = this.failed === 0 ? 0 : 1;
  }

  private responses(): { [status: string]: Json } {
    const responses = this.operation["responses"];
    if (!isObject(responses)) {
      throw new Error("the operation has no responses");
    }
    return responses;
  }

  private at(keys: string[]): Json | undefined {
    let node: Json | undefined = this.document;
    for (const key of keys) {
      node = isObject(node) ? node[key] : undefined;
    }
    return node;
  }

  /** Follows local `$ref`s. */
  private follow(value: Json | undefined): Json | undefined {
    let node = value;
    for (let hops = 0; isObject(node) && typeof node["$ref"] === "string"; hops += 1) {
      if (hops === 16) {
        throw new Error("too many `$ref`s in a row");
      }
      const pointer = node["$ref"].replace(/^#\//, "").split("/");
      node = this.at(pointer.map((key) => key.replaceAll("~1", "/").replaceAll("~0", "~")));
    }
    return node;
  }
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** The offset of an RFC 3339 date-time, `Z` written as `+00:00`. */
function offset(dateTime: string): string {
  const zone = dateTime.slice(-6);
  return /[Zz]$/.test(dateTime) ? "+00:00" : zone;
}

/** Whether two strings are RFC 3339 date-times of the same instant and the same offset. */
function sameDateTime(actual: string, expected: string): boolean {
  return (
    DATE_TIME.test(actual) &&
    DATE_TIME.test(expected) &&
    Date.parse(actual) === Date.parse(expected) &&
    offset(actual) === offset(expected)
  );
}

/**
 * Throws, listing every difference at its JSON pointer, unless `actual` is `expected`:
 * the same members (in any order), the same items in the same order, the same scalars.
 *
 * Two rules, both limits of the Rust server that answers (issue 12, item 2), accepted
 * here on purpose and nowhere else:
 * - date-times compare as instants with their offset: `Z` and `+00:00` are one offset
 *   (the server's date-time type writes `Z` for both);
 * - a member whose example value is `null` may be absent (the server writes an absent
 *   and a null optional member alike, as absent).
 */
export function expectSame(actual: Json | undefined, expected: Json | undefined): void {
  const differences: string[] = [];
  compare(actual, expected, "", differences);
  if (differences.length > 0) {
    throw new Error(
      `the decoded body differs from the document's example: ${differences.join("; ")}`,
    );
  }
}

function compare(actual: Json | undefined, expected: Json | undefined, at: string, differences: string[]): void {
  if (isObject(actual) && isObject(expected)) {
    for (const [key, value] of Object.entries(expected)) {
      const here = `${at}/${key.replaceAll("~", "~0").replaceAll("/", "~1")}`;
      if (key in actual) {
        compare(actual[key], value, here, differences);
      } else if (value !== null) {
        differences.push(`${here}: missing (expected ${JSON.stringify(value)})`);
      }
    }
    for (const [key, value] of Object.entries(actual)) {
      if (!(key in expected)) {
        differences.push(`${at}/${key}: not in the example (found ${JSON.stringify(value)})`);
      }
    }
  } else if (Array.isArray(actual) && Array.isArray(expected) && actual.length === expected.length) {
    actual.forEach((item, index) => compare(item, expected[index], `${at}/${index}`, differences));
  } else if (typeof actual === "string" && typeof expected === "string" && sameDateTime(actual, expected)) {
    // The same instant, written with the same offset.
  } else if (actual !== expected) {
    differences.push(`${at || "/"}: found ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
  }
}
