// The bash and zsh completion scripts (pure): the command tree as four lookup tables keyed by
// command path, and a small walker per shell that finds the path, the option awaiting a
// value or the positional being typed, then offers sub-commands, options, local files or
// names from the index. Names come from `alpenhorn _names KIND`, run with the -c/--conf and
// --test-isolation given on the line being completed, so they are the index that line uses.

import type { CompletionEntry } from "./completion-spec.ts";

export interface CompletionTables {
  readonly subs: ReadonlyArray<readonly [string, string]>;
  readonly opts: ReadonlyArray<readonly [string, string]>;
  readonly vals: ReadonlyArray<readonly [string, string]>;
  readonly args: ReadonlyArray<readonly [string, string]>;
}

export function completionTables(entries: readonly CompletionEntry[]): CompletionTables {
  return {
    subs: entries.filter((e) => e.subs.length).map((e) => [e.path, e.subs.join(" ")] as const),
    opts: entries.map((e) => [e.path, e.options.join(" ")] as const),
    vals: entries.filter((e) => e.values.length).map((e) => [e.path, e.values.map(([o, k]) => `${o}:${k}`).join(" ")] as const),
    args: entries.filter((e) => e.args.length).map((e) => [e.path, e.args.map((a) => a.kind + (a.variadic ? "*" : "")).join(" ")] as const),
  };
}

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

function assoc(name: string, rows: ReadonlyArray<readonly [string, string]>, keyed: (k: string) => string): string {
  return `${name}=(\n${rows.map(([k, v]) => `  ${keyed(k)} ${q(v)}`).join("\n")}\n)`;
}

// The walker, written once for both shells (they share [[ ]], ${x%% *}, ${x#*pat} and (( ))):
// `W` is the word array, `FIRST`/`CUR` the first argument's and the current word's indexes.
function walker(shell: "bash" | "zsh"): string {
  const W = shell === "bash" ? "COMP_WORDS" : "words";
  const first = shell === "bash" ? 1 : 2;
  const cur = shell === "bash" ? "COMP_CWORD" : "CURRENT";
  return `  local cur="\${${W}[${cur}]}" cmdpath=alpenhorn w kind="" prevopt="" v i pos=0
  local -a top
  top=()
  for (( i = ${first}; i < ${cur}; i++ )); do
    w="\${${W}[i]}"
    # bash splits --opt=value at the "=" (COMP_WORDBREAKS); the value follows as a word.
    [[ $w == "=" ]] && continue
    if [[ -n $kind ]]; then
      if [[ $cmdpath == alpenhorn && ( $prevopt == -c || $prevopt == --conf ) ]]; then top+=(--conf "$w"); fi
      kind=""
      continue
    fi
    case "$w" in
      --*=*) [[ $cmdpath == alpenhorn && $w == --conf=* ]] && top+=("$w"); continue ;;
      -*)
        [[ $cmdpath == alpenhorn && $w == --test-isolation ]] && top+=("$w")
        prevopt="$w"
        v=" \${_alpenhorn_vals[$cmdpath]} "
        if [[ $v == *" $w:"* ]]; then kind="\${v#*" $w:"}"; kind="\${kind%% *}"; fi
        continue ;;
    esac
    if [[ " \${_alpenhorn_subs[$cmdpath]} " == *" $w "* ]]; then cmdpath="$cmdpath $w"; pos=0; else pos=$(( pos + 1 )); fi
  done
  local list=""
  if [[ -z $kind ]]; then
    if [[ $cur == -* ]]; then list="\${_alpenhorn_opts[$cmdpath]}"
    elif [[ -n "\${_alpenhorn_subs[$cmdpath]}" ]]; then list="\${_alpenhorn_subs[$cmdpath]}"
    else
      # The kind of positional number pos (from 0); a last "kind*" repeats for ever.
      v="\${_alpenhorn_args[$cmdpath]}"
      i=0
      while [[ -n $v ]]; do
        kind="\${v%% *}"
        (( i == pos )) && break
        [[ $kind == *"*" ]] && break
        if [[ $v == *" "* ]]; then v="\${v#* }"; else v=""; kind=""; fi
        i=$(( i + 1 ))
      done
      kind="\${kind%"*"}"
    fi
  fi`;
}

export function bashScript(entries: readonly CompletionEntry[]): string {
  const t = completionTables(entries);
  const key = (k: string) => `[${q(k)}]=`;
  const tables = [
    assoc("_alpenhorn_subs", t.subs, key),
    assoc("_alpenhorn_opts", t.opts, key),
    assoc("_alpenhorn_vals", t.vals, key),
    assoc("_alpenhorn_args", t.args, key),
  ]
    .map((s) => s.replace(/\]= '/g, "]='"))
    .join("\n");
  return `# bash completion for alpenhorn, generated from its command definitions by
# \`alpenhorn completion bash\`.  Load it with:  source <(alpenhorn completion bash)
declare -gA _alpenhorn_subs _alpenhorn_opts _alpenhorn_vals _alpenhorn_args
${tables}

_alpenhorn() {
${walker("bash")}
  COMPREPLY=()
  case "$kind" in
    node|group|acq)
      local IFS=$'\\n'
      COMPREPLY=( $(compgen -W "$("\${COMP_WORDS[0]}" "\${top[@]}" _names "$kind" 2>/dev/null)" -- "$cur") ) ;;
    file)
      compopt -o filenames 2>/dev/null
      COMPREPLY=( $(compgen -f -- "$cur") ) ;;
    none) ;;
    *) COMPREPLY=( $(compgen -W "$list" -- "$cur") ) ;;
  esac
}
complete -F _alpenhorn alpenhorn
`;
}

export function zshScript(entries: readonly CompletionEntry[]): string {
  const t = completionTables(entries);
  const key = (k: string) => q(k);
  const tables = [
    assoc("_alpenhorn_subs", t.subs, key),
    assoc("_alpenhorn_opts", t.opts, key),
    assoc("_alpenhorn_vals", t.vals, key),
    assoc("_alpenhorn_args", t.args, key),
  ].join("\n");
  return `#compdef alpenhorn
# zsh completion for alpenhorn, generated from its command definitions by
# \`alpenhorn completion zsh\`.  Load it with:  source <(alpenhorn completion zsh)
# (after compinit), or save it as _alpenhorn in a directory of $fpath.
typeset -gA _alpenhorn_subs _alpenhorn_opts _alpenhorn_vals _alpenhorn_args
${tables}

_alpenhorn() {
${walker("zsh")}
  case "$kind" in
    node|group|acq)
      local -a names
      names=( \${(f)"$(\${words[1]} "\${top[@]}" _names "$kind" 2>/dev/null)"} )
      compadd -- "\${names[@]}" ;;
    file) _files ;;
    none) ;;
    *) compadd -- \${=list} ;;
  esac
}

if [[ "\${funcstack[1]}" == _alpenhorn ]]; then
  _alpenhorn "$@"
else
  compdef _alpenhorn alpenhorn
fi
`;
}
