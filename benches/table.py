#!/usr/bin/env python3
"""Prints the README table from criterion's medians: every measurement over its floor.

Run after the benches, from the crate root:
    python3 benches/table.py [criterion-dir ...]
Each directory is one run's `target/criterion` (default: `$CARGO_TARGET_DIR/criterion`, else
`target/criterion`); with several, the table gives each run's ratio, and the medians, the
goal check and the memory and allocation lines of the last.
"""
import json
import os
import sys

RUNS = sys.argv[1:] or [os.path.join(os.environ.get("CARGO_TARGET_DIR", "target"), "criterion")]
CRIT = RUNS[-1]

# (group, measured, floor, size or None, goal as text, goal as a ratio bound or None)
ROWS = [
    ("consent_round", "respond_all_and_close", "floor_foldhash_insert", "1000", "", None),
    ("consent_round", "respond_all_and_close", "floor_seat_table", "1000", "", None),
    ("consent_round", "respond_all_and_close", "floor_direct_table", "1000", "", None),
    ("consent_round", "respond_all_and_close_spread", "floor_seat_table", "1000", "", None),
    ("consent_round", "decide_then_evolve_all_and_close", "floor_foldhash_insert", "1000", "", None),
    ("consent_round", "part_decide_all", "decide_then_evolve_all_and_close", "1000", "(share of the two-step path)", None),
    ("consent_round", "part_evolve_all_and_close", "decide_then_evolve_all_and_close", "1000", "(share of the two-step path)", None),
    ("consent_round", "respond_all_and_close", "floor_foldhash_insert", "10000", "", None),
    ("consent_round", "respond_all_and_close", "floor_seat_table", "10000", "", None),
    ("consent_round", "respond_all_and_close", "floor_direct_table", "10000", "", None),
    ("consent_round", "respond_all_and_close_spread", "floor_seat_table", "10000", "", None),
    ("consent_round", "decide_then_evolve_all_and_close", "floor_foldhash_insert", "10000", "", None),
    ("consent_round", "part_decide_all", "decide_then_evolve_all_and_close", "10000", "(share of the two-step path)", None),
    ("consent_round", "part_evolve_all_and_close", "decide_then_evolve_all_and_close", "10000", "(share of the two-step path)", None),
    ("consent_round", "respond_all_and_close", "floor_foldhash_insert", "100000", "<= 1.5", 1.5),
    ("consent_round", "respond_all_and_close", "floor_seat_table", "100000", "<= 1.5", 1.5),
    ("consent_round", "respond_all_and_close", "floor_direct_table", "100000", "", None),
    ("consent_round", "respond_all_and_close_spread", "floor_seat_table", "100000", "", None),
    ("consent_round", "decide_then_evolve_all_and_close", "floor_foldhash_insert", "100000", "", None),
    ("consent_round", "part_decide_all", "decide_then_evolve_all_and_close", "100000", "(share of the two-step path)", None),
    ("consent_round", "part_evolve_all_and_close", "decide_then_evolve_all_and_close", "100000", "(share of the two-step path)", None),
    ("consent_round", "respond_all_and_close", "floor_foldhash_insert", "1000000", "<= 1.5", 1.5),
    ("consent_round", "respond_all_and_close", "floor_seat_table", "1000000", "<= 1.5", 1.5),
    ("consent_round", "respond_all_and_close", "floor_direct_table", "1000000", "", None),
    ("consent_round", "respond_all_and_close_spread", "floor_seat_table", "1000000", "", None),
    ("consent_round", "decide_then_evolve_all_and_close", "floor_foldhash_insert", "1000000", "", None),
    ("consent_round", "part_decide_all", "decide_then_evolve_all_and_close", "1000000", "(share of the two-step path)", None),
    ("consent_round", "part_evolve_all_and_close", "decide_then_evolve_all_and_close", "1000000", "(share of the two-step path)", None),
    ("round_subject", "subject", "floor_json_blake3", "1000", "", None),
    ("round_subject", "subject", "floor_json_blake3", "100000", "", None),
    ("replay_100k", "file_journal_open_and_read_all_with", "floor_typed_parse_blake3", "100000", "<= 1.43 (>= 0.7x throughput)", 1 / 0.7),
    ("replay_100k", "file_journal_open_and_read_all", "floor_typed_parse_blake3", "100000", "<= 1.43 (>= 0.7x throughput)", 1 / 0.7),
    ("replay_100k", "file_journal_open", "floor_typed_parse_blake3", "100000", "", None),
    ("replay_100k", "file_journal_open_and_read_all_with", "floor_typed_parse", "100000", "", None),
    ("value_check", "check", "floor_one_pass", "200", "check <= 3.6 us", None),
    ("value_check", "build", "floor_plain_lists", "200", "", None),
    ("value_check", "build_and_check", "floor_plain_lists_and_pass", "200", "build+check <= 3.4 us", None),
    ("value_check", "check", "floor_one_pass", "1000", "", None),
    ("value_check", "build_and_check", "floor_plain_lists_and_pass", "1000", "", None),
    ("value_check", "check", "floor_one_pass", "10000", "", None),
    ("value_check", "build_and_check", "floor_plain_lists_and_pass", "10000", "", None),
    ("value_check", "check", "floor_one_pass", "100000", "", None),
    ("value_check", "build_and_check", "floor_plain_lists_and_pass", "100000", "", None),
    ("value_check", "check", "floor_one_pass", "1000000", "", None),
    ("value_check", "build_and_check", "floor_plain_lists_and_pass", "1000000", "", None),
    ("body_figures", "community_figures", "floor_merge_join", "1000", "", None),
    ("body_figures", "community_figures", "floor_merge_join", "100000", "", None),
    ("body_figures", "community_figures", "floor_merge_join", "1000000", "", None),
    ("uncarried", "model_uncarried", "floor_sorted_difference", None, "", None),
    ("informed", "model_informed_last_decision", "floor_copy_all_ids", None, "", None),
    ("funding_consultation", "decider", "floor_vec", "10", "", None),
    ("funding_consultation", "decider", "floor_vec", "100", "", None),
    ("funding_consultation", "decider", "floor_vec", "1000", "", None),
    ("governance_validate", "validate", "floor_tarjan_scc", None, "<= 3", 3.0),
    ("governance_route", "route", "floor_cached_route_clone", None, "", None),
    ("metrics_600_decisions", "metrics_from_journal", "floor_bare_replay", None, "", None),
    ("engine_responses", "engine", "machine_and_journal", "1000", "(process-layer issue)", None),
    ("engine_responses", "engine", "machine", "1000", "(process-layer issue)", None),
    ("engine_responses", "engine", "machine_and_journal", "10000", "(process-layer issue)", None),
    ("engine_responses", "engine", "machine", "10000", "(process-layer issue)", None),
    ("engine_responses", "engine", "machine_and_journal", "100000", "(process-layer issue)", None),
    ("engine_responses", "engine", "machine", "100000", "(process-layer issue)", None),
]
ABSOLUTE = {("value_check", "check", "200"): 3600.0, ("value_check", "build_and_check", "200"): 3400.0}


