# The fixed part of heph's zsh completion, after the generated _heph_cmd* functions.

# _heph_dynamic SOURCE [WORD...]: what the running daemon knows for SOURCE (task ids with their
# titles, project names, tags, note titles) that starts with the word being completed, then any
# fixed WORDs. `heph __complete` prints "value<TAB>description" lines, and nothing at all when
# no daemon answers within its deadline.
_heph_dynamic() {
  local source=$1 line
  shift
  local -a candidates
  for line in ${(f)"$(command ${_heph_bin:-heph} __complete $source -- ${(Q)PREFIX} 2>/dev/null)"}; do
    candidates+=("${${line%%$'\t'*}//:/\\:}:${line#*$'\t'}")
  done
  candidates+=("$@")
  _describe -t $source $source candidates
}

# The entry point: the program as typed (for _heph_dynamic), then heph's own command function.
_heph() {
  local _heph_bin=${(Q)words[1]}
  _heph_cmd "$@"
}

# Autoloaded from $fpath this file is the body of _heph: run it. Sourced, register it.
if [[ ${funcstack[1]} == _heph ]]; then
  _heph "$@"
else
  compdef _heph heph
fi
