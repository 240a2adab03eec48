/** The options every command that reads manifests shares (render, template, images, check). */
import { Command, Option } from 'commander';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function addRenderOptions(command: Command): Command {
  return command
    .option('--registry <host>', 'private mirror host, optional :port (e.g. my.registry:5000)')
    .option('--repository <name>', "like the operator's --container-repository: <registry>/<repository>/<image>")
    .option('--suffix <suffix>', "like the operator's --container-suffix (write --suffix=-ubi)")
    .option('--ubi-only', "like the operator's --ubi-only (the same as --suffix=-ubi)")
    .option('--pull-secret <name>', 'image pull secret to add to pod templates (repeatable)', collect)
    .option('--mirror <src=dst>', 'move another registry too, e.g. docker.io=my.registry/dockerhub (repeatable)', collect)
    .option('--source-registry <host>', 'registry whose images move to the mirror (repeatable; default docker.elastic.co)', collect)
    .option('--operator-repository <name>', 'repository of the operator image on the mirror (default eck)')
    .addOption(new Option('--no-set-default-images', "leave spec.image unset where the operator's default applies"))
    .option('--eck-version <X.Y.Z>', 'ECK operator release to name images for when the stream has no operator image (default: newest known)')
    .option('-c, --config <file>', 'config file (default: $ECK_AIRGAP_CONFIG, else ./eck-airgap.yaml when present)')
    .option('-q, --quiet', 'no report on stderr');
}