def median(group, bench, size, crit=None):
    parts = [crit or CRIT, group, bench] + ([size] if size else []) + ["new", "estimates.json"]
    try:
        with open(os.path.join(*parts)) as f:
            return json.load(f)["median"]["point_estimate"]
    except (OSError, KeyError, ValueError):
        return None


def fmt(ns):
    if ns is None:
        return "-"
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("us", 1e3)):
        if ns >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"


def main():
    runs = "".join(f" ratio, run {i + 1} |" for i in range(len(RUNS)))
    print(f"| group | size | measured | floor | measured median | floor median |{runs} goal | met |")
    print("|---|---|---|---|---|---|" + "---|" * len(RUNS) + "---|---|")
    for group, bench, floor, size, goal, bound in ROWS:
        m, f = median(group, bench, size), median(group, floor, size)
        if m is None and f is None:
            continue
        ratios = []
        for crit in RUNS:
            rm, rf = median(group, bench, size, crit), median(group, floor, size, crit)
            ratios.append(f"{rm / rf:.2f}" if rm and rf else "-")
        ratio = m / f if m and f else None
        met = ""
        if bound is not None and ratio is not None:
            met = "yes" if ratio <= bound else "no"
        limit = ABSOLUTE.get((group, bench, size))
        if limit is not None and m is not None:
            met = "yes" if m <= limit else f"no ({m / limit:.2f}x the goal)"
        cells = "".join(f" {r} |" for r in ratios)
        print(f"| {group} | {size or ''} | {bench} | {floor} | {fmt(m)} | {fmt(f)} |{cells} {goal} | {met} |")
    mem = os.path.join(CRIT, "consent_memory.json")
    if os.path.exists(mem):
        with open(mem) as f:
            m = json.load(f)
        print()
        print(
            f"Memory, {m['members']:,} members: the round {m['round_bytes_per_seat']:.1f} bytes per seat; "
            f"the foldhash map {m['floor_map_bytes_per_entry']:.1f} bytes per entry; "
            f"the bare seat table {m['floor_seat_table_bytes_per_seat']:.1f} bytes per seat "
            f"(hashed) and {m['floor_direct_table_bytes_per_seat']:.1f} (direct)."
        )
    alloc = os.path.join(CRIT, "value_check_allocations.json")
    if os.path.exists(alloc):
        with open(alloc) as f:
            a = json.load(f)
        print()
        print(
            f"Allocations, value check at {a['members']} members: building the record "
            f"{a['build_allocations']} (the plain lists {a['floor_build_allocations']}); checking it "
            f"{a['check_allocations']} ({a['findings']} findings holding {a['observations']} observations)."
        )


main()
