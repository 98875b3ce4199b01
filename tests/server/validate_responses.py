#!/usr/bin/python3
"""Every response the API end-to-end tests received, validated against
api/openapi.json.

The tests (tests/server/api_test.cpp, tests/cli/serve_test.py) append one JSON
object per response to a file in the folder named by CL_API_RESPONSE_LOG:
{"method", "path" (as sent, query included), "status", "content_type", "body",
"test"}. Each is matched to its operation by method and path template, then
its body is validated against that operation's response schema for the
status (or the `default` Problem), with $refs resolved in the document, by
Debian's python3-jsonschema (JSON Schema 2020-12, as OpenAPI 3.1 uses).
A path no operation serves must answer a Problem.

Fails (exit 1) naming the operation, status, JSON pointer and reason of
every body that does not validate, and when no response was logged.

usage: validate_responses.py OPENAPI_JSON LOG_DIR
"""
import collections
import datetime
import glob
import json
import os
import re
import sys
import urllib.parse

import jsonschema

MAX_SHOWN = 60


def load_records(log_dir):
    records = []
    for path in sorted(glob.glob(os.path.join(log_dir, "*.jsonl"))):
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                line = line.strip()
                if not line:
                    continue
                try:
                    records.append(json.loads(line))
                except json.JSONDecodeError as e:
                    sys.exit(f"{path}:{n}: not JSON: {e}")
    return records


class Operations:
    """The document's operations, matched the way the server's router does:
    segment by segment, a {name} matching any non-empty segment."""

    def __init__(self, doc):
        self.routes = []
        for template, item in doc["paths"].items():
            parts = template.strip("/").split("/")
            for method, op in item.items():
                if method in ("get", "put", "post", "delete", "patch"):
                    self.routes.append((method.upper(), parts, template, op))

    def find(self, method, path):
        method = "GET" if method == "HEAD" else method
        raw = urllib.parse.urlsplit(path).path
        segs = [urllib.parse.unquote(s) for s in raw.strip("/").split("/")]
        for m, parts, template, op in self.routes:
            if m != method or len(parts) != len(segs):
                continue
            if all(p == s or (p.startswith("{") and s) for p, s in zip(parts, segs)):
                return template, op
        return None, None


def format_checker():
    """JSON Schema's formats, with `date-time` (RFC 3339) checked here:
    jsonschema checks it only with a package Debian 12 does not have."""
    checker = jsonschema.FormatChecker()
    rfc3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")

    @checker.checks("date-time", raises=ValueError)
    def date_time(value):
        if not isinstance(value, str):
            return True
        if not rfc3339.match(value):
            raise ValueError("not an RFC 3339 date-time")
        datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        return True

    return checker


def make_validator(doc):
    """A validator factory for schemas that point into the document."""
    checker = format_checker()
    try:  # jsonschema >= 4.18
        from referencing import Registry, Resource
        from referencing.jsonschema import DRAFT202012

        registry = Registry().with_resource(
            "urn:openapi", Resource.from_contents(doc, default_specification=DRAFT202012))

        def validator(schema):
            return jsonschema.Draft202012Validator(
                {"$ref": "urn:openapi" + schema["$ref"]} if "$ref" in schema else schema,
                registry=registry, format_checker=checker)
    except ImportError:  # Debian 12: 4.10
        resolver = jsonschema.RefResolver("", doc)

        def validator(schema):
            return jsonschema.Draft202012Validator(
                schema, resolver=resolver, format_checker=checker)
    return validator


def deref(doc, obj):
    while isinstance(obj, dict) and "$ref" in obj:
        node = doc
        for part in obj["$ref"].lstrip("#/").split("/"):
            node = node[part]
        obj = node
    return obj


