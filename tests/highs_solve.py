"""Solve a CPLEX LP/QP file with HiGHS and print status, objective and row duals as JSON.

The independent half of tests/independent_solver.rs: rareflow writes the problem, HiGHS
(an unrelated solver: active-set QP, C++) solves it, the test compares the numbers.
"""
import json
import os
import sys

import highspy


def main(path: str) -> None:
    # HiGHS (1.16) prints a banner on standard output whatever its options say: send the
    # C++ side's output to standard error, so standard output carries the JSON alone.
    sys.stdout.flush()
    json_out = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    highs = highspy.Highs()
    highs.setOptionValue("output_flag", False)
    # 1e-8: HiGHS's active-set QP ends with residuals of a few 1e-9 on these problems (the
    # demand curves of small markets are steep), which it refuses to certify at 1e-9. The
    # test compares objective and prices at its own, unchanged tolerances.
    highs.setOptionValue("primal_feasibility_tolerance", 1e-8)
    highs.setOptionValue("dual_feasibility_tolerance", 1e-8)
    status = highs.readModel(path)
    if status != highspy.HighsStatus.kOk:
        raise SystemExit(f"HiGHS could not read {path}: {status}")
    highs.run()
    lp = highs.getLp()
    solution = highs.getSolution()
    print(json.dumps({
        "status": highs.modelStatusToString(highs.getModelStatus()),
        "objective": highs.getInfo().objective_function_value,
        "row_duals": dict(zip(lp.row_names_, solution.row_dual)),
        "columns": dict(zip(lp.col_names_, solution.col_value)),
    }), file=json_out)
    json_out.flush()


if __name__ == "__main__":
    main(sys.argv[1])
