"""The value-check from another language: a tool written in Python asks the `coproduction`
command-line tool whether a decision upholds the community's values.

It writes nothing but JSON to the tool and reads nothing but JSON back: the same shapes any
language can produce (see the `wire` page of the crate docs).

Run it from the repository's root, after `cargo build --features cli`:

    python3 examples/other_languages/value_check.py target/debug/coproduction
"""

import json
import subprocess
import sys
from pathlib import Path

tool = sys.argv[1] if len(sys.argv) > 1 else "coproduction"
data = Path(__file__).resolve().parent.parent / "data"

# A partnership decided by the decision circle after the Allies Group's advice, as a
# due-diligence tool would hold it: a JSON file. (A tool that holds a record in memory writes
# it out with json.dumps and passes that path.)
record = data / "partnership_record.json"

done = subprocess.run(
    [tool, "check", "--charter", str(data / "charter.json"), "--record", str(record), "--gate"],
    capture_output=True,
    text=True,
)

# Exit 0: the gate passes. Exit 1: the gate refuses (the report is on stdout, the reason on
# stderr), or the input was bad (nothing on stdout, the reason on stderr). Exit 3: the tool
# could not write its output.
if not done.stdout.strip():
    sys.exit(f"the tool refused the input: {done.stderr.strip()}")
report = json.loads(done.stdout)

for verdict in report["verdicts"]:
    print(f"{verdict['value']:<12} {verdict['verdict']}")
for finding in report["findings"]:
    if finding["status"] in ("violated", "not_evaluated"):
        print(f"  {finding['rule']} ({finding['severity']}): {finding['message']}")

# The group advised with fewer of its members bringing lived experience than the charter
# asks: I9, a warning the gate will not pass until someone acknowledges it with a reason.
i9 = next(f for f in report["findings"] if f["rule"] == "I9")
assert i9["status"] == "violated" and i9["severity"] == "warning", i9
assert done.returncode == 1, "the gate refuses a decision with a warning unacknowledged"
print("the gate refuses: the warning needs an acknowledgement before the decision goes ahead")
