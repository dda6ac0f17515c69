/**
 * `authform::Worker`: Alchemy 0.94's Worker for deploys, uploaded only when its props changed.
 *
 * Alchemy marks its Worker `alwaysUpdate`, so every run re-uploads the script even when nothing
 * changed. That option belongs to the resource kind, so this kind of ours declares it off and
 * hands every phase to Alchemy's Worker handler: the Worker is skipped, like any resource, when
 * its props (bundle fingerprint, bindings, vars, secret values, compatibility) equal the last
 * run's. Local mode keeps Alchemy's own Worker: its update is what starts workerd.
 *
 * A stage deployed before this resource keeps Alchemy's kind in state until its next upload
 * rewrites it; deleting either kind runs the same Alchemy handler.
 */
import { type Context, PROVIDERS, Resource } from "alchemy";
// Loaded for its side effect: it registers Alchemy's cloudflare::Worker provider, wrapped here.
import "alchemy/cloudflare";
import type { Bindings, Worker, WorkerProps } from "alchemy/cloudflare";

const ALCHEMY_KIND = "cloudflare::Worker";

export const UploadOnChangeWorker = Resource(
  "authform::Worker",
  { alwaysUpdate: false },
  async function (this: Context<Worker>, id: string, props: WorkerProps<Bindings>) {
    return (await alchemyHandler().call(this, id, props)) as Worker;
  },
);

/** Alchemy's own Worker lifecycle: read from its registry, never changed there. */
function alchemyHandler() {
  const provider = PROVIDERS.get(ALCHEMY_KIND);
  if (!provider) throw new Error(`alchemy/cloudflare registered no ${ALCHEMY_KIND} provider`);
  return provider.handler;
}
