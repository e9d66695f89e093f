# Runs zsh's real completion system on one command line and prints what it offered.
#
#   zsh -f zsh-capture.zsh fpath DIR 'heph done '     # DIR holds _heph: autoloaded by compinit
#   zsh -f zsh-capture.zsh source FILE 'heph done '   # FILE is sourced after compinit
#
# An interactive `zsh -f -i` runs on a pseudo-terminal (the zsh/zpty module); this script types
# the line and a TAB into it, bound to complete-word. compadd, the builtin every completion
# function ends in, is wrapped to print each match it adds with its display string, as
# "<hit>MATCH<desc>DISPLAY", and the completion system's post-hook prints "<end>". Reading
# waits for those markers, never for time. The wrapping is the technique of
# github.com/Valodim/zsh-capture-completion, written again here.
zmodload zsh/zpty || { print -u2 'zsh-capture: the zsh/zpty module is not available'; exit 2 }
local mode=$1 target=$2 buffer=$3 line init=${TMPDIR:-/tmp}/zsh-capture.$$.zsh
[[ $mode == (fpath|source) ]] || { print -u2 "zsh-capture: mode is fpath or source, not $mode"; exit 2 }

cat > $init <<INIT
PROMPT='' RPROMPT='' PS2=''
stty columns 500 2>/dev/null
$([[ $mode == fpath ]] && print -r -- "fpath=(${(q)target} \$fpath)")
autoload -Uz compinit && compinit -u -D
$([[ $mode == source ]] && print -r -- "source ${(q)target}")
bindkey '^I' complete-word
compadd() {
  local -A apre hpre dscrs _oad
  local -a isfile _opts __
  zparseopts -E -a _opts P:=apre p:=hpre d:=dscrs O:=_oad A:=_oad D:=_oad f=isfile \
    i: S: s: I: X: x: r: R: W: F: M+: E: q e Q n U C J:=__ V:=__ a=__ l=__ k=__ o=__ 1=__ 2=__
  # Calls that only collect matches into arrays add nothing: pass them through.
  if (( \$#_oad )); then builtin compadd "\$@"; return; fi
  local -a __hits __dscr
  (( \$#dscrs == 1 )) && __dscr=( "\${(@P)\${(v)dscrs}}" )
  # -A: the matches that survive matching; -D: their display strings, filtered alike.
  builtin compadd -A __hits -D __dscr "\$@"
  local i
  for i in {1..\$#__hits}; do print -r -- "<hit>\${__hits[i]}<desc>\${__dscr[i]}"; done
  builtin compadd "\$@"
}
_capture_end() { print -r -- '<end''>'; comppostfuncs=( _capture_end ) }
comppostfuncs=( _capture_end )
print -r -- '<ready''>'
INIT

zpty z zsh -f -i
zpty -w z "source ${(q)init}"
while zpty -r z line; do [[ $line == *'<ready>'* ]] && break; done
zpty -w -n z "$buffer"$'\t'
while zpty -r z line; do
  line=${${line//$'\r'/}%$'\n'}
  [[ $line == *'<end>'* ]] && break
  [[ $line == *'<hit>'* ]] && print -r -- "<hit>${line##*<hit>}"
done
zpty -d z
rm -f $init
