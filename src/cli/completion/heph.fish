# The fixed part of heph's fish completion: it walks the tokens typed so far and reads the
# generated lookups above it (__heph_commands, __heph_flags, __heph_value); it names no command.

# Prints what value spec $spec holds for the token $cur: "words:a b", "list:a b"
# (comma-separated), "dynamic:SOURCE [words]" (asked from the daemon), "files:", or "text:".
function __heph_offer --argument-names bin spec cur
    set -l parts (string split -m 1 : -- $spec)
    set -l words (string split -n ' ' -- $parts[2])
    switch $parts[1]
        case words
            printf '%s\n' $words
        case list
            # The items before the last comma stay; the ones already given are not offered again.
            set -l head (string replace -r -- '[^,]*$' '' $cur)
            set -l taken (string split -n , -- $head)
            for word in $words
                contains -- $word $taken; or printf '%s%s\n' "$head" $word
            end
        case files
            __fish_complete_path $cur
        case dynamic
            # The daemon matches the word as typed, without its quotes and backslashes.
            set -l prefix (string replace -r -- '^["\']' '' $cur | string replace -a -- '\\' '')
            command $bin __complete $words[1] -- "$prefix" 2>/dev/null
            printf '%s\n' $words[2..-1]
    end
end

function __heph_complete
    set -l words (commandline -opc)
    set -l cur (commandline -ct)
    set -l bin $words[1]
    set -l path ''
    set -l n 0
    set -l skip 0
    set -l rest 0
    # Which command the tokens name, how many positionals it has so far, and whether the token
    # before the cursor is a flag waiting for its value.
    for word in $words[2..-1]
        if test $skip = 1
            set skip 0
            continue
        end
        if test $rest = 0; and test "$word" = --
            set rest 1
            continue
        end
        if test $rest = 0; and string match -qr -- '^-.' $word
            if not string match -q -- '*=*' $word; and test -n (__heph_value "$path|$word" | string collect)
                set skip 1
            end
            continue
        end
        if test $n = 0
            set -l commands (__heph_commands $path | string replace -r -- '\t.*' '')
            if set -q commands[1]
                contains -- $word $commands; or return 0 # not one of its commands
                set path (string trim -- "$path $word")
                continue
            end
        end
        set n (math $n + 1)
    end
    set -l flag ''
    set -l lead ''
    if test $skip = 1
        set flag $words[-1]
    else if test $rest = 0; and string match -qr -- '^--[^=]+=' $cur
        set flag (string replace -r -- '=.*' '' $cur)
        set lead "$flag="
        set cur (string replace -r -- '^[^=]*=' '' $cur)
    end
    if test -n "$flag"
        for line in (__heph_offer $bin (__heph_value "$path|$flag") $cur)
            printf '%s%s\n' $lead $line
        end
        return 0
    end
    if test $rest = 0; and string match -q -- '-*' $cur
        __heph_flags $path
        return 0
    end
    set -l commands (__heph_commands $path)
    if test $n = 0; and set -q commands[1]
        printf '%s\n' $commands
        return 0
    end
    __heph_offer $bin (__heph_value "$path|@"(math $n + 1)) $cur
end
