#!/usr/bin/env python3
"""Lists every C++ function longer than 60 lines and every source file longer than 800 lines.

Usage: scripts/function-lengths.py [--exclude PATH]... [--allow PATH:REASON]... [ROOT...]

ROOT defaults to src and tools. A function's length counts its lines from the first line of its
signature to its closing brace; a lambda is part of the function that encloses it. A file's length
is its number of lines. Exits 1 when a function or a file is over its limit, 0 otherwise.

--exclude PATH leaves a file or folder out (for code another change is rewriting); what was left
out is printed, so that an exclusion is not forgotten.
--allow PATH:REASON lets one file exceed both limits because it is a data table; the reason is
printed with it. Use it sparingly: move tables into data files where that can be done.

The scanner is a brace matcher, not a parser: it skips comments, string and character literals
(raw strings included) and preprocessor lines, and treats a `{` as opening a function body when
the text before it, back to the previous `;`, `{` or `}`, ends in `)` followed only by
qualifiers (const, noexcept, override, final, a trailing return type, a constructor's member
initialisers) and is not a control statement (if, for, while, switch, catch) or a lambda.
"""

import argparse
import os
import re
import sys

MAX_FUNCTION_LINES = 60
MAX_FILE_LINES = 800
EXTENSIONS = (".cpp", ".cc", ".h", ".hpp")
CONTROL = {"if", "for", "while", "switch", "catch", "return", "sizeof", "decltype", "alignof"}


def strip_code(text):
    """Returns text with comments, literals and preprocessor lines blanked (newlines kept)."""
    out = []
    i, n = 0, len(text)
    line_start = True
    while i < n:
        c = text[i]
        if line_start and c in " \t":
            out.append(c)
            i += 1
            continue
        if line_start and c == "#":
            # A preprocessor line, with its continuations.
            while i < n and text[i] != "\n":
                if text[i] == "\\" and i + 1 < n and text[i + 1] == "\n":
                    out.append(" \n")
                    i += 2
                    continue
                out.append(" ")
                i += 1
            continue
        line_start = False
        if c == "\n":
            out.append(c)
            line_start = True
            i += 1
        elif text.startswith("//", i):
            while i < n and text[i] != "\n":
                out.append(" ")
                i += 1
        elif text.startswith("/*", i):
            end = text.find("*/", i + 2)
            end = n if end < 0 else end + 2
            out.append(re.sub(r"[^\n]", " ", text[i:end]))
            i = end
        elif c == "R" and re.match(r'R"([^()\\ \s]{0,16})\(', text[i:i + 20]) and (
                i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")
                or text[i - 1] in "uU8L"):
            m = re.match(r'R"([^()\\ \s]{0,16})\(', text[i:])
            close = ")" + m.group(1) + '"'
            end = text.find(close, i + m.end())
            end = n if end < 0 else end + len(close)
            out.append('R"' + re.sub(r"[^\n]", " ", text[i + 2:end - 1]) + '"')
            i = end
        elif c == '"' or (c == "'" and not (i > 0 and text[i - 1].isalnum())):
            # A string or character literal. A ' after a digit or letter is a digit separator.
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            end = min(j + 1, n)
            out.append(c + " " * (end - i - 2) + c if end - i >= 2 else c)
            i = end
        else:
            out.append(c)
            i += 1
    return "".join(out)


def head_of(code, brace):
    """The text before the `{` at index brace, back to the previous `;`, `{` or `}`."""
    start = max(code.rfind(";", 0, brace), code.rfind("{", 0, brace), code.rfind("}", 0, brace))
    # A member-initialiser list holds braces: `: a_{x}, b_(y) {`. Step back over them.
    while start >= 0 and code[start] in "{}":
        before = code[:start].rstrip()
        if code[start] == "}":
            # `a_{x}` inside an initialiser list: find its `{` and keep going if an identifier precedes.
            depth, k = 0, start
            while k >= 0:
                if code[k] == "}":
                    depth += 1
                elif code[k] == "{":
                    depth -= 1
                    if depth == 0:
                        break
                k -= 1
            prefix = code[:k].rstrip()
            if k > 0 and re.search(r"[\w>]$", prefix) and re.search(r"\)\s*:[^;{}]*$|,\s*\w+$|:\s*\w+$", prefix + ""):
                start = max(code.rfind(";", 0, k), code.rfind("{", 0, k), code.rfind("}", 0, k))
                continue
        break
    return code[start + 1:brace]


FUNC_HEAD = re.compile(
    r"""(?:~?[\w:]+|operator\s*[^\s(]+(?:\s*\(\))?)\s*   # name
        \((?P<params>.*)\)\s*                            # parameters (greedy: to the last ')')
        (?P<tail>(?:const|noexcept(?:\s*\([^)]*\))?|override|final|mutable|&|&&|volatile|\s)*
        (?:->\s*[^{;=]+)?                                 # trailing return type
        (?:\s*:\s*[^;]*)?)\s*$                            # constructor initialisers
    """, re.S | re.X)


