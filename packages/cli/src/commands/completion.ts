// `completion bash|zsh`: a shell script completing verbs, resource types (from the server's
// discovery, through `mini-kubectl api-resources -o name`) and object names.
import type { Ctx } from '../context.js';
import { CliError } from '../errors.js';

export function bashScript(verbs: string[]): string {
  return `# mini-kubectl completion for bash: source <(mini-kubectl completion bash)
_mini_kubectl() {
  local cur=\${COMP_WORDS[COMP_CWORD]} words=() i verb="" type=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    case \${COMP_WORDS[i]} in
      -*) ;;
      *) if [[ -z $verb ]]; then verb=\${COMP_WORDS[i]}; elif [[ -z $type ]]; then type=\${COMP_WORDS[i]}; fi ;;
    esac
  done
  if [[ -z $verb ]]; then
    words=(${verbs.join(' ')})
  elif [[ -z $type ]]; then
    words=($(mini-kubectl api-resources -o name 2>/dev/null | sed 's/\\..*//'))
  else
    words=($(mini-kubectl get "$type" -o name 2>/dev/null | sed 's|.*/||'))
  fi
  COMPREPLY=($(compgen -W "\${words[*]}" -- "$cur"))
}
complete -F _mini_kubectl mini-kubectl
`;
}

export function zshScript(verbs: string[]): string {
  return `#compdef mini-kubectl
# mini-kubectl completion for zsh: source <(mini-kubectl completion zsh)
autoload -U +X bashcompinit && bashcompinit
${bashScript(verbs)}`;
}

export async function run(ctx: Ctx, args: string[], opts: { verbs?: string[] }): Promise<number> {
  const verbs = opts.verbs ?? [];
  if (args[0] === 'bash') ctx.out(bashScript(verbs));
  else if (args[0] === 'zsh') ctx.out(zshScript(verbs));
  else throw new CliError(args[0] ? `Unsupported shell type "${args[0]}".` : 'Shell not specified.');
  return 0;
}
