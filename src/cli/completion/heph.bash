# The fixed part of heph's bash completion: it walks the words typed so far and reads the
# generated lookups above it (_heph_commands, _heph_flags, _heph_value); it names no command.

# Adds stdin's lines to COMPREPLY (up to a tab: a description follows it, which bash cannot
# show), each escaped for the command line when $1 is "escape", as they are when "plain".
_heph_reply() {
  local line
  while IFS= read -r line; do
    line=${line%%$'\t'*}
    [[ -z $line ]] && continue
    [[ $1 == escape ]] && printf -v line '%q' "$line"
    COMPREPLY+=("$line")
  done
}

# Offers what value spec $1 holds for the word $2: "words:a b", "list:a b" (comma-separated),
# "dynamic:SOURCE [words]" (asked from the daemon), "files:", or "text:" (nothing to offer).
_heph_offer() {
  local kind=${1%%:*} words=${1#*:} cur=$2 head='' left='' source mode=escape
  case $kind in
    words) _heph_reply plain < <(compgen -W "$words" -- "$cur") ;;
    list)
      # The items before the last comma stay; the ones already given are not offered again.
      [[ $cur == *,* ]] && head=${cur%,*},
      for source in $words; do [[ ,$head == *,$source,* ]] || left+=" $source"; done
      _heph_reply plain < <(compgen -P "$head" -W "$left" -- "${cur##*,}")
      ;;
    files)
      compopt -o filenames 2>/dev/null
      _heph_reply plain < <(compgen -f -- "$cur")
      ;;
    dynamic)
      source=${words%% *}
      words=${words#"$source"}
      # Inside an open quote readline quotes the match itself; outside, undo backslashes.
      case $cur in
        \"* | \'*) mode=plain cur=${cur:1} ;;
        *) cur=${cur//\\/} ;;
      esac
      _heph_reply "$mode" < <("$_heph_bin" __complete "$source" -- "$cur" 2>/dev/null)
      _heph_reply plain < <(compgen -W "$words" -- "$cur")
      ;;
  esac
}

_heph() {
  local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
  local _heph_bin=${COMP_WORDS[0]} path='' word flag='' lead='' REPLY
  local -i i n=0 skip=0 rest=0
  COMPREPLY=()
  [[ $_heph_bin == '~/'* ]] && _heph_bin=$HOME/${_heph_bin:2}
  # Which command the words name, how many positionals it has so far, and whether the word
  # before the cursor is a flag waiting for its value. bash splits --flag=value at the "="
  # (it is in COMP_WORDBREAKS), so a value may follow a word "=".
  for ((i = 1; i < COMP_CWORD; i++)); do
    word=${COMP_WORDS[i]}
    if ((rest == 0)) && [[ $word == '=' ]]; then
      skip=1
      continue
    fi
    if ((skip)); then
      skip=0
      continue
    fi
    if ((rest == 0)) && [[ $word == -- ]]; then
      rest=1
      continue
    fi
    if ((rest == 0)) && [[ $word == -?* ]]; then
      _heph_value "$path|${word%%=*}"
      [[ -n $REPLY && $word != *=* && ${COMP_WORDS[i + 1]} != '=' ]] && skip=1
      continue
    fi
    _heph_commands "$path"
    if ((n == 0)) && [[ -n $REPLY ]]; then
      [[ " $REPLY " == *" $word "* ]] || return 0 # not one of its commands: nothing to offer
      path=${path:+$path }$word
      continue
    fi
    n+=1
  done
  if ((rest == 0)); then
    if [[ $cur == '=' && $prev == --?* ]]; then
      flag=$prev cur=''
    elif ((skip)); then
      flag=$prev
      [[ $prev == '=' ]] && flag=${COMP_WORDS[COMP_CWORD - 2]}
    elif [[ $cur == --?*=* ]]; then
      flag=${cur%%=*} lead=${cur%%=*}= cur=${cur#*=}
    fi
  fi
  if [[ -n $flag ]]; then
    _heph_value "$path|$flag"
    [[ -n $REPLY ]] && _heph_offer "$REPLY" "$cur"
    for i in "${!COMPREPLY[@]}"; do COMPREPLY[i]=$lead${COMPREPLY[i]}; done
    return 0
  fi
  if ((rest == 0)) && [[ $cur == -* ]]; then
    _heph_flags "$path"
    _heph_reply plain < <(compgen -W "$REPLY" -- "$cur")
    return 0
  fi
  _heph_commands "$path"
  if ((n == 0)) && [[ -n $REPLY ]]; then
    _heph_reply plain < <(compgen -W "$REPLY" -- "$cur")
    return 0
  fi
  _heph_value "$path|@$((n + 1))"
  [[ -n $REPLY ]] && _heph_offer "$REPLY" "$cur"
  return 0
}
