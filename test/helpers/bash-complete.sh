# Runs a bash completion script's function as readline would, and prints COMPREPLY.
#
#   bash --norc --noprofile bash-complete.sh SCRIPT WORD...
#
# The words are COMP_WORDS as bash splits the command line (the last one is the word being
# completed: "" after a space); the function called is the one `complete -p heph` names.
source "$1"
shift
COMP_WORDS=("$@")
COMP_CWORD=$(($# - 1))
COMP_LINE="$*"
COMP_POINT=${#COMP_LINE}
read -r -a spec <<<"$(complete -p heph)"
"${spec[${#spec[@]} - 2]}" heph "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
printf '%s\n' "${COMPREPLY[@]}"
