# revs.sh — sourced by the scripts that build a revision of weft apart
# from this tree (time-steps.sh, instr-steps.sh, tools/build-rev.sh,
# run-all.sh): the names of those builds, and the throwaway worktree they
# are built in. A SPEC is a git revision or REV+VARIANT (tools/variant.sh).
# Needs $root (the repository) and $bench.

# spec_rev SPEC, spec_variant SPEC: its two parts (the variant may be empty).
spec_rev() { echo "${1%%+*}"; }
spec_variant() { [[ "$1" != *+* ]] || echo "${1#*+}"; }

# spec_label SPEC: the short revision, with +VARIANT when there is one.
spec_label() {
  local variant
  variant="$(spec_variant "$1")"
  echo "$(git -C "$root" rev-parse --short "$(spec_rev "$1")")${variant:++$variant}"
}

# spec_subject SPEC: the commit's subject, or what the variant takes away.
spec_subject() {
  if [[ "$1" == *+* ]]; then
    "$bench/tools/variant.sh" -d "$(spec_variant "$1")"
  else
    git -C "$root" log -1 --format=%s "$1" | cut -c1-90
  fi
}

# checkout_worktree REV: checks REV out, detached, into a new temporary
# directory, sets $wt to it, and removes it when the script exits (an EXIT
# trap: a script using this sets no other).
checkout_worktree() {
  wt="$(mktemp -d)/weft"
  trap 'git -C "$root" worktree remove --force "$wt" >/dev/null 2>&1; rm -rf "$(dirname "$wt")"' EXIT
  git -C "$root" worktree add --detach "$wt" "$1" >/dev/null 2>&1
}
