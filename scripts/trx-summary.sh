#!/usr/bin/env bash
# trx-summary.sh DIR: summarise every *.trx file under DIR (searched
# recursively). Prints failed tests (with the first line of their message),
# skipped tests (with their reason when the TRX has one) and, as the LAST
# line, exactly: "N passed, N failed, N skipped".
# Exit status: 0 when at least one test ran and none failed; 1 when a test
# failed; 2 when no *.trx file was found, a file could not be parsed, or no
# test ran.
set -euo pipefail

dir="${1:?usage: trx-summary.sh RESULTS_DIR}"
[[ -d "$dir" ]] || { echo "[trx-summary] ERROR: no such directory: $dir" >&2; exit 2; }
command -v python3 >/dev/null 2>&1 || { echo "[trx-summary] ERROR: python3 not found" >&2; exit 2; }

exec python3 - "$dir" <<'PY'
import glob
import os
import sys
import xml.etree.ElementTree as ET

root_dir = sys.argv[1]
files = sorted(glob.glob(os.path.join(root_dir, "**", "*.trx"), recursive=True))


def err(msg):
    print(f"[trx-summary] {msg}", file=sys.stderr)


def local(tag):
    # '{namespace}Name' -> 'Name' (TRX uses the TeamTest 2010 namespace).
    return tag.rsplit("}", 1)[-1]


def child(elem, name):
    for c in elem:
        if local(c.tag) == name:
            return c
    return None


def first_line(text, limit=300):
    if not text:
        return ""
    line = text.strip().splitlines()[0].strip() if text.strip() else ""
    return line if len(line) <= limit else line[: limit - 3] + "..."


def message_of(result):
    """Message of a UnitTestResult: Output/ErrorInfo/Message, else StdOut."""
    output = child(result, "Output")
    if output is None:
        return ""
    info = child(output, "ErrorInfo")
    if info is not None:
        msg = child(info, "Message")
        if msg is not None and msg.text and msg.text.strip():
            return first_line(msg.text)
    stdout = child(output, "StdOut")
    if stdout is not None and stdout.text:
        return first_line(stdout.text)
    return ""


if not files:
    err(f"no .trx file found under {root_dir}")
    print("0 passed, 0 failed, 0 skipped")
    sys.exit(2)

passed = failed = skipped = total = 0
failed_tests, skipped_tests = [], []
parse_errors = 0
for path in files:
    try:
        tree = ET.parse(path)
    except ET.ParseError as e:
        err(f"cannot parse {path}: {e}")
        parse_errors += 1
        continue
    counters = None
    for elem in tree.iter():
        if local(elem.tag) == "ResultSummary":
            counters = child(elem, "Counters")
            break
    if counters is None:
        err(f"{path}: no ResultSummary/Counters element")
        parse_errors += 1
        continue

    def n(attr):
        try:
            return int(counters.get(attr, "0") or 0)
        except ValueError:
            return 0

    total += n("total")
    passed += n("passed") + n("passedButRunAborted")
    failed += n("failed") + n("error") + n("timeout") + n("aborted")
    # xUnit skips and NUnit ignored/inconclusive tests are written as
    # NotExecuted; count an explicit 'inconclusive' counter as skipped too.
    skipped += n("notExecuted") + n("inconclusive")

    for elem in tree.iter():
        if local(elem.tag) != "UnitTestResult":
            continue
        outcome = elem.get("outcome", "")
        name = elem.get("testName", "?")
        if outcome in ("Failed", "Error", "Timeout", "Aborted"):
            failed_tests.append((name, outcome, message_of(elem)))
        elif outcome in ("NotExecuted", "Inconclusive"):
            skipped_tests.append((name, message_of(elem)))

# NUnit's adapter lists ignored tests as NotExecuted results but leaves the notExecuted
# counter at 0 (total > executed), so the results are the reliable count.
skipped = max(skipped, len(skipped_tests))

print(f"Test results: {len(files)} trx file(s) under {root_dir}")
if failed_tests:
    print(f"Failed tests ({len(failed_tests)}):")
    for name, outcome, msg in failed_tests:
        suffix = "" if outcome == "Failed" else f" [{outcome}]"
        print(f"  FAILED  {name}{suffix}" + (f"\n          {msg}" if msg else ""))
if skipped_tests:
    print(f"Skipped tests ({len(skipped_tests)}):")
    for name, reason in skipped_tests:
        print(f"  SKIPPED {name}" + (f"  ({reason})" if reason else ""))

status = 0
if parse_errors:
    status = 2
if failed > 0:
    status = 1
elif passed + failed == 0:
    err("no test was executed")
    status = 2
sys.stdout.flush()
print(f"{passed} passed, {failed} failed, {skipped} skipped")
sys.exit(status)
PY
