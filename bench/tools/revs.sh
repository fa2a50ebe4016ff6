# revs.sh — sourced by time-steps.sh and instr-steps.sh: the names of the
# builds they compare. A SPEC is a git revision or REV+VARIANT
# (tools/variant.sh). Needs $root (the repository) and $bench.

# spec_label SPEC: the short revision, with +VARIANT when there is one.
spec_label() {
  local rev="${1%%+*}" variant=""
  [[ "$1" != *+* ]] || variant="+${1#*+}"
  echo "$(git -C "$root" rev-parse --short "$rev")$variant"
}

# spec_subject SPEC: the commit's subject, or what the variant takes away.
spec_subject() {
  if [[ "$1" == *+* ]]; then
    "$bench/tools/variant.sh" -d "${1#*+}"
  else
    git -C "$root" log -1 --format=%s "$1" | cut -c1-90
  fi
}
