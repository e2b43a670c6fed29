# bash completion for charter(8).
#
# Commands and options come from the tool itself ('charter help',
# 'charter COMMAND --help'), so completion never disagrees with it.
# Installed as /usr/share/bash-completion/completions/charter.

# The commands of 'charter help': its lines "  NAME ...".
_charter_commands()
{
	"$1" help 2>&1 | awk '/^  [a-z]/ { print $1 }' | sort -u
}

# The long options of 'charter COMMAND --help'.
_charter_options()
{
	"$1" "$2" --help 2>&1 | grep -o -- '--[a-z-]*' | sort -u
}

_charter()
{
	local tool=${COMP_WORDS[0]} cur=${COMP_WORDS[COMP_CWORD]}
	local cmd=${COMP_WORDS[1]-} prev=${COMP_WORDS[COMP_CWORD-1]-}

	COMPREPLY=()
	if [ "$COMP_CWORD" -eq 1 ]; then
		COMPREPLY=($(compgen -W "$(_charter_commands "$tool")" -- "$cur"))
		return
	fi
	case $prev in
	--trust|--cache-dir)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -d -- "$cur"))
		return ;;
	--module|--policy|--mounts|-o|--output|-k|--key)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	--manifest)
		# The loaded manifests' names (listing needs CAP_MAC_ADMIN).
		COMPREPLY=($(compgen -W "$("$tool" list 2>/dev/null |
			awk 'NR > 1 { print $1 }')" -- "$cur"))
		return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_charter_options "$tool" "$cmd")" -- "$cur"))
		return
	fi
	case $cmd in
	help)
		[ "$COMP_CWORD" -eq 2 ] &&
			COMPREPLY=($(compgen -W "$(_charter_commands "$tool")" -- "$cur")) ;;
	mode)
		[ "$COMP_CWORD" -eq 2 ] &&
			COMPREPLY=($(compgen -W "enforce complain disabled inherit" -- "$cur")) ;;
	status|list|monitor|lock|unload|version|keygen) ;;
	*)
		compopt -o filenames 2>/dev/null
		COMPREPLY=($(compgen -f -- "$cur")) ;;
	esac
}
complete -F _charter charter
