#!/usr/bin/env python3
"""Every problem code has a message in each language of the web app.

Fails when
  - a code of src/core/problem_codes.cpp has no non-empty entry in
    web/src/messages/problems.zh-CN.ts or problems.en.ts;
  - the sources name a code (WithCode("..."), or a code argument of
    Problem/Refuse/Hidden/FieldError) that is not in the table;
  - a zh-CN message holds Latin words (a code or English left untranslated)
    or a message tells a web user to run the command line;
  - the server's generic code of a status (GenericCode in src/server/problem.cpp)
    is not in the table, or differs from the web app's (web/src/problems.ts).

Usage: check_problem_codes.py <source root>
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".")
TABLE = ROOT / "src/core/problem_codes.cpp"
MESSAGES = {
    "zh-CN": ROOT / "web/src/messages/problems.zh-CN.ts",
    "en": ROOT / "web/src/messages/problems.en.ts",
}
CODE = r"[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*"
# A code as the sources pass it: WithCode("x"), or a string argument that
# looks like a dotted code in a Problem(...)/Refuse(...)/Hidden(...)/FieldError(...) call.
USES = [
    re.compile(r'WithCode\(\s*"(' + CODE + r')"'),
    re.compile(r'(?:Problem|Refuse|Hidden|FieldError)\([^;]*?"(' + CODE + r'\.' + CODE + r')"', re.S),
]


def table_codes():
    text = TABLE.read_text(encoding="utf-8")
    codes = re.findall(r'^\s*\{"(' + CODE + r')",', text, re.M)
    if len(codes) < 20:
        sys.exit(f"{TABLE}: found only {len(codes)} codes; has its layout changed?")
    dup = {c for c in codes if codes.count(c) > 1}
    if dup:
        sys.exit(f"{TABLE}: codes listed twice: {sorted(dup)}")
    return codes


def messages(path):
    """The leaves of the `problem` object of a messages file, as dotted keys."""
    out = {}
    stack = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        s = line.strip()
        if not s or s.startswith("//"):
            continue
        m = re.match(r"^([A-Za-z_][\w]*)\s*:\s*\{\s*$", s)
        if m:
            stack.append(m.group(1))
            continue
        if re.match(r"^\}\s*,?\s*$", s):
            if stack:
                stack.pop()
            continue
        m = re.match(r"""^([A-Za-z_][\w]*)\s*:\s*(['"])(.*)\2\s*,?\s*$""", s)
        if m and stack and stack[0] == "problem":
            out[".".join(stack[1:] + [m.group(1)])] = (m.group(3), n)
    return out


def generic_codes(known):
    """The server's generic code of each status and the web app's are the same, and listed."""
    server = (ROOT / "src/server/problem.cpp").read_text(encoding="utf-8")
    body = server[server.index("const char* GenericCode(int status)"):]
    body = body[:body.index("\n}\n")]
    ours = dict(re.findall(r'case (\d+):\s*return "(' + CODE + r')";', body))
    ours["default"] = re.search(r'default:\s*return "(' + CODE + r')";', body).group(1)
    web = (ROOT / "web/src/problems.ts").read_text(encoding="utf-8")
    theirs = dict(re.findall(r"(\d+): '(" + CODE + r")'", web))
    failures = [f"problem.cpp GenericCode: '{c}' is not in the table"
                for c in ours.values() if c not in known]
    ours.pop("default")
    if ours != theirs:
        failures.append(f"generic codes differ: server {ours}, web/src/problems.ts {theirs}")
    return failures


def main():
    failures = []
    codes = table_codes()
    known = set(codes)
    for lang, path in MESSAGES.items():
        msgs = messages(path)
        for code in codes:
            text = msgs.get(code, ("", 0))[0].strip()
            if not text:
                failures.append(f"{path.name}: no message for code '{code}'")
        for key, (text, n) in msgs.items():
            if re.search(r"carbonledger|command line|命令行", text, re.I):
                failures.append(f"{path.name}:{n}: '{key}' sends a web user to the command line")
            if lang == "zh-CN":
                bare = re.sub(r"\{[^}]*\}", "", text)
                bare = re.sub(r"\b(CSV|JSON|Lines|gz|API|PDF|B|KB|MB)\b", "", bare)
                if re.search(r"[A-Za-z]{2,}", bare):
                    failures.append(f"{path.name}:{n}: '{key}' holds English: {text}")
    for path in sorted((ROOT / "src").rglob("*")):
        if path.suffix not in (".cpp", ".h") or path == TABLE:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for pattern in USES:
            for m in pattern.finditer(text):
                if m.group(1) not in known:
                    line = text.count("\n", 0, m.start(1)) + 1
                    failures.append(f"{path.relative_to(ROOT)}:{line}: code '{m.group(1)}' "
                                    "is not in src/core/problem_codes.cpp")
    failures += generic_codes(known)
    for f in failures:
        print(f)
    print(f"{len(codes)} codes, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
