#!/usr/bin/env bash
# The GitHub Action's main step (action.yml): run one rosetta command, say why it failed, expose
# its exit code and (for plan) the plan's counts as step outputs, and leave the markdown plan for
# the comment step. Run by test/e2e/action.test.ts as it is here.
#
# Environment: COMMAND (validate|plan|apply), PATHS and ARGS (split on spaces, as typed in the
# workflow), GITHUB_OUTPUT, RUNNER_TEMP; rosetta on PATH.
set -u
: "${GITHUB_OUTPUT:?}" "${RUNNER_TEMP:?}"
read -r -a paths <<< "${PATHS:-.}"
read -r -a args <<< "${ARGS:-}"
plan_json="$RUNNER_TEMP/rosetta-plan.json"
plan_md="$RUNNER_TEMP/rosetta-plan.md"

# rosetta itself appends the plan and apply markdown to $GITHUB_STEP_SUMMARY.
case "$COMMAND" in
  validate)
    rosetta validate "${paths[@]}" "${args[@]}"; code=$? ;;
  plan)
    rosetta plan "${paths[@]}" "${args[@]}" --format json --detailed-exitcode > "$plan_json"; code=$?
    # A plan was made when its JSON parses, also when it exits 1 for a conflict: then the counts,
    # the plan in the log (markdown, the same text as the comment) and the comment file.
    if counts=$(node -e '
      const plan = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      for (const [action, n] of Object.entries(plan.summary)) console.log(`${action}=${n}`);
    ' "$plan_json" 2>/dev/null); then
      echo "$counts" >> "$GITHUB_OUTPUT"
      echo "planned=true" >> "$GITHUB_OUTPUT"
      GITHUB_STEP_SUMMARY='' rosetta plan "${paths[@]}" "${args[@]}" --format markdown > "$plan_md" 2>/dev/null
      cat "$plan_md"
    else
      echo "planned=false" >> "$GITHUB_OUTPUT"
    fi ;;
  apply)
    rosetta apply "${paths[@]}" --auto-approve "${args[@]}"; code=$? ;;
  *)
    echo "::error title=rosetta::command must be validate, plan or apply, not $COMMAND"; code=1 ;;
esac
echo "exitcode=$code" >> "$GITHUB_OUTPUT"
if [ "$code" = 1 ]; then
  case "$COMMAND" in
    plan) why="the plan has conflicts, or rosetta could not plan (see the log above)" ;;
    *) why="see the log above" ;;
  esac
  echo "::error title=rosetta $COMMAND failed::$why"
  exit 1
fi
exit 0
