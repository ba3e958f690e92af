"""Every example of the OpenAPI document conforms to the schema beside it (run by
scripts/schemathesis with the venv's Python: jsonschema_rs comes with schemathesis)."""

import json
import sys
import urllib.request

import jsonschema_rs

doc = json.load(urllib.request.urlopen(sys.argv[1]))
checked, bad = 0, []
for path, item in doc["paths"].items():
    for method, op in item.items():
        media_types = [("request", op.get("requestBody", {}).get("content", {}))]
        media_types += [(code, r.get("content", {})) for code, r in op["responses"].items()]
        for where, content in media_types:
            for media in content.values():
                if "example" not in media:
                    continue
                schema = {"allOf": [media["schema"]], "components": doc["components"]}
                validator = jsonschema_rs.Draft202012Validator(schema, validate_formats=True)
                errors = [e.message for e in validator.iter_errors(media["example"])]
                checked += 1
                if errors:
                    bad.append(f"{method.upper()} {path} {where}: {errors[:3]}")
print(f"{checked} examples checked against their schemas, {len(bad)} do not conform")
for line in bad:
    print("  " + line)
sys.exit(1 if bad else 0)