def is_function_head(head):
    h = " ".join(head.split())
    if not h or ")" not in h:
        return False
    if re.search(r"\]\s*(\([^)]*\))?\s*(mutable\s*)?(->\s*[\w:<>,\s*&]+)?\s*$", h):
        return False  # a lambda
    if re.search(r"(^|[^\w])(=|return|\(|,)\s*\[[^\]]*\]\s*(\(.*\))?[^()]*$", h):
        return False  # a lambda introduced after =, return, ( or ,
    m = FUNC_HEAD.search(h)
    if not m:
        return False
    name = re.match(r"~?[\w:]+|operator", h[m.start():]).group(0)
    last = name.split("::")[-1]
    if last in CONTROL or name in CONTROL:
        return False
    # `= Foo(...) {` or `x(...) {` after an `=`: an initialiser, not a function.
    before = h[:m.start()].rstrip()
    if before.endswith("=") or before.endswith("return") or before.endswith("(") or before.endswith(","):
        return False
    if re.search(r"\)\s*:[^:]", h) and re.search(r"\w$", h) and not re.search(r"->[^()]*$", h) \
            and not re.search(r"\b(const|override|final|noexcept|mutable)$", h):
        return False  # `a_{x}` in a constructor's member initialisers
    if re.search(r"\b(if|for|while|switch|catch)\s*\(", h) and not re.match(r"[\w:<>,*&\s~]+\(", h):
        return False
    return True


def functions_in(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    code = strip_code(text)
    line_of = []
    line = 1
    for ch in code:
        line_of.append(line)
        if ch == "\n":
            line += 1
    found = []
    stack = []  # (index of '{', is_function)
    in_function = 0
    for i, ch in enumerate(code):
        if ch == "{":
            is_fn = False
            if in_function == 0:
                head = head_of(code, i)
                is_fn = is_function_head(head)
                if is_fn:
                    first = i - len(head) + (len(head) - len(head.lstrip()))
                    stack.append((i, True, first, head))
                    in_function += 1
                    continue
            stack.append((i, False, i, ""))
        elif ch == "}" and stack:
            start, is_fn, first, head = stack.pop()
            if is_fn:
                in_function -= 1
                lines = line_of[i] - line_of[first] + 1
                name = re.sub(r"\s+", " ", head.strip())
                name = re.sub(r"\(.*", "", name, flags=re.S).split(" ")[-1]
                found.append((name, line_of[first], lines))
    return found, text.count("\n") + (0 if text.endswith("\n") else 1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("roots", nargs="*", default=["src", "tools"])
    parser.add_argument("--exclude", action="append", default=[], metavar="PATH")
    parser.add_argument("--allow", action="append", default=[], metavar="PATH:REASON")
    args = parser.parse_args()
    allowed = {}
    for entry in args.allow:
        path, _, reason = entry.partition(":")
        if not reason.strip():
            parser.error(f"--allow {entry}: give a reason after the path")
        allowed[os.path.normpath(path)] = reason.strip()
    excluded = [os.path.normpath(d) for d in args.exclude]

    long_functions, long_files = [], []
    for root in args.roots:
        for folder, dirs, files in os.walk(root):
            dirs.sort()
            if any(os.path.normpath(folder) == d or os.path.normpath(folder).startswith(d + os.sep)
                   for d in excluded):
                dirs[:] = []
                continue
            for name in sorted(files):
                if not name.endswith(EXTENSIONS):
                    continue
                path = os.path.normpath(os.path.join(folder, name))
                if path in excluded:
                    continue
                functions, file_lines = functions_in(path)
                if path in allowed:
                    print(f"allowed: {path} ({file_lines} lines): {allowed[path]}")
                    continue
                if file_lines > MAX_FILE_LINES:
                    long_files.append((path, file_lines))
                for fn, line, lines in functions:
                    if lines > MAX_FUNCTION_LINES:
                        long_functions.append((path, line, fn, lines))

    for path, line, fn, lines in sorted(long_functions, key=lambda r: -r[3]):
        print(f"{path}:{line}: {fn}: {lines} lines (limit {MAX_FUNCTION_LINES})")
    for path, lines in sorted(long_files, key=lambda r: -r[1]):
        print(f"{path}: {lines} lines (limit {MAX_FILE_LINES})")
    if excluded:
        print(f"function-lengths: not checked: {', '.join(excluded)}")
    if long_functions or long_files:
        print(f"function-lengths: {len(long_functions)} functions over {MAX_FUNCTION_LINES} lines, "
              f"{len(long_files)} files over {MAX_FILE_LINES} lines")
        return 1
    print(f"function-lengths: no function over {MAX_FUNCTION_LINES} lines, "
          f"no file over {MAX_FILE_LINES} lines")
    return 0


if __name__ == "__main__":
    sys.exit(main())