def explain(error):
    """(JSON pointer, reason) of each problem in an error; for a oneOf that
    nothing matched, those of the alternative that came closest: the one
    with the fewest mismatches at its own level, then the fewest in all."""
    if error.validator in ("oneOf", "anyOf") and error.context:
        by_alternative = collections.defaultdict(list)
        for e in error.context:
            by_alternative[e.schema_path[0]].append(e)
        depth = len(error.absolute_path)
        closest = min(by_alternative.values(),
                      key=lambda es: (sum(len(e.absolute_path) == depth for e in es), len(es)))
        return [(p, f"matches none of the {error.validator} alternatives; closest: {r}")
                for e in closest for p, r in explain(e)]
    return [(pointer(error.absolute_path), error.message[:300])]


def pointer(path):
    return "/" + "/".join(str(p) for p in path) if path else "(the body)"


def main():
    doc_path, log_dir = sys.argv[1], sys.argv[2]
    with open(doc_path, encoding="utf-8") as f:
        doc = json.load(f)
    records = load_records(log_dir)
    if not records:
        print(f"validate_responses: no response was logged in {log_dir}: "
              "did the API tests run with CL_API_RESPONSE_LOG set?", file=sys.stderr)
        return 1
    ops = Operations(doc)
    validator = make_validator(doc)
    problem = {"$ref": "#/components/schemas/Problem"}
    failures = []
    seen = collections.Counter()
    validated = 0
    for r in records:
        method, path, status = r["method"], r["path"], int(r["status"])
        ctype = (r.get("content_type") or "").split(";")[0].strip().lower()
        body = r.get("body", "")
        template, op = ops.find(method, path)
        name = op["operationId"] if op else f"(no operation: {method} {path})"
        where = f"{name} {status} {ctype or '(no content type)'} [{r.get('test', '?')}: {method} {path}]"

        def fail(ptr, reason):
            failures.append(f"{where}: {ptr}: {reason}")

        if op is None:
            if status < 400:
                fail("(the path)", "no operation of the document serves this path, yet it answered "
                     f"{status}")
                continue
            schema, want_type = problem, "application/problem+json"
        else:
            responses = op["responses"]
            response = deref(doc, responses.get(str(status)) or responses.get("default"))
            if response is None:
                fail("(the status)", f"status {status} is not documented")
                continue
            content = response.get("content")
            if not content:
                if body:
                    fail("(the body)", f"status {status} has no content, yet {len(body)} bytes came")
                else:
                    seen[(name, status)] += 1
                    validated += 1
                continue
            if ctype not in content:
                fail("(the content type)",
                     f"'{ctype}' is not one of the documented {sorted(content)}")
                continue
            schema, want_type = content[ctype].get("schema", {}), ctype
        if ctype != want_type:
            fail("(the content type)", f"'{ctype}', the document says '{want_type}'")
            continue
        seen[(name, status)] += 1
        validated += 1
        if not ctype.endswith("json"):
            continue  # text/csv, text/plain: a string, whatever it holds
        try:
            value = json.loads(body)
        except json.JSONDecodeError as e:
            fail("(the body)", f"not JSON: {e}")
            continue
        errors = sorted(validator(schema).iter_errors(value), key=lambda e: list(e.absolute_path))
        problems = [p for e in errors for p in explain(e)]
        for p in problems[:5]:
            fail(*p)
        if len(problems) > 5:
            fail("…", f"and {len(problems) - 5} more problems in this body")

    documented = {op["operationId"] for _, _, _, op in ops.routes}
    answered = {name for (name, status) in seen if status < 300}
    never = sorted(documented - answered)
    print(f"validate_responses: {len(records)} responses logged, {validated} checked against "
          f"{os.path.basename(doc_path)}; {len(answered)} of {len(documented)} operations seen "
          "succeeding")
    if never:
        print("  operations never seen succeeding: " + ", ".join(never))
    if failures:
        print(f"validate_responses: {len(failures)} failures:", file=sys.stderr)
        for f in failures[:MAX_SHOWN]:
            print("  " + f, file=sys.stderr)
        if len(failures) > MAX_SHOWN:
            print(f"  … and {len(failures) - MAX_SHOWN} more", file=sys.stderr)
        return 1
    print("validate_responses: every body validates")
    return 0


if __name__ == "__main__":
    sys.exit(main())
